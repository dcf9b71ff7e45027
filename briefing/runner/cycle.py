"""One cycle — collect, build, deliver — exactly once per window, whoever calls it.

`briefing run`, `briefing deliver` and the scheduler all come here. A lock keeps two runs from
working at once; the run ledger makes a cycle for a window already delivered a no-op and lets
the next run finish what a failed or killed one left pending.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import clock
from ..config import Config
from ..delivery import DeliveryError, Package
from ..errors import UsageError
from ..pipeline import build, collect_into_store
from ..store import FAILED, PENDING, SENT, Ledger
from .locks import locked
from .windows import due_windows, latest_closed

log = logging.getLogger("briefing")


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

    def add(self, other: CycleReport, label: str) -> None:
        """Another desk's cycle, its lines marked with `label`."""
        self.built += other.built
        self.sent += [f"{label}: {s}" for s in other.sent]
        self.pending += [f"{label}: {s}" for s in other.pending]
        self.failed += [f"{label}: {s}" for s in other.failed]
        self.problems += [f"{label}: {s}" for s in other.problems]


def cycle(
    config: Config,
    now: datetime | None = None,
    force: bool = False,
    wait: bool = False,
    collect: bool = True,
) -> CycleReport:
    """Collect once (unless a multi-desk run collected already), then build and deliver every
    window that is due and not yet delivered."""
    from ..pipeline.archive import write_archive  # (rendering loads when a cycle builds)

    now = now or clock.now()
    report = CycleReport()
    with locked(config, wait):
        if collect:
            collect_into_store(config)
        with config.open_store() as store:
            days = _due(config, now, Ledger(store))
        if force and not days:
            days = [latest_closed(config, now)]
        for day in days:
            _build_and_deliver(config, day, force, report)
        write_archive(config)
    return report


def deliver(config: Config, day: date, force: bool = False, wait: bool = False) -> CycleReport:
    """Send what is not yet delivered for `day`, building it first if it never was. A window
    still open is refused: what is delivered is recorded, and an open day is not yet."""
    from ..pipeline.archive import write_archive
    from ..stories import day_window

    closes = day_window(config, day)[1]
    if clock.now() < closes:
        when = closes.strftime("%Y-%m-%d %H:%M")
        raise UsageError(
            f"{day}: its window is open until {when} ({config.timezone}); deliver it after that"
        )
    report = CycleReport()
    with locked(config, wait):
        _build_and_deliver(config, day, force, report)
        write_archive(config)
    return report


def _build_and_deliver(config: Config, day: date, force: bool, report: CycleReport) -> None:
    with config.open_store() as store:
        built = Ledger(store).built(day)
    formats = needed_formats(config)
    if built is None or force or not set(formats) <= set(built.files):
        result = build(config, day, formats, collect_first=False)
        with config.open_store() as store:
            Ledger(store).record_build(day, result.files)
        report.built.append(day)
        for problem in result.problems:  # delivered without it (an email says "no PDF")
            log.warning("%s", problem)
        report.problems += result.problems
        files = result.files
    else:
        result = build(config, day, ["json"], collect_first=False)  # the same, from the ledger
        files = {**built.files, **result.files}
    package = Package(day, config.title, {f: Path(p) for f, p in files.items()}, result.briefing)
    with config.open_store() as store:
        ledger = Ledger(store)
        ledger.plan(day, [(t.ledger_id(), k) for t in config.delivery for k in t.ledger_keys()])
        if force:
            ledger.reset(day)
        states = ledger.states(day)
        for target in config.delivery:
            tid = target.ledger_id()
            for key in target.ledger_keys():
                label = f"{tid} {key}".strip()
                if states.get((tid, key), (PENDING,))[0] != PENDING:
                    continue
                try:
                    note = target.deliver(key, package, config.base_dir)
                except DeliveryError as exc:
                    state = PENDING if exc.retryable else FAILED
                    ledger.mark(day, tid, key, state, str(exc))
                    (report.pending if exc.retryable else report.failed).append(label)
                    log.warning("delivery %s for %s: %s", label, day, exc)
                    continue
                ledger.mark(day, tid, key, SENT, note)
                report.sent.append(label)
                log.info("delivered %s: %s", day, note)


def _due(config: Config, now: datetime, ledger: Ledger) -> list[date]:
    """Windows to build now: the latest closed one, and earlier ones only when they fall after a
    window this store already delivered (a gap a skipped fire or downtime left). A new install
    starts with the latest window instead of delivering the days before it."""
    candidates = due_windows(config, now, lambda d: False)
    done = [_done(config, ledger, d) for d in candidates]
    if not any(done):
        return candidates[-1:] if candidates else []
    last = max(i for i, ok in enumerate(done) if ok)
    return [d for d, ok in zip(candidates[last + 1 :], done[last + 1 :], strict=True) if not ok]


def _done(config: Config, ledger: Ledger, day: date) -> bool:
    """Built, and nothing pending for any configured target."""
    if ledger.built(day) is None:
        return False
    states = ledger.states(day)
    return all(
        states.get((t.ledger_id(), k), (PENDING,))[0] != PENDING
        for t in config.delivery
        for k in t.ledger_keys()
    )


def needed_formats(config: Config) -> list[str]:
    """The configured formats and every format a delivery target needs."""
    wanted: list[str] = list(config.output.formats)
    for target in config.delivery:
        wanted += target.needs_formats()
    return list(dict.fromkeys(wanted))
