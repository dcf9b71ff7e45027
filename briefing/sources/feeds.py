"""The `feed` source: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed through json.

feedparser gets a byte stream, never a string, because a string that looks like a path or URL
would be opened or fetched. Every field is reduced to plain text and every link checked.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..models import Item
from ..text.clean import title_text
from ..text.plural import plural
from ..text.stamps import parse_timestamp
from .entries import Entry, entry_items
from .feedrules import struct_date
from .registry import OVER_MAX_ITEMS, Document, ParseContext, Parsed, SourceConfig


def parse_feed(
    doc: Document, source: SourceConfig, ctx: ParseContext, expand: bool = False
) -> Parsed:
    captured = ctx.captured
    head = doc.data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        parsed = _json_feed(doc, source, captured)
    else:
        parsed = _xml_feed(doc, source, captured)
    if expand and ctx.fetch is not None:
        parsed = _expand(parsed, ctx)
    return parsed


MAX_EXPAND = 30  # full-article fetches per source per run
TEASER_WORDS = 80
_TEASER_END = re.compile(r"(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading)\W*$", re.I)


def is_teaser(body: str) -> bool:
    """Feed text that stops short: few words, or an ellipsis / "Read more" at the end."""
    return len(body.split()) < TEASER_WORDS or bool(_TEASER_END.search(body))


def _expand(parsed: Parsed, ctx: ParseContext) -> Parsed:
    """Replace teasers with the linked article's text (new items only, a bounded number)."""
    from .pages import article_from_html  # trafilatura and lxml load only when needed

    items: list[Item] = []
    budget = MAX_EXPAND
    for item in parsed.items:
        wanted = item.url and is_teaser(item.body) and not (ctx.known and ctx.known(item.id))
        if not wanted or budget <= 0:
            items.append(item)
            continue
        budget -= 1
        try:
            assert item.url is not None and ctx.fetch is not None  # checked above
            article = article_from_html(ctx.fetch(item.url), item.url, ctx.zone)
        except Exception as exc:  # one article failing must not lose the feed's items
            parsed.warnings.append(f"{item.url}: full text not fetched ({exc})")
            article = None
        if article is not None and len(article.text) > len(item.body):
            if item.published is None and article.published is not None:
                item = replace(item, published=article.published, date_only=article.date_only)
            item = replace(item, body=article.text)
        items.append(item)
    return Parsed(items, parsed.warnings)


_ENTRY = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_OPAQUE = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.S)


def first_entries(data: bytes, limit: int) -> tuple[bytes, int]:
    """The document cut before its entry number `limit + 1` (closed again, so the fast strict
    parser still reads it), and how many entries it had: feedparser reads about a thousand
    entries a second, so a 100,000-entry feed must be cut before it is parsed, not after."""
    opaque = [(m.start(), m.end()) for m in _OPAQUE.finditer(data)]
    starts, index = [], 0
    for match in _ENTRY.finditer(data):  # entries, but not those inside comments or CDATA
        at = match.start()
        while index < len(opaque) and opaque[index][1] <= at:
            index += 1
        if index == len(opaque) or at < opaque[index][0]:
            starts.append(at)
    if len(starts) <= limit:
        return data, len(starts)
    head = data[: starts[limit]]
    body = re.sub(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", b"", head[:4096], flags=re.S | re.I)
    root = _ROOT.search(body)
    name = root.group(1) if root else b"rss"
    closing = b"</channel></rss>" if name.lower() == b"rss" else b"</" + name + b">"
    return head + closing, len(starts)


def _xml_feed(doc: Document, source: SourceConfig, captured: datetime) -> Parsed:
    limit = source.max_items
    data, count = first_entries(doc.data, limit)
    read = _fast_feed(data, doc.url) or _feedparser_feed(data, doc.url)
    if isinstance(read, str):
        return Parsed([], [f"{doc.origin} is not an RSS, Atom or JSON feed{read}"])
    title, link, entries, why = read
    outlet = source.outlet or title_text(title) or source.name
    items, refused = entry_items(entries[:limit], source.name, outlet, captured, [doc.url, link])
    warnings = _cap(doc, max(count, len(entries)), limit, refused)
    if data is doc.data and not _whole(doc.data):  # a cut of our own closes the document again
        warnings.append(f"{doc.origin} breaks off after {plural(len(entries), 'entry')}{why}")
    return Parsed(items, warnings, refused)


Read = tuple[str | None, str | None, list[Entry], str]  # title, link, entries, why it broke off


def _fast_feed(data: bytes, url: str | None) -> Read | None:
    """Well-formed RSS 2.0 and Atom through lxml (fastfeed.py), the same entries feedparser
    gives; None when the reader is not certain of the document, or fails part-way: then
    feedparser reads the whole document, so no entry is lost or read twice."""
    from . import fastfeed

    try:
        feed = fastfeed.read(data, url)
    except Exception:  # Unsure, or a fault of the fast reader: feedparser reads it all
        return None
    # feedparser flags every fetched document: we never pass it the Content-Type
    why = " (no Content-type specified)" if url else ""
    return feed.title, feed.link, feed.entries, why


def _feedparser_feed(data: bytes, url: str | None) -> Read | str:
    """The document through feedparser; for a document that is no feed at all, why not."""
    import feedparser

    # given bytes, feedparser resolves relative links only against an address it is told
    headers = {"content-location": url} if url else None
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, response_headers=headers)
    reason = parsed.get("bozo_exception")
    why = f" ({str(reason).splitlines()[0][:120]})" if reason else ""
    if not parsed.get("version") and not parsed.entries:
        return why
    entries = []
    for entry in parsed.entries:
        content = entry.get("content") or []
        stamp = entry.get("published") or entry.get("updated")
        published, day_only = parse_timestamp(stamp)
        if published is None:
            published = struct_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        entries.append(
            Entry(
                link=entry.get("link"),
                title=entry.get("title"),
                body=content[0].get("value") if content else entry.get("summary"),
                published=published,
                date_only=day_only,
                guid=_str(entry.get("id")),
                lang=entry.get("language") or parsed.feed.get("language"),
                outlet=(entry.get("source") or {}).get("title"),
            )
        )
    return parsed.feed.get("title"), _str(parsed.feed.get("link")), entries, why


def _whole(data: bytes) -> bool:
    """Whether an XML document ends with the end tag of the element it starts with: a
    truncated feed still parses (feedparser's loose parser reads what is there), so this is how
    a download or a file cut off mid-way is told from a whole one."""
    head = re.sub(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", b"", data[:8192], flags=re.S | re.I)
    root = _ROOT.search(head)
    if root is None:
        return False
    end_tag = rb"</" + re.escape(root.group(1)) + rb"\s*>"
    return re.search(end_tag, data[-4096:]) is not None


def _json_feed(doc: Document, source: SourceConfig, captured: datetime) -> Parsed:
    try:
        data = json.loads(doc.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Parsed([], [f"{doc.origin} is not valid JSON ({str(exc)[:120]})"])
    version = str(data.get("version", "")) if isinstance(data, dict) else ""
    if not (
        re.match(r"https?://jsonfeed\.org/version/", version)  # some feeds write http://
        and isinstance(data.get("items"), list)
    ):
        return Parsed([], [f"{doc.origin} is JSON but not a JSON Feed"])
    outlet = source.outlet or title_text(_str(data.get("title"))) or source.name
    limit = source.max_items
    entries: list[Entry] = []
    refused: list[str] = []
    for entry in data["items"][:limit]:
        if not isinstance(entry, dict):
            refused.append("not an entry (a JSON Feed item is an object)")
            continue
        stamp = _str(entry.get("date_published")) or _str(entry.get("date_modified"))
        published, day_only = parse_timestamp(stamp)
        body = entry.get("content_html") or entry.get("content_text") or entry.get("summary")
        guid = entry.get("id")
        entries.append(
            Entry(
                link=_str(entry.get("url")),
                title=_str(entry.get("title")),
                body=_str(body),
                published=published,
                date_only=day_only,
                guid=str(guid) if isinstance(guid, str | int) else None,
                lang=_str(entry.get("language")) or _str(data.get("language")),
            )
        )
    bases = [doc.url, _str(data.get("feed_url")), _str(data.get("home_page_url"))]
    items, empty = entry_items(entries, source.name, outlet, captured, bases)
    refused += empty
    return Parsed(items, _cap(doc, len(data["items"]), limit, refused), refused)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _cap(doc: Document, count: int, limit: int, refused: list[str]) -> list[str]:
    """A warning when the document held more entries than `max_items`, each of the others
    counted as refused."""
    if count <= limit:
        return []
    refused += [OVER_MAX_ITEMS] * (count - limit)
    return [f"{doc.origin} has {count} entries; only the first {limit} were read (max_items)"]
