"""The pipeline as one callable: what the CLI, the scheduler and the tests all run.

build() reads like a table of contents: collect, select the day's window, gate, cluster,
classify, compose, render, write.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from .classify import Classifier, TopicGate
from .cluster import cluster
from .collect import Progress, collect
from .compose import compose
from .config import FORMATS, LoadedConfig
from .models import BuildResult, Item, SourceReport
from .outputs import output_paths, write_all
from .render import RENDERERS, Templates, render_html
from .store import Store

log = logging.getLogger("briefing")


def window(config: LoadedConfig, day: date) -> tuple[datetime, datetime]:
    """D's calendar day in the config's time zone (23 or 25 hours long on clock-change days)."""
    zone = config.zone
    return (
        datetime.combine(day, time(0), zone),
        datetime.combine(day + timedelta(days=1), time(0), zone),
    )


def run_collect(config: LoadedConfig, on_done: Progress | None = None) -> list[SourceReport]:
    with Store(config.database_url) as store:
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
    with Store(config.database_url) as store:
        collected = collect(config, store, on_done) if collect_first else []
        span = window(config, day)
        items = store.items_between(*(t.astimezone(UTC) for t in span))
        kept, dropped = gate(config, items)
        stories = cluster(kept)
        classifier = Classifier(config)
        for story in stories:
            classifier.assign(story)
        reports = store.source_states()
        generated = store.mark_built(day)
    briefing = compose(
        config, day, span, stories, dropped, reports, classifier.catch_all, generated
    )
    rendered: dict[str, bytes] = {}
    html = None
    for fmt in FORMATS:
        if fmt not in formats:
            continue
        if fmt == "pdf":
            from .pdf import render_pdf

            html = html or render_html(briefing, templates)
            rendered[fmt] = render_pdf(html, templates.source("print.css"))
        else:
            text = RENDERERS[fmt](briefing, templates)
            html = text if fmt == "html" else html
            rendered[fmt] = text.encode("utf-8")
    paths = output_paths(config.output_dir, day, formats)
    write_all({paths[fmt]: data for fmt, data in rendered.items()})
    log.info(
        "built %s: %d stories from %d items (%d dropped by the topic gate)",
        day,
        briefing.story_count,
        briefing.item_count,
        dropped,
    )
    return BuildResult(briefing, {fmt: str(paths[fmt]) for fmt in rendered}, reports=collected)


def gate(config: LoadedConfig, items: list[Item]) -> tuple[list[Item], int]:
    """Items that pass the topic gate, and how many were dropped."""
    topic = TopicGate(config)
    kept = [item for item in items if topic.decide(item).passed]
    return kept, len(items) - len(kept)
