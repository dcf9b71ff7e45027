"""Sections: the topic gate for items, and keyword rules that put each story in one section.

Terms are case-insensitive whole words or phrases; `*` matches any word ending (`negotiat*`).
A term found in the titles counts 3, else in a text's lead (its first LEAD_WORDS words) 1, else
further down half that: a report states its event first and gives background after, so a list
of the weapons sent last year at the foot of a UN speech does not make it a battlefield story.
A second and third mention in the same place add half as much again, no more, so a long article
that repeats a word is not worth much more than a short one that states it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ..config import Config, SectionConfig
from ..models import Item, Story
from ..text.kinds import QUALIFIES, attribution
from .digests import digest
from .split import split_map

TITLE_WEIGHT = 3.0
RULE_BLEND = 0.3  # how much an unsure rule score (scaled to 0..1) adds to a section's similarity
BODY_WEIGHT = 1.0
# Where a text's lead ends, and what a term first found after it counts: measured on every
# labelled set (README, "Sections"), any cut from 80 to 160 words and a weight of a third to two
# thirds place the same real stories better than counting the whole text alike
LEAD_WORDS = 120
LATER_WEIGHT = 0.5
# what joins a story's reports into one text to score: no report's own text holds it (its lines
# are stripped), so each report's share can be told apart again (`TermSet.most`)
REPORTS = " \n "
_REPORTS = re.compile(re.escape(REPORTS))
# A story is tagged "also in" another section that passes only when that section scores at least
# this share of the best one: a report on sanctions that mentions the war in passing is not
# also a battlefield story (measured against the labelled themes of the real sets: README,
# "Tags")
TAG_SHARE = 1 / 3
IMPLICIT_CATCH_ALL = ("other", "Other developments")


def term_pattern(term: str) -> str:
    words = term.strip().split()
    return r"\s+".join(re.escape(w).replace(r"\*", r"\w*") for w in words)


Term = str | dict[str, float]  # "ceasefire", or {"ceasefire": 2} to weigh a term


def _repeats(n: int) -> float:
    """A second and third mention in the same place add half as much again; more add nothing."""
    return 1 + 0.5 * (min(n, 3) - 1)


_WORD = re.compile(r"\w+")


def _needs(term: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words a text must contain for `term` to match it: whole words, and the starts of
    words that end in `*`."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for word in term.split():
        literal, star, _ = word.partition("*")
        parts = _WORD.findall(literal.casefold())
        if star and parts and _WORD.fullmatch(literal[-1]):
            prefixes.append(parts.pop())
        exact.update(parts)
    return frozenset(exact), tuple(prefixes)


@lru_cache(maxsize=256)
def _words(text: str) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """A text's words, as a set and sorted, and their first two letters (one story's text is
    read by every section)."""
    # dotted and dotless i fold to "i" in the regex's IGNORECASE but not in casefold()
    found = frozenset(_WORD.findall(text.replace("İ", "i").replace("ı", "i").casefold()))
    return found, tuple(sorted(found)), frozenset(w[:2] for w in found)


class TermSet:
    """Terms (with weights) compiled into one regex that reports which terms matched.

    Scanning a text with an alternation of many terms costs every term at every position, so a
    text is first checked for the words each term needs, and only the terms it could contain
    are scanned for (in their configured order, so overlapping terms match as before)."""

    def __init__(self, terms: Sequence[Term], unless: str = "") -> None:
        self._unless = f"(?!{unless})" if unless else ""  # what may not follow a term
        pairs: list[tuple[str, float]] = []
        for term in terms:
            items = term.items() if isinstance(term, dict) else [(term, 1.0)]
            pairs += [(t, float(w)) for t, w in items if t.strip().strip("*")]
        self.terms = [t for t, _ in pairs]
        self.weights = dict(pairs)
        self._needs = [_needs(t) for t in self.terms]
        # each term filed under one word it needs, so a text meets only the terms its words allow
        self._by_word: dict[str, list[int]] = {}
        # terms that need only the starts of words, filed under the first two letters of one
        self._by_start: dict[str, list[int]] = {}
        self._unfiled: list[int] = []  # (a start of one letter, or no word at all: "!!")
        for i, (exact, starts) in enumerate(self._needs):
            if exact:
                self._by_word.setdefault(min(exact), []).append(i)
            elif starts and len(starts[0]) > 1:
                self._by_start.setdefault(starts[0][:2], []).append(i)
            else:
                self._unfiled.append(i)
        self._filed = frozenset(self._by_word)
        self._starts = frozenset(self._by_start)
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}

    def _regex(self, indices: tuple[int, ...]) -> re.Pattern[str]:
        regex = self._compiled.get(indices)
        if regex is None:
            if len(self._compiled) > 2048:
                self._compiled.clear()
            alternatives = "|".join(f"(?P<t{i}>{term_pattern(self.terms[i])})" for i in indices)
            regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w){self._unless}", re.IGNORECASE)
            self._compiled[indices] = regex
        return regex

    def _candidates(self, text: str) -> tuple[int, ...]:
        words, ordered, heads = _words(text)

        def has_prefix(start: str) -> bool:
            i = bisect_left(ordered, start)
            return i < len(ordered) and ordered[i].startswith(start)

        possible = [*self._unfiled]
        for head in heads & self._starts:  # (frozensets: the smaller one is walked)
            possible += self._by_start[head]
        for word in words & self._filed:
            possible += self._by_word[word]
        needs = self._needs
        return tuple(
            i
            for i in sorted(possible)
            if needs[i][0] <= words and (not needs[i][1] or all(map(has_prefix, needs[i][1])))
        )

    def counts(self, text: str) -> dict[str, int]:
        """How often each term occurs in `text`."""
        hits: dict[str, int] = {}
        if not self.terms or not text:
            return hits
        indices = self._candidates(text)
        if not indices:
            return hits
        for match in self._regex(indices).finditer(text):
            term = self.terms[int(match.lastgroup[1:])]  # type: ignore[index]
            hits[term] = hits.get(term, 0) + 1
        return hits

    def most(self, text: str) -> dict[str, int]:
        """How often each term occurs in the one of `text`'s reports (joined by REPORTS) that
        says it most (in one pass over the whole text, as `counts` makes)."""
        if REPORTS not in text:
            return self.counts(text)
        indices = self._candidates(text) if self.terms else ()
        if not indices:
            return {}
        starts = [m.start() for m in _REPORTS.finditer(text)]
        each: dict[tuple[str, int], int] = {}
        for match in self._regex(indices).finditer(text):
            term = self.terms[int(match.lastgroup[1:])]  # type: ignore[index]
            where = (term, bisect_right(starts, match.start()))
            each[where] = each.get(where, 0) + 1
        most: dict[str, int] = {}
        for (term, _), n in each.items():
            most[term] = max(n, most.get(term, 0))
        return most

    def found(self, text: str) -> set[str]:
        return set(self.counts(text))

    def matches(self, title: str, body: str, later: str = "") -> list[Match]:
        """Each matched term with where it matched, how often, and what it adds to the score.

        A term in the titles counts TITLE_WEIGHT times its weight, else in the body (the texts'
        leads) BODY_WEIGHT times, else in `later` (the rest of the texts) LATER_WEIGHT times; a
        second and a third mention there add half as much again. Titles' mentions add up
        (several outlets headline the word); a text's count is the most any one report
        (joined by REPORTS) gives: a report about sanctions says so more than once, and two
        reports that each mention them once in passing still mention them in passing. A term
        of weight 0 only takes its words from the terms after it ("sanctions envoy" before
        "envoy"), so it is left out."""
        in_title = self.counts(title)
        out = [
            Match(t, "title", n, TITLE_WEIGHT * self.weights[t] * _repeats(n))
            for t, n in in_title.items()
        ]
        in_body = self.most(body)
        in_later = self.most(later)
        for term in [*in_body, *(t for t in in_later if t not in in_body)]:
            if term not in in_title:
                n = in_body.get(term) or in_later[term]
                where, weight = (
                    ("body", BODY_WEIGHT) if term in in_body else ("later", LATER_WEIGHT)
                )
                out.append(Match(term, where, n, weight * self.weights[term] * _repeats(n)))
        return sorted((m for m in out if m.points), key=lambda m: (-m.points, m.term))

    def score(self, title: str, body: str) -> tuple[float, list[tuple[str, str]]]:
        """Weighted score and the (term, where) pairs behind it."""
        found = self.matches(title, body)
        return sum(m.points for m in found), [(m.term, m.where) for m in found]


def _lead(text: str) -> tuple[str, str]:
    """A text's first LEAD_WORDS words and the rest; a short text is all lead."""
    words = text.split(maxsplit=LEAD_WORDS)
    if len(words) <= LEAD_WORDS:
        return text, ""
    rest = words.pop()
    return " ".join(words), rest


@dataclass(frozen=True)
class Match:
    term: str
    where: str  # "title" | "body" (a text's lead) | "later" (the rest of a text)
    count: int
    points: float
    context: bool = False  # a context term, counted only beside a keyword


@dataclass
class GateDecision:
    passed: bool
    score: float
    matched: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)


class TopicGate:
    """Keeps out items that are not about the topic, including look-alikes."""

    def __init__(self, config: Config) -> None:
        topic = config.topic
        self.require = TermSet(topic.require_any)
        self.exclude = TermSet(topic.exclude)
        self.min_score = topic.min_score

    def decide(self, item: Item) -> GateDecision:
        req, matched = self.require.score(item.title, item.body)
        exc, excluded = self.exclude.score(item.title, item.body)
        if not self.require.terms:
            return GateDecision(exc == 0, req, matched, excluded)
        return GateDecision(req >= self.min_score and req >= exc, req, matched, excluded)


def implicit_catch_all_id(taken: set[str]) -> str:
    """The id of the "Other developments" section a config without a catch-all gets: `other`,
    unless a configured section has that id."""
    base = IMPLICIT_CATCH_ALL[0]
    candidates = [base, *(f"{base}-{n}" for n in range(1, len(taken) + 1))]
    return next(c for c in candidates if c not in taken)


@dataclass
class SectionRule:
    config: SectionConfig
    keywords: TermSet
    exclude: TermSet
    context: TermSet


class Classifier:
    """Scores stories against each section's rules and picks the best one."""

    def __init__(self, config: Config) -> None:
        self.rules = [
            SectionRule(
                s, TermSet(s.keywords), TermSet(s.exclude), TermSet(s.context, unless=QUALIFIES)
            )
            for s in config.sections
        ]
        # a catch-all with keywords of its own (life under the war, domestic politics) competes
        # like any section; without keywords it only takes what nothing else does
        self._scored = [r for r in self.rules if r.keywords.terms or not r.config.catch_all]
        catch = next((s for s in config.sections if s.catch_all), None)
        taken = {s.id for s in config.sections}
        self._order = {s.id: i for i, s in enumerate(config.sections)}
        self.confident = config.classifier.confident
        self.embedding = config.classifier.kind == "embedding"
        self._described = [
            (s.id, "\n".join([s.title, s.description, *s.examples])) for s in config.sections
        ]
        self._floor = config.classifier.min_similarity
        self._semantic: Any = None
        if catch is not None:
            self.catch_all = catch.id
        else:
            self.catch_all = implicit_catch_all_id(taken)

    def scores(self, story: Story) -> dict[str, float]:
        return {sid: score for sid, score, _, _ in self.explain(story)}

    def explain(self, story: Story) -> list[tuple[str, float, list[Match], list[str]]]:
        """Per section (a catch-all without keywords aside): score, the matches behind it, and
        the exclude terms that zeroed it. A story is scored on all its items' titles and texts
        together, less digests (key points, recaps: their words are other stories'); context
        terms count only beside a keyword, so naming a leader alone places nothing."""
        reports = [item for item in story.items if not digest(item)] or story.items
        heads = [attribution(item.title) for item in reports]
        title = REPORTS.join(head for head, _ in heads)
        leads, later = [], []
        for item, (_, speaker) in zip(reports, heads, strict=True):
            lead, rest = _lead(item.body)
            leads.append(f"{speaker}. {lead}" if speaker else lead)
            later.append(rest)
        body = REPORTS.join(leads)
        rest = REPORTS.join(later)
        out = []
        whole = title + "\n" + body + "\n" + rest
        for rule in self._scored:
            found = rule.keywords.matches(title, body, rest)
            if found:
                context = [
                    replace(m, context=True) for m in rule.context.matches(title, body, rest)
                ]
                found = sorted(found + context, key=lambda m: (-m.points, m.term))
            score = sum(m.points for m in found)
            excluded = sorted(rule.exclude.found(whole)) if score and rule.exclude.terms else []
            out.append((rule.config.id, 0.0 if excluded else score, found, excluded))
        return out

    def assign_all(self, stories: list[Story]) -> None:
        """Place every story; with the embedding classifier, the rules' unsure stories go to
        the section whose description and examples they are closest to."""
        unsure = []
        for story, placed in zip(stories, split_map(self.placement, stories), strict=True):
            story.section, story.score, story.tags = placed  # (a large day's on two cores)
            if self.embedding and not self._confident(story):
                unsure.append(story)
        if unsure:
            if self._semantic is None:  # the model loads only when a story needs it
                from .semantic import SemanticSections

                self._semantic = SemanticSections(self._described, self._floor)
            for story, sims in zip(unsure, self._semantic.similarities(unsure), strict=True):
                rules = self.scores(story)
                combined = {
                    sid: sim + RULE_BLEND * min(rules.get(sid, 0.0), 10.0) / 10.0
                    for sid, sim in sims.items()
                }
                section = max(combined, key=lambda sid: (combined[sid], -self._order[sid]))
                similarity = sims[section]
                chosen = section if similarity >= self._floor else self.catch_all
                if chosen != story.section:
                    story.tags = [
                        t for t in {story.section, *story.tags} - {chosen, self.catch_all}
                    ]
                    story.tags.sort(key=lambda sid: self._order.get(sid, 0))
                    story.section = chosen
                story.score = similarity

    def _confident(self, story: Story) -> bool:
        scores = [*sorted(self.scores(story).values(), reverse=True), 0.0, 0.0]
        return scores[0] >= self.confident and scores[0] >= 1.5 * scores[1]

    def assign(self, story: Story) -> None:
        """Set the story's section, score and tags (other sections that also match, with at
        least TAG_SHARE of the best score). A section must reach its `min_score` on keywords
        alone; context terms only rank those that do."""
        story.section, story.score, story.tags = self.placement(story)

    def placement(self, story: Story) -> tuple[str, float, list[str]]:
        """The section, score and tags `assign` sets."""
        passing = []
        for rule, (sid, score, found, _) in zip(self._scored, self.explain(story), strict=True):
            own = sum(m.points for m in found if not m.context)
            if score > 0 and own >= rule.config.min_score:
                passing.append((sid, score))
        if not passing:
            return self.catch_all, 0.0, []
        best = max(passing, key=lambda p: p[1])  # max keeps the first of equals: config order
        tags = [sid for sid, score in passing if sid != best[0] and score >= TAG_SHARE * best[1]]
        return best[0], best[1], tags
