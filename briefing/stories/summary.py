"""A story's headline and summary, only in its items' own words.

The headline is the best printed headline among the items (headline.py); the summary is 2-3
sentences copied verbatim from the items, the most central item's lead first (an item readers
can click through to is preferred), then sentences from other items that add something
(maximal marginal relevance). A rebuild shows a recorded story exactly as its first build did.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from ..models import Item, Sentence, Story
from ..text.sentences import balanced, points_elsewhere, sentences, strip_dateline
from ..text.similarity import ItemVectors, centroid, cosine, words
from .headline import choose_headline

SUMMARY_CHARS = 650
SUMMARY_ITEMS = 6  # the most central items a summary draws from
UNLINKED = 0.1  # how much less central an item without a link may be and still lead
MAX_REDUNDANCY = 0.25  # a sentence this similar to one already chosen says the same again
_ENDS = re.compile(r"[.!?…][\"'”’)\]]*$")  # bullets and headings are not summary sentences
SENTENCE_CHARS = 400
LEAD_SENTENCES = 4  # sentences of each item a summary may draw from

View = tuple[str, list[tuple[str, str, bool]]]  # headline, summary as (item id, text, cut)


def apply_view(story: Story, view: View) -> None:
    """Show a recorded story exactly as its first build did."""
    by_id = {item.id: item for item in story.items}
    headline, summary = view
    if all(item_id in by_id for item_id, _, _ in summary):
        story.headline = headline
        story.summary = [
            Sentence(text, item_id, by_id[item_id].url, by_id[item_id].outlet, cut)
            for item_id, text, cut in summary
        ]


def make_story(
    story_id: str,
    items: list[Item],
    first: datetime,
    developing: bool,
    vec: ItemVectors,
    sentences_wanted: int,
) -> Story:
    items = sorted(items, key=lambda i: (i.when, i.id))
    centre = centroid([vec.of(i) for i in items])
    # the most central item leads; one readers can click through to is preferred
    ranked = sorted(
        items,
        key=lambda i: (
            -cosine(vec.of(i), centre) + (UNLINKED if i.url is None else 0.0),
            i.when,
            i.id,
        ),
    )
    summary = summarise(ranked, centre, vec, sentences_wanted)
    return Story(
        id=story_id,
        headline=choose_headline(ranked, summary[0].text if summary else None),
        items=items,
        summary=summary,
        first_reported=first,
        developing=developing,
    )


def summarise(
    ranked: list[Item], centre: dict[str, float], vec: ItemVectors, limit: int = 3
) -> list[Sentence]:
    """Sentences copied from the items: the most central item's lead, then others that add."""
    candidates: list[tuple[float, int, str, Item, dict[str, float]]] = []
    for rank, item in enumerate(ranked[:SUMMARY_ITEMS]):
        for position, text in enumerate(sentences(item.body, LEAD_SENTENCES)):
            text = strip_dateline(text)
            if len(text.split()) < 5 or len(text) > SENTENCE_CHARS or not _ENDS.search(text):
                continue
            if not balanced(text) or points_elsewhere(text):
                continue  # a quotation cut in two, or "…, he wrote on X." without the words
            sv = vec.vectorizer.vector(_bag(text))
            relevance = cosine(sv, centre) - 0.05 * position - 0.02 * rank
            candidates.append((relevance, position, text, item, sv))
    if not candidates:
        first = ranked[0]
        text, cut = _clip((sentences(first.body, 1) or [""])[0])
        return [Sentence(text, first.id, first.url, first.outlet, cut)] if text else []
    lead = next((c for c in candidates if c[3] is ranked[0] and c[1] == 0), candidates[0])
    chosen = [lead]
    used = len(lead[2])
    while len(chosen) < limit:
        best, best_score = None, 0.05
        for cand in candidates:
            if any(cand is c for c in chosen) or used + len(cand[2]) > SUMMARY_CHARS:
                continue
            redundancy = max(cosine(cand[4], c[4]) for c in chosen)
            if redundancy > MAX_REDUNDANCY:
                continue
            score = 0.7 * cand[0] - 0.3 * redundancy
            if score > best_score:
                best, best_score = cand, score
        if best is None:
            break
        chosen.append(best)
        used += len(best[2])
    return [Sentence(c[2], c[3].id, c[3].url, c[3].outlet) for c in chosen]


def _bag(text: str) -> Counter[str]:
    return Counter(words(text))


def _clip(text: str) -> tuple[str, bool]:
    """A verbatim prefix of an overlong sentence, cut at a word; renderers mark the cut."""
    if len(text) <= SENTENCE_CHARS:
        return text, False
    cut = text[:SENTENCE_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut, True
