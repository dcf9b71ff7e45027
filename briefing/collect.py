"""Collect: read every configured source, store new items, record each source's health.

Sources are read concurrently (network waits overlap) and stored from one thread. A source that
fails is reported and skipped; the others still make the briefing.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from .config import LoadedConfig, Source
from .models import Item, SourceReport
from .sources import ParseContext, SourceFailure, documents, parser_for
from .store import Store

log = logging.getLogger("briefing")
CONCURRENCY = 16


def collect(config: LoadedConfig, store: Store) -> list[SourceReport]:
    """Collect all sources once; return one report per source, in config order."""
    captured = datetime.now(UTC).replace(microsecond=0)
    client = None
    if any(s.url for s in config.sources):
        from .fetch import make_client

        client = make_client()
    try:
        workers = max(1, min(CONCURRENCY, len(config.sources)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(_read_source, source, config, client, captured)
                for source in config.sources
            ]
            reports = []
            for future in futures:
                report, found = future.result()
                report.new = store.add_items(found) if found else 0
                store.record_source(report)
                _log(report)
                reports.append(report)
    finally:
        if client is not None:
            client.close()
    return reports


def _read_source(
    source: Source, config: LoadedConfig, client: object, captured: datetime
) -> tuple[SourceReport, list[Item]]:
    report = SourceReport(name=source.name, type=source.type, status="ok")
    try:
        docs = documents(source, config, client)  # type: ignore[arg-type]
    except SourceFailure as exc:
        report.status, report.message = "failed", str(exc)
        return report, []
    parse = parser_for(source.type)
    ctx = ParseContext(captured=captured, zone=config.zone)
    found: list[Item] = []
    problems: list[str] = []
    for doc in docs:
        try:
            parsed = parse(doc, source, ctx)
        except Exception as exc:  # a parser bug must not sink the other sources
            log.debug("parser crashed on %s", doc.origin, exc_info=True)
            problems.append(f"{doc.origin}: could not be parsed ({type(exc).__name__}: {exc})")
            continue
        found.extend(parsed.items)
        problems.extend(parsed.warnings)
    report.fetched = len(found)
    if problems:
        report.status = "failed" if not found else "warning"
        report.message = "; ".join(problems)[:1000]
    return report, found


def _log(report: SourceReport) -> None:
    if report.status == "ok":
        log.info("source %r: %d items, %d new", report.name, report.fetched, report.new)
    else:
        log.warning("source %r: %s", report.name, report.message)
