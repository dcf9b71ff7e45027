"""A story's headline and summary, only in its items' own words.

The headline is the best printed headline among the items (headline.py); the summary is 2-3
sentences copied verbatim from the items, the most central item's lead first (an item readers
can click through to is preferred), then sentences from other items that add something
(maximal marginal relevance), those of one item in its order. A rebuild shows a recorded story
exactly as its first build did.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..models import Item, Sentence, Story
from ..text.sentences import (
    balanced,
    is_dateline,
    points_elsewhere,
    sentences,
    strip_dateline,
)
from ..text.similarity import STOPWORDS, ItemVectors, centroid, cosine, words
from .digests import digest
from .headline import choose_headline
from .sentence_facts import Facts, facts_of, is_label, leans_on, tolls, without_heading

SUMMARY_CHARS = 650
SUMMARY_ITEMS = 6  # the most central items a summary draws from
UNLINKED = 0.1  # how much less central an item without a link may be and still lead
MAX_REDUNDANCY = 0.25  # a sentence this similar to one already chosen says the same again
_ENDS = re.compile(r"[.!?…][\"'”’)\]]*$")  # bullets and headings are not summary sentences
SENTENCE_CHARS = 400
LEAD_SENTENCES = 4  # sentences of each item a summary may draw from
SPECIFIC = 0.02  # what each number or name a sentence gives adds to its relevance (up to 5)

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
    # a digest (key points, a recap) sums up other events too: its words speak for the story
    # only when the story is nothing else
    reports = [i for i in items if not digest(i)] or items
    centre = centroid([vec.of(i) for i in reports])
    # the most central report leads; one readers can click through to is preferred
    ranked = sorted(
        reports,
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


@dataclass(frozen=True)
class _Candidate:
    relevance: float
    position: int  # the sentence's place in its item
    text: str
    item: Item
    vector: dict[str, float]
    facts: Facts


def summarise(
    ranked: list[Item], centre: dict[str, float], vec: ItemVectors, limit: int = 3
) -> list[Sentence]:
    """Sentences copied from the items: the most central item's lead, then others that add a
    fact (specific ones first), and a figure an outlet gives differently, with its source."""
    candidates = _candidates(ranked, centre, vec)
    if not candidates:
        first = ranked[0]
        said = sentences(first.body, 2 * LEAD_SENTENCES)
        # a heading or a list line ("What you need to know") is no sentence to open with
        whole = (s for s in said if _ENDS.search(s) and len(s.split()) >= 5 and not is_label(s))
        text, cut = _clip(next(whole, said[0] if said else ""))
        if not text or _restates(text, first.title):
            return []  # (an aggregator's text: the title again, the outlet's name after it)
        return [Sentence(text, first.id, first.url, first.outlet, cut)]
    fit = [c for c in candidates if leans_on(c.text) is None] or candidates
    leading = [c for c in fit if c.item is ranked[0]]
    lead = next((c for c in leading if not (_vague(c) or _quoted(c.text))), None)
    lead = lead or next((c for c in leading if c.position == 0), fit[0])
    chosen = [lead]
    used = len(lead.text)
    while len(chosen) < limit:
        best, best_score = None, 0.05
        for cand in candidates:
            if any(cand is c for c in chosen) or used + len(cand.text) > SUMMARY_CHARS:
                continue
            redundancy = max(cosine(cand.vector, c.vector) for c in chosen)
            if redundancy > MAX_REDUNDANCY or cand.facts.within([c.facts for c in chosen]):
                continue  # says again what is said, in the same or in other words
            if not _introduced(cand, chosen):
                continue
            score = 0.7 * cand.relevance - 0.3 * redundancy
            if score > best_score:
                best, best_score = cand, score
        if best is None:
            break
        chosen.append(best)
        used += len(best.text)
    chosen = _in_order(chosen) + _disagreeing(chosen, candidates)
    return [Sentence(c.text, c.item.id, c.item.url, c.item.outlet) for c in chosen]


def _in_order(chosen: list[_Candidate]) -> list[_Candidate]:
    """The lead first, then each run of sentences from one report in that report's order: a
    run is printed as one excerpt, and chosen by relevance it can read out of the writer's
    order ("The ministry further reported …" after what the report says next). A run keeps
    the order it was chosen in where the report's would put a sentence before the one that
    introduces it, or after sentences that already give all its figures."""
    ordered = chosen[:1]
    start = 1
    while start < len(chosen):
        end = start + 1
        while end < len(chosen) and chosen[end].item is chosen[start].item:
            end += 1
        run = sorted(chosen[start:end], key=lambda c: c.position)
        if not _stands(run, ordered):
            run = chosen[start:end]
        ordered += run
        start = end
    return ordered


def _stands(run: list[_Candidate], before: list[_Candidate]) -> bool:
    """Each sentence of `run`, printed in this order after `before`, is introduced and adds
    a figure or name of its own (what selection checked in the order it chose them)."""
    shown = list(before)
    for cand in run:
        if not _introduced(cand, shown) or cand.facts.within([c.facts for c in shown]):
            return False
        shown.append(cand)
    return True


def _candidates(ranked: list[Item], centre: dict[str, float], vec: ItemVectors) -> list[_Candidate]:
    """The lead sentences of the most central items that may stand in a summary."""
    found = []
    for rank, item in enumerate(ranked[:SUMMARY_ITEMS]):
        for position, text in enumerate(sentences(item.body, LEAD_SENTENCES)):
            text = without_heading(strip_dateline(text), item.body)
            if len(text.split()) < 5 or len(text) > SENTENCE_CHARS or not _ENDS.search(text):
                continue
            if not balanced(text) or points_elsewhere(text) or is_label(text) or is_dateline(text):
                continue  # a quotation cut in two, "…, he wrote on X.", "Read also: …"
            vector = vec.vectorizer.vector(_bag(text))
            facts = facts_of(text)
            specific = SPECIFIC * min(len(facts.numbers) + len(facts.names), 5)
            relevance = cosine(vector, centre) - 0.05 * position - 0.02 * rank + specific
            found.append(_Candidate(relevance, position, text, item, vector, facts))
    return found


def _vague(cand: _Candidate) -> bool:
    """A sentence that names nothing and counts nothing ("A lot hinges on this visit."): a
    teaser, not a lead, when a sentence after it in the same report says what happened."""
    first = cand.text.split(maxsplit=1)[0].strip("\"'“‘(").casefold()
    return not (cand.facts.numbers or cand.facts.names) and first in STOPWORDS


def _quoted(text: str) -> bool:
    """A sentence that is all someone's words ("“We will not give up a single village.”"): its
    speaker is named elsewhere, so it does not lead."""
    if text[:1] in "“«":
        close = min((i for i in (text.find("”"), text.find("»")) if i >= 0), default=-1)
        return close == len(text) - 1
    return text[:1] == '"' and text.count('"') == 2 and text.endswith('"')


def _introduced(cand: _Candidate, chosen: list[_Candidate]) -> bool:
    """A sentence that leans on something ("The video…", "He added…") stands only where the
    summary has introduced it: the thing named before, or the sentence before it chosen."""
    leaning = leans_on(cand.text)
    if leaning is None:
        return True
    kind, word = leaning
    if kind == "thing":
        return any(word in c.text.casefold() for c in chosen)
    return any(c.item is cand.item and c.position == cand.position - 1 for c in chosen)


def _disagreeing(chosen: list[_Candidate], candidates: list[_Candidate]) -> list[_Candidate]:
    """Sentences of other outlets giving a different count of people killed or hurt than the
    summary does: a reader should see that the figures differ, and who gives which. The one
    that differs in most counts comes first ("10 killed and 55 injured" before "at least ten
    killed"); a count shown differently twice already is disputed enough (a third outlet's
    figure adds a sentence, not news)."""
    given: dict[str, set[str]] = {}
    outlets = {c.item.outlet for c in chosen}
    for c in chosen:
        for kind, number in tolls(c.text).items():
            given.setdefault(kind, set()).add(number)
    if not given:
        return []
    # each other outlet's sentence with the counts it gives, read once
    left = [(c, t) for c in candidates if c.item.outlet not in outlets and (t := tolls(c.text))]
    extra: list[_Candidate] = []
    while left and len(extra) < 2:
        new = [
            sum(
                kind in given and len(given[kind]) < 2 and n not in given[kind]
                for kind, n in t.items()
            )
            for _, t in left
        ]
        most = max(new)
        if not most:
            break
        best, counts = left[new.index(most)]  # (the first of equals: the more relevant)
        extra.append(best)
        left = [(c, t) for c, t in left if c.item.outlet != best.item.outlet]
        for kind, number in counts.items():
            given.setdefault(kind, set()).add(number)
    return extra


def _restates(text: str, title: str) -> bool:
    """The text is the title, perhaps with a few words (a name) after it."""
    said, head = " ".join(text.split()).casefold(), " ".join(title.split()).casefold()
    return bool(head) and said.startswith(head) and len(said[len(head) :].split()) <= 5


def _bag(text: str) -> Counter[str]:
    return Counter(words(text))


def _clip(text: str) -> tuple[str, bool]:
    """A verbatim prefix of an overlong sentence, cut at a word; renderers mark the cut."""
    if len(text) <= SENTENCE_CHARS:
        return text, False
    cut = text[:SENTENCE_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut, True
