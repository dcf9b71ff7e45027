"""Explain: why each item of a day's briefing landed where it did, or was left out.

For every item: the topic gate's decision with the terms behind it; for its story: the score of
every section with each matched term, where it matched (title or body) and what it added, the
exclude terms that ruled a section out, and the section the story landed in; and who a
headline's closing attribution names, whose words count as the text's, not the title's.
"""

from __future__ import annotations

from datetime import date

from ..config import Config
from ..models import Item, Story
from ..stories import Classifier, Match, TopicGate
from ..stories.assemble import assemble
from ..text.kinds import attribution
from ..text.plural import plural


def explain(config: Config, day: date, wanted: str | None = None) -> list[str]:
    """Lines of explanation for `day` (only items whose id starts with, or whose title
    contains, `wanted`). A day not built yet is assembled as a build would, but not recorded."""
    with config.open_store() as store:
        chosen, stories, _ = assemble(store, config, day, record=False)
    gate = TopicGate(config)
    classifier = Classifier(config)
    story_of: dict[str, Story] = {}
    classifier.assign_all(stories)
    for story in stories:
        for item in story.items:
            story_of[item.id] = story
    lines: list[str] = []
    titles = {s.id: s.title for s in config.sections}
    for item in chosen.items:
        if wanted and not (
            item.id.startswith(wanted) or wanted.casefold() in item.title.casefold()
        ):
            continue
        lines += _item_lines(item, gate, story_of.get(item.id), classifier, titles)
    if not lines:
        target = f" matching {wanted!r}" if wanted else ""
        lines.append(f"no items{target} in the briefing of {day.isoformat()}")
    return lines


def _item_lines(
    item: Item, gate: TopicGate, story: Story | None, classifier: Classifier, titles: dict[str, str]
) -> list[str]:
    when = item.when.isoformat(timespec="minutes")
    lines = [f"{item.id}  {item.outlet}  {when}", f"  {item.title}"]
    decision = gate.decide(item)
    verdict = "passed" if decision.passed else "dropped"
    lines.append(
        f"  topic gate: {verdict} (topic {decision.score:g}: {_terms(decision.matched)};"
        f" look-alike {_terms(decision.excluded)})"
    )
    if story is None:
        return [*lines, ""]
    _, speaker = attribution(item.title)
    if speaker:
        lines.append(f"  speaker: {speaker!r} (a headline's attribution: read as the text's lead)")
    others = len(story.items) - 1
    with_others = f" with {plural(others, 'other item')}" if others else ""
    lines.append(f"  story {story.id}{with_others}")
    for section_id, score, found, excluded in classifier.explain(story):
        detail = ", ".join(_match(m) for m in found) or "no match"
        if excluded:
            detail += f"; ruled out by {', '.join(excluded)}"
        lines.append(f"    {section_id:<14} {score:6.1f}  {detail}")
    landed = titles.get(story.section, story.section)
    tags = f" (also matches: {', '.join(story.tags)})" if story.tags else ""
    lines.append(f"  section: {story.section} — {landed}{tags}")
    return [*lines, ""]


def _match(m: Match) -> str:
    times = f" ×{m.count}" if m.count > 1 else ""
    kind = " (context)" if m.context else ""
    return f"{m.term}{kind} [{m.where}{times}] +{m.points:g}"


def _terms(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{t} [{w}]" for t, w in pairs) or "none"
