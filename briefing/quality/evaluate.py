"""Evaluate: measure the topic gate, story clustering and sections against labelled items.

The labelled items (labels.py) go into a temporary store the way collection stores items and
are built day by day exactly as `briefing build` would (same selection, gate, clustering and
cross-day linking), so what is measured is what users get. Clustering is scored on the on-topic
items: pairwise precision, recall and F1 over item pairs, B-cubed F1, and the events a reader
cannot see because their reports were merged into a story about another event.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from pathlib import Path

from ..config import Config
from ..models import Story
from ..pipeline import store_items
from ..store import Store
from ..stories import Classifier
from ..stories.also import gives_headline
from ..stories.assemble import assemble
from .labels import Labelled, load_all


@dataclass
class Scores:
    items: int
    days: int
    gate_correct: int
    gate_total: int
    pairwise: tuple[float, float, float]
    bcubed: tuple[float, float, float]
    errors: list[str]
    events: int = 0  # on-topic labelled events with a report in the briefing
    hidden: list[str] = field(default_factory=list)  # ... none of whose reports a reader sees

    def table(self) -> str:
        p, r, f = self.pairwise
        bp, br, bf = self.bcubed
        lines = [
            f"items {self.items} over {self.days} days",
            f"topic gate: {self.gate_correct}/{self.gate_total} correct "
            f"({self.gate_correct / max(self.gate_total, 1):.1%})",
            f"stories, pairwise: precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}",
            f"stories, B-cubed:  precision {bp:.3f}  recall {br:.3f}  F1 {bf:.3f}",
            f"events hidden: {len(self.hidden)} of {self.events} (every report in a story whose "
            "headline, summary and other headlines come from other events' reports)",
        ]
        if self.errors:
            lines += [f"  hidden {event}" for event in self.hidden]
        return "\n".join(lines + self.errors)


def run_days(config: Config, labelled: list[Labelled]) -> dict[str, Story]:
    """Build every labelled day as `briefing build` would; return each kept item's story."""
    days = sorted({lab.item.when.astimezone(config.zone).date() for lab in labelled})
    found: dict[str, Story] = {}
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{Path(tmp) / 'e.db'}") as store:
        store_items(store, config, (lab.item for lab in labelled))
        for day in days:
            _, stories, _ = assemble(store, config, day)
            store.mark_built(day)
            for story in stories:
                for item in story.items:
                    found[item.id] = story
    return found


def evaluate_stories(config: Config, labels_paths: list[Path], dense: bool = False) -> Scores:
    """Clustering scores; with `dense`, every item moved onto one day (labels.on_one_day)."""
    labelled = load_all(labels_paths, config.zone, dense)
    by_id = {lab.item.id: lab for lab in labelled}
    found = run_days(config, labelled)
    gate_correct = sum((lab.item.id in found) != lab.offtopic for lab in labelled)
    on_topic = [lab for lab in labelled if not lab.offtopic]
    truth = {lab.item.id: lab.story for lab in on_topic}
    guess = {i: found[i].id if i in found else "dropped:" + i for i in truth}
    events, hidden = _hidden(truth, found)
    return Scores(
        items=len(labelled),
        days=len({lab.item.when.astimezone(config.zone).date() for lab in labelled}),
        gate_correct=gate_correct,
        gate_total=len(labelled),
        pairwise=_pairwise(truth, guess),
        bcubed=_bcubed(truth, guess),
        errors=_errors(truth, guess, by_id),
        events=events,
        hidden=hidden,
    )


def evaluate_sections(
    config: Config,
    labels_paths: list[Path],
    mapping: dict[str, str] | None = None,
    dense: bool = False,
) -> tuple[str, list[str]]:
    """Macro-F1 of the primary section, per-section precision and recall, the gate's drop and
    keep rates, and a confusion matrix, as a printable report."""
    labelled = load_all(labels_paths, config.zone, dense)
    found = run_days(config, labelled)
    classifier = Classifier(config)
    classifier.assign_all(list({id(s): s for s in found.values()}.values()))
    mapping = mapping or {}
    ids = [s.id for s in config.sections]
    if classifier.catch_all not in ids:
        ids.append(classifier.catch_all)
    truth: list[str] = []
    guess: list[str] = []
    wrong: list[str] = []
    defensible = 0
    for lab in labelled:
        if lab.offtopic:
            continue
        want = mapping.get(lab.primary, lab.primary)
        got = found[lab.item.id].section if lab.item.id in found else "(dropped)"
        truth.append(want)
        guess.append(got)
        allowed = {want, *(mapping.get(a, a) for a in lab.alternatives)}
        defensible += got in allowed
        if got not in allowed:
            wrong.append(f"  {want:>13} -> {got:<13} {lab.item.title[:70]}")
    off = [lab for lab in labelled if lab.offtopic]
    on = [lab for lab in labelled if not lab.offtopic]
    dropped = sum(lab.item.id not in found for lab in off)
    kept = sum(lab.item.id in found for lab in on)
    lines = [f"items {len(labelled)}: {len(on)} on topic, {len(off)} off topic"]
    lines.append(
        f"topic gate: dropped {dropped}/{len(off)} off-topic "
        f"({dropped / max(len(off), 1):.1%}), kept {kept}/{len(on)} on-topic "
        f"({kept / max(len(on), 1):.1%})"
    )
    f1s = []
    for sid in ids:
        tp = sum(t == g == sid for t, g in zip(truth, guess, strict=True))
        predicted = sum(g == sid for g in guess)
        actual = sum(t == sid for t in truth)
        p = tp / predicted if predicted else (1.0 if not actual else 0.0)
        r = tp / actual if actual else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if actual:  # macro-F1 over the sections the labels use
            f1s.append(f1)
        lines.append(
            f"  {sid:<14} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  "
            f"({actual} labelled, {predicted} assigned)"
        )
    macro = sum(f1s) / len(f1s) if f1s else 0.0
    right = sum(t == g for t, g in zip(truth, guess, strict=True))
    n = max(len(truth), 1)
    lines.insert(
        2,
        f"sections: macro-F1 {macro:.3f}, accuracy {right / n:.1%}, "
        f"defensible {defensible / n:.1%} (the primary or a labelled alternative)",
    )
    lines += _tags(labelled, found, mapping)
    columns = [*ids, "(dropped)"]
    lines.append("confusion (rows: label, columns: assigned):")
    lines.append("  " + " " * 14 + " ".join(f"{c[:8]:>8}" for c in columns))
    order = {sid: index for index, sid in enumerate(ids)}
    for sid in sorted(set(truth) | set(ids), key=lambda x: (order.get(x, len(ids)), x)):
        row = [sum(t == sid and g == c for t, g in zip(truth, guess, strict=True)) for c in columns]
        lines.append(f"  {sid:<14}" + " ".join(f"{n:>8}" for n in row))
    return "\n".join(lines), wrong


def _tags(labelled: list[Labelled], found: dict[str, Story], mapping: dict[str, str]) -> list[str]:
    """How the sections shown for a story (its own and its "also in" tags) match the labels'
    `themes` (every section an item belongs in), where the labels give them."""
    tp = fp = fn = right = shown = 0
    for lab in labelled:
        story = found.get(lab.item.id)
        if lab.offtopic or not lab.themes or story is None:
            continue
        want = {mapping.get(t, t) for t in lab.themes}
        tags = set(story.tags)
        given = {story.section, *tags}
        tp, fp, fn = tp + len(given & want), fp + len(given - want), fn + len(want - given)
        right, shown = right + len(tags & want), shown + len(tags)
    if not tp + fp + fn:
        return []
    p, r, f = _prf(tp / max(tp + fp, 1), tp / max(tp + fn, 1))
    return [
        f"themes (section and tags against the labels' themes): precision {p:.3f}  recall "
        f"{r:.3f}  F1 {f:.3f}; tags shown {shown}, {right} of them among the themes"
    ]


def _pairwise(truth: dict[str, str], guess: dict[str, str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for a, b in combinations(sorted(truth), 2):
        same, joined = truth[a] == truth[b], guess[a] == guess[b]
        tp += same and joined
        fp += joined and not same
        fn += same and not joined
    return _prf(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def _bcubed(truth: dict[str, str], guess: dict[str, str]) -> tuple[float, float, float]:
    precision = recall = 0.0
    for i in truth:
        same_guess = {j for j in truth if guess[j] == guess[i]}
        same_truth = {j for j in truth if truth[j] == truth[i]}
        both = len(same_guess & same_truth)
        precision += both / len(same_guess)
        recall += both / len(same_truth)
    n = max(len(truth), 1)
    return _prf(precision / n, recall / n)


def _hidden(truth: dict[str, str], found: dict[str, Story]) -> tuple[int, list[str]]:
    """The events in the briefing, and those a reader cannot see: each of their reports sits in
    a story whose headline, summary and other headlines all come from other reports, so it is
    there only as an outlet's link under another event's headline. Losing an event so is worse than
    showing it twice, which pairwise recall already counts."""
    seen: set[str] = set()
    kept: set[str] = set()
    for item_id, event in truth.items():
        story = found.get(item_id)
        if story is None:
            continue
        kept.add(event)
        item = next(i for i in story.items if i.id == item_id)
        said = {s.item_id for s in story.summary + story.also}
        if gives_headline(item, story.headline) or item_id in said:
            seen.add(event)
    return len(kept), sorted(kept - seen)


def _prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _errors(truth: dict[str, str], guess: dict[str, str], by_id: dict[str, Labelled]) -> list[str]:
    """One line per wrongly joined or split pair, to see what to fix."""
    lines = []
    for a, b in combinations(sorted(truth, key=lambda i: by_id[i].item.when), 2):
        same, joined = truth[a] == truth[b], guess[a] == guess[b]
        if same != joined:
            kind = "split " if same else "joined"
            lines.append(f"  {kind} {_short(by_id[a])}  |  {_short(by_id[b])}")
    return lines[:40] + ([f"  … {len(lines) - 40} more"] if len(lines) > 40 else [])


def _short(lab: Labelled) -> str:
    day = lab.item.when.date().isoformat() if isinstance(lab.item.when, datetime) else ""
    return f"{day} {lab.item.outlet}: {lab.item.title[:50]}"
