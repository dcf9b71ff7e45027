"""The `clipping` source: plain-text captures of news pages, as analysts paste them.

A capture has no markup, only the lines a reader saw, so it is read by layout rules that aim to
be predictable rather than clever. Dates resolve against `captured:` (else the file's mtime) in
`timezone:` (else the config's); see `text/dates.py`. A day without a time is 12:00, `date_only`.

**listing** (aggregator page): blank-line-separated blocks; one starting with an outlet line and
a date line (or a date line alone), then "- Category" lines, a headline line and body lines is an
entry; other blocks continue the previous entry (the header before the first is dropped). A body
loses a glued video playlist (the first "00:51 - Source: CNN" and all after), furniture from
"Leave a Reply" on, and a repetition of its headline; "Trump 's" becomes "Trump's". A live-blog
body (two or more stamps, or one with an author) becomes one item per post: a stamp ENDS its post
and is an author of 1-2 capitalised words glued to a date ("Tom Watling28 May 2025 12:30") or a
date and time alone. Text after the last stamp is a post whose stamp was cut off: a trailing
author name seen in the other stamps is stripped; it gets the entry's day, `date_only`.

A post's headline is separated from its first sentence by `headlines.split_headline`.

**live** (live page): a title line ("LIVE UPDATES: ..."), key-point bullets, perhaps a recap
after a line like "If you are joining us now, here are the latest developments", then posts: a
heading (at most 15 words, no final . , ; : or …, followed by a paragraph) and its paragraphs.
Items: "<title> — key points" (just "<title>" with no bullets: a plain article), "<title> —
latest developments" (page-specific, so two pages' recaps never share a title or id), one per
post. A date-only line sets the day of what follows; a time-only line stamps the next post;
otherwise the day is the capture day.

Furniture lines ("Leave a Reply", "Share", "Sign up ...", cookie notices) are dropped in both.
`layout: auto` picks listing for two entries (or one and no sign of a live page), else live; a
layout that finds nothing gives a warning, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from ..models import Item
from ..text.clean import MAX_BODY, plain, title_text
from ..text.dates import Reference, When, find_stamps, noon, parse_clock, parse_when, reference
from ..text.identity import item_id, safe_url
from ..text.sentences import first_sentence
from .headlines import split_headline
from .registry import Document, ParseContext, Parsed, SourceConfig

MAX_ITEMS = 2_000
MAX_LINE = 200_000  # characters of one line kept (a capture's line is a paragraph at most)
HEADING_WORDS = 15

_FURNITURE = re.compile(
    r"^(?:leave a (?:reply|comment)|cancel reply|share(?: this(?: \w+)?| on \w+)?|copy link|"
    r"sign (?:up|in)\b.*|subscribe\b.*|your email address will not be published.*|"
    r"required fields are marked.*|(?:we use|this (?:web)?site uses) cookies.*|"
    r"accept (?:all )?cookies.*|(?:manage )?cookies? (?:settings|policy|preferences).*|"
    r"advertisement|skip to (?:main )?content|back to top|read more|comments?|post comment|"
    r"view comments|follow us\b.*|related (?:topics|stories|articles)|more on this story)$",
    re.I,
)
_FURNITURE_TAIL = re.compile(
    r"\s*\b(?:Leave a (?:Reply|Comment)|Your email address will not be published|"
    r"Required fields are marked \*).*$",
    re.S,
)
_PLAYLIST = re.compile(r"\s*\b\d{1,2}:\d{2}\s*[-–—]\s*Source:\s*\S.*$", re.S)
_LOOSE_POSSESSIVE = re.compile(r"(?<=\w) (['’]s)\b")
_BULLET = re.compile(r"^\s*[•\-*–·▪●]\s+")
_LIVE_PREFIX = re.compile(
    r"^(?:live(?: updates?| blog)?|as it happened|latest updates?)\s*[:|\-–—]\s*", re.I
)
_RECAP = re.compile(
    r"^(?:if you(?:'|’| a)re (?:just )?joining us\b.*|here are the latest developments\b.*|"
    r"(?:the )?latest developments:?|catch up:?|(?:a )?recap\b.*|what we know so far\b.*)$",
    re.I,
)
_OPEN_QUOTES = "'‘\"“«"
_CLOSE_QUOTES = "'’\"”»"


@dataclass
class _Builder:
    """Makes items with the source's identity rules, and notes each entry it leaves out (a
    repeat within the capture keeps its id, and collection counts it as merged)."""

    source: SourceConfig
    ref: Reference
    run: datetime  # when this collection run started: every item's `captured`
    items: list[Item] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def add(self, title: str, body: str, when: When, outlet: str | None = None) -> None:
        body = plain(body, MAX_BODY, keep_paragraphs=True)
        headline = title_text(title) or title_text(first_sentence(body))
        if not headline:
            self.refused.append("no headline or text")
            return
        if len(self.items) >= MAX_ITEMS:
            self.refused.append(f"over the {MAX_ITEMS:,} items read from one capture")
            return
        outlet = outlet or self.source.outlet or self.source.name
        url = safe_url(self.source.url)
        salt = f"{when.published.isoformat()}|{headline}"
        self.items.append(
            Item(
                id=item_id(url, outlet, headline, when.published, salt=salt),
                source=self.source.name,
                outlet=outlet,
                url=url,
                title=headline,
                body=body,
                published=when.published,
                captured=self.run,
                date_only=when.date_only,
            )
        )


@dataclass(frozen=True)
class Layout:
    """How a capture is read: a `clipping` source's `captured`, `layout` and `timezone`."""

    captured: str | None = None
    layout: str = "auto"
    timezone: str | None = None


def parse_clipping(
    doc: Document, source: SourceConfig, ctx: ParseContext, how: Layout | None = None
) -> Parsed:
    how = how or Layout()
    zone = ZoneInfo(how.timezone) if how.timezone else ctx.zone
    ref = reference(how.captured, zone, doc.modified, ctx.captured)
    lines = _lines(doc.data)
    layout = how.layout if how.layout != "auto" else detect_layout(lines, ref)
    builder = _Builder(source, ref, ctx.captured)
    if layout == "listing":
        _listing(lines, builder)
    else:
        _live(lines, builder)
    if not builder.items:
        warning = f"{doc.origin}: no items found in the {layout} layout"
        return Parsed([], [warning], builder.refused)
    full = len(builder.items) >= MAX_ITEMS
    warnings = [f"{doc.origin}: only {MAX_ITEMS} items read"] if full else []
    return Parsed(builder.items, warnings, builder.refused)


def _lines(data: bytes) -> list[str]:
    """Decoded lines without control or invisible characters, runs of spaces or furniture."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    out = []
    for raw in text.splitlines():
        line = plain(raw[:MAX_LINE], MAX_LINE)
        out.append("" if _is_furniture(line) else line)
    return out


def _is_furniture(line: str) -> bool:
    return len(line) < 200 and bool(_FURNITURE.match(_BULLET.sub("", line)))


def detect_layout(lines: list[str], ref: Reference) -> str:
    """listing when blocks look like outlet/date entries; live otherwise."""
    entries = sum(1 for block in _blocks(lines) if _entry_head(block, ref) is not None)
    first = next((line for line in lines if line), "")
    live = 2 * bool(_LIVE_PREFIX.match(first)) + 2 * any(_RECAP.match(x) for x in lines)
    return "listing" if entries >= 2 or (entries == 1 and live == 0) else "live"


# --- listing ------------------------------------------------------------------------------


def _blocks(lines: list[str]) -> list[list[str]]:
    return [list(group) for filled, group in groupby(lines, bool) if filled]


def _is_category(line: str) -> bool:
    return bool(_BULLET.match(line)) and len(line.split()) <= 6


def _is_outlet(line: str) -> bool:
    return (
        len(line) <= 80
        and len(line.split()) <= 8
        and not _BULLET.match(line)
        and not line.rstrip(_CLOSE_QUOTES).endswith((".", "!", "?", ":", ";", ","))
    )


def _entry_head(block: list[str], ref: Reference) -> tuple[str | None, When | None, int] | None:
    """(outlet, date, index of the first content line) when the block starts an entry."""
    outlet, when, index = None, parse_when(block[0], ref, fallback=False), 1
    if when is None:
        if len(block) < 2 or not _is_outlet(block[0]):
            return None
        outlet, when = block[0], parse_when(block[1], ref)
        index = 2 if when else 1
        if when is None and not (len(block) > 2 and _is_category(block[1])):
            return None
    while index < len(block) and _is_category(block[index]):
        index += 1
    return outlet, when, index


def _listing(lines: list[str], builder: _Builder) -> None:
    entry: tuple[str | None, When | None, list[str]] | None = None
    for block in _blocks(lines):
        head = _entry_head(block, builder.ref)
        if head is not None:
            if entry:
                _entry(*entry, builder)
            entry = (head[0], head[1], block[head[2] :])
        elif entry:
            entry[2].extend(["", *block])  # a paragraph of the same entry
    if entry:
        _entry(*entry, builder)


def _entry(outlet: str | None, when: When | None, content: list[str], builder: _Builder) -> None:
    day = when or _noon(builder.ref.day, builder.ref)
    first = next((i for i, line in enumerate(content) if line), None)
    if first is None:
        return
    headline = ""
    if len(content[first].split()) <= 30 and len([x for x in content if x]) > 1:
        headline = tidy(content[first])
        content = content[first + 1 :]
    body = tidy("\n".join(content))
    posts = live_blog_posts(body, day, builder.ref)
    for text, stamp in posts or []:
        builder.add(*split_headline(text), stamp, outlet)
    if posts:
        return
    builder.add(headline, drop_repeat(headline, body) if headline else body, day, outlet)


def tidy(text: str) -> str:
    """Cut glued playlists and furniture tails; close up "Trump 's"."""
    text = _PLAYLIST.sub("", _FURNITURE_TAIL.sub("", text))
    return _LOOSE_POSSESSIVE.sub(r"\1", text).strip()


def drop_repeat(headline: str, body: str) -> str:
    """A body that opens by repeating its headline loses the repetition."""
    body = body.lstrip()
    size = len(headline)
    if len(body) > size and not body[size].isalnum() and _fold(body[:size]) == _fold(headline):
        return body[size:].lstrip(" :.-–—")
    return body


def _fold(text: str) -> str:
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).casefold().split())


def live_blog_posts(body: str, day: When, ref: Reference) -> list[tuple[str, When]] | None:
    """A live-blog body as (post text, time) pairs, or None when the body is not one."""
    stamps = find_stamps(body, ref.zone)
    if len(stamps) < 2 and not any(stamp.author for stamp in stamps):
        return None
    authors = {stamp.author for stamp in stamps if stamp.author}
    fallback = _noon(day.published.date(), ref)
    posts: list[tuple[str, When]] = []
    start = 0
    for stamp in stamps:
        text = _strip_author(body[start : stamp.start], authors)
        start = stamp.end
        if text:
            posts.append((text, stamp.when or fallback))
    tail = _strip_author(body[start:], authors)
    return [*posts, (tail, fallback)] if tail else posts


def _strip_author(text: str, authors: set[str]) -> str:
    text = text.strip()
    for author in sorted(authors, key=len, reverse=True):
        if text == author or text.endswith(" " + author):
            return text[: -len(author)].rstrip()
    return text


def _noon(day: date, ref: Reference) -> When:
    return When(noon(day, ref.zone), True)


# --- live page ----------------------------------------------------------------------------


@dataclass
class _Part:
    title: str
    day: date
    when: When | None = None  # a printed time, else noon of `day`
    paragraphs: list[str] = field(default_factory=list)
    bulleted: bool = False


def _heading_like(line: str) -> bool:
    core = line.rstrip(_CLOSE_QUOTES + ")]").rstrip()
    return (
        0 < len(line.split()) <= HEADING_WORDS
        and not _BULLET.match(line)
        and (line[0].isupper() or line[0].isdigit() or line[0] in _OPEN_QUOTES)
        and not core.endswith((".", ",", ";", ":", "…"))
        and any(ch.isalpha() for ch in line)
    )


def _live(lines: list[str], builder: _Builder) -> None:
    ref = builder.ref
    content = [line for line in lines if line]
    if not content:
        return
    page = ""
    start = 0
    first = content[0]
    if not _BULLET.match(first) and len(first.split()) <= 25 and not parse_when(first, ref):
        page, start = _LIVE_PREFIX.sub("", first).strip(), 1
    label = page or builder.source.outlet or builder.source.name
    day, pending = ref.day, None
    parts = [_Part(f"{label} — key points", day)]
    for i in range(start, len(content)):
        line = content[i]
        when = parse_when(line, ref, fallback=False) or parse_clock(line, day, ref)
        current = parts[-1]
        if when is not None and when.date_only:
            day = when.published.date()
            if not current.paragraphs:
                current.day = day
        elif when is not None:  # a time above a heading, or just under one
            if len(parts) > 1 and current.when is None and not current.paragraphs:
                current.when = when
            else:
                pending = when
        elif _RECAP.match(line):
            parts.append(_Part(f"{label} — latest developments", day))
        elif _BULLET.match(line):
            current.paragraphs.append(_BULLET.sub("", line))
            current.bulleted = True
        elif _is_heading(content, i, day, ref):
            parts.append(_Part(tidy(line), day, pending))
            pending = None
        else:
            current.paragraphs.append(line)
    if not parts[0].bulleted:  # no key points: an article under its own title
        parts[0].title = label
    for part in parts:
        body = tidy("\n\n".join(part.paragraphs))
        if body or part is not parts[0]:
            builder.add(part.title, body, part.when or _noon(part.day, ref))


def _is_heading(content: list[str], i: int, day: date, ref: Reference) -> bool:
    """A short unpunctuated line followed (past any date or time lines) by a paragraph."""
    if not _heading_like(content[i]):
        return False
    for line in content[i + 1 : i + 4]:
        if parse_when(line, ref, fallback=False) or parse_clock(line, day, ref):
            continue
        return not _heading_like(line) and not _BULLET.match(line) and not _RECAP.match(line)
    return False
