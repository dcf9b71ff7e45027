"""Build: the briefing of one day, from the store to its files. What the CLI, the scheduler and
the tests all call; it reads like a table of contents."""

from __future__ import annotations

import logging
from datetime import date

from ..config import Config
from ..files import output_paths, write_all
from ..models import BuildResult
from ..render import Templates, render_all
from ..store import Store
from ..stories import Classifier, Selection, compose
from ..stories.assemble import assemble
from .collect import Progress, collect

log = logging.getLogger("briefing")


def build(
    config: Config,
    day: date,
    formats: list[str] | None = None,
    collect_first: bool = True,
    on_done: Progress | None = None,
) -> BuildResult:
    """Build the briefing for `day` and write its files; return what was written."""
    formats = list(formats or config.output.formats)
    templates = Templates(config.templates_dir, config.zone)
    with config.open_store() as store:
        collected = collect(config, store, on_done) if collect_first else []
        chosen, stories, dropped = assemble(store, config, day)
        classifier = Classifier(config)
        classifier.assign_all(stories)
        statuses = pin_source_statuses(store, day, chosen)
        generated = store.mark_built(day)
    briefing = compose(
        config, day, chosen.window, stories, dropped, statuses, classifier.catch_all, generated
    )
    paths = output_paths(config.output_dir, day, formats)
    rendered, problems = render_all(briefing, templates, formats, paths, config.limits.pdf_timeout)
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


def pin_source_statuses(store: Store, day: date, chosen: Selection) -> dict[str, tuple[str, str]]:
    """Each source's status and note as the day's Sources note shows them: on its first build
    the latest ones, which are recorded then; on a rebuild the recorded ones, so it prints the
    same note."""
    latest = {n: (r.status, r.note()) for n, r in store.source_states().items()}
    if chosen.first_built is not None:
        kept = store.build_source_statuses(day)
        return {name: kept.get(name, shown) for name, shown in latest.items()}
    store.record_briefing(day, {}, {}, latest)
    return latest
