"""Digests (text/digest.py) join at most the one story they are mostly about.

A key-points or recap item shares words with every event it lists, so it takes no part in
clustering: the day's other items are clustered first, then each of the digest's parts (its
lines or sentences) votes for the story whose report it is most like. The digest joins the
story that won most of the votes, and otherwise stands alone. Its words never
place a story in a section (sections.py reads a story's other items).
"""

from __future__ import annotations

import functools
import heapq
from collections import Counter, defaultdict

from ..models import Item
from ..text.digest import digest_parts, is_digest
from ..text.similarity import ItemVectors, cosine, words
from .events import facts, relate

CANDIDATES = 8  # reports measured exactly per part
PART_FLOOR = 0.06  # a part less like every report than this votes for no story
COMMON_SHARE = 0.05  # a word in more than this share of the reports proposes none
MIN_POSTINGS = 50


@functools.lru_cache(maxsize=20_000)
def digest(item: Item) -> bool:
    """Whether the item sums up many events (key points, a recap, a list)."""
    return is_digest(item.title, item.body)


def attach(
    digests: list[Item], stories: dict[str, list[Item]], vec: ItemVectors
) -> dict[str, str | None]:
    """Digest id -> the story it is mostly about, or None: each part votes for the story of
    the report most like it (when at least PART_FLOOR alike); the digest joins a story that
    won more than half of the votes and at least a third of its parts."""
    if not digests:
        return {}
    index = _Index(stories, vec)
    out: dict[str, str | None] = {}
    for item in digests:
        parts = digest_parts(item.body) or [item.title]
        votes: Counter[str] = Counter()
        barred = _Barred(item, index, vec)
        for part in parts:
            story_id = index.best(vec.vectorizer.vector(Counter(words(part))), barred)
            if story_id is not None:
                votes[story_id] += 1
        story_id, won = votes.most_common(1)[0] if votes else (None, 0)
        mostly = (
            story_id is not None
            and won * 2 > sum(votes.values())
            and (
                won * 3 >= len(parts)
                or (bool(item.title) and _titled(item.title, story_id, index, barred, vec))
            )
        )
        out[item.id] = story_id if mostly else None
    return out


class _Index:
    """The reports of the briefing's stories (digests aside), found through their words."""

    def __init__(self, stories: dict[str, list[Item]], vec: ItemVectors) -> None:
        self.vec = vec
        self.items: list[tuple[str, Item]] = [
            (sid, i) for sid, items in stories.items() for i in items if not digest(i)
        ]
        self.by_story: dict[str, list[Item]] = defaultdict(list)
        for story_id, item in self.items:
            self.by_story[story_id].append(item)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for n, (_, item) in enumerate(self.items):
            for term in vec.of(item):
                self.postings[term].append(n)
        self.cap = max(MIN_POSTINGS, int(len(self.items) * COMMON_SHARE))

    def best(self, part: dict[str, float], barred: _Barred) -> str | None:
        partial: dict[int, float] = defaultdict(float)
        for term, weight in part.items():
            found = self.postings.get(term, ())
            if len(found) <= self.cap:
                for n in found:
                    partial[n] += weight * self.vec.of(self.items[n][1])[term]
        top = heapq.nlargest(CANDIDATES, partial, key=partial.__getitem__)
        top = [n for n in top if not barred(self.items[n][0])]
        scored = [(cosine(part, self.vec.of(self.items[n][1])), n) for n in top]
        sim, n = max(scored, default=(0.0, -1))
        return self.items[n][0] if sim >= PART_FLOOR else None


class _Barred:
    """The stories a digest may not join: most of their reports state facts its own lead
    contradicts (events.py: another region, another day, another count). A fact box about one
    derailment votes with its lines, and they read like a second derailment's reports too.
    Worked out only for the stories its parts come near."""

    def __init__(self, item: Item, index: _Index, vec: ItemVectors) -> None:
        self.facts = facts(item)
        self.reports = index.by_story
        self.weight = vec.weight
        self.known: dict[str, bool] = {}

    def __call__(self, story_id: str) -> bool:
        found = self.known.get(story_id)
        if found is None:
            reports = self.reports[story_id]
            apart = sum(
                relate(self.facts, facts(r), self.weight).conflict is not None for r in reports
            )
            found = self.known[story_id] = apart * 2 > len(reports)
        return found


def _titled(title: str, story_id: str, index: _Index, barred: _Barred, vec: ItemVectors) -> bool:
    """Whether the digest's title names the story its parts voted for (a document's clauses
    under a title naming the talks): then the parts that match no story's report (clauses,
    figures) do not keep it apart."""
    return index.best(vec.vectorizer.vector(Counter(words(title))), barred) == story_id
