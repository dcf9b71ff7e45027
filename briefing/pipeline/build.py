"""Build: the briefing of one day, from the store to its files. What the CLI, the scheduler and
the tests all call; it reads like a table of contents.

A day whose window has closed is recorded on its first build (which items and stories it held,
the source statuses it showed), so rebuilding it gives the same files. A day whose window is
still open is *provisional*: written, marked "as of" the build, and not recorded, so items
arriving later still join it. A day's stories continue those of the days before it; when those
days were never built, they are recorded first, in order, so a briefing does not depend on the
order in which days were built.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .. import clock
from ..config import Config
from ..errors import UsageError
from ..files import output_paths, write_all
from ..models import BuildResult
from .collect import Progress, collect

if TYPE_CHECKING:  # rendering and stories load when a briefing is built, not to collect
    from ..render import Templates
    from ..store import Store
    from ..stories import Selection

log = logging.getLogger("briefing")
CATCH_UP_DAYS = 31  # how far back unbuilt days are recorded before the day asked for


@dataclass
class Recorded:
    """What a build did to the record besides the day itself."""

    caught_up: list[date] = field(default_factory=list)  # earlier days recorded first
    added: int = 0  # --rebuild: items the briefing holds now and did not before
    removed: int = 0  # --rebuild: items it held before and does not now


def build(
    config: Config,
    day: date,
    formats: list[str] | None = None,
    collect_first: bool = True,
    on_done: Progress | None = None,
    rebuild: bool = False,
) -> BuildResult:
    """Build the briefing for `day` and write its files; return what was written. `rebuild`
    re-opens a recorded day: it is built as if for the first time."""
    from ..render import Templates

    formats = list(formats or config.output.formats)
    templates = Templates(config.templates_dir, config.zone)
    worker = None
    if "pdf" in formats:  # its imports and fonts load while we collect and cluster
        from ..render.pdf import PdfWorker

        worker = PdfWorker(templates.source("print.css"), templates.roots)
    try:
        return _build(config, day, formats, templates, collect_first, on_done, rebuild, worker)
    finally:
        if worker is not None:
            worker.close()


def _build(
    config: Config,
    day: date,
    formats: list[str],
    templates: Templates,
    collect_first: bool,
    on_done: Progress | None,
    rebuild: bool,
    worker: Any,
) -> BuildResult:
    from ..render import render_all
    from ..stories import Classifier, compose, day_window
    from ..stories.assemble import assemble

    now = clock.now()
    opens, closes = day_window(config, day)
    if now < opens:
        when = opens.strftime("%Y-%m-%d %H:%M")
        raise UsageError(f"{day}: its window opens at {when} ({config.timezone}); nothing to build")
    provisional = now < closes
    record = Recorded()
    with contextlib.ExitStack() as paused:
        with config.open_store() as store:
            collected = collect(config, store, on_done) if collect_first else []
            before = store.reopen(day) if rebuild else None
            record.caught_up = catch_up(store, config, day)  # (a month of days, perhaps)
            paused.enter_context(_collector_paused())  # the day itself, to its files
            chosen, stories, dropped = assemble(store, config, day, record=not provisional)
            classifier = Classifier(config)
            classifier.assign_all(stories)
            if provisional:
                states = store.source_states().items()
                statuses = {n: (r.status, r.note(with_reason=True)) for n, r in states}
                generated = now
            else:
                statuses = pin_source_statuses(store, day, chosen)
                generated = store.mark_built(day)
            now_shown = {item.id for story in stories for item in story.items}
            if before is not None:
                shown = {item_id for item_id, story in before.items() if story}
                record.added, record.removed = len(now_shown - shown), len(shown - now_shown)
        # (the window's items in no story: the ones the topic gate left out, by source)
        off_topic = Counter(item.source for item in chosen.items if item.id not in now_shown)
        briefing = compose(
            config,
            day,
            chosen.window,
            stories,
            dropped,
            statuses,
            classifier.catch_all,
            generated,
            off_topic,
        )
        briefing.provisional = provisional
        paths = output_paths(config.output_dir, day, formats)
        limit = config.limits.pdf_timeout
        rendered, problems = render_all(briefing, templates, formats, paths, limit, worker)
        write_all({paths[fmt]: data for fmt, data in rendered.items()})
        log.info(
            "built %s: %d stories from %d items (%d dropped by the topic gate)",
            day,
            briefing.story_count,
            briefing.item_count,
            dropped,
        )
    files = {fmt: str(paths[fmt]) for fmt in rendered}
    result = BuildResult(briefing, files, reports=collected, problems=problems)
    result.caught_up, result.rebuilt = record.caught_up, before is not None
    result.added, result.removed = record.added, record.removed
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while the day asked for is clustered, placed and
    rendered (not the earlier days a build may record first, which may be many): that makes
    millions of objects and little cyclic garbage (a 10,000-item day peaks at the same 210 MB
    either way), and each collection walked them again (0.13-0.18 s of its build). Afterwards
    what the build left joins the oldest generation at once (freeze, unfreeze: two list
    splices), so the next young collection does not walk it all; a long-running scheduler's
    later full collection frees the build's cycles."""
    was, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if not frozen:  # (a caller's own frozen objects stay frozen)
            gc.freeze()
            gc.unfreeze()
        if was:
            gc.enable()


def catch_up(store: Store, config: Config, day: date) -> list[date]:
    """Record, oldest first, the closed days before `day` that hold items but were never built,
    as far back as stories may continue (`stories.lookback_days` without such a day ends the
    walk): building days out of order then gives what building them in order gives."""
    from ..stories.assemble import assemble

    gap, missing = 0, []
    for back in range(1, CATCH_UP_DAYS + 1):
        earlier = day - timedelta(days=back)
        if store.first_built(earlier) is None and _holds_items(store, config, earlier):
            missing.append(earlier)
            gap = 0
        else:
            gap += 1
            if gap > config.stories.lookback_days:
                break
    for earlier in reversed(missing):
        chosen, stories, _ = assemble(store, config, earlier)
        pin_source_statuses(store, earlier, chosen)
        store.mark_built(earlier)
        log.info("recorded %s first (%d stories): %s continues them", earlier, len(stories), day)
    return sorted(missing)


def _holds_items(store: Store, config: Config, day: date) -> bool:
    from ..stories import day_window

    start, end = day_window(config, day)
    return store.has_items_between(start, end)


def pin_source_statuses(store: Store, day: date, chosen: Selection) -> dict[str, tuple[str, str]]:
    """Each source's status and note as the day's Sources note shows them: on its first build
    the latest ones, which are recorded then; on a rebuild the recorded ones, so it prints the
    same note."""
    latest = {n: (r.status, r.note(with_reason=True)) for n, r in store.source_states().items()}
    if chosen.first_built is not None:
        kept = store.build_source_statuses(day)
        return {name: kept.get(name, shown) for name, shown in latest.items()}
    store.record_briefing(day, {}, {}, latest)
    return latest
