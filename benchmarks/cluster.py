"""Clustering speed and memory for one day's items (issue target: 5,000 items <= 2 s, <= 300 MB).

    python benchmarks/generate.py --items 5000 --out /tmp/wl5k
    python benchmarks/cluster.py /tmp/wl5k/labels.jsonl --runs 5

Prints the median (min-max) seconds of `make_stories` over the file's items, each run with what
earlier runs read of the items forgotten (as in a build, a new process), the peak memory that
call allocated (tracemalloc), and pairwise F1 against the file's story labels.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

from briefing.quality.labels import load_labels
from briefing.stories import StoryParams, make_stories
from briefing.stories.digests import digest
from briefing.stories.events import forget
from briefing.text.similarity import Vectorizer, terms

COLD = [terms.cache_clear, forget, digest.cache_clear]


def cold() -> None:
    """Forget what earlier runs read of the items, as a build in a new process does."""
    for forget_cached in COLD:
        forget_cached()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("labels", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--recent", type=Path, help="labels of earlier days' stories to link to")
    args = parser.parse_args()
    labelled = [lab for lab in load_labels(args.labels, ZoneInfo("UTC")) if not lab.offtopic]
    items = [lab.item for lab in labelled]
    params = StoryParams()
    recent: dict[str, list] = {}
    if args.recent:
        for lab in load_labels(args.recent, ZoneInfo("UTC")):
            recent.setdefault("old-" + lab.story, []).append(lab.item)
    everything = items + [i for group in recent.values() for i in group]
    vectorizer = Vectorizer.from_bags(terms(i, params.lead_words) for i in everything)
    times = []
    for _ in range(args.runs):
        cold()
        started = time.perf_counter()
        result = make_stories(items, {}, recent, {}, vectorizer, "2025-05-28", params)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    make_stories(items, {}, recent, {}, vectorizer, "2025-05-28", params)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    truth = {lab.item.id: lab.story for lab in labelled}
    guess = {i.id: s.id for s in result.stories for i in s.items if i.id in truth}
    tp = fp = fn = 0
    if len(truth) <= 6000:
        for a, b in combinations(truth, 2):
            same, joined = truth[a] == truth[b], guess[a] == guess[b]
            tp += same and joined
            fp += joined and not same
            fn += same and not joined
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print(
        f"items {len(items)}  earlier stories {len(recent)} ({len(everything) - len(items)} "
        f"items)  stories {len(result.stories)}"
    )
    print(
        f"make_stories: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
    )
    print(f"peak memory allocated: {peak / 1e6:.0f} MB")
    print(f"pairwise precision {p:.3f} recall {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")


if __name__ == "__main__":
    main()
