"""Dates: the years an item may be dated in, timestamps as feeds and pages state them, and dates
as captured pages print them ("3 days ago", "Earlier on Thursday", "25-05-2025", "28 May 2025
12:30").

Feeds and page metadata give ISO 8601 or RFC 822 timestamps, read by `parse_timestamp`.
Clippings carry no machine-readable dates, only what a reader saw on the page, so every date is
resolved against a *reference*: when the text was captured, in the time zone the page printed
its times in. Plain regular expressions handle the common forms (predictable and fast);
dateparser is a fallback for short odd phrases, told never to prefer future dates. A day with no
time becomes 12:00 local that day, flagged `date_only`, so it lands on the right calendar day
in any window near that zone.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .stamps import in_range

MAX_AGO_DAYS = 36_500  # "99999999 days ago" must not overflow

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
# Abbreviations printed after times; anything else is taken as the page's zone.
ZONE_ABBREVIATIONS = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "est": -300,
    "edt": -240,
    "pst": -480,
    "pdt": -420,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

MONTH_RE = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_WEEKDAY_RE = r"(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")"
# A clock time with optional am/pm and zone abbreviation.
TIME_RE = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?P<tz>" + "|".join(ZONE_ABBREVIATIONS) + r")\b)?"
)
_TIME_TAIL = r"(?:,?\s*(?:at\s+)?" + TIME_RE + r")?"
_PREFIX = re.compile(
    r"^(?:(?:published|updated|posted|last updated|first published)\b\s*:?\s*(?:on\s+)?)?"
    r"(?:" + _WEEKDAY_RE + r"\.?,?\s+(?=\d|" + MONTH_RE + r"))?",
    re.I,
)
_FORMS = [
    re.compile(p, re.I)
    for p in (
        # 2025-05-28, 2025-05-28T12:30, 2025-05-28 12:30
        r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ]" + TIME_RE + r")?",
        # 28-05-2025, 28/05/2025, 28.05.2025 (day first)
        r"(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{4})" + _TIME_TAIL,
        # 28 May 2025, 28th May 2025 12:30, 28 May (year from the reference)
        r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mname>" + MONTH_RE + r")\.?"
        r"(?:,?\s+(?P<year>\d{4}))?" + _TIME_TAIL,
        # May 28, 2025, May 28 2025 12:30
        r"(?P<mname>" + MONTH_RE + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
        r"(?:,?\s+(?P<year>\d{4}))?" + _TIME_TAIL,
        # 12:30 28 May 2025, 12:30, 28 May 2025
        TIME_RE + r",?\s+(?P<day>\d{1,2})\s+(?P<mname>" + MONTH_RE + r")\.?\s+(?P<year>\d{4})",
    )
]
_AGO = re.compile(
    r"^(?P<n>\d{1,9}|" + "|".join(NUMBER_WORDS) + r")\s+"
    r"(?P<unit>min(?:ute)?s?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago$",
    re.I,
)
_WEEKDAY_PHRASE = re.compile(
    r"^(?:(?:earlier|later)\s+)?(?:(?P<when>on|this|last)\s+)?(?P<wd>" + _WEEKDAY_RE + r")"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.I,
)
_DAY_WORDS = {"today": 0, "this morning": 0, "tonight": 0, "yesterday": 1, "just now": 0}


@dataclass(frozen=True)
class Reference:
    """The moment relative dates count back from, in the zone the page printed times in."""

    moment: datetime  # aware, in `zone`
    zone: ZoneInfo
    has_time: bool  # False when only the capture day is known (its moment is then 12:00)

    @property
    def day(self) -> date:
        return self.moment.date()


@dataclass(frozen=True)
class When:
    published: datetime
    date_only: bool


def nearest_year(published: date, month: int, day: int) -> date | None:
    """The year is seldom printed: the one nearest the publication (December news in January)."""
    best = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - published) < abs(best - published):
            best = candidate
    return best


def noon(day: date, zone: ZoneInfo) -> datetime:
    """A day without a time stands at 12:00 local, far from both window edges."""
    return datetime.combine(day, time(12), zone)


def reference(
    captured: str | None, zone: ZoneInfo, modified: datetime | None, fallback: datetime
) -> Reference:
    """`captured:` from the config (a day means 12:00 that day), else the file's modification
    time, else `fallback` (the collection run) — whichever is first usable."""
    if captured:
        text = captured.strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                ref = Reference(noon(date.fromisoformat(text), zone), zone, False)
            else:
                moment = datetime.fromisoformat(text)
                moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
                ref = Reference(moment.astimezone(zone), zone, True)
            if in_range(ref.moment):
                return ref
        except (ValueError, OverflowError):
            pass
    for known in (modified, fallback):
        if known is not None and known.tzinfo is not None and in_range(known):
            return Reference(known.astimezone(zone), zone, True)
    return Reference(datetime.now(UTC).astimezone(zone), zone, True)


def at(
    year: int, month: int, day: int, hour: int | None, minute: int | None, zone: ZoneInfo
) -> When | None:
    """A validated local time (or noon when no time was printed)."""
    try:
        if hour is None or minute is None:
            moment = noon(date(year, month, day), zone)
        else:
            moment = datetime(year, month, day, hour, minute, tzinfo=zone)
    except (ValueError, OverflowError):
        return None
    if not in_range(moment):
        return None
    return When(moment, hour is None)


def parse_when(text: str, ref: Reference, fallback: bool = True) -> When | None:
    """The date a short string states, or None when it is not (only) a date."""
    text = " ".join(text.split()).strip(" .,;:|·•-–—()[]")
    if not text or len(text) > 60:
        return None
    return _relative(text, ref) or _absolute(text, ref) or (_fuzzy(text, ref) if fallback else None)


def _relative(text: str, ref: Reference) -> When | None:
    lower = text.lower()
    if lower in _DAY_WORDS:
        return _day(ref.day - timedelta(days=_DAY_WORDS[lower]), ref)
    match = _AGO.match(lower)
    if match:
        raw = match["n"]
        count = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        unit = match["unit"].lower()
        if unit.startswith(("min", "h")):
            minutes = count if unit.startswith("min") else count * 60
            if minutes > MAX_AGO_DAYS * 1440:
                return None
            moment = ref.moment - timedelta(minutes=minutes)
            if ref.has_time and in_range(moment):
                return When(moment, False)
            return _day(moment.date(), ref)
        days = count * {"d": 1, "w": 7, "m": 30, "y": 365}[unit[0]]
        if days > MAX_AGO_DAYS:
            return None
        if unit.startswith(("month", "year")):
            return _months_ago(count * (12 if unit.startswith("year") else 1), ref)
        return _day(ref.day - timedelta(days=days), ref)
    match = _WEEKDAY_PHRASE.match(lower)
    if match:
        back = (ref.day.weekday() - WEEKDAYS[match["wd"]]) % 7
        if match["when"] == "last" and back == 0:
            back = 7
        return _day(ref.day - timedelta(days=back), ref)
    return None


def _months_ago(months: int, ref: Reference) -> When | None:
    total = ref.day.year * 12 + ref.day.month - 1 - months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month + 1)[1]  # 31 March minus a month is 28/29 February
    return at(year, month + 1, min(ref.day.day, last), None, None, ref.zone)


def _day(day: date, ref: Reference) -> When | None:
    return at(day.year, day.month, day.day, None, None, ref.zone)


def _absolute(text: str, ref: Reference) -> When | None:
    text = _PREFIX.sub("", text, count=1)
    for form in _FORMS:
        match = form.fullmatch(text)
        if match:
            return _from_parts(match.groupdict(), ref)
    return None


def _from_parts(parts: dict[str, str | None], ref: Reference) -> When | None:
    """Regex groups to a local time; a missing year is the last such day on or before the
    reference."""
    mname = parts.get("mname")
    month = MONTHS[mname.lower()] if mname else int(parts["month"] or 0)
    day = int(parts["day"] or 0)
    hour = minute = None
    if parts.get("hour") is not None:
        hour, minute = int(parts["hour"] or 0), int(parts["minute"] or 0)
        ampm = (parts.get("ampm") or "").lower()
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    year = parts.get("year")
    if year:
        found = at(int(year), month, day, hour, minute, ref.zone)
    else:
        found = at(ref.day.year, month, day, hour, minute, ref.zone)
        if found and found.published.date() > ref.day:
            found = at(ref.day.year - 1, month, day, hour, minute, ref.zone)
    abbreviation = parts.get("tz")
    if found and not found.date_only and abbreviation:
        offset = timedelta(minutes=ZONE_ABBREVIATIONS[abbreviation.lower()])
        naive = found.published.replace(tzinfo=None)
        found = When(naive.replace(tzinfo=timezone(offset)), False)
    return found


def _fuzzy(text: str, ref: Reference) -> When | None:
    """dateparser for the rare phrase the regexes miss; never a future date, never a bare month
    or year (too vague to place an item in a day)."""
    day_words = r"\d[-/.]\d|\bago\b|yesterday|today|\b(?:" + MONTH_RE + "|" + _WEEKDAY_RE + r")\b"
    if len(text.split()) > 6 or not re.search(day_words, text, re.I):
        return None  # a time alone ("09:40") or a number is not a day
    try:
        from dateparser.date import DateDataParser

        parser = DateDataParser(
            languages=["en"],
            settings={
                "PREFER_DATES_FROM": "past",
                "RELATIVE_BASE": ref.moment.replace(tzinfo=None),
                "RETURN_TIME_AS_PERIOD": True,
                "DATE_ORDER": "DMY",
            },
        )
        data = parser.get_date_data(text)
    except Exception:  # dateparser is a best-effort fallback; its failures are "no date"
        return None
    found = data.date_obj
    if found is None or data.period not in ("day", "week", "time"):
        return None
    result: When | None = at(found.year, found.month, found.day, None, None, ref.zone)
    if data.period == "time":
        result = When(found if found.tzinfo else found.replace(tzinfo=ref.zone), False)
    if result is None or not in_range(result.published):
        return None
    if result.published.date() > ref.day + timedelta(days=1):
        return None
    return result


_CLOCK = re.compile(r"(?:(?:posted|updated)\s+(?:at\s+)?)?" + TIME_RE, re.I)


def parse_clock(text: str, day: date, ref: Reference) -> When | None:
    """A line that is only a time ("12:30", "Posted at 9.05am", "14:05 GMT") on a known day."""
    text = " ".join(text.split()).strip(" .,;:|·•-–—()[]")
    match = _CLOCK.fullmatch(text) if len(text) <= 30 else None
    if not match:
        return None
    if ":" not in text and not match["ampm"]:
        return None  # "12.30" alone is as likely a number as a time
    parts = match.groupdict()
    parts.update(year=str(day.year), month=str(day.month), day=str(day.day), mname=None)
    return _from_parts(parts, ref)


_NAME = r"[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*"
_STAMP = re.compile(
    r"(?<!\S)(?:(?P<author>" + _NAME + r"(?: " + _NAME + r")?))?"
    r"(?P<day>\d{1,2}) (?P<mname>(?i:" + MONTH_RE + r")) (?P<year>\d{4})"
    r"(?:,? (?P<hour>\d{1,2}):(?P<minute>\d{2}))?(?![\d:])"
)


@dataclass(frozen=True)
class Stamp:
    """A live-blog post stamp found in running text: where it is, who, and when."""

    start: int
    end: int
    author: str | None
    when: When | None  # None when the printed date is impossible


def find_stamps(text: str, zone: ZoneInfo) -> list[Stamp]:
    """Stamps like "Tom Watling28 May 2025 12:30" (an author of one or two capitalised words
    glued to the date) or " 28 May 2025 11:19" (a date and time standing alone)."""
    found = []
    for m in _STAMP.finditer(text):
        if m["author"] or m["hour"]:
            hour, minute = (int(m["hour"]), int(m["minute"])) if m["hour"] else (None, None)
            when = at(int(m["year"]), MONTHS[m["mname"].lower()], int(m["day"]), hour, minute, zone)
            found.append(Stamp(m.start(), m.end(), m["author"], when))
    return found
