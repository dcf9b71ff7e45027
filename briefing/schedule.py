"""Scheduled delivery: which windows are due, the cron trigger, and `briefing schedule`.

The trigger only says *when* to run a cycle; *what* a cycle builds is decided from the clock and
the run ledger (`due_windows`). APScheduler 3.11 skips a 00:00 job the day after spring-forward
and fires an ambiguous-hour job twice in autumn, so a cycle builds every closed, undelivered
window of the last few days: a skipped fire is caught up by the next one, a double fire finds
nothing to do.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobExecutionEvent,
    SchedulerEvent,
)
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from .config import DAYS, LoadedConfig
from .select import window

log = logging.getLogger("briefing")

JOB_ID = "briefing-cycle"
JOB_TABLE = "apscheduler_jobs"
JOB_FUNC = "briefing.schedule:scheduled_cycle"  # by reference: the job store pickles the job
_DAY = timedelta(days=1)


window_for = window  # D's window (select.window): honours `window.end`


def _end_utc(config: LoadedConfig, day: date) -> datetime:
    return window_for(config, day)[1].astimezone(UTC)


def latest_closed(config: LoadedConfig, now: datetime) -> date:
    """The day D whose window closed most recently at `now`: the largest D with end <= now."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now_utc = now.astimezone(UTC)
    day = now_utc.astimezone(config.zone).date() + _DAY  # no later window can have closed
    while _end_utc(config, day) > now_utc:
        day -= _DAY
    return day


def due_windows(
    config: LoadedConfig,
    now: datetime,
    delivered: Callable[[date], bool],
    lookback_days: int = 3,
) -> list[date]:
    """Closed windows not yet delivered, oldest first: the latest closed one and those closed
    within `max(lookback_days, misfire_grace)` before it. Looking back is what catches up a fire
    the trigger skipped or downtime missed; the ledger (`delivered`) makes a repeat a no-op."""
    if lookback_days < 0:
        raise ValueError("lookback_days must not be negative")
    latest = latest_closed(config, now)
    oldest_end = _end_utc(config, latest) - timedelta(seconds=config.schedule.grace_seconds)
    days: list[date] = []
    day = latest
    # calendar days for lookback_days (a 3-day span across a clock change is 71 or 73 hours)
    while (latest - day).days <= lookback_days or _end_utc(config, day) >= oldest_end:
        days.append(day)
        day -= _DAY
    return [d for d in reversed(days) if not delivered(d)]


def schedule_zone(config: LoadedConfig) -> ZoneInfo:
    """`schedule.timezone`, else the config's `timezone`."""
    name = config.schedule.timezone
    return ZoneInfo(name) if name else config.zone


def make_trigger(config: LoadedConfig) -> CronTrigger:
    """The cycle's trigger: `schedule.cron`, else `at` on `days`, in the schedule's zone."""
    zone = schedule_zone(config)
    schedule = config.schedule
    if schedule.cron:
        fields = schedule.cron.split()
        if len(fields) == 5:
            fields[4] = _cron_weekdays(fields[4])
        return CronTrigger.from_crontab(" ".join(fields), timezone=zone)
    if not schedule.days:
        raise ValueError("schedule.days is empty: the cycle would never run")
    hour, minute = (int(x) for x in schedule.at.split(":"))
    days = ",".join(d for d in DAYS if d in schedule.days)
    return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=zone)


_CRON_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _cron_weekdays(field: str) -> str:
    """Crontab day-of-week numbers (0 or 7 = Sunday) as names: APScheduler 3 reads numbers as
    0 = Monday (its documented historical mismatch), so `1-5` would mean Tuesday to Saturday."""
    if not any(c.isdigit() for c in field):
        return field
    parts: list[str] = []
    numbers: set[int] = set()
    for part in field.split(","):
        if any(c.isalpha() for c in part):
            parts.append(part)  # names are read the same way by cron and APScheduler
            continue
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span in ("*", "?"):
            first, last = 0, 6
        else:
            first_text, _, last_text = span.partition("-")
            first = int(first_text)
            last = int(last_text) if last_text else (6 if step_text else first)
        if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last and step >= 1):
            raise ValueError(f"bad day of week {part!r} in schedule.cron")
        numbers.update(n % 7 for n in range(first, last + 1, step))
    parts += [_CRON_NAMES[n] for n in sorted(numbers, key=lambda n: (n - 1) % 7)]
    return ",".join(parts)


def scheduled_cycle(config_path: str) -> None:
    """The job: reload the config (edits apply from the next cycle on) and run one cycle."""
    from .config import load_config
    from .runner import cycle

    cycle(load_config(Path(config_path)), wait=True)  # after a manual run, not instead of it


def run_scheduler(
    config_path: Path, config: LoadedConfig, stop_event: threading.Event | None = None
) -> None:
    """Run cycles on the schedule in the foreground until SIGTERM/SIGINT or `stop_event`.

    The job lives in the project database under a fixed id, so a restart replaces it instead of
    adding a copy, and a run time missed while the process was down is kept: APScheduler then
    runs it once (coalesced) if it is within the misfire grace, else reports it missed and the
    next cycle's `due_windows` catches the window up.
    """
    zone = schedule_zone(config)
    _ensure_sqlite_dir(config.database_url)
    scheduler = BlockingScheduler(timezone=zone)
    store = SQLAlchemyJobStore(url=config.database_url, tablename=job_table(config))
    scheduler.add_jobstore(store)
    stopping = threading.Event()  # set by signals and by a failed start
    finished = threading.Event()
    failure: list[BaseException] = []
    runs = 0

    def started(_: SchedulerEvent) -> None:
        try:  # a listener's exception is only logged by APScheduler: keep it, stop, re-raise
            _install_job(scheduler, str(config_path), config)
            log.info("scheduler started; next cycle at %s", _next_run(scheduler))
            scheduler.resume()
        except BaseException as exc:
            failure.append(exc)
            stopping.set()

    def ran(event: JobExecutionEvent) -> None:
        nonlocal runs
        if event.code == EVENT_JOB_MISSED:
            log.warning(
                "cycle of %s missed (beyond misfire_grace); the next cycle catches it up; "
                "next cycle at %s",
                event.scheduled_run_time,
                _next_run(scheduler),
            )
            return
        runs += 1  # executed runs only: EVENT_JOB_SUBMITTED also fires for runs then missed
        if event.code == EVENT_JOB_ERROR:
            log.error("cycle %d failed: %s", runs, event.exception)
        log.info("cycle %d finished; next cycle at %s", runs, _next_run(scheduler))

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    scheduler.add_listener(ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    events = (stopping, stop_event)
    watcher = threading.Thread(target=_watch, args=(scheduler, events, finished), daemon=True)
    previous = _install_signals(stopping)
    watcher.start()
    try:
        scheduler.start(paused=True)  # `started` adds the job, then resumes
    finally:
        finished.set()
        watcher.join(timeout=5)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    log.info("scheduler stopped after %d cycle(s)", runs)
    if failure:
        raise failure[0]


def job_table(config: LoadedConfig) -> str:
    """Each desk keeps its job in its own table: schedulers sharing one table would each run
    every desk's job (APScheduler 3 does not coordinate processes)."""
    return f"{JOB_TABLE}_{config.desk.replace('-', '_')}" if config.desk else JOB_TABLE


def _install_job(scheduler: BaseScheduler, config_path: str, config: LoadedConfig) -> None:
    """Add (or replace) the one job; keep a stored run time that passed while we were down,
    which `replace_existing` alone would overwrite with the next future time."""
    trigger = make_trigger(config)
    now = datetime.now(UTC)
    next_run = trigger.get_next_fire_time(None, now)
    existing = scheduler.get_job(JOB_ID)
    missed = existing.next_run_time if existing is not None else None
    if missed is not None and missed <= now and (next_run is None or missed < next_run):
        next_run = missed
    options: dict[str, Any] = {"next_run_time": next_run} if next_run is not None else {}
    scheduler.add_job(
        JOB_FUNC,
        trigger=trigger,
        args=[config_path],
        id=JOB_ID,
        name="briefing cycle",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=config.schedule.grace_seconds,
        **options,
    )


def _next_run(scheduler: BaseScheduler) -> str:
    job = scheduler.get_job(JOB_ID)
    when = job.next_run_time if job is not None else None
    return when.isoformat(timespec="minutes") if when is not None else "never"


def _watch(
    scheduler: BaseScheduler,
    events: tuple[threading.Event | None, ...],
    finished: threading.Event,
) -> None:
    """Shut the scheduler down from a thread when asked: a signal handler only sets an event,
    so shutdown never runs inside the main thread while it may hold the scheduler's locks."""
    while not finished.wait(0.1):
        if any(e is not None and e.is_set() for e in events) and scheduler.running:
            with contextlib.suppress(SchedulerNotRunningError):  # stopped meanwhile
                scheduler.shutdown(wait=False)
            return


def _install_signals(stopping: threading.Event) -> dict[int, Any]:
    """SIGTERM and SIGINT stop the scheduler; Python allows handlers only in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: object) -> None:
        log.info("%s received; stopping the scheduler", signal.Signals(signum).name)
        stopping.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, handler)
    return previous


def _ensure_sqlite_dir(url: str) -> None:
    """SQLite creates the file but not its folder (the output dir may not exist yet)."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
        if str(path):
            path.parent.mkdir(parents=True, exist_ok=True)
