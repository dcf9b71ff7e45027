"""A fast reader for well-formed RSS 2.0 and Atom 1.0: the entries feedparser gives, from lxml.

feedparser reads any feed however broken, but slowly: a Python handler for every element, a
dictionary for every value, a sanitiser pass over every piece of markup. Most feeds are
well-formed RSS 2.0 or Atom, and for those this module gives the same `Entry` list many times
faster. It parses with lxml (no DTD, no entity expansion, no network, no huge-tree mode) and
then follows feedparser through each entry's elements in document order: which of several
titles or summaries counts (feedparser keeps a value unless a later one is at most as deep,
and a second summary becomes the content), when a guid is the link, how relative links resolve
against `xml:base`, the document's address and the channel link, and its repair of doubly
encoded UTF-8. feedrules.py holds those rules, mostly as feedparser's own code.

Whatever it does not recognise with certainty raises `Unsure`, and the caller gives the whole
document to feedparser: RSS 0.9x and 1.0, Atom 0.3, a DOCTYPE, an encoding other than UTF-8,
XML that lxml or expat refuses, namespaces bound in ways feedparser reads oddly, markup written
as elements (`type="xhtml"`), and elements whose handling in feedparser this reader does not
follow (an image holding elements inside an entry, a field nested in the feed's own elements).
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from .entries import Entry
from .feedrules import (
    ATOM,
    CONTENT,
    DESCRIPTION,
    END_ONLY,
    ENTRY,
    GUID,
    HTML_TYPES,
    LANGUAGE,
    MARKUP_FIELDS,
    PUBLISHED,
    SUMMARY,
    TEXT_HOLDERS,
    TITLE,
    UPDATED,
    Unsure,
    attributes,
    content_type,
    enforce_href,
    entry_time,
    every_base,
    harmless,
    join_base,
    looks_like_html,
    markup,
    names_a_base,
    namespaces,
    repaired,
    resolve,
    utf8,
)

__all__ = ["FastFeed", "Unsure", "read"]

XHTML = "application/xhtml+xml"
TEXT_TYPES = frozenset({"text/plain", "text/html", XHTML})
_QUERY_AMP = re.compile(r"&([A-Za-z0-9_]+);")
IMAGE_PARTS = frozenset({"title", "link", "description", "url", "href", "width", "height"})
TEXTINPUT_PARTS = frozenset({"title", "link", "description", "name"})
SOURCE_PARTS = TITLE | GUID | PUBLISHED | UPDATED | LANGUAGE | {"link"}
FIELD_ATTRIBUTES = frozenset({"rdf:about", "lastmod", "href"})  # read as fields on entries


@dataclass
class FastFeed:
    """What feedparser's reading gives: the feed's title, link and language, and its entries
    (fields as the feed states them, possibly markup)."""

    title: str | None
    link: str | None
    language: str | None
    entries: list[Entry]


@dataclass
class _Fields:
    """One entry's (or the feed's) values under feedparser's keys, with the depth each was
    stored at, and the state feedparser keeps while it reads them."""

    values: dict[str, str] = field(default_factory=dict)
    depths: dict[str, int] = field(default_factory=dict)
    content: list[str] = field(default_factory=list)
    last: dict[str, str] = field(default_factory=dict)  # the last published / updated text
    title_depth: int = -1  # the depth of the title that holds off later, deeper ones
    source_title: str | None = None  # the outlet an entry's <source> names
    has_content: bool = False
    entries: list[_Fields] = field(default_factory=list)

    def store(self, key: str, value: str, depth: int, entry: bool) -> None:
        """Keep `value` unless an entry already holds one from a shallower element."""
        old = self.depths.get(key)
        if not entry or old is None or depth <= old:
            self.values[key] = value
            self.depths[key] = depth


def read(data: bytes, url: str | None = None) -> FastFeed:
    """The document's feed as feedparser reads it (given bytes and, for a fetched document,
    its address); raise Unsure for a document this reader does not recognise."""
    body = utf8(data, url)
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise Unsure(f"not well-formed: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise Unsure("a DOCTYPE")
    strict = xml.parsers.expat.ParserCreate(None, " ")  # feedparser's strict parser must agree
    try:
        strict.Parse(body, True)
    except xml.parsers.expat.ExpatError as exc:
        raise Unsure(f"expat refuses it: {exc}") from None
    return _Reader(body, url, root).feed()


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


class _Reader:
    def __init__(self, body: bytes, url: str | None, root: Any) -> None:
        self.root = root
        self.atom = root.tag == f"{{{ATOM}}}feed"
        if not self.atom and not (root.tag == "rss" and root.get("version", "").startswith("2.")):
            raise Unsure(f"root element {str(root.tag)[:80]!r}")
        self.names: dict[str, str] = {}
        self.prefixes, self.remap = namespaces(body)
        attrs = attributes(root)
        lang = attrs.get("xml:lang", attrs.get("lang"))
        self.language = lang.replace("_", "-") if lang else None
        self.bases = [join_base(url or "", attrs.get("xml:base", attrs.get("base")))]
        self.exact: dict[Any, str] | None = None  # each element's base, when they differ
        if names_a_base(body):
            self.exact = every_base(root, url or "")

    def feed(self) -> FastFeed:
        if self.atom:
            fields = self.level(self.root, 2)
        else:
            children = list(self.root)
            if len(children) != 1 or self.name(children[0]) != "channel":
                raise Unsure("an RSS document that is not one channel")
            channel = children[0]
            if channel.attrib and {"lastmod", "href"} & attributes(channel).keys():
                raise Unsure("channel attributes feedparser reads as fields")
            fields = self.level(channel, 3)
        language = fields.values.get("language", self.language)
        entries = [_entry(e, language) for e in fields.entries]
        return FastFeed(fields.values.get("title"), fields.values.get("link"), language, entries)

    def name(self, element: Any) -> str:
        """The name feedparser's handlers know the element by (`dc_creator`, `title`)."""
        tag = element.tag
        name = self.names.get(tag)
        if name is None:
            if not isinstance(tag, str):
                raise Unsure("an entity reference")
            name = self.names[tag] = self._name(tag)
        return name

    def _name(self, tag: str) -> str:
        if tag[0] != "{":
            return tag.lower()
        uri, local = tag[1:].split("}", 1)
        prefix = self.prefixes.get(uri)
        if prefix is None:
            raise Unsure(f"namespace {uri[:80]!r}")
        prefix = self.remap.get(prefix, prefix)
        return f"{prefix}_{local.lower()}" if prefix else local.lower()

    def base(self, element: Any, depth: int) -> str:
        """The base feedparser resolves an element's links against: each element's base
        joined with its parent's; without `xml:base` below the root, one per depth."""
        if self.exact is not None:
            return self.exact[element]
        while len(self.bases) < depth:
            self.bases.append(join_base(self.bases[-1], None))
        return self.bases[depth - 1]

    def level(self, parent: Any, depth: int) -> _Fields:
        """The feed's own fields (children of the channel or the Atom feed) and its entries."""
        fields = _Fields()
        for child in parent:
            name = self.name(child)
            if name in ENTRY:
                fields.entries.append(self.entry(child, depth))
                fields.title_depth = -1
            elif name in ("image", "textinput"):
                parts = IMAGE_PARTS if name == "image" else TEXTINPUT_PARTS
                if any(self.name(p) not in parts or len(p) for p in child):
                    raise Unsure(f"an {name} feedparser may read as the feed's")
                fields.title_depth = -1
            elif not self.field(fields, child, name, depth, entry=False):
                if not (name in DESCRIPTION or name in SUMMARY or self.harmless(child, name)):
                    raise Unsure(f"{name} in the feed")
                self.check(child)
        return fields

    def entry(self, element: Any, depth: int) -> _Fields:
        """One entry's fields, following feedparser through its elements in order."""
        if element.attrib and FIELD_ATTRIBUTES & attributes(element).keys():
            raise Unsure("entry attributes feedparser reads as fields")
        fields = _Fields()
        self.walk(fields, element, depth + 1)
        return fields

    def walk(self, fields: _Fields, parent: Any, depth: int) -> None:
        for child in parent:
            name = self.name(child)
            if self.field(fields, child, name, depth, entry=True):
                continue
            if name in DESCRIPTION or name in SUMMARY:
                self.summary(fields, child, name, depth)
            elif name in CONTENT:
                kind = self.kind(child, "text/plain" if name == "content" else "text/html")
                fields.has_content = True
                self.content(fields, self.value(child, "content", depth, kind))
            elif name == "source":
                self.source(fields, child, depth)
            elif name == "image":  # a bare image resets the title depth, nothing else
                if len(child):
                    raise Unsure("an image holding elements in an entry")
                fields.title_depth = -1
            elif name in TEXT_HOLDERS and len(child):
                raise Unsure(f"elements inside {name}")  # feedparser keeps them as its text
            elif self.harmless(child, name):
                self.walk(fields, child, depth + 1)
            else:
                raise Unsure(f"{name} in an entry")

    def field(self, fields: _Fields, child: Any, name: str, depth: int, entry: bool) -> bool:
        """Read a child that is a field both the feed and its entries have; False if it is
        not one."""
        if name in TITLE:
            value = self.value(child, "title", depth, self.kind(child, "text/plain"))
            if not -1 < fields.title_depth <= depth:
                fields.store("title", value, depth, entry)
            if value and name != "media_title":  # (media:title leaves the depth as it was)
                fields.title_depth = depth
        elif name == "link":
            attrs = attributes(child) if child.attrib else {}
            rel = attrs.setdefault("rel", "alternate")
            attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
            attrs = enforce_href(attrs)
            if "href" in attrs:
                if entry:
                    self.walk(fields, child, depth + 1)
                else:
                    self.check(child)
                if rel == "alternate" and content_type(attrs, "") in HTML_TYPES:
                    fields.values["link"] = resolve(self.base(child, depth), attrs["href"])
            else:
                link = self.value(child, "link", depth, uri=True)
                if "&" in link:  # feedparser's repair of `?a=1&b=2` read as a reference
                    link = link.replace("&amp;", "&") if entry else link
                    link = _QUERY_AMP.sub(r"&\g<1>", link)
                fields.values["link"] = link
        elif name in GUID:
            is_link = (attributes(child) if child.attrib else {}).get("ispermalink", "true")
            value = self.value(child, "id", depth, uri=is_link == "true")
            fields.store("id", value, depth, entry)
            if is_link == "true":
                fields.values.setdefault("link", value)
        elif name in PUBLISHED or name in UPDATED:
            key = "published" if name in PUBLISHED else "updated"
            fields.last[key] = value = self.value(child, key, depth)
            fields.store(key, value, depth, entry)
        elif name in LANGUAGE:
            fields.store("language", self.value(child, "language", depth), depth, entry)
        else:
            return False
        return True

    def summary(self, fields: _Fields, child: Any, name: str, depth: int) -> None:
        if "summary" in fields.values and not fields.has_content and name != "abstract":
            fields.has_content = True  # feedparser takes a second summary as the content
            self.content(fields, self.value(child, "content", depth, self.kind(child, "")))
            return
        default = "text/html" if name in DESCRIPTION and name != "abstract" else "text/plain"
        key = "description" if name in DESCRIPTION else "summary"
        fields.store(
            "summary", self.value(child, key, depth, self.kind(child, default)), depth, True
        )

    def content(self, fields: _Fields, value: str) -> None:
        fields.content.append(value)
        fields.values.setdefault("summary", value)

    def source(self, fields: _Fields, element: Any, depth: int, top: bool = True) -> None:
        """An entry's source: its fields are the source's own, but a title in it moves the
        depth that holds off the entry's later titles. Its name is its own text, else its
        first title (RSS, Atom), as feedparser reads them."""
        fields.title_depth = -1
        if top:
            own = ((element.text or "") + "".join(p.tail or "" for p in element)).strip()
            fields.source_title = own or None
        for part in element:
            name = self.name(part)
            if name in TITLE:
                if name != "title" or not top:
                    raise Unsure(f"{name} in an entry's source")
                title = self.value(part, "title", depth + 1, self.kind(part, "text/plain"))
                fields.source_title = fields.source_title or title or None
                if title:
                    fields.title_depth = depth + 1
            elif name in TEXT_HOLDERS and len(part):
                raise Unsure(f"elements inside {name}")
            elif not (self.harmless(part, name) or name in SOURCE_PARTS):
                raise Unsure(f"{name} in an entry's source")
            elif len(part):
                self.source(fields, part, depth + 1, top=False)

    def kind(self, element: Any, default: str) -> str:
        """The content type feedparser gives a text element, if this reader reads it."""
        if not element.attrib:
            return default or "text/plain"
        attrs = attributes(element)
        if "mode" in attrs:
            raise Unsure("a mode attribute")
        kind = content_type(attrs, default or "text/plain")
        if kind not in TEXT_TYPES:
            raise Unsure(f"content type {kind[:40]!r}")
        return kind

    def value(
        self, element: Any, key: str, depth: int, kind: str | None = None, uri: bool = False
    ) -> str:
        """An element's text as feedparser stores it under `key`."""
        if len(element):
            raise Unsure(f"markup written as elements in {key}")
        text = element.text or ""
        if kind == XHTML:
            text = escape(text)
        value = text.strip()
        if uri and value:
            value = resolve(self.base(element, depth), value)
        if kind is not None and ("<" in value or "&" in value):
            if kind == "text/plain" and not self.atom and looks_like_html(value):
                kind = "text/html"
            if kind != "text/plain" and key in MARKUP_FIELDS:
                value = markup(value, kind, self.base(element, depth))
        return repaired(value)

    def check(self, element: Any) -> None:
        """Elements inside a child feedparser leaves alone must leave the fields alone too."""
        if len(element):
            for part in element.iterdescendants():
                if not self.harmless(part, self.name(part)):
                    raise Unsure(f"{self.name(part)} inside {self.name(element)}")

    @staticmethod
    def harmless(element: Any, name: str) -> bool:
        return harmless(name) and not (name in END_ONLY and element.attrib)


def _entry(fields: _Fields, language: str | None) -> Entry:
    values = fields.values
    when, day_only = entry_time(values.get("published"), values.get("updated"), fields.last)
    return Entry(
        link=values.get("link"),
        title=values.get("title"),
        body=fields.content[0] if fields.content else values.get("summary"),
        published=when,
        date_only=day_only,
        guid=values.get("id"),
        lang=values.get("language") or language,
        outlet=fields.source_title,
    )
