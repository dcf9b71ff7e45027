"""`briefing check` renders every template against small briefings made here in code — one
with a bit of everything a template may show, and an empty day — and an archive, so a
misspelt attribute (`b.storycount`), a filter that fails on its value or a broken block is
reported at check time with its file and line, not at 07:00 by the scheduled build."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .. import __version__
from ..errors import ConfigError
from ..models import (
    Archive,
    ArchiveEntry,
    ArchiveStory,
    Briefing,
    Item,
    Section,
    Sentence,
    SourceLine,
    Story,
)
from .formats import RENDERERS
from .site import render_archive
from .templates import Templates

DAY = date(2025, 5, 28)


def sample_briefing(timezone: str = "UTC", empty: bool = False) -> Briefing:
    """A made-up briefing that takes every branch of the default templates: a developing story
    with tags, a cut sentence and one without a link, an undated item, a capped section, an
    empty section, a failed source with a note, items left out by the gate; `empty` is a day
    with nothing on the topic whose window is still open (provisional)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(DAY, time(), zone)

    def item(n: int, outlet: str, url: str | None, published: datetime | None) -> Item:
        title = f"Sample headline {n}: talks resume in Istanbul"
        return Item(f"item-{n}", f"source-{n % 2}", outlet, url, title, title, published, start)

    first = item(1, "Sample Wire", "https://wire.example/1", start + timedelta(hours=9))
    second = item(2, "Other Post", None, None)
    third = item(3, "Sample Wire", "https://wire.example/3", start + timedelta(hours=15))
    developing = Story(
        id="s-sample1",
        headline=first.title,
        items=[first, second],
        summary=[
            Sentence("Delegations met for a second round.", first.id, first.url, first.outlet),
            Sentence("Both sides spoke of progress", second.id, None, second.outlet, cut=True),
        ],
        first_reported=start - timedelta(days=1),
        developing=True,
        tags=["second"],
        section="first",
    )
    plain = Story(
        id="s-sample2",
        headline=third.title,
        items=[third],
        summary=[Sentence("A short statement followed.", third.id, third.url, third.outlet)],
        first_reported=third.published,
        section="first",
    )
    stories = [] if empty else [developing, plain]
    sections = [
        Section("first", "First section", "Described in *Markdown*.", stories, max_stories=1),
        Section("second", "Second section"),
    ]
    sources = [
        SourceLine("source-0", "Sample Wire", 0 if empty else 2, "ok"),
        SourceLine("source-1", "Other Post", 0 if empty else 1, "failed", "1 refused (empty)"),
    ]
    return Briefing(
        date=DAY,
        title="Sample briefing",
        timezone=timezone,
        window_start=start,
        window_end=start + timedelta(days=1),
        sections=sections,
        sources=sources,
        item_count=0 if empty else 3,
        story_count=0 if empty else 2,
        outlet_count=0 if empty else 2,
        dropped=2,
        generated_at=start + timedelta(days=1, hours=7),
        version=__version__,
        key_developments=list(stories),
        provisional=empty,  # the empty day is the open one: both notices are rendered
    )


def sample_archive(briefing: Briefing) -> Archive:
    """An archive of the sample day, a day without its JSON edition and an empty day."""
    folder = DAY.isoformat()
    files = {fmt: f"{folder}/briefing-{folder}.{fmt}" for fmt in ("html", "pdf", "md", "json")}
    full = ArchiveEntry(
        DAY,
        briefing.title,
        files,
        briefing.item_count,
        briefing.story_count,
        briefing.outlet_count,
        briefing.dropped,
        [ArchiveStory(s.id, s.headline, s.outlets) for s in briefing.key_developments],
        briefing.generated_at,
    )
    earlier = DAY - timedelta(days=1)
    bare = ArchiveEntry(earlier, "An older title", {"md": f"{earlier}/briefing-{earlier}.md"})
    oldest = DAY - timedelta(days=2)
    only_json = {"json": f"{oldest}/briefing-{oldest}.json"}
    empty = ArchiveEntry(oldest, briefing.title, only_json, 0, 0, 0, 0, [], None)
    full.provisional = True
    return Archive(briefing.title, [full, bare, empty])


def render_check(templates: Templates, timezone: str = "UTC") -> list[str]:
    """Every template rendered against the samples: one line per template that fails."""
    problems: list[str] = []
    full, empty = sample_briefing(timezone), sample_briefing(timezone, empty=True)
    attempts = [
        *((RENDERERS[fmt], b) for fmt in ("md", "html", "email") for b in (full, empty)),
        *((render_archive, a) for a in (sample_archive(full), Archive(full.title, []))),
    ]
    for render, subject in attempts:
        try:
            render(subject, templates)  # type: ignore[operator]
        except ConfigError as exc:
            problems += [p for p in exc.problems if p not in problems]
    return problems
