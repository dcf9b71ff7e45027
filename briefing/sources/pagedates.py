"""When a page says its article was published.

Times are trusted only from the page's own metadata, in this order: JSON-LD `datePublished`
(`dateCreated`), `article:published_time`, `<meta name="date">` (and its Dublin Core kin),
then the first `<time datetime>` in the `<article>`. Where they disagree, the time most of them
agree on wins (see `_agreed`).

A time stated in UTC ("...Z", "+00:00") is the right instant but often not the publisher's
day: a New York paper's 21:25 on 24 February is 02:25Z on the 25th. Many pages state the same
instant again elsewhere with the newsroom's offset ("2020-02-24T21:25:54-05:00" in a `<time>`,
"Mon, 24 Feb 2020 21:25:54 -0500" in a `<meta name="date">`), or as a local wall-clock time
that differs from the UTC one by whole quarter hours with the same minutes and seconds
("2020-02-24 21:25:54"). Then the time keeps its instant and takes that offset, so its day is
the day the page shows its readers. Nothing is guessed when the page says nothing more.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

import lxml.html

from ..text.stamps import parse_timestamp
from .htmlpage import as_str, meta_content

SCAN_CHARS = 2_000_000  # markup searched for the same instant stated with an offset
_STAMP = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}:\d{2})(?:\.\d{1,9})?"
    r"(?: ?(?:GMT|UTC)?(Z|[+-]\d{2}:?\d{2}))?(?![\d:])"
)
_RFC_2822 = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\b")
_LONGEST_OFFSET = timedelta(hours=14)
_A_DAY = timedelta(days=1)
_DATE_META = ("datePublished", "date", "DC.date.issued", "dcterms.issued", "pubdate")


def article_date(root: Any, node: dict[str, Any], zone: tzinfo) -> tuple[datetime | None, bool]:
    """(time, day only) the page states for its article; see the module."""
    article = root.find(".//article")
    shown = [el.get("datetime") for el in article.iter("time")] if article is not None else []
    statements = [
        [as_str(node.get("datePublished")), as_str(node.get("dateCreated"))],
        [meta_content(root, "article:published_time", "og:article:published_time")],
        [meta_content(root, *_DATE_META)],
        shown,
    ]
    found = []
    for stamps in statements:
        for published, day_only in (parse_timestamp(stamp, zone) for stamp in stamps):
            if published is not None:
                found.append((published, day_only))
                break
    if not found:
        return None, False
    published, day_only = _agreed(found)
    if not day_only and published.utcoffset() == timedelta(0):
        published = local_offset(published, root)
    return published, day_only


def _agreed(found: list[tuple[datetime, bool]]) -> tuple[datetime, bool]:
    """The first statement, unless more of the page's statements agree on another time.

    A re-dated page often keeps its first `datePublished` in JSON-LD while its
    `article:published_time`, its `<meta name=date>` and the time it shows all say when it
    was published again; the page's readers see that day. Statements within a day of
    each other agree, as one instant given in UTC and in the newsroom's offset does.
    """
    support = [sum(abs(a - b) < _A_DAY for b, _ in found) for a, _ in found]
    return found[support.index(max(support))]


def local_offset(published: datetime, root: Any) -> datetime:
    """`published` (a UTC time) in the offset the page states the same instant in elsewhere."""
    markup = lxml.html.tostring(root, encoding="unicode")[:SCAN_CHARS]
    utc = published.replace(microsecond=0, tzinfo=None) - (published.utcoffset() or timedelta(0))
    for text in _RFC_2822.findall(markup):  # "Sat, 19 Oct 2019 00:04:00 +0200" (<meta name=date>)
        with contextlib.suppress(TypeError, ValueError):
            stated = parsedate_to_datetime(text)
            if stated.utcoffset() and stated == published:
                return published.astimezone(stated.tzinfo)
    wall_clock = None
    for day, clock, offset in _STAMP.findall(markup):
        try:
            stated = datetime.fromisoformat(f"{day}T{clock.zfill(8)}")
        except ValueError:
            continue
        if offset and offset != "Z":
            sign = -1 if offset[0] == "-" else 1
            shift = sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[-2:]))
            if shift and stated - shift == utc and abs(shift) <= _LONGEST_OFFSET:
                return published.astimezone(timezone(shift))
        elif not offset and wall_clock is None and (utc.minute, utc.second) != (0, 0):
            shift = stated - utc
            quarters = shift / timedelta(minutes=15)
            if shift and abs(shift) <= _LONGEST_OFFSET and quarters == int(quarters):
                wall_clock = shift
    return published.astimezone(timezone(wall_clock)) if wall_clock else published
