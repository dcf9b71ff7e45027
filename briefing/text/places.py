"""The regions a report's opening places its event in ("in the Poltava region", "the
Zaporizhzhia and Kherson oblasts", "the region of Odesa").

Two strikes, two derailments or two floods of one night in two regions share their whole
vocabulary, and a report of one often mentions the other further down ("the second such attack
of the night"), so the names the whole text mentions cannot tell them apart. Where its
event happened is what a report says first, and at the level of a region it is written in one
regular way in English, whatever the country: that is what is read here. Nothing lists the
beat's places. Outlets in Kyiv and in Moscow spell one region differently ("Zaporizhzhia",
"Zaporozhye"), so names are compared by their consonants (`skeleton`): one event's reports must
not be parted by a spelling.
"""

from __future__ import annotations

import re

from .similarity import STOPWORDS

_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?"  # "Kursk", "Nizhny Novgorod"
# "Kharkiv, Sumy and Chernihiv": a few names, never an unbounded run (a hostile text of
# "Aa, Aa, …" would cost the square of its length to try)
_LIST = rf"{_NAME}(?:\s*(?:,|and|&)\s*(?:the\s+)?{_NAME}){{0,5}}"
_KIND = r"(?:[Rr]egion|[Oo]blast|[Pp]rovince|[Kk]rai|[Gg]overnorate)s?"
OPENING_CHARS = 1000  # a title and a first sentence; a longer "sentence" is no news lead
_KINDS = ("region", "oblast", "province", "krai", "governorate")
_BEFORE = re.compile(rf"({_LIST})\s+{_KIND}\b")
# ("the region of Odesa"; "all regions of Ukraine" names a country)
_AFTER = re.compile(rf"\b(?:[Rr]egion|[Oo]blast|[Pp]rovince)\s+of\s+({_LIST})")
_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*(?:the\s+)?")
_POSSESSIVE = re.compile(r"['’]s$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_DIGRAPHS = (("kh", "x"), ("zh", "j"), ("ch", "c"), ("sh", "w"), ("ts", "c"))
_NOT_CONSONANT = re.compile(r"[^b-df-hj-np-tv-xz]")  # vowels, y, marks and apostrophes go
_REPEATED = re.compile(r"(.)\1+")


def regions(text: str) -> list[str]:
    """The region names `text` gives, as written ("Kursk", "Bryansk"); a country a region is
    named with ("Russia's Kursk region") is no region."""
    found: list[str] = []
    text = text[:OPENING_CHARS]
    folded = text.casefold()
    if not any(kind in folded for kind in _KINDS):
        return found  # (most openings name none: no need to run the patterns)
    for pattern in (_BEFORE, _AFTER):
        for match in pattern.finditer(text):
            for part in _SPLIT.split(match.group(1)):
                words = part.split()
                if words and _POSSESSIVE.search(words[0]):
                    words = words[1:]  # "Russia's Kursk" is Kursk
                possessive = any(_POSSESSIVE.search(w) for w in words)
                # ("The region's governor": no name)
                if words and not possessive and words[-1].casefold() not in STOPWORDS:
                    found.append(words[-1])
    return found


def placed(opening: str) -> tuple[frozenset[str], frozenset[str]]:
    """The regions a report's opening (its title and first sentence) gives, folded, and, when it
    gives any, the names of that opening, folded: what another report's regions are looked up
    in."""
    opening = opening[:OPENING_CHARS]
    found = frozenset(name.casefold() for name in regions(opening))
    if not found:
        return found, frozenset()
    # (only a capitalised word can name a region: the others need no comparing)
    names = {w.casefold() for w in _WORD.findall(opening) if w[0].isupper()}
    return found, frozenset(n for n in names if n not in STOPWORDS)


def skeleton(name: str) -> str:
    """A region's name as Kyiv and Moscow both spell it ("Zaporizhzhia", "Zaporozhye";
    "Luhansk", "Lugansk"; "Kyiv", "Kiev"; "Chernihiv", "Chernigov"): its consonants, the
    digraphs kept apart and h read as g, each once in a row."""
    consonants = _NOT_CONSONANT.sub("", _as_spoken(name))
    return _REPEATED.sub(r"\1", consonants)


def _as_spoken(name: str) -> str:
    """The name folded, its digraphs one letter each and h read as g."""
    folded = name.casefold()
    for digraph, letter in _DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return folded.replace("h", "g")


_VOWEL = re.compile(r"[aeiouy]")
_DOUBLED_CONSONANT = re.compile(r"([b-df-hj-np-tv-xz])\1+")


def spelling(name: str) -> str:
    """A name as Kyiv and Moscow both spell it, letter for letter ("Kyiv", "Kiev"; "Kharkiv",
    "Kharkov"; "Odesa", "Odessa"): its vowels levelled, h read as g, doubled consonants single.
    Stricter than `skeleton`, which also drops the vowels: names of people, unlike regions'
    names, are many and short, and "Maria" and "Moreau" share their consonants."""
    return _VOWEL.sub("a", _DOUBLED_CONSONANT.sub(r"\1", _as_spoken(name)))


def any_alike(names: frozenset[str], words: frozenset[str]) -> bool:
    """Whether any of `names` is one of `words`, however transliterated."""
    if not names.isdisjoint(words):
        return True
    forms = {form for n in names for form in _forms(skeleton(n))}
    return any(not forms.isdisjoint(_forms(skeleton(w))) for w in words)


def _forms(bones: str) -> tuple[str, ...]:
    """A skeleton, and without its first letter when enough is left to tell ("Mykolaiv" and
    "Nikolayev" differ only there)."""
    return (bones, "~" + bones[1:]) if len(bones) >= 4 else (bones,)
