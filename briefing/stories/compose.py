"""Compose: put classified stories into the configured sections, in order, with the counts and
the key developments a reader sees first."""

from __future__ import annotations

from datetime import date, datetime

from .. import __version__
from ..config import Config
from ..models import Briefing, Section, SourceLine, Story, story_rank
from ..text.similarity import is_cyrillic, words
from .digests import digest
from .sections import IMPLICIT_CATCH_ALL

KEY_DEVELOPMENTS = 5
DEVELOPING = 0.75  # a continued story weighs less: only what is new about it is news today
LATE = 0.5  # a story whose items all belong to an earlier window (they arrived late)
RETOLD = 0.85  # share of a story's headline-and-lead words that a chosen story's summary tells
SAME_EVENT = 0.5  # headline-and-lead words shared (Jaccard) when two stories tell one event


def compose(
    config: Config,
    day: date,
    window: tuple[datetime, datetime],
    stories: list[Story],
    dropped: int,
    statuses: dict[str, tuple[str, str]],
    catch_all: str,
    generated_at: datetime,
    off_topic: dict[str, int] | None = None,
) -> Briefing:
    """The briefing of `day`; `off_topic` counts, per source, the window's items the topic gate
    left out."""
    sections = [
        Section(s.id, s.title, s.description, max_stories=s.max_stories, priority=s.priority)
        for s in config.sections
    ]
    if catch_all not in {s.id for s in sections}:
        sections.append(Section(catch_all, IMPLICIT_CATCH_ALL[1]))
    by_id = {s.id: s for s in sections}
    for story in stories:
        by_id[story.section].stories.append(story)
    for section in sections:
        section.stories.sort(key=story_rank)
    items = [i for s in stories for i in s.items]
    per_source: dict[str, int] = {}
    for story in stories:
        for item in story.items:
            per_source[item.source] = per_source.get(item.source, 0) + 1
    source_lines = [
        SourceLine(
            name=src.name,
            outlet=src.outlet or "",
            items=per_source.get(src.name, 0),
            status=statuses.get(src.name, ("not collected", ""))[0],
            note=statuses.get(src.name, ("", ""))[1],
            off_topic=(off_topic or {}).get(src.name, 0),
        )
        for src in config.sources
    ]
    return Briefing(
        date=day,
        title=config.title,
        timezone=config.timezone,
        window_start=window[0],
        window_end=window[1],
        sections=sections,
        sources=source_lines,
        item_count=len(items),
        story_count=len(stories),
        outlet_count=len({i.outlet for i in items}),
        dropped=dropped,
        generated_at=generated_at,
        version=__version__,
        key_developments=key_developments(sections, window[0]),
    )


def _cyrillic(text: str) -> bool:
    """Written mostly in Cyrillic letters."""
    letters = [c for c in text if c.isalpha()]
    return sum(map(is_cyrillic, letters)) * 2 > len(letters)


def key_developments(sections: list[Section], opens: datetime) -> list[Story]:
    """The day's main events: the shown stories ranked by distinct outlets times their section's
    `priority` (less for a story continued from an earlier day or only late today, none for
    one written in another script than most of the day's stories), then
    freshness; a story that tells the same event as one already chosen (the same headline and
    lead, or a lead that the chosen story's summary already tells) is left out of this list,
    never out of its section, and so is a story of digests alone (key points, a recap): it
    sums up events, it is none."""
    cyrillic = {s.id: _cyrillic(s.headline) for sec in sections for s in sec.visible}
    most = sum(cyrillic.values()) * 2 > len(cyrillic)
    weight = {
        story.id: len(story.outlets)
        * section.priority
        * (DEVELOPING if story.developing else 1.0)
        * (LATE if story.latest < opens else 1.0)
        for section in sections
        for story in section.visible
    }
    ranked = sorted(
        (
            s
            for sec in sections
            for s in sec.visible
            if weight[s.id] > 0
            and not all(digest(i) for i in s.items)
            # a story in another script than most of the day's (Cyrillic in an English
            # briefing) stays in its section: its event is most often among the day's stories
            # in the briefing's language too, and two languages share too few words to be
            # found one event
            and cyrillic[s.id] == most
        ),
        key=lambda s: (-weight[s.id], -s.latest.timestamp(), s.id),
    )
    chosen: list[Story] = []
    seen: list[set[str]] = []
    told: list[set[str]] = []
    for story in ranked:
        gist = set(words(" ".join([story.headline, *(s.text for s in story.summary[:1])])))
        if any(len(gist & other) >= SAME_EVENT * len(gist | other) for other in seen):
            continue  # the same event told twice (two stories clustering kept apart)
        if any(len(gist & other) >= RETOLD * len(gist) for other in told):
            continue  # a short report whose every point a chosen story's summary already makes
        chosen.append(story)
        seen.append(gist)
        told.append(set(words(" ".join([story.headline, *(s.text for s in story.summary)]))))
        if len(chosen) == KEY_DEVELOPMENTS:
            break
    return chosen
