"""Reading HTML pages safely: decoding, parsing, JSON-LD, metadata and page addresses.

Shared by the `page` source's article and live-blog readers. Nothing here fetches anything;
every value leaves as plain text through `clean`.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from ..text.clean import MAX_BODY, html_to_text, title_text, truncate
from ..text.identity import safe_url
from .charset import decode

ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "Report"}
MAX_JSONLD = 50  # JSON-LD scripts read per page
_TAGLIKE = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
# PHP's own error lines (html_errors on): "<b>Warning</b>:  ... in <b>/x.php</b> on line <b>42</b>"
_PHP_DIAGNOSTIC = re.compile(
    r"(?:<br\s*/?>\s*)?<b>(?:Warning|Notice|Deprecated|Strict Standards|(?:Parse|Fatal|Catchable "
    r"fatal) error)</b>:[^<>]{0,1000}<b>[^<>]{1,500}</b> on line <b>\d+</b>(?:\s*<br\s*/?>)?",
    re.I,
)
# a link to a home page: "/", "https://example.org", also inside an archive's address
_HOME = re.compile(r"\s*(?:\S*https?://[^/\s]+)?/?(?:index\.\w{2,5})?\s*")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
)
# HTML elements besides the <html><body><p> a parser wraps around bare text
_HTML_TAGS = frozenset(
    re.findall(
        r"\w+",
        "title meta link style script noscript template base div span a b i u em strong small br "
        "hr img picture figure figcaption h1 h2 h3 h4 h5 h6 header footer nav main article section "
        "aside ul ol li dl dt dd table thead tbody tr td th form input button select textarea "
        "label iframe video audio source svg blockquote pre code time font center",
    )
)
_BINARY = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip")


def load_tree(data: bytes, content_type: str) -> lxml.html.HtmlElement | str:
    """The parsed page, or why it is not an HTML page (a phrase completing "<origin> ...").

    As a browser does, anything an HTML parser finds HTML elements in is a page, wherever they
    start (after PHP warnings, a 12 KB <style>, a stray line of text); refused are only binary
    data, JSON, feeds and text with no HTML element at all, each with its reason.
    """
    kind = content_type.split(";")[0].strip().lower()
    if kind.startswith(_BINARY):
        return f"is not an HTML page (content type {kind})"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n\f")[:16]
    for magic, what in _MAGIC:
        if start.startswith(magic):
            return f"is not an HTML page (it looks like {what})"
    text = decode(data, content_type)
    head = text[:4096].lstrip().lower()
    if not head:
        return "is empty"
    if "\x00" in head or len(_CONTROL.findall(head)) * 10 > len(head):
        return "is not an HTML page (binary data)"
    if head.startswith(("{", "[")) and _is_json(text):
        return "is not an HTML page (it looks like JSON)"
    if re.match(r"(?:<\?xml[^>]*>|<!--.*?-->|\s)*<(?:rss|feed|rdf:rdf)\b", head, re.S):
        return "is a feed, not an HTML page (use type: feed)"
    text = _PHP_DIAGNOSTIC.sub("", text)  # a broken server's messages are no part of the page
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        return f"is not an HTML page ({str(exc)[:120]})"
    if not _has_html(root, text):
        return "is not an HTML page (no HTML markup found)"
    return root


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _has_html(root: lxml.html.HtmlElement, text: str) -> bool:
    """Whether the parser found HTML elements that the text really holds (it wraps bare text in
    an <html><body><p> of its own)."""
    tags = {el.tag for el in itertools.islice(root.iter(), 5_000) if isinstance(el.tag, str)}
    if tags & _HTML_TAGS:
        return True
    wrappers = tags & {"html", "head", "body", "p"}
    return any(re.search(rf"<{tag}\b", text, re.I) for tag in wrappers)


def jsonld_nodes(root: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, flattened out of lists, `@graph` and nesting."""
    found: list[dict[str, Any]] = []

    def walk(value: Any, depth: int) -> None:
        if depth > 8 or len(found) > 5_000:
            return
        if isinstance(value, dict):
            found.append(value)
            value = [v for k, v in value.items() if k != "liveBlogUpdate"]
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict | list):
                    walk(entry, depth + 1)

    scripts = root.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
    for script in scripts[:MAX_JSONLD]:
        raw = re.sub(
            r"^\s*(<!--|/\*\s*<!\[CDATA\[\s*\*/)|(-->|/\*\s*\]\]>\s*\*/)\s*$", "", script.text or ""
        )
        try:
            walk(json.loads(raw, strict=False), 0)
        except (ValueError, RecursionError):
            continue  # a broken block is skipped, as browsers and search engines do
    return found


def is_type(node: dict[str, Any], names: set[str]) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and re.split(r"[/:]", t)[-1] in names for t in types)


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def plain_text(markup: str | None, limit: int = MAX_BODY) -> str:
    """Plain text; a second pass strips tags that the page entity-encoded (`&lt;b&gt;`)."""
    text = html_to_text(markup, limit)
    return html_to_text(text, limit) if _TAGLIKE.search(text) else text


def extracted_text(text: str | None, limit: int = MAX_BODY) -> str:
    """Plain text of an extractor's plain-text output, cleaned line by line: a stray "<" in the
    text ("<Alle Shops") can cost only its own line, never the lines after it."""
    lines = (plain_text(line, limit) for line in (text or "").splitlines())
    return truncate("\n\n".join(line for line in lines if line), limit)


def title_of(markup: str | None) -> str:
    text = title_text(markup)
    return title_text(text) if _TAGLIKE.search(text) else text


def markup_of(el: Any) -> str:
    return lxml.html.tostring(el, encoding="unicode", with_tail=False) if el is not None else ""


def class_names(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def meta_content(root: lxml.html.HtmlElement, *keys: str) -> str | None:
    """The first non-empty `<meta property|name|itemprop=KEY content>`."""
    for key in keys:
        for el in root.iter("meta"):
            value = (el.get("content") or "").strip()
            if value and key in (el.get("property"), el.get("name"), el.get("itemprop")):
                return value
    return None


def site_name(root: lxml.html.HtmlElement, nodes: list[dict[str, Any]]) -> str | None:
    """og:site_name, else the JSON-LD publisher's name (following an `@id` reference)."""
    names = site_names(root, nodes, home_links=False)
    return names[0] if names else None


def site_names(
    root: lxml.html.HtmlElement, nodes: list[dict[str, Any]], home_links: bool = True
) -> list[str]:
    """Every name the page gives its site: og:site_name, the JSON-LD publishers' names,
    application-name, and the text, title or logo text of its links to the home page."""
    names = [title_of(meta_content(root, "og:site_name"))]
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and "name" in n}
    for node in nodes:
        pubs = node.get("publisher")
        for pub in pubs if isinstance(pubs, list) else [pubs]:
            if isinstance(pub, dict) and "name" not in pub:
                pub = by_id.get(as_str(pub.get("@id")) or "", pub)
            if isinstance(pub, dict):
                names.append(title_of(as_str(pub.get("name"))))
    if not home_links:
        return [n for n in names if n][:1]
    names.append(title_of(meta_content(root, "application-name")))
    for link in itertools.islice(root.iter("a"), 300):  # the logo or name linking home
        if "home" in (link.get("rel") or "").split() or _HOME.fullmatch(
            (link.get("href") or "").strip() or "#"
        ):
            alts = [img.get("alt") for img in link.iter("img")]
            names += [title_of(t)[:80] for t in (markup_of(link), link.get("title"), *alts) if t]
    return list(dict.fromkeys(n for n in names if n))


def site_of(url: str | None) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""


def page_url(root: Any, nodes: list[dict[str, Any]], base: str | None) -> str | None:
    """The canonical address when it is on the site the page came from (a page cannot claim
    another outlet's address); for a local file, whatever canonical address it states."""
    links = [el.get("href") for el in root.iter("link") if "canonical" in (el.get("rel") or "")]
    links.append(meta_content(root, "og:url"))
    links += [
        as_str(n.get("url")) for n in nodes if is_type(n, {*ARTICLE_TYPES, "LiveBlogPosting"})
    ]
    for raw in links:
        url = safe_url(urljoin(base or "", raw.strip())) if raw else None
        if url and (base is None or site_of(url) == site_of(base)):
            return url
    return base
