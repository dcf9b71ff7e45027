"""feedparser's rules, for the fast feed reader (fastfeed.py): how it decodes a document,
which element is which field, how namespaces map to names, how `xml:base` carries from element
to element, and what it does to a field's text before we see it.

The reader must give exactly the entries feedparser gives, so where feedparser has a rule this
module uses feedparser's own code (its namespace table, its URL joining, its HTML test, its
sanitiser) rather than a copy. What it adds is a test for plain markup: text whose tags are
all simple formatting (`<p>`, `<a href="…">`, `<em>`…) and whose entities are all ordinary.
For such text feedparser's sanitiser and link resolver change only attributes, which our
cleaning drops anyway, so the fast reader skips them; any other markup goes through them.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from datetime import UTC, datetime
from typing import Any

from feedparser.encodings import RE_XML_DECLARATION
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.sanitizer import _HTMLSanitizer, _sanitize_html
from feedparser.urls import _urifixer, _urljoin, make_safe_absolute_uri, resolve_relative_uris
from lxml import etree

from ..text.clean import ORDINARY, ordinary_references
from ..text.stamps import in_range, parse_timestamp

UTF8_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"

ATOM = "http://www.w3.org/2005/Atom"
HTML_TYPES = frozenset(_FeedParserMixin.html_types)
MARKUP_FIELDS = frozenset(_FeedParserMixin.can_contain_dangerous_markup)
# namespace URI (lower case) -> the prefix feedparser names its elements with ("" for RSS/Atom)
PREFIXES: dict[str, str] = {uri.lower(): p for uri, p in _FeedParserMixin.namespaces.items()}
# namespaces whose mere declaration changes feedparser's idea of the format (RSS 0.90, 1.0)
VERSIONING = frozenset({"http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/rss/1.0/"})

TITLE = frozenset({"title", "dc_title", "media_title"})
GUID = frozenset({"guid", "id"})
PUBLISHED = frozenset({"pubdate", "published", "issued", "dcterms_issued"})
UPDATED = frozenset({"updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"})
DESCRIPTION = frozenset({"description", "dc_description", "media_description", "abstract"})
SUMMARY = frozenset({"summary", "itunes_summary"})
CONTENT = frozenset({"content", "content_encoded", "fullitem"})
LANGUAGE = frozenset({"language", "dc_language"})
ENTRY = frozenset({"item", "entry"})
# elements feedparser handles that never touch a field the reader gives (read for review)
HARMLESS = frozenset(
    """author managingeditor webmaster contributor name email url homepage uri width height
    category keywords tags dc_subject itunes_category itunes_keywords media_category
    media_keywords enclosure cloud generator rights copyright dc_rights subtitle tagline
    itunes_subtitle info feedburner_browserfriendly created dcterms_created dcterms_valid
    expirationdate dc_author dc_creator dc_contributor dc_publisher itunes_author itunes_name
    itunes_email itunes_owner itunes_image itunes_link itunes_block itunes_explicit
    media_content media_thumbnail media_group media_credit media_rating media_restriction
    media_license media_player cc_license creativecommons_license georss_box georss_line
    georss_point georss_polygon georss_where georssgeom geom gml_exterior gml_linearring
    gml_linestring gml_point gml_polygon gml_pos gml_poslist where psc_chapter psc_chapters
    newlocation creativeCommons_license""".split()  # noqa: SIM905
)
# harmless elements whose text feedparser reads as content: elements inside become that text
TEXT_HOLDERS = frozenset(
    """rights copyright dc_rights subtitle tagline itunes_subtitle info
    feedburner_browserfriendly""".split()  # noqa: SIM905
)
# names feedparser has no handler for but stores under keys it reads or fills itself
CLOBBERING = frozenset(
    """date date_parsed modified_parsed issued_parsed published_parsed updated_parsed
    created_parsed expired_parsed links authors contributors content source image textinput
    where guidislink href summary_detail title_detail subtitle_detail rights_detail
    author_detail publisher_detail media_thumbnail media_content psc_chapters""".split()  # noqa: SIM905
)
_STARTS = frozenset(n[7:] for n in dir(_FeedParserMixin) if n.startswith("_start_"))
_ENDS = frozenset(n[5:] for n in dir(_FeedParserMixin) if n.startswith("_end_"))
# without a start handler feedparser keeps such an element's text only when it has no
# attributes, and its end handler then fails on the missing text
END_ONLY = _ENDS - _STARTS


def harmless(name: str) -> bool:
    """An element that may stand anywhere without changing a field the reader gives."""
    if name in _STARTS or name in _ENDS:
        return name in HARMLESS
    return name not in CLOBBERING


class Unsure(Exception):
    """The document is not one the fast reader recognises with certainty."""


def utf8(data: bytes, url: str | None) -> bytes:
    """The document in UTF-8 as feedparser decodes it: by the encoding its XML declaration
    names, else as UTF-8 (a local file) or Latin-1 (a fetched document: we never pass
    feedparser the Content-Type); only encodings that always decode the same way are taken."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if b"\x00" in data[:4]:
        raise Unsure("UTF-16 or UTF-32")
    declared = declared_encoding(data)
    name = declared.lower() if declared is not None else b"iso-8859-1" if url else b"utf-8"
    if name in (b"utf-8", b"utf8"):
        try:
            data.isascii() or data.decode("utf-8")
        except UnicodeDecodeError:
            raise Unsure("not valid UTF-8") from None
        return data
    if name not in (b"iso-8859-1", b"latin-1", b"latin1") and not (
        name in (b"us-ascii", b"ascii") and data.isascii()
    ):
        raise Unsure(f"encoding {name[:40]!r}")
    text = data.decode("iso-8859-1")  # then declared UTF-8, as feedparser rewrites it
    if RE_XML_DECLARATION.search(text):
        text = RE_XML_DECLARATION.sub(UTF8_DECLARATION, text)
    else:
        text = f"{UTF8_DECLARATION}\n{text}"
    return text.encode("utf-8")


def declared_encoding(data: bytes) -> bytes | None:
    """What feedparser's `RE_XML_PI_ENCODING` finds, without its backtracking over the whole
    first line (a feed written on one line is one line): the last `encoding=` and a quote, on
    a first line that starts `<?`, after which a quote and then `?>` follow."""
    end = data.find(b"\n")
    line = data if end < 0 else data[:end]
    closing = line.rfind(b"?>")
    if not line.startswith(b"<?") or closing < 0:
        return None
    at = len(line)
    while (at := line.rfind(b"encoding=", 2, at)) >= 0:
        start = at + 10
        if line[start - 1 : start] in (b"'", b'"'):
            quotes = [q for q in (line.find(b"'", start), line.find(b'"', start)) if q >= 0]
            if quotes and min(quotes) < closing:
                return line[start : min(quotes)]
    return None


def join_base(base: str, given: str | None) -> str:
    """An element's base as feedparser computes it from its parent's and its own `xml:base`."""
    given = given or base
    return (make_safe_absolute_uri(base, given) or base) if base else _urljoin(base, given)


def every_base(root: Any, url: str) -> dict[Any, str]:
    """Every element's base, following feedparser's bookkeeping exactly (a base given below an
    element whose own base is empty stays in force after it closes)."""
    bases: dict[Any, str] = {}
    current, stack = url, []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            attrs = attributes(element) if element.attrib else {}
            current = join_base(current, attrs.get("xml:base", attrs.get("base")))
            stack.append(current)
            bases[element] = current
        else:
            stack.pop()
            if stack and stack[-1]:
                current = stack[-1]
    return bases


def namespaces(body: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """For each namespace the document declares, the prefix feedparser names its elements
    with (a known namespace's standard prefix, else the document's own, "" when it is only
    ever the default namespace); and feedparser's renaming of a standard prefix the document
    binds to another known namespace. Raise Unsure where feedparser's naming depends on the
    order of declarations, or on an RSS 0.90 or 1.0 namespace."""
    prefixes: dict[str, str] = {}
    renamed: dict[str, str] = {}
    bound: dict[str, str] = {}
    for given, double, single in declarations(body):
        uri_bytes = double or single
        if not uri_bytes:
            continue
        if b"&" in uri_bytes:
            raise Unsure("a namespace URI with a reference")
        uri, prefix = uri_bytes.decode("utf-8"), given.decode("utf-8")
        lower = uri.lower()
        if "backend.userland.com/rss" in lower:
            lower = "http://backend.userland.com/rss"
        if lower in VERSIONING:
            raise Unsure("an RSS 0.90 or 1.0 namespace")
        if prefix and bound.setdefault(prefix.lower(), uri) != uri:
            raise Unsure(f"prefix {prefix[:40]!r} bound to two namespaces")
        standard = PREFIXES.get(lower)
        if standard is not None:
            prefixes[uri] = standard.lower()
            if prefix:
                renamed[prefix] = standard
        elif prefixes.setdefault(uri, prefix.lower()) != prefix.lower():
            raise Unsure(f"namespace {uri[:80]!r} under two prefixes")
    return prefixes, renamed


_XMLNS = re.compile(rb"""\sxmlns(?::([^\s=/>]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XMLNS_WORD = re.compile(_XMLNS.pattern[2:])  # the same without the space before: found fast
_SPACE = frozenset(b" \t\n\r\f\v")  # what \s matches in a bytes pattern


def declarations(body: bytes) -> list[tuple[bytes, ...]]:
    """`_XMLNS.findall(body)`, found by the word `xmlns` (a pattern that starts with a literal
    is searched for many times faster): when every match of the word follows a space, the
    matches are the same; otherwise the pattern itself decides."""
    found = []
    for match in _XMLNS_WORD.finditer(body):
        start = match.start()
        if not start or body[start - 1] not in _SPACE:
            return _XMLNS.findall(body)
        found.append(match.groups(b""))
    return found


_BASE = re.compile(rb"""base\s*=""")  # in the lower-cased document, after a space or ":"


def names_a_base(body: bytes) -> bool:
    """Whether an attribute may name a base: `[\\s:]base\\s*=` in any case, found as the
    lower-case word (a pattern that starts with a literal is searched for many times faster)."""
    lower = body.lower()
    return any(m.start() and lower[m.start() - 1] in _SPACE_OR_COLON for m in _BASE.finditer(lower))


_SPACE_OR_COLON = frozenset(b" \t\n\r\f\v:")


def attributes(element: Any) -> dict[str, str]:
    """An element's attributes as feedparser's handlers see them: names lower-cased, prefixed
    by their namespace's standard prefix (and unprefixed when the namespace is unknown),
    values of `rel` and `type` lower-cased."""
    found: dict[str, str] = {}
    for key, value in element.attrib.items():
        if key[0] == "{":
            uri, local = key[1:].split("}", 1)
            prefix = PREFIXES.get(uri.lower(), "")
            key = f"{prefix}:{local}" if prefix else local
        key = key.lower()
        found[key] = value.lower() if key in ("rel", "type") else value
    return found


def content_type(attrs: dict[str, str], default: str) -> str:
    return _FeedParserMixin.map_content_type(attrs.get("type", default))


def looks_like_html(text: str) -> bool:
    return bool(_FeedParserMixin.looks_like_html(text))


def resolve(base: str, uri: str) -> str:
    """A relative link made absolute as feedparser makes it (its `_urljoin`, which first
    drops extra slashes after the scheme, without the work where nothing changes)."""
    if not base:  # urljoin("", uri) is uri
        fixed = _urifixer.match(uri)
        return _urifixer.sub(r"\1\3", uri) if fixed and fixed.group(2) else uri
    return str(_urljoin(base, uri))


def enforce_href(attrs: dict[str, str]) -> dict[str, str]:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


def repaired(text: str) -> str:
    """feedparser's last touch on every field: UTF-8 that was read as Latin-1 read again as
    UTF-8, and the Windows-1252 characters at U+0080-U+009F mapped to what they stand for."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252)


def markup(text: str, kind: str, base: str) -> str:
    """HTML as feedparser keeps it: links resolved and the markup sanitised, except when it is
    plain (see `plain_markup`), where that changes nothing our cleaning keeps."""
    if plain_markup(text):
        return text
    text = resolve_relative_uris(text, base, "utf-8", kind)
    return str(_sanitize_html(text, "utf-8", kind))


SIMPLE_TAGS = frozenset(
    """a abbr acronym address b big blockquote br caption center cite code col colgroup dd del
    dfn div dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li ol p pre q s
    samp small span strike strong sub sup table tbody td tfoot th thead time tr tt u ul
    var""".split()  # noqa: SIM905
) & frozenset(_HTMLSanitizer.acceptable_elements)
VOID = frozenset({"br", "hr", "img", "col"})
_ATTRIBUTE = r"""\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))?"""
_TAG = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9]{{0,15}})((?:{_ATTRIBUTE})*)\s*(/?)>")
_ORDINARY = ((13, 13), *ORDINARY)  # a carriage return (&#13;) too


def plain_markup(text: str) -> bool:
    """Text whose every `<` opens or closes a simple formatting tag with quoted attributes,
    and whose every `&` starts an ordinary character reference."""
    if "<" not in text and "&" not in text:
        return True
    rest: list[str] = []
    at = 0
    for match in _TAG.finditer(text):
        closing, name, _, selfclosing = match.groups()
        name = name.lower()
        if name not in SIMPLE_TAGS or (closing and (name in VOID or selfclosing)):
            return False
        if selfclosing and name not in VOID:
            return False
        rest.append(text[at : match.start()])
        at = match.end()
    rest.append(text[at:])
    between = "".join(rest)
    if "<" in between:
        return False
    return "&" not in between or ordinary_references(between, _ORDINARY)


def struct_date(value: Any) -> datetime | None:
    """A date feedparser parsed (a time.struct_time in UTC), if in range."""
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = value[:6]
        result = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    return result if in_range(result) else None


def entry_time(
    published: str | None, updated: str | None, last: dict[str, str]
) -> tuple[datetime | None, bool]:
    """An entry's time as feeds.py reads feedparser's fields: the published (else updated)
    text, else the date feedparser itself parsed from the last of each."""
    stamp = published or (updated if updated is not None else published)
    when, day_only = parse_timestamp(stamp)
    if when is None and last:
        from feedparser.datetimes import _parse_date

        parsed = _parse_date(last["published"]) if "published" in last else None
        if not parsed and "updated" in last:
            parsed = _parse_date(last["updated"])
        when = struct_date(parsed)
    return when, day_only
