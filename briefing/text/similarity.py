"""Text similarity that survives rewording: TF-IDF over titles and leading paragraphs.

Different outlets describe one event in different words, but they name the same people,
places, organisations and numbers, and those are rare words: inverse document frequency over
the recent store makes them weigh, while the common vocabulary of the beat ("said", "war",
"Ukraine" on a Ukraine desk) weighs almost nothing. Five-word shingles (MinHash) find only a
small share of same-event pairs written by different outlets; this finds most of them.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..models import Item

STOPWORDS = frozenset(
    """
    a about above after again against all also am amid among an and any are as at be because
    been before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is it
    its itself just me more most my no nor not now of off on once only or other our ours out
    over own per same she should so some such than that the their theirs them then there
    these they this those through to too under until up upon very via was we were what when
    where which while who whom why will with within without would you your yours said says
    say saying told tell according new one two three four five six seven eight nine ten
    first last year years week weeks day days month months time mr mrs ms dr percent cent
    may might must shall monday tuesday wednesday thursday friday saturday sunday today
    yesterday tomorrow earlier later latest news report reports reported update updates live
    """.split()  # noqa: SIM905
) | frozenset(  # Russian and Ukrainian: a store of mostly English finds them rare, not common
    """
    во не что он на со как то все она так его но да ты за бы по только ее её мне было вот от
    меня еще ещё нет из ему теперь когда даже ну ли если уже или ни быть был него до вас опять
    уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем
    была сам чтоб без чего раз тоже себе под будет тогда кто этот того потому этого какой ним
    здесь этом один почти тем чтобы нее сейчас были куда можно при два об другой после над
    больше тот через эти нас про всего них много три эту этой перед том такой им более между
    это также заявил заявила заявили сообщил сообщила сообщили сообщает сказал сказала года
    году год время который которые которая которое которых
    та що це але її їх він вона вони ви ти є була було були буде бути вже ще також тому цей ця
    ці цього цієї які який яка яке де коли якщо чи або ні тут після під між через без при
    більше можна треба лише тільки навіть усі всі весь своє свій своїх свою нам їм йому від
    заявив заявила заявили повідомив повідомила повідомили повідомляє сказав року році рік
    """.split()  # noqa: SIM905
)
CYRILLIC_STEM = 6  # letters a Cyrillic word is cut to: its endings change with its case


def is_cyrillic(char: str) -> bool:
    """A letter of the Cyrillic block (Russian, Ukrainian, Bulgarian…)."""
    return "\u0400" <= char <= "\u04ff"


_WORD = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]", re.UNICODE)


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light normaliser: case, possessives, plural -s; enough for matching across outlets.
    A Russian or Ukrainian word is cut to its first CYRILLIC_STEM letters (a stem by
    truncation, as information retrieval does for inflected languages), so "Житомирській" and
    "Житомирщину" meet."""
    w = word.casefold().replace("’", "'").strip(".'-")
    if w and is_cyrillic(w[0]):
        return w if w in STOPWORDS else w[:CYRILLIC_STEM]
    w = re.sub(r"'s$", "", w)
    w = w.replace(",", "")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_COUNTED: dict[str, str] = {}  # a word as written -> its stem, or "" when it is not counted


def words(text: str) -> list[str]:
    out = []
    counted = _COUNTED
    for raw in _WORD.findall(text):
        w = counted.get(raw)
        if w is None:
            w = _count(raw)
        if w:
            out.append(w)
    return out


def distinct_words(pieces: list[str]) -> set[str]:
    """The distinct `words` of a text split at whitespace: no word spans whitespace, so the
    text's words are its pieces' words, and a piece's words are looked up once per process
    (most pieces hold one word, remembered as that word; a piece of several, as a tuple)."""
    several: set[tuple[str, ...]] | None = None
    try:
        found: set[Any] = set(map(_PIECES.__getitem__, pieces))
    except KeyError:  # a piece not seen before: look up the new ones, then all at once again
        if len(_PIECES) + len(pieces) <= MAX_PIECES:
            for piece in {piece for piece in pieces if piece not in _PIECES}:
                _piece(piece)
            found = set(map(_PIECES.__getitem__, pieces))
        else:  # (no room to remember them all)
            found = set(map(_piece, pieces))
            several = {words_ for words_ in found if isinstance(words_, tuple)}
    if several is None:
        several = found & _SEVERAL if not found.isdisjoint(_SEVERAL) else set()
    found.discard("")
    for words_ in several:
        found.remove(words_)
        found.update(words_)
    return found


_PIECES: dict[str, str | tuple[str, ...]] = {}  # a piece as written -> its word(s), or ""
MAX_PIECES = 200_000  # pieces remembered (a process reads a day's items, or a run's)
_SEVERAL: set[tuple[str, ...]] = set()  # the pieces' words that are several words


def _piece(piece: str) -> str | tuple[str, ...]:
    found = _PIECES.get(piece)
    if found is None:
        listed = words(piece)
        found = listed[0] if len(listed) == 1 else tuple(listed) if listed else ""
        if len(_PIECES) < MAX_PIECES:
            _PIECES[piece] = found
            if isinstance(found, tuple):
                _SEVERAL.add(found)
    return found


def _count(raw: str) -> str:
    """A word as written -> its stem, or "" when it is not counted (remembered)."""
    w = stem(raw)
    if not (len(w) > 1 and w not in STOPWORDS and not (w.isdigit() and len(w) < 2)):
        w = ""
    if len(_COUNTED) < 200_000:
        _COUNTED[raw] = w
    return w


@functools.lru_cache(maxsize=20_000)
def terms(item: Item, lead_words: int = 100) -> Counter[str]:
    """Title words count twice: a headline states the event; a body wanders."""
    bag: Counter[str] = Counter()
    for w in words(item.title):
        bag[w] += 2
    for w in words(" ".join(item.body.split()[:lead_words])):
        bag[w] += 1
    return bag


class Vectorizer:
    """Unit TF-IDF vectors, with document frequencies counted over every stored item."""

    def __init__(self, n: int, df: dict[str, int]) -> None:
        self.n = n
        self.df = df
        self._idf: dict[str, float] = {}  # each term's weight, computed once

    @classmethod
    def from_bags(cls, bags: Iterable[Counter[str]]) -> Vectorizer:
        df: Counter[str] = Counter()
        n = 0
        for bag in bags:
            n += 1
            df.update(bag.keys())
        return cls(n, df)

    def idf(self, term: str) -> float:
        weight = self._idf.get(term)
        if weight is None:
            weight = math.log((self.n + 1) / (self.df.get(term, 0) + 1)) + 0.05
            self._idf[term] = weight
        return weight

    def vector(self, bag: Counter[str]) -> dict[str, float]:
        known, idf, log = self._idf, self.idf, math.log
        weights = {
            t: (known.get(t) or idf(t)) * (1.0 if c == 1 else 1 + log(c)) for t, c in bag.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two unit vectors over the words they share (the set intersection
    runs in C); `fsum` makes the result independent of the order the words come in."""
    return math.fsum([a[t] * b[t] for t in a.keys() & b.keys()])


def evidence(a: dict[str, float], b: dict[str, float], alone: float) -> tuple[float, str]:
    """The cosine of two unit vectors, unless it rests on one shared word: where the other
    shared words make less than `alone`, that word counts no more than the next strongest.
    Two headlines alike in one word ("troops", "EU", a number) are not one event; two longer
    texts share many words, and this leaves them as they are. Also the word, if one was capped.
    """
    shared = a.keys() & b.keys()
    parts = [a[t] * b[t] for t in shared]
    sim = math.fsum(parts)
    if not parts:
        return sim, ""
    top = max(parts)
    if sim < alone or sim - top >= alone:  # (a pair less alike than `alone` is left as it is)
        return sim, ""
    word = max(shared, key=lambda t: (a[t] * b[t], t))
    parts.remove(top)
    return math.fsum(parts) + max(parts, default=0.0), word


def centroid(vectors: list[dict[str, float]]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for v in vectors:
        total.update(v)
    norm = math.sqrt(sum(w * w for w in total.values())) or 1.0
    return {t: w / norm for t, w in total.items()}


class ItemVectors:
    """Item vectors, computed once per item."""

    def __init__(self, vectorizer: Vectorizer, lead_words: int) -> None:
        self.vectorizer = vectorizer
        self.lead_words = lead_words
        self._cache: dict[str, dict[str, float]] = {}
        self.weight = vectorizer.idf  # a word's rarity, read per pair (computed once)

    def of(self, item: Item) -> dict[str, float]:
        if item.id not in self._cache:
            self._cache[item.id] = self.vectorizer.vector(terms(item, self.lead_words))
        return self._cache[item.id]
