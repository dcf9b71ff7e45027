"""Cron expressions for `schedule.cron`: checked when the config loads (so `briefing check`
catches a bad one, not the scheduler at 07:00) and translated for APScheduler."""

from __future__ import annotations

from typing import Literal, get_args

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = get_args(Day)
_CRON_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def crontab(expression: str) -> str:
    """The expression as APScheduler must read it: crontab's day-of-week numbers (0 or 7 =
    Sunday) become names, because APScheduler 3 reads numbers as 0 = Monday (its documented
    historical mismatch), so `1-5` would mean Tuesday to Saturday."""
    fields = expression.split()
    if len(fields) == 5:
        fields[4] = cron_weekdays(fields[4])
    return " ".join(fields)


def check_cron(expression: str) -> None:
    """Raise ValueError saying what is wrong with a five-field cron expression."""
    from apscheduler.triggers.cron import CronTrigger

    if len(expression.split()) != 5:
        raise ValueError("expected five fields: minute hour day-of-month month day-of-week")
    try:
        CronTrigger.from_crontab(crontab(expression), timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"not a valid cron expression ({exc})") from None


def cron_weekdays(field: str) -> str:
    """A crontab day-of-week field with its numbers written as day names."""
    if not any(c.isdigit() for c in field):
        return field
    parts: list[str] = []
    numbers: set[int] = set()
    for part in field.split(","):
        if any(c.isalpha() for c in part):
            parts.append(part)  # names are read the same way by cron and APScheduler
            continue
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span in ("*", "?"):
            first, last = 0, 6
        else:
            first_text, _, last_text = span.partition("-")
            first = int(first_text)
            last = int(last_text) if last_text else (6 if step_text else first)
        if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last and step >= 1):
            raise ValueError(f"bad day of week {part!r} in schedule.cron")
        numbers.update(n % 7 for n in range(first, last + 1, step))
    parts += [_CRON_NAMES[n] for n in sorted(numbers, key=lambda n: (n - 1) % 7)]
    return ",".join(parts)
