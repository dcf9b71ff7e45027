"""Facts a news text states about its event: who and where (names), when (dates), how many
(counts), and who reacts, when it leads with a reaction.

Reports of one event agree on these whatever their wording; two events of one kind on one day
(two cities struck, two rounds of talks, two swaps) differ in them while sharing most of their
vocabulary. A report states its event in its title and first sentences (the *lead*), so the
facts are read there; the whole text is read only for what it *mentions*, to tell a fact
another report leaves out from one it contradicts. Nothing here lists the beat's places or
people: a name is a capitalised word inside a sentence that the text never writes in lower
case, less office titles, kinds of body and platforms.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from .dates import MONTHS, NUMBER_WORDS, WEEKDAYS, nearest_year
from .kinds import answered, market, personnel
from .places import placed, spelling
from .sentences import attributes_only, sentences, undateline
from .similarity import STOPWORDS, stem

LEAD_SENTENCES = 2  # the body's sentences read besides the title
LEAD_CHARS = 1500  # where they are looked for
KEY_CHARS = 6  # enough to tell names apart, short enough to join their spellings
# Tolls grow as reports come in, amounts, distances and weights are rounded and converted: a
# different figure of these is an update or a unit, not another event. (A sum of money stays
# counted: "$275 million" and "$4.7 billion" of aid are two decisions.) A clock time ("0230 GMT",
# "7 a.m.") counts nothing: two outlets time one strike differently.
NOT_COUNTED = frozenset(
    """
    dead death die died killed people person injured wounded hurt casualty victim civilian child
    children hospitalised hospitalized missing resident
    million billion trillion thousand hundred percent per cent km kilometre kilometer mile metre
    meter foot feet yard kg kilogram gram tonne ton tons lb lbs pound litre liter gallon barrel
    hectare acre degree hour minute second year month week day time
    a.m p.m am pm gmt utc cet cest eet eest msk bst est edt pst pdt hrs
    """.split()  # noqa: SIM905
)
# Office titles, kinds of body and place, platforms: capitalised, but they name no one.
GENERIC = frozenset(
    """
    president prime minister chancellor governor mayor head chief secretary spokesman
    spokeswoman spokesperson ambassador commander general deputy acting sir lord senator
    representative speaker chairman director envoy leader ministry administration office
    department agency service committee council government parliament army force military
    region oblast city town district province state united union federation republic
    foreign defence defense affair high national security policy armed new pm fm mp
    telegram facebook twitter instagram youtube tiktok whatsapp x
    gmt utc cet cest eet eest msk bst est edt pst pdt
    """.split()  # noqa: SIM905
)
# Verbs with which a report leads with someone's reaction to an event rather than the event:
# the speaker is then part of what the report is about.
REACTION_VERBS = re.compile(
    r"(?:react|respond|criticis|criticiz|condemn|slam|blast|welcom|prais|hail|applaud|"
    r"denounc|decri|reject|dismiss|mock|derid|lambast|rebuk|scold|warn|urg|hope|call|"
    r"defend|comment|vow|question|doubt|suggest|insist|demand|appeal)(?:s|es|d|ed)$"
    r"|^(?:den(?:y|ies|ied)|decr(?:y|ies|ied))$"
)
# words between a subject and its verb ("X on Tuesday has also called"), and inside a name
_FILLERS = frozenset(
    """
    on has have had would will also not publicly sharply strongly again earlier later today
    yesterday last night is was did does
    """.split()  # noqa: SIM905
) | frozenset(WEEKDAYS)
_DECLINED = re.compile(r"(?:confirm|comment|say|specify|disclose|elaborate|answer|explain|rule)")
_JOINERS = frozenset(["of", "'s", "’s", "jr", "jr."])
# a sentence opening with one of these is a subordinate clause ("Although Biden has not
# confirmed the decision, it has…"): its subject's verb is no reaction the report leads with
_SUBORDINATE = frozenset(
    """
    although though while whereas if because since when after before despite as once unless
    until
    """.split()  # noqa: SIM905
)
_POSSESSIVE = re.compile(r"['’]s?$")
_ASIDE = re.compile(r"\([^()]*\)")  # "(Reuters)", "(OVA)": sources and abbreviations
_PART = re.compile(r"[^\W\d_][\w'’.]*[^\W_]|[^\W\d_]|\d[\d,.]*")
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]|\d[\d,.]*")
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_RANGE = rf"{_DAY}(?:\s*(?:-|–|and)\s*{_DAY})?"
_DATES = re.compile(rf"\b(?:{_RANGE}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_RANGE})\b")  # casefolded
# casefolded: in running text only full names are weekdays; one pattern finds both kinds of
# day (no match of either can hold one of the other)
_WEEKDAY_OR_NEAR = re.compile(
    r"\b(?:(?:(last|this)\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)day)"
    r"|(yesterday|last night|overnight|today|this morning|tonight))\b"
)
_NUMBER = r"\d+(?:[.,]\d+)*|" + "|".join(w for w in NUMBER_WORDS if len(w) > 2)
_COUNT = re.compile(rf"\b({_NUMBER})\s+([a-z][\w.'’-]*(?:\s+[a-z][\w.'’-]*){{0,2}})")
_DIGIT = re.compile(r"\d")
_NUMBERS = re.compile(rf"\b(?:{_NUMBER})\b")
_AFTER_MONTH = re.compile(r"(?:" + "|".join(MONTHS) + r")\.?\s*$")


class Name(NamedTuple):
    term: str  # the word as similarity counts it (its rarity is looked up so)
    key: str  # what another text must mention to know it
    shown: str  # as written


@dataclass(frozen=True)
class Facts:
    """What a text's lead states and what its whole text mentions."""

    names: tuple[Name, ...]  # the lead's names, in order
    speaker: tuple[Name, ...]  # who the lead's reaction is by, if it leads with one
    dates: frozenset[date]  # calendar dates the lead states (not the dateline, none later)
    weekdays: frozenset[date]  # days the lead names by weekday or as yesterday/overnight
    counts: frozenset[tuple[str, float]]  # (counted noun, number) in the lead
    mentions: frozenset[str]  # keys of every word of the text, to check an unstated name
    days: frozenset[date]  # every date of the text, weekdays and the dateline's too (when
    # the lead gives a date: they are compared only then)
    numbers: frozenset[float]  # every number of the text (when the lead counts something)
    published: date
    market: bool = False  # the lead is about prices moving: a market's reaction to an event
    personnel: bool = False  # the opening tells of someone leaving or taking a post
    titled_only: bool = False  # no text besides the title: what it never mentions says little
    regions: frozenset[str] = frozenset()  # the regions its opening places the event in...
    opening: frozenset[str] = frozenset()  # ...and, if any, every word of that opening
    capitals: tuple[str, ...] = ()  # keys of the text's capitalised words (a few repeat)
    answers: frozenset[str] = frozenset()  # keys of those whose words its opening answers

    @property
    def when(self) -> frozenset[date]:
        """The days the lead gives for its event, by date or by weekday."""
        return self.dates | self.weekdays

    def mentions_name(self, name_key: str) -> bool:
        """Whether the text mentions a name, however transliterated: outlets in Kyiv and in
        Moscow spell one city two ways ("Kyiv", "Kiev"), and one event's reports must not be
        parted by a spelling."""
        if name_key in self.mentions:
            return True
        return _spelled(name_key) in self._spellings

    @functools.cached_property
    def _spellings(self) -> frozenset[str]:
        return frozenset(_spelled(k) for k in set(self.capitals) if k not in STOPWORDS)


def read_facts(title: str, body: str, published: date, owner: str = "") -> Facts:
    """The facts of a report titled `title` published on `published`; `owner` (the outlet) is
    no name of the event. A title that is only the body's first words adds nothing."""
    body = undateline(body[:LEAD_CHARS]) + body[LEAD_CHARS:]
    said = sentences(body)
    first = said[:LEAD_SENTENCES]
    if len(first) > 1 and attributes_only(first[-1]):
        first = first[:-1]  # ("The region's spokesman reported this."): a source, no event
    title = undateline(title)
    lead = [title, *first] if title and not body.startswith(title.rstrip(" …")) else first
    whole = f"{title}\n{body}"
    titled = bool(title) and _title_case(title)
    each = [(text, _words(text)) for text in said]
    words = dict(each) if titled else {title: _words(title), **dict(each)}
    if "(" in whole:
        parts = _PART.findall(whole)
    else:  # (no aside left out: the sentences' words are the text's, which splits at spaces)
        parts = _PART.findall(title) + [part for _, found in each for _, part in found]
    keys = list(map(key, parts))
    inner = Counter([key(p) for found in words.values() for i, p in found if i and p[0].isupper()])
    lowered = Counter([k for p, k in zip(parts, keys, strict=True) if p[0].islower()])
    lower = {k for k, n in lowered.items() if n > inner.get(k, 0)}
    own = {key(p) for p in _PART.findall(owner)}
    names: dict[str, Name] = {}
    for index, text in enumerate(lead):
        found = _capitalised(words.get(text) or _words(text), lower, inner)
        if index == 0 and titled:
            # every word of a title-case headline is capitalised: only names the body has count
            found = [n for n in found if n.key in inner]
        for name in found:
            if name.key not in own:
                names.setdefault(name.key, name)
    text = " ".join(lead)
    opening_text = " ".join(lead[: len(lead) - len(first) + 1])  # the title, the first sentence
    regions, opening = placed(opening_text)
    dates, counts = frozenset(_dates(text, published)), frozenset(_counts(text))
    return Facts(
        names=tuple(names.values()),
        speaker=_speaker(lead, lower, own),
        dates=dates,
        weekdays=frozenset(_weekdays(text, published)),
        counts=counts,
        mentions=frozenset(keys),
        # the whole text's days and numbers are only read against a lead's dates and counts
        days=frozenset(_dates(whole, published) | _weekdays(whole, published))
        if dates
        else frozenset(),
        numbers=frozenset(_numbers(whole)) if counts else frozenset(),
        published=published,
        market=market(lead[0]) if lead else False,
        personnel=personnel(opening_text),
        titled_only=not body.strip(),
        regions=regions,
        opening=opening,
        capitals=tuple(k for p, k in zip(parts, keys, strict=True) if p[0].isupper()),
        answers=frozenset(key(stem(who)) for who in answered(opening_text)),
    )


@functools.lru_cache(maxsize=200_000)
def key(word: str) -> str:
    """A name's matching key: "U.S." is "us", "Zelensky" and "Zelenskyy" share theirs."""
    return stem(word).replace(".", "")[:KEY_CHARS]


@functools.lru_cache(maxsize=200_000)
def _spelled(name_key: str) -> str:
    return spelling(name_key)


def _title_case(text: str) -> bool:
    """Most longer words capitalised: a headline styled so, where case says nothing."""
    tokens = [t for t in _TOKEN.findall(text) if t[0].isalpha() and len(t) > 3]
    return len(tokens) > 2 and sum(t[0].isupper() for t in tokens) > 0.7 * len(tokens)


def _words(text: str) -> list[tuple[int, str]]:
    """(position in its sentence, word) of a text's words, asides left out; a hyphen parts
    words ("Israel-Hezbollah")."""
    return list(enumerate(_PART.findall(_ASIDE.sub(" ", text))))


def _capitalised(words: list[tuple[int, str]], lower: set[str], inner: Counter[str]) -> list[Name]:
    """The names in one sentence: capitalised words the text never writes in
    lower case, less titles, months and weekdays; a sentence's first word only when the text
    also capitalises it inside a sentence."""
    out: list[Name] = []
    for position, part in words:
        if not part[0].isupper():
            continue
        try:
            name = _NAMES[part]
        except KeyError:
            name = _name(part)
        if name is None or name.key in lower or (position == 0 and name.key not in inner):
            continue
        out.append(name)
    return out


_NAMES: dict[str, Name | None] = {}  # a capitalised word as written -> its Name, None if none


def _name(part: str) -> Name | None:
    """The Name a capitalised word is wherever it stands, or None: too short, a stop word, a
    title, a month or a weekday (remembered, as stems and keys are)."""
    word = stem(part)
    k = key(word)
    generic = word in STOPWORDS or word in GENERIC or word in WEEKDAYS
    name = (
        None
        if len(k) < 2 or generic or word.rstrip(".") in MONTHS
        else Name(word, k, _POSSESSIVE.sub("", part))
    )
    if len(_NAMES) < 200_000:
        _NAMES[part] = name
    return name


def _speaker(lead: list[str], lower: set[str], own: set[str]) -> tuple[Name, ...]:
    """The names a sentence of the lead starts with when a verb of reaction follows them
    ("X slams Y's decision", "X on Tuesday called the strike a signal", "X would not
    confirm …"): the subject of the reaction. Only the title and the first sentence are
    read."""
    for text in lead[:2]:
        subject: list[str] = []
        fillers = 0
        negated = False
        for token in _TOKEN.findall(_ASIDE.sub(" ", text)):
            folded = token.casefold()
            if not subject and folded in _SUBORDINATE:
                break
            if subject and (REACTION_VERBS.match(folded) or (negated and _DECLINED.match(folded))):
                # "X slams …", and "X does not confirm …", "X would not say …": a response
                names = {
                    key(stem(t)): Name(stem(t), key(stem(t)), _POSSESSIVE.sub("", t))
                    for t in subject
                    if _is_name(t, lower)
                }
                return tuple(n for k, n in names.items() if k not in own)
            if (token[:1].isupper() and not fillers and folded not in STOPWORDS) or (
                folded in _JOINERS and subject
            ):
                subject.append(token)
            elif subject and folded in _FILLERS and fillers < 4:
                fillers += 1
                negated = negated or folded == "not"
            elif not subject and folded in ("the", "former"):
                continue
            else:
                break
    return ()


def _is_name(token: str, lower: set[str]) -> bool:
    word = stem(token)
    return (
        token[:1].isupper()
        and word not in STOPWORDS
        and word not in GENERIC
        and key(word) not in lower
        and len(key(word)) > 1
    )


def _dates(text: str, published: date) -> set[date]:
    """Calendar dates in the text, in the year that puts them nearest the publication; later
    dates are plans and anniversaries, not when the reported event happened."""
    out: set[date] = set()
    for match in _DATES.finditer(text.casefold()) if _DIGIT.search(text) else ():
        if match.group(3):
            days, month = [match.group(1), match.group(2)], match.group(3)
        else:
            days, month = [match.group(5), match.group(6)], match.group(4)
        number = MONTHS.get(month.rstrip(".").casefold())
        for raw in days:
            found = nearest_year(published, number, int(raw)) if raw and number else None
            if found is not None and found <= published:
                out.add(found)
    return out


def _weekdays(text: str, published: date) -> set[date]:
    """Days named by weekday (the last such day up to the publication), or as yesterday,
    today, overnight."""
    out: set[date] = set()
    folded = text.casefold()
    for match in _WEEKDAY_OR_NEAR.finditer(folded):
        near = match.group(3)
        if near is not None:
            # the night before a report is its day's news: "overnight" is the publication day
            out.add(published - timedelta(days=1 if near == "yesterday" else 0))
            continue
        back = (published.weekday() - WEEKDAYS[match.group(2)]) % 7
        if match.group(1) == "last" and back == 0:
            back = 7
        out.add(published - timedelta(days=back))
    return out


def _counted(phrase: str) -> str:
    """The noun a number counts among the (up to three) words after it: the first plural
    before a stop word ("six U.S.-made missiles into" counts missiles), else the first word."""
    run = []
    for word in phrase.split():
        word = word.strip(".,'’")
        if word in STOPWORDS or not word:
            break
        run.append(word)
    plural = [w for w in run if stem(w) != w and not w.endswith("'s")]
    return stem((plural or run or [""])[0])


def _counts(text: str) -> set[tuple[str, float]]:
    """(noun, number) pairs: a number and the noun it counts ("six U.S.-made missiles" counts
    missiles), never a day of a month, a toll, an amount or a distance."""
    out: set[tuple[str, float]] = set()
    folded = text.casefold()
    for match in _COUNT.finditer(folded):
        raw, phrase = match.group(1), match.group(2)
        if _AFTER_MONTH.search(folded[max(0, match.start() - 12) : match.start()]):
            continue  # "Nov. 21 strike": a date, not 21 strikes
        value = _value(raw)
        noun = _counted(phrase)
        if value is None or not noun or noun in STOPWORDS or noun in NOT_COUNTED or noun in MONTHS:
            continue
        out.add((noun, value))
    return out


def _numbers(text: str) -> set[float]:
    """Every number of a text, in figures or words."""
    found = (_value(raw) for raw in _NUMBERS.findall(text.casefold()))
    return {value for value in found if value is not None}


def _value(raw: str) -> float | None:
    try:
        return float(NUMBER_WORDS.get(raw) or raw.replace(",", ""))
    except ValueError:
        return None
