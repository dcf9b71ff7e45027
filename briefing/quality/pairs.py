"""Why two items were, or were not, put in one story (`briefing explain ITEM --with OTHER`).

Both items are looked up among the day's items and the stories of the earlier briefings the
day's clustering may continue. For the pair: the similarity of their words, what their facts
share (names, days, counts) and what sets them apart (a conflict, a reaction), the similarity
clustering counts, and whether the day's clustering joined them — and if not, the mean
similarity of the two stories it made, which average link compares with the threshold.
"""

from __future__ import annotations

from datetime import date
from itertools import product

from ..config import Config
from ..errors import UsageError
from ..models import Item, Story
from ..stories.assemble import assemble, context, gate
from ..stories.cluster import SAME_OUTLET, Pair, compare, continuing, similarity
from ..stories.events import NAMED, facts
from ..text.facts import Facts
from ..text.similarity import ItemVectors

MAX_CANDIDATES = 5  # matches listed when an item's words are ambiguous


def explain_pair(config: Config, day: date, wanted: str, other: str) -> list[str]:
    """Lines explaining how the items matching `wanted` and `other` compare on `day` (a day not
    built yet is assembled as a build would, without recording anything)."""
    with config.open_store() as store:
        chosen, stories, _ = assemble(store, config, day, record=False)
        kept, _ = gate(config, chosen.items)
        ctx = context(store, config, day, kept)
    earlier = {i.id: (sid, i) for sid, items in ctx.recent.items() for i in items}
    pool = {i.id: i for i in chosen.items} | {k: i for k, (_, i) in earlier.items()}
    a, b = _find(pool, wanted, day), _find(pool, other, day)
    story_of: dict[str, Story] = {i.id: s for s in stories for i in s.items}
    vec = ctx.vectors()
    pair = compare(a, b, vec)
    params = ctx.params
    lines = [_item("A", a), _item("B", b), *_facts(a, b, pair)]
    lines.append(
        f"  words: cosine {pair.cosine:.3f}"
        + (f" (alike in {pair.one_word!r} alone: counted as the next word)" * bool(pair.one_word))
        + f"; clustering counts {pair.similarity:.3f}"
        + (f" (× {SAME_OUTLET:g}: one outlet)" if pair.same_outlet and pair.similarity > 0 else "")
        + f", threshold {params.threshold:g}; continuing a story counts {pair.continuing:.3f},"
        f" link threshold {params.link_threshold:g}"
    )
    if pair.named > NAMED and pair.continuing > 0:
        lines.append(
            f"  alike in names only: the names they lead with make {pair.named:.0%} of their"
            " cosine (the same people, another action), so continuing counts half"
        )
    hours = abs((a.when - b.when).total_seconds()) / 3600
    if hours > params.hours:
        lines.append(
            f"  published {hours:.0f} hours apart: more than stories.hours ({params.hours:g})"
        )
    lines += _verdict(a, b, story_of, earlier, vec)
    return lines


def _find(pool: dict[str, Item], wanted: str, day: date) -> Item:
    """The one item whose id starts with `wanted`, or whose title contains it."""
    folded = wanted.casefold()
    found = [i for i in pool.values() if i.id.startswith(wanted)] or [
        i for i in pool.values() if folded in i.title.casefold()
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"no item matching {wanted!r} in the briefing of {day.isoformat()}")
    shown = "; ".join(f"{i.id[:12]} {i.title[:50]}" for i in found[:MAX_CANDIDATES])
    raise UsageError(f"{len(found)} items match {wanted!r}, give an id: {shown}")


def _item(label: str, item: Item) -> str:
    when = item.when.isoformat(timespec="minutes")
    return f"{label} {item.id}  {item.outlet}  {when}\n    {item.title}"


def _facts(a: Item, b: Item, pair: Pair) -> list[str]:
    fa, fb = facts(a), facts(b)
    rel = pair.relation
    only_a, only_b = rel.apart
    lines = [
        f"  names both mention: {_list(rel.names)}",
        f"  names only A leads with: {_list(only_a)}; only B: {_list(only_b)}",
        f"  days: A {_days(fa)}, B {_days(fb)}; counts: A {_counts(fa)}, B {_counts(fb)}",
    ]
    agree = [d.isoformat() for d in rel.dates] + rel.counts
    if agree:
        lines.append(f"  both state: {', '.join(agree)}")
    if rel.same_region and not rel.conflict:
        lines.append(f"  both open in: {_list(sorted(r.title() for r in fa.regions))}")
    if rel.reaction:
        lines.append(f"  reaction: {rel.reaction}")
    elif rel.elsewhere:
        side, shown = ("A", only_a) if rel.first_elsewhere else ("B", only_b)
        lines.append(
            f"  elsewhere: {side} leads with names the other almost never mentions"
            f" ({_list(shown)}), so what they share is background: counted half"
        )
    lines.append(f"  conflict: {rel.reason or 'none'}")
    return lines


def _verdict(
    a: Item,
    b: Item,
    story_of: dict[str, Story],
    earlier: dict[str, tuple[str, Item]],
    vec: ItemVectors,
) -> list[str]:
    sa, sb = _story_id(a, story_of, earlier), _story_id(b, story_of, earlier)
    if sa is None or sb is None:
        out = " and ".join(x for x, s in (("A", sa), ("B", sb)) if s is None)
        return [f"  not joined: the topic gate left out {out}"]
    if sa == sb:
        return [f"  joined: both in story {sa}"]
    lines = [
        f"  not joined: A in story {_shown(sa, a, earlier)}, B in story {_shown(sb, b, earlier)}"
    ]
    if a.id in earlier and b.id in earlier:
        return lines
    if a.id in earlier or b.id in earlier:
        new, old = (b, a) if a.id in earlier else (a, b)
        left = story_of[new.id].items
        right = [item for sid, item in earlier.values() if sid == earlier[old.id][0]]
        sims = [continuing(x, y, vec) for x, y in product(left, right)]
        kind = "continuing similarity (against the link threshold)"
    else:
        left = story_of[a.id].items
        right = story_of[b.id].items
        sims = [similarity(x, y, vec) for x, y in product(left, right)]
        kind = "similarity (against the threshold)"
    lines.append(
        f"  the {len(left)}×{len(right)} pairs of their stories have mean {kind} "
        f"{sum(sims) / len(sims):.3f}"
    )
    return lines


def _story_id(
    item: Item, story_of: dict[str, Story], earlier: dict[str, tuple[str, Item]]
) -> str | None:
    if item.id in story_of:
        return story_of[item.id].id
    return earlier[item.id][0] if item.id in earlier else None


def _shown(story_id: str, item: Item, earlier: dict[str, tuple[str, Item]]) -> str:
    return story_id + (" (an earlier briefing's)" if item.id in earlier else "")


def _list(words: list[str]) -> str:
    return ", ".join(dict.fromkeys(words)) or "none"


def _days(f: Facts) -> str:
    return ",".join(d.isoformat()[5:] for d in sorted(f.when)) or "none"


def _counts(f: Facts) -> str:
    return ", ".join(f"{v:g} {n}" for n, v in sorted(f.counts)) or "none"
