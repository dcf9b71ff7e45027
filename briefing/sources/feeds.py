"""The `feed` source: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed through json.

feedparser gets a byte stream, never a string, because a string that looks like a path or URL
would be opened or fetched. Every field is reduced to plain text and every link checked.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Literal

from ..models import Item
from ..text.clean import html_to_text, plain, title_text
from ..text.dates import in_range, parse_timestamp
from ..text.identity import item_id, safe_url
from ..text.sentences import first_words
from .registry import SOURCE_TYPES, Document, ParseContext, Parsed, SourceConfig


@SOURCE_TYPES.register
class FeedSource(SourceConfig):
    type: Literal["feed"]
    """`feed`: RSS 0.9x/1.0/2.0, Atom or JSON Feed."""

    expand: bool = False
    """Fetch the full article for entries whose feed text is only a teaser."""

    def needs_network(self) -> bool:
        return self.fetches_url() or self.expand

    def parse(self, doc: Document, ctx: ParseContext) -> Parsed:
        return parse_feed(doc, self, ctx)


def parse_feed(doc: Document, source: FeedSource, ctx: ParseContext) -> Parsed:
    captured = ctx.captured
    head = doc.data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        parsed = _json_feed(doc, source, captured)
    else:
        parsed = _xml_feed(doc, source, captured)
    if source.expand and ctx.fetch is not None:
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


def _xml_feed(doc: Document, source: FeedSource, captured: datetime) -> Parsed:
    import feedparser

    limit = source.max_items
    data, count = first_entries(doc.data, limit)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        why = f" ({str(reason).splitlines()[0][:120]})" if reason else ""
        return Parsed([], [f"{doc.origin} is not an RSS, Atom or JSON feed{why}"])
    outlet = source.outlet or title_text(parsed.feed.get("title")) or source.name
    items: list[Item] = []
    for entry in parsed.entries[:limit]:
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary")
        stamp = entry.get("published") or entry.get("updated")
        parsed_stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published, day_only = parse_timestamp(stamp)
        if published is None:
            published = _struct_date(parsed_stamp)
        item = entry_item(
            source.name,
            outlet,
            entry.get("link"),
            entry.get("title"),
            body,
            published,
            captured,
            entry.get("language") or parsed.feed.get("language"),
            day_only,
        )
        if item:
            items.append(item)
    return Parsed(items, _cap_warning(doc, max(count, len(parsed.entries)), limit))


def _json_feed(doc: Document, source: FeedSource, captured: datetime) -> Parsed:
    try:
        data = json.loads(doc.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Parsed([], [f"{doc.origin} is not valid JSON ({str(exc)[:120]})"])
    if not (
        isinstance(data, dict)
        and str(data.get("version", "")).startswith("https://jsonfeed.org/version/")
        and isinstance(data.get("items"), list)
    ):
        return Parsed([], [f"{doc.origin} is JSON but not a JSON Feed"])
    outlet = source.outlet or title_text(_str(data.get("title"))) or source.name
    items: list[Item] = []
    limit = source.max_items
    for entry in data["items"][:limit]:
        if not isinstance(entry, dict):
            continue
        body = (
            _str(entry.get("content_html"))
            or _str(entry.get("content_text"))
            or _str(entry.get("summary"))
        )
        stamp = _str(entry.get("date_published")) or _str(entry.get("date_modified"))
        published, day_only = parse_timestamp(stamp)
        item = entry_item(
            source.name,
            outlet,
            _str(entry.get("url")),
            _str(entry.get("title")),
            body,
            published,
            captured,
            _str(entry.get("language")) or _str(data.get("language")),
            day_only,
        )
        if item:
            items.append(item)
    return Parsed(items, _cap_warning(doc, len(data["items"]), limit))


def entry_item(
    source: str,
    outlet: str,
    link: Any,
    title: Any,
    body: Any,
    published: datetime | None,
    captured: datetime,
    lang: Any = None,
    date_only: bool = False,
) -> Item | None:
    """One entry as an item: markup reduced to plain text, the link kept only if http(s), a
    title made from the first words when the entry has none; None when it holds nothing.

    `briefing eval` makes its labelled items here too, so it measures what collection stores."""
    text = html_to_text(_str(body))
    headline = title_text(_str(title))
    if not headline and not text:
        return None
    url = safe_url(_str(link))
    headline = headline or first_words(text)
    return Item(
        id=item_id(url, outlet, headline, published),
        source=source,
        outlet=outlet,
        url=url,
        title=headline,
        body=text,
        published=published,
        captured=captured,
        lang=plain(_str(lang), 20) or None,
        date_only=date_only and published is not None,
    )


def _struct_date(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = value[:6]
        result = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    return result if in_range(result) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _cap_warning(doc: Document, count: int, limit: int) -> list[str]:
    if count > limit:
        return [f"{doc.origin} has {count} entries; only the first {limit} were read (max_items)"]
    return []
