"""Compose: put classified stories into the configured sections, in order, with the counts."""

from __future__ import annotations

from datetime import date, datetime

from .. import __version__
from ..config import Config
from ..models import Briefing, Section, SourceLine, Story, story_rank
from .sections import IMPLICIT_CATCH_ALL


def compose(
    config: Config,
    day: date,
    window: tuple[datetime, datetime],
    stories: list[Story],
    dropped: int,
    statuses: dict[str, tuple[str, str]],
    catch_all: str,
    generated_at: datetime,
) -> Briefing:
    sections = [
        Section(s.id, s.title, s.description, max_stories=s.max_stories) for s in config.sections
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
    )
