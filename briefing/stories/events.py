"""Is it one event? What two reports' facts (text/facts.py) say: the names, dates and counts
they share, and the facts that make them two events.

Bag-of-words similarity cannot tell two strikes of one day apart, or two rounds of talks:
they share most of their vocabulary. Two reports *conflict* when each states a fact the other
never mentions anywhere — a fact one of them merely leaves out is no conflict:

- dates: the days their leads give for the event never meet;
- counts: one thing counted differently ("390 prisoners" / "84 prisoners");
- names: the names each leads with are mostly unknown to the other (another city struck,
  another meeting's members);
- a reaction: one leads with someone's reaction ("X slams the decision") whom the other never
  names — a reaction is its own story.

Reports that agree on a stated date or count of the event are *more* alike than their words
say: a follow-up written a day later in other words restates when and how many.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..models import Item
from ..text.facts import Facts, read_facts

NAMES_APART = 0.2  # below this share of names mentioned both ways, two reports are two events


@functools.lru_cache(maxsize=20_000)
def facts(item: Item) -> Facts:
    """An item's facts, read once: the outlet's own name is no name of the event."""
    return read_facts(item.title, item.body, item.when.date(), item.outlet)


@dataclass
class Relation:
    """How two reports' facts agree: the share of each one's names the other mentions (the
    smaller of the two), what they share, and why they cannot be one event, if they cannot."""

    coverage: float
    conflict: str | None = None  # why they are two events
    reaction: str | None = None  # one leads with a reaction the other never names
    names: list[str] = field(default_factory=list)  # lead names both mention
    apart: tuple[list[str], list[str]] = ([], [])  # lead names the other never mentions
    dates: list[date] = field(default_factory=list)  # days both leads give
    counts: list[str] = field(default_factory=list)  # counts both leads give

    @property
    def agrees(self) -> bool:
        """Both state the same count of their event, or the same day before one of them was
        published: a follow-up says when its event happened."""
        return bool(self.dates or self.counts) and self.conflict is None


def relate(a: Facts, b: Facts, weight: Callable[[str], float]) -> Relation:
    """Coverage weighs names by `weight` (their rarity), so the beat's everyday names count
    little."""
    there, back = _covered(a, b, weight), _covered(b, a, weight)
    keys = {n.key for n in a.names}
    relation = Relation(
        coverage=min(there, back),
        names=[n.shown for n in a.names if n.key in b.mentions]
        + [n.shown for n in b.names if n.key in a.mentions and n.key not in keys],
        apart=(_unknown(a, b), _unknown(b, a)),
        dates=sorted(d for d in a.when & b.when if d < max(a.published, b.published)),
        counts=[f"{v:g} {n}" for n, v in sorted(a.counts & b.counts)],
    )
    relation.conflict = (
        _dates_apart(a, b)
        or _counted_apart(a, b)
        or (_names_apart(a, b) if max(there, back) < NAMES_APART else None)
    )
    relation.reaction = _reaction(a, b) or _reaction(b, a)
    return relation


def _covered(a: Facts, b: Facts, weight: Callable[[str], float]) -> float:
    """The share of a's lead names, by weight, that b mentions anywhere."""
    total = sum(weight(n.term) for n in a.names)
    if not total:
        return 1.0
    return sum(weight(n.term) for n in a.names if n.key in b.mentions) / total


def _unknown(a: Facts, b: Facts) -> list[str]:
    return [n.shown for n in a.names if n.key not in b.mentions]


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


def _reaction(a: Facts, b: Facts) -> str | None:
    """a leads with a reaction by someone b never names."""
    keys = {n.key for n in a.speaker}
    if keys and not keys <= b.mentions and keys != {n.key for n in b.speaker}:
        return "reaction by " + " ".join(n.shown for n in a.speaker)
    return None


def _names_apart(a: Facts, b: Facts) -> str:
    return f"names {','.join(_unknown(a, b)[:4])} / {','.join(_unknown(b, a)[:4])}"


def _figures(values: set[float]) -> str:
    return ",".join(f"{v:g}" for v in sorted(values))


def _show(dates: frozenset[date]) -> str:
    return ",".join(sorted(d.isoformat()[5:] for d in dates))
