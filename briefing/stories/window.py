"""The day window: which items belong to the briefing of day D.

A briefing for D holds the items published in D's window. The first build of D also takes
items of earlier, already built windows that arrived after those were built ("late" items), so
that nothing collected is skipped. Which items a briefing held is recorded, so rebuilding D gives
what its first build gave — even after later days were collected — and no item is shown twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ..config import Config
from ..models import Item
from ..store import Store

LATE_DAYS = 14  # how far back late arrivals are looked for
STORING_GRACE = timedelta(minutes=1)  # longer than any one transaction that stores items


@dataclass
class Selection:
    window: tuple[datetime, datetime]
    items: list[Item]  # everything this briefing holds, gate not yet applied
    recorded: dict[str, str] = field(default_factory=dict)  # item id -> story id ("" = dropped)
    first_built: datetime | None = None


def day_window(config: Config, day: date) -> tuple[datetime, datetime]:
    """D's window in the config's time zone: the calendar day D, or with `window.end` set
    (`"07:00"`) the 24 hours before D at that time (23 or 25 hours on clock-change days)."""
    zone = config.zone
    hour, minute = (int(x) for x in config.window.end.split(":"))
    if (hour, minute) == (0, 0):
        first, last = day, day + timedelta(days=1)
    else:
        first, last = day - timedelta(days=1), day
    return (
        datetime.combine(first, time(hour, minute), zone),
        datetime.combine(last, time(hour, minute), zone),
    )


def select_items(store: Store, config: Config, day: date) -> Selection:
    span = day_window(config, day)
    start, end = (t.astimezone(UTC) for t in span)
    first_built = store.first_built(day)
    if first_built is not None:  # a rebuild holds what the first build held
        recorded = store.assignments(day)
        return Selection(span, store.items_by_id(recorded), recorded, first_built)
    fresh = store.unassigned_between(start, end)
    return Selection(span, fresh + _late(store, config, start), {}, None)


def _late(store: Store, config: Config, start: datetime) -> list[Item]:
    """Unshown items of earlier windows that were stored after their window was built (or just
    before: a collection that committed while the build was reading). Items stored long before
    a build that did not show them (a source a desk added later) are not news now."""
    built = store.built_dates()
    if not built:
        return []
    late = []
    for item in store.unassigned_between(start - timedelta(days=LATE_DAYS), start):
        first = built.get(item.when.astimezone(config.zone).date().isoformat())
        stored = item.stored or item.captured
        if first is not None and stored > first - STORING_GRACE:
            late.append(item)
    return late
