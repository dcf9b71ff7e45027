"""What the commands print about the work they did, in words: the one line per day `build`
ends with, and counted nouns that are never "1 stories"."""

from __future__ import annotations

from ..models import Briefing, SourceReport
from ..text.plural import plural


def day_summary(briefing: Briefing, reports: list[SourceReport]) -> str:
    """`28 May 2025: 16 stories from 32 items, 7 outlets; 5 off-topic left out; 1 source
    failed: baltic-wire (no file matches samples/baltic-wire.jsn)`.

    Failures are this run's (with their reasons) when it collected, else the ones the briefing's
    Sources note shows."""
    b = briefing
    day = f"{b.date.day} {b.date:%B %Y}"
    if b.story_count:
        parts = [
            f"{plural(b.story_count, 'story')} from {plural(b.item_count, 'item')}, "
            f"{plural(b.outlet_count, 'outlet')}"
        ]
    else:
        parts = ["no new items on the topic in this window"]
    if b.dropped:
        parts.append(f"{b.dropped} off-topic left out")
    if reports:
        failed = [
            f"{r.name} ({r.message})" if r.message else r.name
            for r in reports
            if r.status == "failed"
        ]
    else:
        failed = [s.name for s in b.sources if s.status == "failed"]
    if failed:
        parts.append(f"{plural(len(failed), 'source')} failed: {', '.join(failed)}")
    return f"{day}: {'; '.join(parts)}"
