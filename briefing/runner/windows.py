"""Which windows a cycle builds: the one that closed most recently, and earlier ones a skipped
fire or downtime left undelivered.

The trigger only says *when* to run a cycle; *what* a cycle builds is decided here from the
clock and the run ledger. APScheduler 3.11 skips a 00:00 job the day after spring-forward and
fires an ambiguous-hour job twice in autumn, so a cycle builds every closed, undelivered window
of the last few days: a skipped fire is caught up by the next one, a double fire finds nothing
to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from ..config import Config

_DAY = timedelta(days=1)


def _end_utc(config: Config, day: date) -> datetime:
    from ..stories import day_window  # (the stories package loads when a window is due)

    return day_window(config, day)[1].astimezone(UTC)


def latest_closed(config: Config, now: datetime) -> date:
    """The day D whose window closed most recently at `now`: the largest D with end <= now."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now_utc = now.astimezone(UTC)
    day = now_utc.astimezone(config.zone).date() + _DAY  # no later window can have closed
    while _end_utc(config, day) > now_utc:
        day -= _DAY
    return day


def due_windows(
    config: Config,
    now: datetime,
    delivered: Callable[[date], bool],
    lookback_days: int = 3,
) -> list[date]:
    """Closed windows not yet delivered, oldest first: the latest closed one and those closed
    within `max(lookback_days, misfire_grace)` before it. Looking back is what catches up a fire
    the trigger skipped or downtime missed; the ledger (`delivered`) makes a repeat a no-op."""
    if lookback_days < 0:
        raise ValueError("lookback_days must not be negative")
    latest = latest_closed(config, now)
    oldest_end = _end_utc(config, latest) - timedelta(seconds=config.schedule.grace_seconds)
    days: list[date] = []
    day = latest
    # calendar days for lookback_days (a 3-day span across a clock change is 71 or 73 hours)
    while (latest - day).days <= lookback_days or _end_utc(config, day) >= oldest_end:
        days.append(day)
        day -= _DAY
    return [d for d in reversed(days) if not delivered(d)]
