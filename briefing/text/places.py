"""The regions a report's opening places its event in ("in the Poltava region", "the
Zaporizhzhia and Kherson oblasts", "the region of Odesa").

Two strikes, two derailments or two floods of one night in two regions share their whole
vocabulary, and a report of one often mentions the other further down ("the second such attack
of the night"), so the names the whole text mentions cannot tell them apart. Where its
event happened is what a report says first, and at the level of a region it is written in one
regular way in English, whatever the country: that is what is read here. Nothing lists the
beat's places.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .similarity import STOPWORDS

_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?"  # "Kursk", "Nizhny Novgorod"
_LIST = rf"{_NAME}(?:\s*(?:,|and|&)\s*(?:the\s+)?{_NAME})*"  # "Kharkiv, Sumy and Chernihiv"
_KIND = r"(?:[Rr]egion|[Oo]blast|[Pp]rovince|[Kk]rai|[Gg]overnorate)s?"
_KINDS = ("region", "oblast", "province", "krai", "governorate")
_BEFORE = re.compile(rf"({_LIST})\s+{_KIND}\b")
_AFTER = re.compile(rf"\b{_KIND}\s+of\s+({_LIST})")
_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*(?:the\s+)?")
_POSSESSIVE = re.compile(r"['’]s$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def regions(text: str) -> list[str]:
    """The region names `text` gives, as written ("Kursk", "Bryansk"); a country a region is
    named with ("Russia's Kursk region") is no region."""
    found: list[str] = []
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


def placed(opening: str, key: Callable[[str], str]) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of the regions a report's opening (its title and first sentence) gives, and,
    when it gives any, the keys of every word of that opening: what another report's regions
    are looked up in."""
    found = frozenset(key(name) for name in regions(opening))
    return found, frozenset(key(w) for w in _WORD.findall(opening)) if found else frozenset()
