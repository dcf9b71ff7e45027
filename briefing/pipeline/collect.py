"""Collect: read every configured source, store new items, record each source's health.

Sources are read concurrently (network waits overlap, bounded by CONCURRENCY; many local files
are parsed in worker processes) and stored from this one thread. A source that fails is
reported in one line and skipped; the others still make the briefing. Each run's status per
source is kept in the store for the Sources note.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, fields, replace
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .. import clock
from ..config import Config
from ..models import Item, SourceReport
from ..sources import Fetched, ParseContext, SourceConfig, SourceFailure, read_documents
from ..sources.documents import NO_FILE
from ..sources.registry import OVER_MAX_ITEMS
from ..text.clean import truncate
from ..text.identity import without_tracking
from ..text.similarity import distinct_words

if TYPE_CHECKING:  # httpx loads only when a source fetches; the store (SQLAlchemy) only when
    # it is opened, so `briefing collect` parses local files while it loads (start_local)
    import httpx

    from ..store import Store

log = logging.getLogger("briefing")
CONCURRENCY = 16
PROCESS_MIN = 20  # local sources from which parsing is spread over processes
WORKER_NICENESS = 10  # how far parse workers yield to the storing process (`_background`)
MAX_OUTLET = 200  # characters of an outlet name (the store's column holds 300)

Progress = Callable[[SourceReport], None]


@dataclass(frozen=True)
class Reading:
    """What reading a source needs of its config; small and plain, so it can go to a worker
    process."""

    base_dir: Path  # the config file's folder, for relative paths
    zone: str
    title_chars: int
    body_chars: int
    lead_words: int

    @classmethod
    def of(cls, config: Config) -> Reading:
        limits = config.limits
        return cls(
            config.base_dir,
            config.timezone,
            limits.title_chars,
            limits.body_chars,
            config.stories.lead_words,
        )


@dataclass
class Started:
    """Local files already being parsed in worker processes, forked before the store was
    opened: the store's imports and opening overlap the parsing."""

    captured: datetime
    processes: ProcessPoolExecutor
    futures: dict[Future[Any], SourceConfig]

    def close(self) -> None:
        """Stop the workers (what is still queued is dropped) and let this process's collector
        walk what was frozen for them again; closing twice is harmless."""
        self.processes.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()

    def __enter__(self) -> Started:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def start_local(pairs: list[tuple[SourceConfig, Config]]) -> Started | None:
    """Fork the workers and give them the local files of these sources now (each with the
    config it came from), or None when collection would read them in this process."""
    local = _local([s for s, _ in pairs])
    if not local:
        return None
    reading = {s.name: Reading.of(c) for s, c in pairs}
    captured = clock.now()
    for kind in {type(s) for s in local}:
        kind.preload()  # imported once here, not in each worker
    # what the workers inherit is never collected there: the collector neither walks it nor
    # copies its pages in each worker (Python's advice for forking; 3 % of the command)
    gc.freeze()
    fork = multiprocessing.get_context("fork")
    processes = ProcessPoolExecutor(os.cpu_count(), mp_context=fork, initializer=_background)
    futures = {processes.submit(_read_local, s, reading[s.name], captured): s for s in local}
    return Started(captured, processes, futures)


def _background() -> None:
    """A worker yields to the storing process: that process is the slower of the two (it also
    imports and opens the store meanwhile), so parsing ahead of it gains nothing, and at the
    same priority three processes share two cores (collect of 10,000 entries: 0.72 -> 0.69 s)."""
    os.nice(WORKER_NICENESS)


def _local(every: list[SourceConfig]) -> list[SourceConfig]:
    """The sources whose local files are parsed in worker processes (none when there are few,
    one core, or other threads: forking is safe only while this process runs no other)."""
    local = [s for s in every if s.path and not s.needs_network()]
    if len(local) < PROCESS_MIN or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return []
    return local


def collect_into_store(config: Config, on_done: Progress | None = None) -> list[SourceReport]:
    """Open the config's store and collect its sources once."""
    with config.open_store() as store:
        return collect(config, store, on_done)


def collect(
    config: Config,
    store: Store,
    on_done: Progress | None = None,
    sources: list[tuple[SourceConfig, Config]] | None = None,
    started: Started | None = None,
) -> list[SourceReport]:
    """Collect all sources once; return one report per source, in config order.

    `sources` (each with the config it came from, which resolves its paths and time zone)
    replaces `config.sources` when several desks' configs are collected together; `started`
    holds the local files `start_local` already gave to workers for these sources."""
    captured = started.captured if started else clock.now()
    pairs = sources if sources is not None else [(s, config) for s in config.sources]
    reading = {s.name: Reading.of(c) for s, c in pairs}
    every = [s for s, _ in pairs]
    client = None
    if any(s.needs_network() for s in every):
        from ..sources.http import make_client

        client = make_client()
    validators = {
        s.name: store.http_validators(s.url) if s.url and client else (None, None) for s in every
    }
    reports: dict[str, SourceReport] = {}
    words: Counter[str] = Counter()  # word statistics, written once per run
    documents = 0
    try:
        # Parsing local files is CPU work: other processes use the other cores. Network
        # sources wait on the network: threads overlap the waits.
        # (processes first: they are forked at the first submit, before any thread starts)
        started = started or start_local(pairs)
        local = list(started.futures.values()) if started else []
        workers = max(1, min(CONCURRENCY, len(every) - len(local)))
        with (
            started if started else contextlib.nullcontext(),
            ThreadPoolExecutor(workers, "collect") as threads,
        ):
            futures: dict[Future[Any], SourceConfig] = dict(started.futures) if started else {}
            for s in every:
                if s not in local:
                    args = (s, reading[s.name], client, captured, validators[s.name])
                    futures[threads.submit(read_source, *args, store.has_item)] = s
            for future in as_completed(futures):
                source = futures[future]
                together: Counter[str] | None = None
                fetched: Fetched | None = None
                try:
                    if source in local:
                        report, rows, together = future.result()
                        found = [Item(*row) for row in rows]
                    else:
                        report, found, fetched = future.result()
                except BrokenProcessPool:  # a worker died: parse this source here instead
                    report, found, fetched = read_source(
                        source, reading[source.name], None, captured, (None, None), store.has_item
                    )
                if fetched is not None and fetched.validators and source.url:
                    store.save_http_validators(source.url, *fetched.validators)
                fresh = store.store_run(report, found)
                _count_words(words, fresh, found, together, reading[source.name].lead_words)
                documents += len(fresh)
                _log(report, source)
                if on_done is not None:
                    on_done(report)
                reports[source.name] = report
    finally:
        if client is not None:
            client.close()
        store.add_term_counts(words, documents)
    return [reports[s.name] for s in every]


def store_items(store: Store, config: Config, items: Iterable[Item]) -> list[Item]:
    """Store items as collection does: each field within the config's limits, new ones counted
    into the word statistics. `briefing eval` stores labelled items through here too."""
    reading = Reading.of(config)
    fresh = store.insert_new(fit(item, reading) for item in items)
    words: Counter[str] = Counter()
    for item in fresh:
        words.update(_distinct(item, config.stories.lead_words))
    store.add_term_counts(words, len(fresh))
    return fresh


def _count_words(
    words: Counter[str],
    fresh: list[Item],
    found: list[Item],
    together: Counter[str] | None,
    lead_words: int,
) -> None:
    """Add the fresh items' distinct words to `words`: when a worker counted all of a
    source's items (`together`) and most are fresh, its count less the known ones', else the
    fresh ones' (whichever leaves fewer items to tokenise here)."""
    if together is not None and len(fresh) == len(found):  # all fresh (a new source's run)
        words.update(together)
        return
    if together is not None and 2 * len(fresh) >= len(found):
        fresh_ids = {item.id for item in fresh}
        counts = together.copy()
        for item in found:
            if item.id not in fresh_ids:
                counts.subtract(_distinct(item, lead_words))
        words.update(+counts)
        return
    for item in fresh:
        words.update(_distinct(item, lead_words))


_ROW = attrgetter(*(f.name for f in fields(Item)))


def _read_local(
    source: SourceConfig, reading: Reading, captured: datetime
) -> tuple[SourceReport, list[tuple[Any, ...]], Counter[str]]:
    """In a worker process: read and parse local files, and count there how many of the items
    hold each word (the storing process then tokenises only the fewer of the fresh and the
    known items). Items travel as tuples of their fields, in order: unpickling 10,000 frozen
    dataclasses costs the storing process 4x what rebuilding them from tuples does."""
    report, found, _ = read_source(source, reading, None, captured, (None, None), None)
    together: Counter[str] = Counter()
    for item in found:
        together.update(_distinct(item, reading.lead_words))
    return report, [_ROW(item) for item in found], together


def _distinct(item: Item, lead_words: int) -> set[str]:
    """An item's distinct words as story similarity counts them (`terms`), without counting
    them (no word holds a space)."""
    return distinct_words(item.title.split() + item.body.split(None, lead_words)[:lead_words])


def read_source(
    source: SourceConfig,
    reading: Reading,
    client: httpx.Client | None,
    captured: datetime,
    validators: tuple[str | None, str | None] = (None, None),
    known: Callable[[str], bool] | None = None,
) -> tuple[SourceReport, list[Item], Fetched | None]:
    """One source's report and items (each field within its limit), and what was fetched."""
    report = SourceReport(name=source.name, type=source.type, status="ok")
    try:
        fetched = read_documents(source, reading.base_dir, client, validators)
    except SourceFailure as exc:
        report.status, report.message = "failed", str(exc)
        return report, [], None
    if fetched.not_modified:
        report.status = "not modified"
        return report, [], fetched
    ctx = ParseContext(captured=captured, zone=ZoneInfo(reading.zone), known=known)
    if client is not None:
        from ..sources.http import fetch

        ctx.fetch = lambda url: (
            fetch(
                client,
                url,
                allow_private=source.allow_private,
                max_bytes=source.max_bytes,
                deadline=source.timeout,
            ).content
        )
    found: list[Item] = []
    problems: list[str] = []
    refusals: Counter[str] = Counter()
    for doc in fetched.docs:
        try:
            parsed = source.parse(doc, ctx)
        except Exception as exc:  # a parser bug must not sink the other sources
            log.debug("parser crashed on %s", doc.origin, exc_info=True)
            problems.append(f"{doc.origin}: could not be parsed ({type(exc).__name__}: {exc})")
            continue
        found.extend(parsed.items)
        problems.extend(parsed.warnings)
        refusals.update(parsed.refused)
    if len(found) > source.max_items:
        problems.append(
            f"{len(found)} items; only the first {source.max_items} were kept (max_items)"
        )
        refusals[OVER_MAX_ITEMS] += len(found) - source.max_items
        del found[source.max_items :]
    report.fetched = len(found)
    unique: dict[str, Item] = {}
    for item in found:  # an id twice in one run (the same link twice, say): the first wins
        unique.setdefault(item.id, item)
    report.merged = len(found) - len(unique)
    report.refusals = dict(refusals)
    if problems:
        report.status = "failed" if not found else "warning"
        report.message = "; ".join(problems)[:1000]
    return report, [fit(item, reading) for item in unique.values()], fetched


def fit(item: Item, reading: Reading) -> Item:
    """The item as it is stored: every field within its limit, each cut marked (the parsers
    already cut at the ceilings; a config may ask for less), its link without tracking
    parameters."""
    title_chars, body_chars = reading.title_chars, reading.body_chars
    url = without_tracking(item.url)
    if (
        len(item.title) <= title_chars
        and len(item.body) <= body_chars
        and len(item.outlet) <= MAX_OUTLET
        and url == item.url
    ):
        return item
    return replace(
        item,
        title=truncate(item.title, title_chars),
        body=truncate(item.body, body_chars),
        outlet=truncate(item.outlet, MAX_OUTLET),
        url=url,
    )


def _log(report: SourceReport, source: SourceConfig) -> None:
    note = f"; {report.note()}" if report.note() else ""
    log.info("source %r: %s, %s%s", report.name, report.status, report.accounting(), note)
    if report.status not in ("ok", "not modified"):
        # a path that names no file is the config's to fix: say which line names it
        where = f" ({source._where})" if report.message.startswith(NO_FILE) else ""
        log.warning("source %r: %s%s", report.name, report.message, where)
