"""Is it one event? What two reports' facts (text/facts.py) say: the names, dates and counts
they share, and the facts that make them two events.

Bag-of-words similarity cannot tell two strikes of one day apart, or two rounds of talks:
they share most of their vocabulary. Two reports *conflict* when each states a fact the other
never mentions anywhere — a fact one of them merely leaves out is no conflict:

- dates: the days their leads give for the event never meet;
- regions: each opens in a region the other's opening never names (text/places.py);
- counts: one thing counted differently ("390 prisoners" / "84 prisoners");
- names: the names each leads with are mostly unknown to the other (another city struck,
  another meeting's members) — unless one is a title alone, which names too little for what
  it leaves out to count;
- a kind: one leads with prices moving ("Oil jumps 5% after sanctions") or with someone leaving
  a post ("Commander resigns after the strike"), the other with the event that led to it;
- a reaction: one leads with someone's reaction ("X slams the decision") whom the other never
  names, or answers the words of someone the other leads with ("Y dismissed X's claim") —
  a reaction is its own story unless it mostly retells the event, so it keeps only part of
  its similarity;
- elsewhere: one leads with names (two or more) the other almost never mentions ("Putin said
  the Dnipro strike tested a new missile" beside a report of the Storm Shadow strike) — it is
  about something else the two have in common, so it too keeps only part of its similarity;
- alike in names only: the names they lead with make most of their similarity (the chancellor's
  call to Putin, and a day later his refusal to send missiles): the same people, another
  action. A follow-up retells what happened, so such a later report does not continue the
  story at its full similarity (`named_share`, counted where stories continue).

Reports that agree on a stated date or count of the event are *more* alike than their words
say: a follow-up written a day later in other words restates when and how many.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..models import Item
from ..text.facts import Facts, read_facts
from ..text.places import any_alike
from ..text.similarity import ItemVectors
from .split import MIN_JOBS, Split

NAMES_APART = 0.2  # below this share of names mentioned both ways, two reports are two events
# below this share of one report's lead names (by weight) that the other mentions, the first is
# about something else: near the clustering threshold on the real labelled sets (the dense
# window, the development set) and the samples, 41 of 229 pairs of two events had so little and
# 1 of 261 pairs of one event (whose lead named one place)
NAMES_ELSEWHERE = 0.1
ELSEWHERE_NAMES = 2  # ... when it leads with at least this many names: one name is too few
# above this share of two reports' similarity made by the names they lead with, they are alike
# in who, not in what happened: from 0.7 to 0.8 it kept the same wrong links out on the dense
# window and the headline streams (one more on one stream at 0.7) and no right one
NAMED = 0.75
NAMES = "names"  # the conflict of two reports whose leads name others


@dataclass
class _Ahead:
    """The facts of the latest large day, read on two cores (split.py)."""

    facts: dict[str, tuple[Item, Facts]] = field(default_factory=dict)  # by item id
    pending: tuple[list[Item], Split[Item, Facts]] | None = None


_AHEAD = _Ahead()


def facts(item: Item) -> Facts:
    """An item's facts, read once: the outlet's own name is no name of the event. (Read ahead
    they are found by id, which hashes faster than the whole item, for this very item.)"""
    found = _AHEAD.facts.get(item.id)
    return found[1] if found is not None and found[0] is item else _read(item)


def forget() -> None:
    """Forget every item's facts read so far, as a new process has (a benchmark's cold run)."""
    _read.cache_clear()
    _AHEAD.facts = {}


@functools.lru_cache(maxsize=20_000)
def _read(item: Item) -> Facts:
    return read_facts(item.title, item.body, item.when.date(), item.outlet)


def read_ahead(items: Sequence[Item]) -> None:
    """Read a large day's facts at once, part of them in a forked child: on a 10,000-item day
    reading them is the largest part of clustering. What `reading_ahead` started is taken in
    here; only items it did not start are read."""
    _AHEAD.facts = {}
    if _AHEAD.pending is not None:
        wanted, split = _AHEAD.pending
        _AHEAD.pending = None
        _AHEAD.facts = _by_id(wanted, split.results())
    missing = [item for item in items if _AHEAD.facts.get(item.id, (None,))[0] is not item]
    if len(missing) >= MIN_JOBS:
        _AHEAD.facts.update(_by_id(missing, Split(_read, missing).results()))


def _by_id(items: list[Item], found: list[Facts]) -> dict[str, tuple[Item, Facts]]:
    return {item.id: (item, f) for item, f in zip(items, found, strict=True)}


@contextlib.contextmanager
def reading_ahead(items: Sequence[Item]) -> Iterator[None]:
    """Start reading `items`' facts in a forked child while the block does other work first;
    the block's clustering (read_ahead) takes them in. A child still reading when the block
    ends (an error came first) is stopped."""
    wanted = list(items)
    if len(wanted) >= MIN_JOBS:
        _AHEAD.facts = {}
        _AHEAD.pending = (wanted, Split(_read, wanted))
    try:
        yield
    finally:
        if _AHEAD.pending is not None:
            _AHEAD.pending[1].cancel()
            _AHEAD.pending = None


class Relation:
    """How two reports' facts agree: why they cannot be one event, if they cannot; whether one
    leads with a reaction the other never names, or with names the other almost never mentions
    (`elsewhere`); and (read on demand, for `explain`) what they share and what sets them
    apart."""

    def __init__(self, a: Facts, b: Facts, weight: Callable[[str], float]) -> None:
        self.a, self.b = a, b
        self.conflict = (
            _kind(a, b) or _dates_apart(a, b) or _counted_apart(a, b) or _placed_apart(a, b)
        )
        if self.conflict is None:
            there, back = _covered(a, b, weight), _covered(b, a, weight)
            self.coverage = min(there, back)
            short = a.titled_only or b.titled_only
            if max(there, back) < NAMES_APART and not short:
                self.conflict = NAMES  # (which names: `reason`, for explain)
            self.first_elsewhere = there <= back  # (which one: for explain)
            low = a if self.first_elsewhere else b
            self.elsewhere = (
                self.coverage < NAMES_ELSEWHERE
                and not short
                and len({n.key for n in low.names}) >= ELSEWHERE_NAMES
            )
        else:
            self.coverage = 0.0
            self.elsewhere = self.first_elsewhere = False
        self.reaction = _reaction(a, b) or _reaction(b, a)

    @property
    def reason(self) -> str | None:
        """The conflict, with the names each leads with that the other never mentions."""
        return _names_apart(self.a, self.b) if self.conflict == NAMES else self.conflict

    @property
    def dates(self) -> list[date]:
        """Days both leads give, before the later of them was published."""
        a, b = self.a, self.b
        return sorted(d for d in a.when & b.when if d < max(a.published, b.published))

    @property
    def counts(self) -> list[str]:
        """Counts both leads give."""
        return [f"{v:g} {n}" for n, v in sorted(self.a.counts & self.b.counts)]

    @property
    def agrees(self) -> bool:
        """Both state the same count of their event, the same day before one of them was
        published, or the same region in their openings: a follow-up says when, how many and
        where."""
        return self.conflict is None and bool(
            self.a.counts & self.b.counts or self.dates or self.same_region
        )

    @property
    def same_region(self) -> bool:
        """Both open in the same region, however it is spelt ("in the Sumy region")."""
        return bool(self.a.regions and any_alike(self.a.regions, self.b.regions))

    @property
    def names(self) -> list[str]:
        """Lead names both mention."""
        a, b = self.a, self.b
        keys = {n.key for n in a.names}
        return [n.shown for n in a.names if b.mentions_name(n.key)] + [
            n.shown for n in b.names if a.mentions_name(n.key) and n.key not in keys
        ]

    @property
    def apart(self) -> tuple[list[str], list[str]]:
        """Lead names of each that the other never mentions."""
        return _unknown(self.a, self.b), _unknown(self.b, self.a)


def named_share(a: Item, b: Item, vec: ItemVectors) -> float:
    """The share of two items' word similarity (the dot product of their unit vectors) that
    the names either leads with make."""
    va, vb = vec.of(a), vec.of(b)
    shared = va.keys() & vb.keys()
    total = math.fsum([va[t] * vb[t] for t in shared])
    if total <= 0:
        return 0.0
    names = {n.term for n in facts(a).names} | {n.term for n in facts(b).names}
    return math.fsum([va[t] * vb[t] for t in shared & names]) / total


def relate(a: Facts, b: Facts, weight: Callable[[str], float]) -> Relation:
    """How two reports' facts agree; names are weighed by `weight` (their rarity), so the
    beat's everyday names count little."""
    return Relation(a, b, weight)


def _covered(a: Facts, b: Facts, weight: Callable[[str], float]) -> float:
    """The share of a's lead names, by weight, that b mentions anywhere."""
    keys, weights, total = _weighed(a, weight)
    if not total:
        return 1.0
    mentions, spelt = b.mentions, b.mentions_name  # (most names are written alike)
    return sum(w for k, w in zip(keys, weights, strict=True) if k in mentions or spelt(k)) / total


_Weighed = tuple[Facts, Callable[[str], float], tuple[str, ...], tuple[float, ...], float]
_WEIGHED: dict[int, _Weighed] = {}
_WEIGHED_BY: list[Callable[[str], float]] = []


def _weighed(
    a: Facts, weight: Callable[[str], float]
) -> tuple[tuple[str, ...], tuple[float, ...], float]:
    """The keys of a's lead names, their weights and the weights' sum, kept while `weight` is
    the one in use (a report is compared with a dozen others); an entry made with another
    weight (another desk's clustering, in another thread) is made again."""
    if not _WEIGHED_BY or _WEIGHED_BY[0] is not weight:
        _WEIGHED.clear()  # (only the current day's are worth keeping)
        _WEIGHED_BY[:] = [weight]
    found = _WEIGHED.get(id(a))
    if found is None or found[0] is not a or found[1] is not weight:
        weights = tuple(weight(n.term) for n in a.names)
        found = (a, weight, tuple(n.key for n in a.names), weights, sum(weights))
        _WEIGHED[id(a)] = found
    return found[2], found[3], found[4]


def _unknown(a: Facts, b: Facts) -> list[str]:
    return [n.shown for n in a.names if not b.mentions_name(n.key)]


def _kind(a: Facts, b: Facts) -> str | None:
    """One leads with a market moving, or with someone leaving or taking a post, the other
    with what came before it: that reaction or consequence is its own story (text/kinds.py)."""
    if a.market != b.market:
        return "a market's move / its cause"
    if a.personnel != b.personnel:
        return "a post left or taken / what came before"
    return None


def _dates_apart(a: Facts, b: Facts) -> str | None:
    """Calendar dates that never meet. (Days given by weekday are not compared: a statement
    "on Thursday" may be about an incursion that began on Tuesday.)"""
    if a.dates and b.dates and not a.dates & b.days and not b.dates & a.days:
        return f"dates {_show(a.dates)} / {_show(b.dates)}"
    return None


def _counted_apart(a: Facts, b: Facts) -> str | None:
    for noun in sorted({n for n, _ in a.counts} & {n for n, _ in b.counts}):
        left = {v for n, v in a.counts if n == noun}
        right = {v for n, v in b.counts if n == noun}
        if not left & b.numbers and not right & a.numbers:
            return f"counts {_figures(left)} / {_figures(right)} {noun}"
    return None


def _placed_apart(a: Facts, b: Facts) -> str | None:
    """Each opens in a region the other's opening never names: two derailments, two strikes of
    one night in two regions (a report of one often mentions the other further down)."""
    if (
        a.regions
        and b.regions
        and not any_alike(a.regions, b.opening)
        and not any_alike(b.regions, a.opening)
    ):
        return f"regions {_shown(a.regions)} / {_shown(b.regions)}"
    return None


def _shown(regions: frozenset[str]) -> str:
    return ",".join(sorted(r.title() for r in regions))


def _reaction(a: Facts, b: Facts) -> str | None:
    """a leads with a reaction by someone b never names, or with an answer to the words of
    someone b leads with (and does not answer itself): the claim and its rebuttal."""
    keys = {n.key for n in a.speaker}
    if keys and not all(b.mentions_name(k) for k in keys) and keys != {n.key for n in b.speaker}:
        return (
            "reaction by " + " ".join(n.shown for n in a.speaker) + " (the other never names them)"
        )
    if a.answers and not b.answers:
        whose = [n.shown for n in b.names if n.key in a.answers]
        if whose:
            return f"answer to {whose[0]}'s words (the other leads with {whose[0]})"
    return None


def _names_apart(a: Facts, b: Facts) -> str:
    return f"names {','.join(_unknown(a, b)[:4])} / {','.join(_unknown(b, a)[:4])}"


def _figures(values: set[float]) -> str:
    return ",".join(f"{v:g}" for v in sorted(values))


def _show(dates: frozenset[date]) -> str:
    return ",".join(sorted(d.isoformat()[5:] for d in dates))
