"""One cycle — collect, build, deliver — exactly once per window, whoever calls it.

`briefing run`, `briefing deliver` and the scheduler all come here. A file lock keeps two runs
from working at once; the run ledger makes a cycle for a window already delivered a no-op and
lets the next run finish what a failed or killed one left pending.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from . import clock
from .config import DirectoryTarget, EmailTarget, LoadedConfig, Target
from .errors import BriefingError, WorkError
from .ledger import FAILED, PENDING, SENT, Ledger
from .store import Store

log = logging.getLogger("briefing")
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class LockedError(BriefingError):
    exit_code = EXIT_LOCKED


@dataclass
class CycleReport:
    built: list[date] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # built, but a format is missing

    @property
    def ok(self) -> bool:
        return not self.pending and not self.failed


def lock(config: LoadedConfig, wait: bool = False) -> FileLock:
    try:
        config.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way, a read-only or full disk
        raise WorkError(f"cannot create {config.output_dir}: {exc.strerror}") from None
    return FileLock(str(config.output_dir / ".briefing.lock"), timeout=-1 if wait else 0)


def cycle(
    config: LoadedConfig,
    now: datetime | None = None,
    force: bool = False,
    wait: bool = False,
    collect: bool = True,
) -> CycleReport:
    """Collect once (unless a multi-desk run collected already), then build and deliver every
    window that is due and not yet delivered."""
    from .pipeline import run_collect

    now = now or clock.now()
    report = CycleReport()
    with locked(config, wait):
        if collect:
            run_collect(config)
        with Store.for_config(config) as store:
            ledger = Ledger(store)
            days = _due(config, now, ledger)
            if force and not days:
                from .schedule import latest_closed

                days = [latest_closed(config, now)]
        for day in days:
            _build_and_deliver(config, day, force, report)
    return report


def deliver(
    config: LoadedConfig, day: date, force: bool = False, wait: bool = False
) -> CycleReport:
    """Send what is not yet delivered for `day`, building it first if it never was."""
    report = CycleReport()
    with locked(config, wait):
        _build_and_deliver(config, day, force, report, collect=False)
    return report


@contextlib.contextmanager
def locked(config: LoadedConfig, wait: bool) -> Iterator[None]:
    """Hold the output directory's lock for the whole cycle (or wait for it with --wait)."""
    the_lock = lock(config, wait)
    try:
        the_lock.acquire()
    except Timeout:
        raise LockedError(f"another run holds the lock {the_lock.lock_file}") from None
    try:
        with store_lock(config, wait):
            yield
    finally:
        the_lock.release()


@contextlib.contextmanager
def store_lock(config: LoadedConfig, wait: bool) -> Iterator[None]:
    """On PostgreSQL, also a lock in the database per desk (a session advisory lock), so runs
    of one desk on different machines take turns too; a file lock only covers one machine."""
    if not config.database_url.startswith("postgresql"):
        yield
        return
    import sqlalchemy as sa

    from .database import Guard, _engine

    engine = _engine(config.database_url)
    key = run_lock_key(config.desk or "")
    try:
        opener = lambda: engine.connect().execution_options(isolation_level="AUTOCOMMIT")  # noqa: E731
        with Guard(opener, config.database_url) as conn:
            if wait:
                conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            elif not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
                desk = f"desk {config.desk!r}" if config.desk else "this store"
                raise LockedError(f"another run of {desk} holds the store's run lock")
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    finally:
        engine.dispose()


def run_lock_key(desk: str) -> int:
    """The advisory lock number of a desk's runs: a stable signed 64-bit hash of its name."""
    import hashlib

    digest = hashlib.sha256(f"briefing run {desk}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _build_and_deliver(
    config: LoadedConfig, day: date, force: bool, report: CycleReport, collect: bool = False
) -> None:
    from .deliver import DeliveryError, Package, deliver_one, keys
    from .pipeline import build

    with Store.for_config(config) as store:
        ledger = Ledger(store)
        built = ledger.build(day)
    formats = needed_formats(config)
    if built is None or force or not set(formats) <= set(built[1]):
        result = build(config, day, formats, collect_first=collect)
        with Store.for_config(config) as store:
            Ledger(store).record_build(day, result.files)
        report.built.append(day)
        for problem in result.problems:  # delivered without it (an email says "no PDF")
            log.warning("%s", problem)
        report.problems += result.problems
        briefing, files = result.briefing, result.files
    else:
        result = build(config, day, ["json"], collect_first=False)  # the same, from the ledger
        briefing, files = result.briefing, {**built[1], **result.files}
    package = Package(day, config.title, {f: Path(p) for f, p in files.items()}, briefing)
    with Store.for_config(config) as store:
        ledger = Ledger(store)
        wanted = [(target_id(t), k) for t in config.delivery for k in keys(t)]
        ledger.plan(day, wanted)
        if force:
            ledger.reset(day)
        states = ledger.states(day)
        for target in config.delivery:
            tid = target_id(target)
            for key in keys(target):
                label = f"{tid} {key}".strip()
                if states.get((tid, key), (PENDING,))[0] != PENDING:
                    continue
                try:
                    note = deliver_one(target, key, package, config.base_dir)
                except DeliveryError as exc:
                    state = PENDING if exc.retryable else FAILED
                    ledger.mark(day, tid, key, state, str(exc))
                    (report.pending if exc.retryable else report.failed).append(label)
                    log.warning("delivery %s for %s: %s", label, day, exc)
                    continue
                ledger.mark(day, tid, key, SENT, note)
                report.sent.append(label)
                log.info("delivered %s: %s", day, note)


def _due(config: LoadedConfig, now: datetime, ledger: Ledger) -> list[date]:
    """Windows to build now: the latest closed one, and earlier ones only when they fall after a
    window this store already delivered (a gap a skipped fire or downtime left). A new install
    starts with the latest window instead of delivering the days before it."""
    from .schedule import due_windows

    candidates = due_windows(config, now, lambda d: False)
    done = [_done(config, ledger, d) for d in candidates]
    if not any(done):
        return candidates[-1:] if candidates else []
    last = max(i for i, ok in enumerate(done) if ok)
    return [d for d, ok in zip(candidates[last + 1 :], done[last + 1 :], strict=True) if not ok]


def _done(config: LoadedConfig, ledger: Ledger, day: date) -> bool:
    """Built, and nothing pending for any configured target."""
    from .deliver import keys

    if ledger.build(day) is None:
        return False
    states = ledger.states(day)
    return all(
        states.get((target_id(t), k), (PENDING,))[0] != PENDING
        for t in config.delivery
        for k in keys(t)
    )


def needed_formats(config: LoadedConfig) -> list[str]:
    wanted = list(config.output.formats)
    for target in config.delivery:
        if isinstance(target, EmailTarget):
            wanted += ["md", "email", "pdf"]
        elif isinstance(target, DirectoryTarget):
            wanted += list(target.formats)
    return list(dict.fromkeys(wanted))


def target_id(target: Target) -> str:
    """What identifies a target in the ledger (stable when the list is reordered)."""
    if isinstance(target, EmailTarget):
        return f"email:{target.host}:{target.port}"
    if isinstance(target, DirectoryTarget):
        return f"directory:{target.path}"
    return f"webhook:{target.url}"
