"""What a summary sentence carries, so a summary says each figure once and says what happened.

A sentence's facts are its numbers and the names it gives (capitalised words inside it). Two
sentences with the same facts say the same thing, however differently worded; a sentence with
none says little. A sentence may also lean on something the summary never introduced ("The
video was posted…", "He added…"), or be page furniture ("Read also:", "Details:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.dates import NUMBER_WORDS

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"(?i)\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|(?:19|20)\d\d\b|\d{1,2}:\d\d)"
)
# a capitalised word inside a sentence: not its first, nor one after a stop (the capital comes
# first in the pattern, which lets the search skip to capitals; the checks look back from it)
_NAME = re.compile(r"[A-ZА-ЯІЇЄҐ](?<!^.)(?<![.!?]\s.)(?<!\w.)[\w-]+")
_LABEL = re.compile(
    r"(?i)^(?:details|quote|update|updated|read (?:also|more)|also read|see also|watch(?: live)?|"
    r"listen|photo|video|background|context|note|editor's note|more|related|breaking)\s*[:|–—-]"
)
_LEANING = re.compile(
    r"^(?:(?:The|This|That|These|Those)\s+(?P<thing>video|footage|clip|photo|photos|image|images|"
    r"picture|pictures|post|statement|letter|document|report|recording|interview|move|decision|"
    r"remarks|comments|attack|incident)\b"
    r"|(?P<pronoun>He|She|They|It|His|Her|Their|Its|According to (?:him|her|them))\b"
    # "Some of them target…", "Two of these were…": a part of what the sentence before counted
    r"|(?P<part>(?:Some|Many|Most|All|Both|Several|Few|None|Each|Neither|Either|Half|One|Two|"
    r"Three|Four|Five|Six|Seven|Eight|Nine|Ten|\d+)\s+of\s+(?:them|these|those|which)\b))"
)
# a count of people harmed, the figure outlets most often give differently: "8 people were
# killed", "ten residents were confirmed dead", "55 others injured", "killing at least 10",
# "the death toll has risen to 11" (numbers up to ten are often spelt out; "one" is too common)
_COUNT = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+|" + "|".join(w for w, n in NUMBER_WORDS.items() if n > 1)
_PEOPLE = (
    r"people|persons|civilians|soldiers|children|residents|others|men|women|servicemen|troops|"
    r"(?:police\s+)?officers|police"
)
_TOLL = re.compile(
    rf"(?i)\b(?:(?P<n>{_COUNT})\s+(?:(?:more|other)\s+)?(?:(?:{_PEOPLE})\b\s*)?"
    r"(?:,\s*(?:including|among\s+them)\s+[^,.;:]{1,60},\s*)?"  # "12 people, including …,"
    r"(?:(?:were|was|are|have\s+been|has\s+been|had\s+been)\s+)?(?:(?:reported|reportedly|"
    r"confirmed)\s+)?(?P<kind>killed|dead|died|injured|wounded|hurt)\b"
    rf"|(?P<verb>killing|injuring|wounding|killed|injured|wounded)\s+(?:at\s+least\s+)?"
    rf"(?P<m>{_COUNT})\b(?![-‐‑])"  # (not "killed 3-year-old Sasha")
    r"|(?P<noun>death\s+toll|number\s+of\s+(?:dead|deaths|killed|fatalities|injured|wounded))"
    r"(?:\s+(?:from|in|of|after)\b[^.;:!?]{1,80}?)?"  # "… from the drone attack on Konotop"
    r"\s+(?:has\s+|had\s+)?(?:risen|rose|increased|climbed|grown|reached|jumped)\s+to\s+"
    rf"(?:at\s+least\s+)?(?P<k>{_COUNT})\b)"
)
_KILLED = frozenset({"killed", "dead", "died", "killing", "deaths", "fatalities"})


@dataclass(frozen=True)
class Facts:
    numbers: frozenset[str]
    names: frozenset[str]

    def within(self, others: list[Facts]) -> bool:
        """Whether this sentence's figures were all given already: the same counts said
        again in other words. (Names are no test: a story's sentences keep naming the same
        actors while they say new things; dates are not figures.)"""
        if not self.numbers:
            return False
        return self.numbers <= frozenset().union(*(o.numbers for o in others))


_COUNTING = frozenset(w for w, n in NUMBER_WORDS.items() if n > 1)  # "one", "a": too common
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


def facts_of(sentence: str) -> Facts:
    numbers: set[str] = set()
    if _DIGIT.search(sentence):  # (dates and figures all hold a digit)
        figures = _DATE.sub(" ", sentence)  # "on 2 June", "in 2025" date an event, count nothing
        numbers = {n.replace(",", "") for n in _NUMBER.findall(figures)}
    numbers |= {
        str(NUMBER_WORDS[w]) for w in _COUNTING.intersection(_WORD.findall(sentence.casefold()))
    }
    names = frozenset(
        (m[:-2] if m.endswith(("'s", "’s")) else m).casefold()  # Zelensky's: Zelensky
        for m in _NAME.findall(sentence)
        if len(m) > 2
    )
    return Facts(frozenset(numbers), names)


def is_label(sentence: str) -> bool:
    """Page furniture that looks like a sentence: "Read also: …", "Details: …"."""
    return bool(_LABEL.match(sentence))


_HEADING_WORDS = r"[A-Z][a-z]+(?: (?:and|&|of|[A-Za-z][a-z]+)){0,2}"  # "Time and Location"
_HEADING = re.compile(rf"^({_HEADING_WORDS}):\s+(?=[A-Z])")
_HEADINGS = re.compile(rf"(?:^|\n|[.!?]\s+){_HEADING_WORDS}:\s+(?=[A-Z])")


def without_heading(sentence: str, text: str) -> str:
    """The sentence without a run-in heading ("Time and Location: The strike occurred…"), as
    articles written in sections open their paragraphs. Only a text with two or more such
    headings is written so: a single "Peskov: Moscow is ready…" keeps its speaker. What is
    left is still a verbatim tail of the sentence."""
    match = _HEADING.match(sentence)
    if match is None or len(_HEADINGS.findall(text)) < 2:
        return sentence
    rest = sentence[match.end() :]
    return rest if len(rest.split()) >= 5 else sentence


def leans_on(sentence: str) -> tuple[str, str] | None:
    """What an unintroduced sentence leans on: ("thing", "video") for "The video was posted…",
    ("pronoun", "he") for "He added…" (and "some of them" for "Some of them target…"); None
    when it stands on its own."""
    match = _LEANING.match(sentence)
    if match is None:
        return None
    if match.group("thing"):
        return "thing", match.group("thing").casefold()
    return "pronoun", (match.group("pronoun") or match.group("part")).casefold()


def tolls(sentence: str) -> dict[str, str]:
    """Counts of people killed or hurt that a sentence gives: {"killed": "3"} (a number
    spelt out is given in figures: "ten" and "10" are one count)."""
    found: dict[str, str] = {}
    for match in _TOLL.finditer(sentence):
        number = (match.group("n") or match.group("m") or match.group("k")).casefold()
        number = str(NUMBER_WORDS[number]) if number in NUMBER_WORDS else number.replace(",", "")
        said = match.group("kind") or match.group("verb") or match.group("noun").split()[-1]
        kind = "killed" if said.casefold() in _KILLED or "toll" in said.casefold() else "hurt"
        found.setdefault(kind, number)
    return found
