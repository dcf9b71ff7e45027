"""Collect: read every configured source, store new items, record each source's health.

Sources are read concurrently (network waits overlap, bounded by CONCURRENCY) and stored from
this one thread. A source that fails is reported in one line and skipped; the others still make
the briefing. Each run's status per source is kept in the store for the Sources note.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import datetime

import httpx

from . import clock
from .clean import truncate
from .config import LoadedConfig, Source
from .fetch import fetch
from .models import Item, SourceReport
from .sources import Fetched, ParseContext, SourceFailure, documents, parser_for
from .store import Store
from .textsim import terms

log = logging.getLogger("briefing")
CONCURRENCY = 16
PROCESS_MIN = 20  # local sources from which parsing is spread over processes
MAX_OUTLET = 200  # characters of an outlet name (the store's column holds 300)

Progress = Callable[[SourceReport], None]


def collect(
    config: LoadedConfig,
    store: Store,
    on_done: Progress | None = None,
    sources: list[tuple[Source, LoadedConfig]] | None = None,
) -> list[SourceReport]:
    """Collect all sources once; return one report per source, in config order.

    `sources` (each with the config it came from, which resolves its paths and time zone)
    replaces `config.sources` when several desks' configs are collected together."""
    captured = clock.now()
    pairs = sources if sources is not None else [(s, config) for s in config.sources]
    origin = {s.name: c for s, c in pairs}
    every = [s for s, _ in pairs]
    needs_http = any((s.url and s.type != "clipping") or getattr(s, "expand", False) for s in every)
    client = None
    if needs_http:
        from .fetch import make_client

        client = make_client()
    validators = {
        s.name: store.http_validators(s.url) if s.url and client else (None, None) for s in every
    }
    lead_words = config.stories.lead_words

    def vocabulary(item: Item) -> Iterable[str]:
        return terms(item, lead_words).keys()

    reports: dict[str, SourceReport] = {}
    term_counts: Counter[str] = Counter()  # word statistics, written once per run
    documents = 0
    local = [s for s in every if _parse_elsewhere(s)]
    if len(local) < PROCESS_MIN or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        local = []  # forking is safe only while this process runs no other thread
    try:
        # Parsing local files is CPU work: other processes use the other cores. Network
        # sources wait on the network: threads overlap the waits.
        procs = (
            ProcessPoolExecutor(
                max_workers=os.cpu_count(), mp_context=multiprocessing.get_context("fork")
            )
            if local
            else contextlib.nullcontext()
        )
        workers = max(1, min(CONCURRENCY, len(every) - len(local)))
        with procs as processes, ThreadPoolExecutor(workers, "collect") as threads:
            futures = {}
            # processes first: they are forked at the first submit, before any thread starts
            for s in local:
                futures[processes.submit(_read_local, s, origin[s.name], captured)] = s
            for s in every:
                if s not in local:
                    future = threads.submit(
                        _read_source,
                        s,
                        origin[s.name],
                        client,
                        captured,
                        validators[s.name],
                        store.has_item,
                    )
                    futures[future] = s
            for future in as_completed(futures):
                source = futures[future]
                vocabularies: dict[str, frozenset[str]] = {}
                try:
                    if source in local:
                        report, found, vocabularies = future.result()
                        fetched = None
                    else:
                        report, found, fetched = future.result()
                except BrokenProcessPool:  # a worker died: parse this source here instead
                    report, found, fetched = _read_source(
                        source, origin[source.name], None, captured, (None, None), store.has_item
                    )
                fresh = store.insert_new(found) if found else []
                report.new = len(fresh)
                for item in fresh:
                    term_counts.update(vocabularies.get(item.id) or set(vocabulary(item)))
                documents += len(fresh)
                if fetched is not None and fetched.validators and source.url:
                    store.save_http_validators(source.url, *fetched.validators)
                store.record_source(report)
                _log(report)
                if on_done is not None:
                    on_done(report)
                reports[source.name] = report
    finally:
        if client is not None:
            client.close()
        store.add_term_counts(term_counts, documents)
    return [reports[s.name] for s in every]


def _parse_elsewhere(source: Source) -> bool:
    """Local files that need no network (a feed with `expand:` fetches articles)."""
    return (
        bool(source.path)
        and not getattr(source, "expand", False)
        and (source.type == "clipping" or not source.url)
    )


def _read_local(
    source: Source, config: LoadedConfig, captured: datetime
) -> tuple[SourceReport, list[Item], dict[str, frozenset[str]]]:
    """In a worker process: read and parse local files, and tokenise the items there too."""
    report, found, _ = _read_source(source, config, None, captured, (None, None), None)
    lead = config.stories.lead_words
    return report, found, {item.id: frozenset(terms(item, lead)) for item in found}


def _read_source(
    source: Source,
    config: LoadedConfig,
    client: httpx.Client | None,
    captured: datetime,
    validators: tuple[str | None, str | None],
    known: Callable[[str], bool] | None,
) -> tuple[SourceReport, list[Item], Fetched | None]:
    report = SourceReport(name=source.name, type=source.type, status="ok")
    try:
        fetched = documents(source, config, client, validators)
    except SourceFailure as exc:
        report.status, report.message = "failed", str(exc)
        return report, [], None
    if fetched.not_modified:
        report.status = "not modified"
        return report, [], fetched
    parse = parser_for(source.type)
    ctx = ParseContext(captured=captured, zone=config.zone, known=known)
    if client is not None:
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
    for doc in fetched.docs:
        try:
            parsed = parse(doc, source, ctx)
        except Exception as exc:  # a parser bug must not sink the other sources
            log.debug("parser crashed on %s", doc.origin, exc_info=True)
            problems.append(f"{doc.origin}: could not be parsed ({type(exc).__name__}: {exc})")
            continue
        found.extend(parsed.items)
        problems.extend(parsed.warnings)
    if len(found) > source.max_items:
        problems.append(
            f"{len(found)} items; only the first {source.max_items} were kept (max_items)"
        )
        del found[source.max_items :]
    found = [fit(item, config.limits.title_chars, config.limits.body_chars) for item in found]
    report.fetched = len(found)
    if problems:
        report.status = "failed" if not found else "warning"
        report.message = "; ".join(problems)[:1000]
    return report, found, fetched


def fit(item: Item, title_chars: int, body_chars: int) -> Item:
    """The item with every field within its limit, each cut marked (the parsers already cut at
    the ceilings; a config may ask for less)."""
    if (
        len(item.title) <= title_chars
        and len(item.body) <= body_chars
        and len(item.outlet) <= MAX_OUTLET
    ):
        return item
    return replace(
        item,
        title=truncate(item.title, title_chars),
        body=truncate(item.body, body_chars),
        outlet=truncate(item.outlet, MAX_OUTLET),
    )


def _log(report: SourceReport) -> None:
    if report.status in ("ok", "not modified"):
        log.info(
            "source %r: %s, %d items, %d new",
            report.name,
            report.status,
            report.fetched,
            report.new,
        )
    else:
        log.warning("source %r: %s", report.name, report.message)
