"""Cluster: one event, one story — duplicates merged, the same event across outlets and days
joined, and each story summarised only in its items' own words.

1. Exact duplicates (same canonical URL — one id already —, same outlet and normalised title, or
   identical text under another address) become one unit.
2. Units are joined by average-link agglomerative clustering on TF-IDF cosine similarity
   (text/similarity.py) of titles and leading paragraphs, only for items published within `hours` of
   each other: two groups merge while the mean similarity over all their item pairs is at least
   `threshold`. Average link keeps one stray shared word from chaining two events together.
   Two reports whose facts conflict (events.py: another day, another count, other names, a
   market's move and its cause) count CONFLICT, so a day of same-kind events does not melt into
   one story; a reaction by someone the other never names, or a report leading with names the
   other almost never mentions, keeps REACTION of its similarity.
   Candidate pairs come from an inverted index on words, so a 5,000-item day never compares
   every pair.
3. Digests (key points, recaps) take no part: each joins the one story it is mostly about, or
   stands alone (digests.py).
4. A new group whose mean similarity to a story shown in the last `lookback_days` briefings
   reaches `link_threshold` continues it (a restated day or count of its event adds AGREES):
   the story keeps its id and first report and is shown as developing, with only its new items.
5. Each story's headline and summary come from summary.py.
"""

from __future__ import annotations

import hashlib
import heapq
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import itemgetter

from ..models import Item, Story
from ..text.identity import normal_title
from ..text.similarity import ItemVectors, Vectorizer, cosine, evidence
from .digests import attach, digest
from .events import NAMED, Relation, facts, named_share, read_ahead, relate
from .split import split_map
from .summary import View, apply_view, make_story

NEIGHBOURS = 12  # candidate pairs kept per item
POSTING_SHARE = 0.05  # a word in more than this share of the day's items proposes no pairs
MIN_POSTINGS = 50
MAX_POSTINGS = 250  # ... nor a word in more than this many (a 5,000-item day's share): the cost
# of the candidates grows with the items, not with their square
MIN_EDGE = 0.5  # similarities below half the threshold are left out of the graph
FACTS_FLOOR = 0.75  # facts are read only for pairs at least this share of the threshold alike
LINK_CANDIDATES = 5  # earlier stories measured exactly per new group


@dataclass(frozen=True)
class StoryParams:
    threshold: float = 0.12
    link_threshold: float = 0.25
    hours: float = 48.0
    lookback_days: int = 2
    summary_sentences: int = 3
    lead_words: int = 100


@dataclass
class Clustering:
    """The day's stories and what to remember of them."""

    stories: list[Story]
    assigned: dict[str, str] = field(default_factory=dict)  # new item id -> story id
    new_stories: dict[str, datetime] = field(default_factory=dict)  # story id -> first report
    views: dict[str, View] = field(default_factory=dict)  # how stories without one were shown


def dedupe(items: list[Item]) -> list[list[Item]]:
    """Groups of exact duplicates, earliest first; most groups hold one item."""
    groups: list[list[Item]] = []
    by_key: dict[str, int] = {}
    for item in sorted(items, key=lambda i: (i.when, i.id)):
        keys = [f"t|{item.outlet.casefold()}|{normal_title(item.title)}"]
        body = " ".join(item.body.split()).casefold()
        if len(body) >= 200:
            keys.append("b|" + hashlib.sha256(body.encode()).hexdigest())
        index = next((by_key[k] for k in keys if k in by_key), None)
        if index is None:
            index = len(groups)
            groups.append([])
        groups[index].append(item)
        for key in keys:
            by_key.setdefault(key, index)
    return groups


def make_stories(
    new_items: list[Item],
    recorded: dict[str, list[Item]],
    recent: dict[str, list[Item]],
    origins: dict[str, tuple[datetime, str]],
    vectorizer: Vectorizer,
    day: str,
    params: StoryParams,
    views: dict[str, View] | None = None,
) -> Clustering:
    """Stories for one briefing.

    `new_items` are not in any briefing yet; `recorded` are this briefing's stories as its first
    build made them (story id -> items); `recent` the stories of earlier briefings within the
    lookback; `origins` when and where each known story was first reported; `views` how this
    briefing's first build showed its stories (kept, so a rebuild shows the same words)."""
    vec = ItemVectors(vectorizer, params.lead_words)
    digests = [item for item in new_items if digest(item)]
    reports = [item for item in new_items if not digest(item)]
    groups = _agglomerate(dedupe(reports), vec, params)
    linker = _Linker({**recent, **recorded}, vec, params)
    result = Clustering([])
    members: dict[str, list[Item]] = {sid: list(items) for sid, items in recorded.items()}
    origins = dict(origins)  # (the caller's stays as it was)
    for group in groups:
        story_id = linker.find(group)
        if story_id is None:
            story_id = "s-" + group[0].id[:16]
            result.new_stories[story_id] = group[0].when
            origins[story_id] = (group[0].when, day)
        members.setdefault(story_id, []).extend(group)
        for item in group:
            result.assigned[item.id] = story_id
    mostly = attach(digests, members, vec)
    for item in digests:
        story_id = mostly[item.id] or "s-" + item.id[:16]
        if story_id not in members:
            result.new_stories[story_id] = item.when
            origins[story_id] = (item.when, day)
        members.setdefault(story_id, []).append(item)
        result.assigned[item.id] = story_id
    views = views or {}
    jobs = []
    for story_id, items in members.items():
        first, first_day = origins.get(story_id, (min(i.when for i in items), day))
        jobs.append((story_id, items, first, first_day < day))
    made = split_map(partial(_story, vec=vec, sentences=params.summary_sentences), jobs)
    for (story_id, items, _, _), story in zip(jobs, made, strict=True):
        story.items = sorted(items, key=lambda i: (i.when, i.id))
        view = views.get(story_id)
        if view is not None and set(recorded.get(story_id, ())) >= set(items):
            apply_view(story, view)
        else:
            result.views[story_id] = (
                story.headline,
                [(s.item_id, s.text, s.cut) for s in story.summary],
            )
        result.stories.append(story)
    result.stories.sort(key=lambda s: (s.first_reported or s.latest, s.id))
    return result


def _story(job: tuple[str, list[Item], datetime, bool], vec: ItemVectors, sentences: int) -> Story:
    """The story without its items: the caller has them, and a second core need not send
    them back."""
    story_id, items, first, developing = job
    story = make_story(story_id, items, first, developing, vec, sentences)
    story.items = []
    return story


def _agglomerate(
    units: list[list[Item]], vec: ItemVectors, params: StoryParams
) -> list[list[Item]]:
    """Average-link clustering of units over a sparse graph of candidate pairs."""
    n = len(units)
    heads = [u[0] for u in units]
    index = _postings(heads, vec)  # (needs no facts: built while a child may be reading them)
    read_ahead(heads)
    sums = _neighbours(heads, index, vec, params)
    size = [1] * n
    alive = [True] * n
    members = [[i] for i in range(n)]
    # a pair below the threshold never merges (the loop would stop at it), so it is never
    # queued; its similarity still counts in the sums of the groups it joins
    threshold = params.threshold
    heap = [(-s, i, j) for i in range(n) for j, s in sums[i].items() if i < j and s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]):
            continue
        current = sums[i].get(j, 0.0) / (size[i] * size[j])
        if abs(current + neg) > 1e-12:
            continue  # stale entry; the fresh one is in the heap
        if current < params.threshold:
            break
        alive[j] = False
        members[i] += members[j]
        size[i] += size[j]
        for k, s in sums[j].items():
            if k == i or not alive[k]:
                continue
            sums[i][k] = sums[i].get(k, 0.0) + s
            sums[k][i] = sums[i][k]
            sums[k].pop(j, None)
        sums[i].pop(j, None)
        for k, s in sums[i].items():
            if alive[k] and (mean := s / (size[i] * size[k])) >= threshold:
                a, b = min(i, k), max(i, k)
                heapq.heappush(heap, (-mean, a, b))
    groups = []
    for i in range(n):
        if alive[i]:
            groups.append(
                sorted((it for u in members[i] for it in units[u]), key=lambda it: (it.when, it.id))
            )
    return groups


SAME_OUTLET = 0.8
# Without its strongest shared word, a pair below this (half the default threshold) is alike
# in that word only, and it counts no more than the next strongest: on real headline-only
# days one shared "troops", "EU" or "number" joined reports of different events
ONE_WORD = 0.06
CONFLICT = -1.0  # a pair of two events: it outweighs the pairs a merge would join
REACTION = 0.5  # what a reaction (or a report about something else) keeps of its similarity
AGREES = 0.1  # what a restated day or count of the event adds when a story continues
SAME_REGION = 0.03  # what opening in one region adds within a day (other regions conflict)


@dataclass
class Pair:
    """How two items compare, step by step (`briefing explain --with` prints it)."""

    cosine: float  # of their words
    one_word: str  # the word the pair is alike in alone, if it is (counted as the next one)
    relation: Relation  # of their facts
    same_outlet: bool
    similarity: float  # as clustering within a day counts it
    continuing: float  # as linking to an earlier briefing's story counts it
    named: float  # the share of the cosine the names they lead with make


def compare(a: Item, b: Item, vec: ItemVectors) -> Pair:
    cos, (_, word) = cosine(vec.of(a), vec.of(b)), evidence(vec.of(a), vec.of(b), ONE_WORD)
    relation, same = relate(facts(a), facts(b), vec.weight), _same_outlet(a, b)
    sims = _similarity(a, b, vec), _continues(a, b, vec)
    return Pair(cos, word, relation, same, *sims, named_share(a, b, vec))


def _same_outlet(a: Item, b: Item) -> bool:
    return a.outlet.casefold() == b.outlet.casefold()


def similarity(a: Item, b: Item, vec: ItemVectors) -> float:
    """Two items' similarity as clustering within a day counts it."""
    return _similarity(a, b, vec)


def continuing(a: Item, b: Item, vec: ItemVectors) -> float:
    """A new item's similarity to an item of an earlier briefing's story, as linking counts it."""
    return _continues(a, b, vec)


def _similarity(a: Item, b: Item, vec: ItemVectors, floor: float = 0.0) -> float:
    """Cosine similarity, raised where both open in one region, discounted for two items of
    one outlet (it rarely files two reports of one event, often two on one theme a day)."""
    sim, relation = _event_similarity(a, b, vec, floor)
    if sim > 0 and relation is not None and relation.same_region:
        sim += SAME_REGION
    return sim * SAME_OUTLET if _same_outlet(a, b) else sim


def _event_similarity(
    a: Item, b: Item, vec: ItemVectors, floor: float = 0.0
) -> tuple[float, Relation | None]:
    """Cosine similarity, or CONFLICT when the two reports state different facts of their
    event (events.py): however alike their words, they are two events, and the negative
    weight keeps average link from joining groups that hold them. A report that leads with a
    reaction the other never names counts REACTION of its similarity: only one that mostly
    retells the event still joins it; so does one that leads with names the other almost
    never mentions (what the two share is the background, not the event). Pairs less similar
    than `floor` are not read further: they would not join anyway. A pair alike in one word
    only counts that word no more than its next strongest (ONE_WORD)."""
    sim, _ = evidence(vec.of(a), vec.of(b), ONE_WORD)
    if sim < floor:
        return sim, None
    relation = relate(facts(a), facts(b), vec.weight)
    if relation.conflict:
        return CONFLICT, relation
    if relation.reaction or relation.elsewhere:
        sim *= REACTION
    return sim, relation


def _continues(a: Item, b: Item, vec: ItemVectors) -> float:
    """Similarity of a new item to one of an earlier briefing's story: REACTION of it when the
    names they lead with make most of it (events.NAMED: the same people, another action; a
    follow-up retells what happened), raised by AGREES when both state the same count or the
    same earlier day (a follow-up restates when and how many)."""
    sim, relation = _event_similarity(a, b, vec)
    if sim > 0 and relation is not None:
        if named_share(a, b, vec) > NAMED:
            sim *= REACTION
        if relation.agrees:
            sim += AGREES
    return sim


Postings = dict[str, tuple[list[int], list[float]]]


def _postings(heads: list[Item], vec: ItemVectors) -> Postings:
    """Each word's items (by position) and its weight in each."""
    postings: Postings = defaultdict(lambda: ([], []))
    for index, item in enumerate(heads):
        for term, weight in vec.of(item).items():
            indexes, weights = postings[term]
            indexes.append(index)
            weights.append(weight)
    return postings


def _neighbours(
    heads: list[Item], postings: Postings, vec: ItemVectors, params: StoryParams
) -> list[dict[int, float]]:
    """A sparse similarity graph: each item's NEIGHBOURS most similar items.

    Dot products are accumulated through an inverted index over the words that are rare
    enough to tell events apart (in at most POSTING_SHARE of the day's items); the best
    candidates then get their exact similarity. Cost grows with the items, not their pairs."""
    n = len(heads)
    vectors = [vec.of(item) for item in heads]
    cap = max(MIN_POSTINGS, min(int(n * POSTING_SHARE), MAX_POSTINGS))
    limit = params.hours * 3600
    stamps = [item.when.timestamp() for item in heads]
    floor, edge = params.threshold * FACTS_FLOOR, params.threshold * MIN_EDGE

    def row(i: int) -> list[tuple[int, float]]:
        """Item i's edges to later items."""
        dots: dict[int, float] = defaultdict(float)
        for term, weight in vectors[i].items():
            indexes, weights = postings[term]
            if len(indexes) > cap:
                continue
            later = bisect_right(indexes, i)  # each pair once: only items after this one
            for j, other in zip(indexes[later:], weights[later:], strict=False):  # same length
                dots[j] += weight * other
        # what heapq.nlargest gives (its documented equivalent), with the key in C
        best = sorted(dots.items(), key=itemgetter(1), reverse=True)[:NEIGHBOURS]
        edges = []
        for j, _ in best:
            if abs(stamps[i] - stamps[j]) <= limit:
                sim = _similarity(heads[i], heads[j], vec, floor)
                if sim >= edge or sim < 0:
                    edges.append((j, sim))
        return edges

    rows = split_map(row, range(n))
    sums: list[dict[int, float]] = [{} for _ in range(n)]
    for i in range(n):
        for j, sim in rows[i]:
            sums[i][j] = sums[j][i] = sim
    return sums


class _Linker:
    """Finds the earlier story a new group continues, through an inverted index over the
    earlier stories' words, so a day's groups are never compared with every stored story."""

    def __init__(self, known: dict[str, list[Item]], vec: ItemVectors, params: StoryParams) -> None:
        self.known = known
        self.vec = vec
        self.params = params
        self.postings: dict[str, set[str]] = defaultdict(set)
        for story_id, items in known.items():
            for item in items:
                for term in vec.of(item):
                    self.postings[term].add(story_id)
        self.cap = max(MIN_POSTINGS, int(len(known) * POSTING_SHARE))

    def find(self, group: list[Item]) -> str | None:
        """The known story whose mean similarity to the group reaches link_threshold, if any."""
        if not self.known:
            return None
        scores: dict[str, float] = defaultdict(float)
        for item in group:
            for term, weight in self.vec.of(item).items():
                stories = self.postings.get(term, ())
                if len(stories) <= self.cap:
                    for story_id in stories:
                        scores[story_id] += weight
        best, best_sim = None, self.params.link_threshold
        limit = self.params.hours * 3600
        for story_id, _ in heapq.nlargest(LINK_CANDIDATES, scores.items(), key=lambda kv: kv[1]):
            items = self.known[story_id]
            sims = [
                _continues(a, b, self.vec)
                if abs((a.when - b.when).total_seconds()) <= limit
                else 0.0
                for a in group
                for b in items
            ]
            mean = sum(sims) / len(sims)
            if mean >= best_sim:
                best, best_sim = story_id, mean
        return best
