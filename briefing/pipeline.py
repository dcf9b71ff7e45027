"""The pipeline as one callable: what the CLI, the scheduler and the tests all run.

build() reads like a table of contents: collect, select the day's window, gate, cluster,
classify, compose, render, write.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from .classify import Classifier, TopicGate
from .cluster import StoryParams, make_stories
from .collect import Progress, collect
from .compose import compose
from .config import FORMATS, LoadedConfig
from .errors import WorkError
from .models import BuildResult, Item, SourceReport, Story
from .outputs import output_paths, write_all
from .render import RENDERERS, Templates, render_html
from .select import Selection, select
from .store import Store
from .textsim import Vectorizer, terms

log = logging.getLogger("briefing")


def run_collect(config: LoadedConfig, on_done: Progress | None = None) -> list[SourceReport]:
    with Store.for_config(config) as store:
        return collect(config, store, on_done)


def build(
    config: LoadedConfig,
    day: date,
    formats: list[str] | None = None,
    collect_first: bool = True,
    on_done: Progress | None = None,
) -> BuildResult:
    """Build the briefing for `day` and write its files; return what was written."""
    formats = list(formats or config.output.formats)
    templates = Templates(config.templates_dir, config.zone)
    with Store.for_config(config) as store:
        collected = collect(config, store, on_done) if collect_first else []
        chosen, stories, dropped = assemble(store, config, day)
        classifier = Classifier(config)
        classifier.assign_all(stories)
        statuses = _statuses(store, config, day, chosen)
        generated = store.mark_built(day)
    briefing = compose(
        config, day, chosen.window, stories, dropped, statuses, classifier.catch_all, generated
    )
    rendered: dict[str, bytes] = {}
    problems: list[str] = []
    paths = output_paths(config.output_dir, day, formats)
    html = None
    for fmt in FORMATS:
        if fmt not in formats:
            continue
        if fmt == "pdf":
            from .pdf import render_pdf_within

            html = html or render_html(briefing, templates)
            css = templates.source("print.css")
            try:
                pdf = render_pdf_within(html, css, templates.roots, config.limits.pdf_timeout)
            except WorkError as exc:  # the PDF alone is lost: the other formats still appear
                others = "; the other formats were written" if len(formats) > 1 else ""
                problems.append(f"{paths[fmt]} not written: {exc}{others}")
                continue
            rendered[fmt] = pdf
        else:
            text = RENDERERS[fmt](briefing, templates)
            html = text if fmt == "html" else html
            rendered[fmt] = text.encode("utf-8")
    write_all({paths[fmt]: data for fmt, data in rendered.items()})
    log.info(
        "built %s: %d stories from %d items (%d dropped by the topic gate)",
        day,
        briefing.story_count,
        briefing.item_count,
        dropped,
    )
    files = {fmt: str(paths[fmt]) for fmt in rendered}
    return BuildResult(briefing, files, reports=collected, problems=problems)


def assemble(
    store: Store, config: LoadedConfig, day: date, record: bool = True
) -> tuple[Selection, list[Story], int]:
    """The day's items, through the topic gate, into stories (recorded unless `record` is
    False, which `explain` uses to look without changing what a later build will do)."""
    chosen = select(store, config, day)
    kept, dropped = gate(config, chosen.items)
    stories = _stories(store, config, day, chosen, kept, {i.id for i in dropped}, record)
    return chosen, stories, len(dropped)


def gate(config: LoadedConfig, items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Items that pass the topic gate, and those it drops."""
    topic = TopicGate(config)
    kept: list[Item] = []
    dropped: list[Item] = []
    for item in items:
        (kept if topic.decide(item).passed else dropped).append(item)
    return kept, dropped


def _stories(
    store: Store,
    config: LoadedConfig,
    day: date,
    chosen: Selection,
    kept: list[Item],
    dropped: set[str],
    record: bool = True,
) -> list[Story]:
    """Cluster the day's new items against its recorded and recent stories; record the result."""
    params = StoryParams(**config.stories.model_dump())
    recorded: dict[str, list[Item]] = {}
    new_items: list[Item] = []
    for item in kept:
        story_id = chosen.recorded.get(item.id)
        if story_id:
            recorded.setdefault(story_id, []).append(item)
        else:
            new_items.append(item)
    recent = store.story_members(day - timedelta(days=params.lookback_days), day)
    origins = store.story_origins([*recorded, *recent])
    everyone = [*kept, *(i for items in recent.values() for i in items)]
    vocabulary = {t for i in everyone for t in terms(i, params.lead_words)}
    vectorizer = Vectorizer(*store.term_stats(vocabulary))
    views = store.story_views(day)
    result = make_stories(
        new_items, recorded, recent, origins, vectorizer, day.isoformat(), params, views
    )
    assigned = {**result.assigned, **{i: "" for i in dropped if i not in chosen.recorded}}
    if record:
        store.record_briefing(day, assigned, result.new_stories, {}, result.views)
    return result.stories


def _statuses(
    store: Store, config: LoadedConfig, day: date, chosen: Selection
) -> dict[str, SourceReport]:
    """Source statuses as the first build saw them, so a rebuild prints the same note."""
    latest = store.source_states()
    if chosen.first_built is not None:
        kept = store.build_source_statuses(day)
        for name, status in kept.items():
            if name in latest:
                latest[name] = SourceReport(name, latest[name].type, status)
        return latest
    store.record_briefing(day, {}, {}, {n: r.status for n, r in latest.items()})
    return latest
