"""Timestamps as feeds and page metadata state them: ISO 8601 or RFC 822, and the years an item
may be dated in.

Most feeds write RFC 822 in one form (`Wed, 28 May 2025 20:14:00 +0000`); that form is read
here directly, as email.utils reads it, and any other goes through email.utils itself.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

FIRST_YEAR, LAST_YEAR = 1990, 2100  # a date outside these years is a misdating, not news
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3}, )?([0-9]{1,2}) (" + "|".join(_MONTHS) + r") ([1-9][0-9]{3}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) (?:GMT|([+-])([0-9]{2})([0-9]{2}))"
)
_ZONES: dict[int, timezone] = {}  # offset in seconds -> its zone, made once


def in_range(moment: datetime) -> bool:
    return EARLIEST <= moment < LATEST


def parse_timestamp(value: str | None, zone: tzinfo = UTC) -> tuple[datetime | None, bool]:
    """(time, day only) from ISO 8601 or RFC 822, keeping the offset given; a naive time is in
    `zone`, a bare day is noon that day; a time outside EARLIEST..LATEST is no time."""
    value = (value or "").strip()
    rfc = _RFC822.fullmatch(value)
    day_only = rfc is None and _DAY.fullmatch(value) is not None
    try:
        if rfc is not None:
            result = _rfc822(rfc)
        else:
            result = datetime.fromisoformat(value.replace("z", "Z"))
            result = result.replace(hour=12) if day_only else result
    except ValueError:
        try:
            result = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None, False
    result = result if result.tzinfo else result.replace(tzinfo=zone)
    return (result, day_only) if in_range(result) else (None, False)


def _rfc822(match: re.Match[str]) -> datetime:
    """What `parsedate_to_datetime` makes of the common form (naive for `-0000`, as it says
    nothing of the zone); ValueError where it raises one."""
    day, month, year, hour, minute, second, sign, hours, minutes = match.groups()
    moment = (int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second))
    if sign == "-" and hours == minutes == "00":
        return datetime(*moment)
    offset = 0 if sign is None else int(hours) * 3600 + int(minutes) * 60
    offset = -offset if sign == "-" else offset
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES.setdefault(offset, timezone(timedelta(seconds=offset)))
    return datetime(*moment, tzinfo=zone)
