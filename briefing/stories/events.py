"""What makes an event: who and where (names), when (dates) and how many (counts).

Bag-of-words similarity cannot tell two strikes of one day apart, or two rounds of talks:
they share most of their vocabulary. Reports of one event agree on its names, date and
figures, whatever their wording. Each item gets a signature read from its title and first
sentences, where reports state their event:

- names: capitalised words inside a sentence (people, places, organisations, weapons), without
  the outlet's own name, office titles and words the item also writes in lower case;
- dates: calendar dates ("18 November", "Nov. 18", "18-19 November"), resolved against the
  publication date, datelines left out;
- counts: numbers with the noun they count ("95 prisoners"), except tolls, which grow.

Two reports conflict when each states a fact the other never mentions anywhere: dates that
never meet, one thing counted differently, or names (a different city struck, a different
meeting's members) each leads with and the other never mentions. A fact one of them leaves
out is no conflict. Nothing here lists the beat's places or people.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Item
from ..text.sentences import sentences
from ..text.similarity import STOPWORDS, stem

LEAD_SENTENCES = 2  # the body's sentences read besides the title
LEAD_CHARS = 1500  # where they are looked for
_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec".split()  # noqa: SIM905
MONTHS = {m: n for n, m in enumerate(_MONTH_NAMES, 1)}
# Tolls grow as reports come in, amounts and distances are rounded and converted: a different
# figure of these is an update or a unit, not another event.
NOT_COUNTED = frozenset(
    """
    dead death died killed people person injured wounded hurt casualty victim civilian child
    children hospitalised hospitalized missing
    million billion trillion thousand percent per km kilometre kilometer mile metre meter
    """.split()  # noqa: SIM905
)
# office titles, kinds of body and place, platforms: capitalised, but they name no one
GENERIC = frozenset(
    """
    president prime minister chancellor governor mayor head chief secretary spokesman
    spokeswoman spokesperson ambassador commander general deputy acting sir lord senator
    representative speaker chairman director envoy leader ministry administration office
    department agency service committee council government parliament army force military
    region oblast city town district province state united union federation republic
    telegram facebook twitter instagram youtube tiktok whatsapp
    """.split()  # noqa: SIM905
)
NAMES_APART = 0.2  # below this share of names mentioned both ways, two reports are two events
KEY_CHARS = 6  # enough to tell names apart, short enough to join their spellings
_ASIDE = re.compile(r"\([^()]*\)")  # "(Reuters)", "(OVA)": sources and abbreviations
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]|\d[\d,.]*")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_RANGE = rf"{_DAY}(?:\s*[-–]\s*{_DAY})?"
_DATES = re.compile(rf"\b(?:{_RANGE}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_RANGE})\b")  # casefolded
# "KYIV, Nov 21 (Reuters) -", "(MENAFN- IANS) Washington, Nov 21", "Thursday, July 11, 2024 -":
# the day the report was filed, not the day of the event
_DATELINE = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?(?:[A-Z][\w.'’ -]{1,30},\s*)?"
    r"(?:[A-Z][a-z]+day,?\s*)?(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})"
    r"(?:,?\s*\d{4})?\s*(?:\([^()]{1,40}\)\s*[-–—]*|[-–—./]+)"
)
WEEKDAYS = "mon tue wed thu fri sat sun".split()  # noqa: SIM905
_WEEKDAY = re.compile(r"(mon|tues|wednes|thurs|fri|satur|sun)day\b")  # casefolded
_COUNT = re.compile(r"\b(\d+(?:[.,]\d+)*)\s+([a-z][a-z-]*)")


@dataclass(frozen=True)
class Signature:
    """An item's names (word stems), dates and counts as its lead states them, and what its
    whole text mentions (name keys, days, numbers), to tell a different fact from an unstated
    one."""

    names: tuple[tuple[str, str], ...]  # (stem, key)
    dates: frozenset[date]
    counts: frozenset[tuple[str, float]]
    mentions: frozenset[str]
    days: frozenset[date]  # every date of the text, weekdays too
    numbers: frozenset[float]


@functools.lru_cache(maxsize=20_000)
def signature(item: Item) -> Signature:
    """Read once per item: the lead for what it states, the whole text for what it mentions."""
    body = _DATELINE.sub("", item.body[:LEAD_CHARS], count=1)
    lead = [_DATELINE.sub("", item.title, count=1), *sentences(body)[:LEAD_SENTENCES]]
    whole = f"{item.title}\n{item.body}"
    parts = [p for token in _TOKEN.findall(whole) for p in token.split("-") if p]
    lower = {_key(p) for p in parts if p[:1].islower()}
    own = {_key(p) for w in _TOKEN.findall(item.outlet) for p in w.split("-")}
    names: set[str] = set()
    for index, text in enumerate(lead):
        found = _capitalised([text], lower)
        if index == 0 and found and _title_case(text):
            # every word of a title-case headline is capitalised: only names the body has count
            found &= _capitalised(sentences(item.body), lower)
        names |= found
    text = " ".join(lead)
    day = item.when.date()
    return Signature(
        names=tuple((n, _key(n)) for n in sorted(names) if _key(n) not in own),
        dates=frozenset(_dates(text, day, weekdays=False)),
        counts=frozenset(_counts(text)),
        mentions=frozenset(_key(p) for p in parts),
        days=frozenset(_dates(whole, day)),
        numbers=frozenset(v for _, v in _counts(whole, every=True)),
    )


def _title_case(text: str) -> bool:
    """Most longer words capitalised: a headline styled so, where case says nothing."""
    tokens = [t for t in _TOKEN.findall(text) if t[0].isalpha() and len(t) > 3]
    return len(tokens) > 2 and sum(t[0].isupper() for t in tokens) > 0.7 * len(tokens)


def _capitalised(texts: list[str], lower: set[str]) -> set[str]:
    """Keys of capitalised words that do not start a sentence and are not common nouns (the
    item also writes them in lower case), titles, months or weekdays."""
    out: set[str] = set()
    for text in texts:
        for position, token in enumerate(_TOKEN.findall(_ASIDE.sub(" ", text))):
            for part in token.split("-"):
                word = stem(part)
                key = _key(word)
                if (
                    position == 0
                    or not part[:1].isupper()
                    or len(key) < 2
                    or word in STOPWORDS
                    or word in GENERIC
                    or key in lower
                    or key[:3] in MONTHS
                    or _WEEKDAY.fullmatch(part.casefold())
                ):
                    continue
                out.add(word)
    return out


@functools.lru_cache(maxsize=200_000)
def _key(word: str) -> str:
    """A name's matching key: "U.S." is "us", "Zelensky" and "Zelenskyy" share theirs."""
    return stem(word).replace(".", "")[:KEY_CHARS]


def _dates(text: str, published: date, weekdays: bool = True) -> set[date]:
    """Calendar dates in the text, in the year that puts them nearest the publication; later
    dates are plans and anniversaries, not when the reported event happened. A weekday is the
    last such day and the one before it: "said on Tuesday" may date the statement about
    Monday night's strike."""
    out: set[date] = set()
    text = text.casefold()
    for match in _DATES.finditer(text):
        if match.group(3):
            days, month = [match.group(1), match.group(2)], match.group(3)
        else:
            days, month = [match.group(5), match.group(6)], match.group(4)
        number = MONTHS.get(month[:3].casefold())
        for raw in days:
            found = _nearest(published, number, int(raw)) if raw and number else None
            if found is not None and found <= published:
                out.add(found)
    for match in _WEEKDAY.finditer(text if weekdays else ""):
        back = (published.weekday() - WEEKDAYS.index(match.group(1)[:3].casefold())) % 7
        out |= {published - timedelta(days=back), published - timedelta(days=back + 1)}
    return out


def _nearest(published: date, month: int, day: int) -> date | None:
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


def _counts(text: str, every: bool = False) -> set[tuple[str, float]]:
    """(noun, number) pairs; with `every`, all numbers, whatever follows them."""
    out = set()
    for raw, noun in _COUNT.findall(text.casefold()):
        word = stem(noun)
        if not every and (word in STOPWORDS or word in NOT_COUNTED or word[:3] in MONTHS):
            continue
        try:
            out.add((word, float(raw.replace(",", ""))))
        except ValueError:
            continue
    return out


@dataclass(frozen=True)
class Relation:
    """How two reports' signatures agree: the share of each one's names the other mentions
    (the smaller of the two), and why they cannot be one event, if they cannot."""

    coverage: float
    conflict: str | None


def relate(a: Signature, b: Signature, weight: Callable[[str], float]) -> Relation:
    """Coverage weighs names by `weight` (their rarity), so the beat's everyday names count
    little. A conflict is a fact each states and the other never mentions: dates that never
    meet, one thing counted differently, or lead names mostly unknown to each other."""
    if a.dates and b.dates and not a.dates & b.days and not b.dates & a.days:
        return Relation(0.0, "dates " + _show(a.dates) + " / " + _show(b.dates))
    counted = _clash(a, b)
    if counted:
        return Relation(0.0, counted)
    there, back = _covered(a, b, weight), _covered(b, a, weight)
    if max(there, back) < NAMES_APART:
        return Relation(0.0, "names " + _names(a, b) + " / " + _names(b, a))
    return Relation(min(there, back), None)


def _covered(a: Signature, b: Signature, weight: Callable[[str], float]) -> float:
    """The share of a's lead names, by weight, that b mentions anywhere."""
    total = sum(weight(n) for n, _ in a.names)
    if not total:
        return 1.0
    return sum(weight(n) for n, key in a.names if key in b.mentions) / total


def _clash(a: Signature, b: Signature) -> str | None:
    for noun in sorted({n for n, _ in a.counts} & {n for n, _ in b.counts}):
        left = {v for n, v in a.counts if n == noun}
        right = {v for n, v in b.counts if n == noun}
        if not left & b.numbers and not right & a.numbers:
            return f"{noun} {_figures(left)} / {_figures(right)}"
    return None


def _figures(values: set[float]) -> str:
    return ",".join(f"{v:g}" for v in sorted(values))


def _names(a: Signature, b: Signature) -> str:
    return ",".join([n for n, key in a.names if key not in b.mentions][:4])


def _show(dates: frozenset[date]) -> str:
    return ",".join(sorted(d.isoformat()[5:] for d in dates))
