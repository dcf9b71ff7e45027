"""`briefing schedule`: cycles run by APScheduler on the configured cron trigger, in the
foreground, with the job kept in the store under a fixed id; which windows a cycle builds is
decided by `windows.due_windows` from the clock and the run ledger, not by the trigger."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from datetime import UTC, datetime
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

from ..config import Config
from ..config.cron import DAYS, crontab
from ..text.plural import plural

log = logging.getLogger("briefing")
# What a foreground scheduler owes its operator at the default log level: when the next cycle
# runs, after it starts and after every cycle, and when it stops (`briefing schedule` lets this
# logger through unless -q).
notice = logging.getLogger("briefing.schedule")

JOB_ID = "briefing-cycle"
JOB_TABLE = "apscheduler_jobs"
JOB_FUNC = "briefing.runner.schedule:scheduled_cycle"  # by reference: the job store pickles the job


def schedule_zone(config: Config) -> ZoneInfo:
    """`schedule.timezone`, else the config's `timezone`."""
    name = config.schedule.timezone
    return ZoneInfo(name) if name else config.zone


def make_trigger(config: Config) -> CronTrigger:
    """The cycle's trigger: `schedule.cron`, else `at` on `days`, in the schedule's zone."""
    zone = schedule_zone(config)
    schedule = config.schedule
    if schedule.cron:
        return CronTrigger.from_crontab(crontab(schedule.cron), timezone=zone)
    if not schedule.days:
        raise ValueError("schedule.days is empty: the cycle would never run")
    hour, minute = (int(x) for x in schedule.at.split(":"))
    days = ",".join(d for d in DAYS if d in schedule.days)
    return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=zone)


def scheduled_cycle(config_path: str) -> None:
    """The job: reload the config (edits apply from the next cycle on) and run one cycle."""
    from ..config import load_config
    from .cycle import cycle

    cycle(load_config(Path(config_path)), wait=True)  # after a manual run, not instead of it


def run_scheduler(
    config_path: Path, config: Config, stop_event: threading.Event | None = None
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
            notice.info("scheduler started; next cycle at %s", _next_run(scheduler))
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
        notice.info("cycle %d finished; next cycle at %s", runs, _next_run(scheduler))

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
    notice.info("scheduler stopped after %s", plural(runs, "cycle"))
    if failure:
        raise failure[0]


def job_table(config: Config) -> str:
    """Each desk keeps its job in its own table: schedulers sharing one table would each run
    every desk's job (APScheduler 3 does not coordinate processes)."""
    return f"{JOB_TABLE}_{config.desk.replace('-', '_')}" if config.desk else JOB_TABLE


def _install_job(scheduler: BaseScheduler, config_path: str, config: Config) -> None:
    """Add (or replace) the one job; keep a stored run time that passed while we were down,
    which `replace_existing` alone would overwrite with the next future time."""
    trigger = make_trigger(config)
    now = datetime.now(UTC)
    next_run = trigger.get_next_fire_time(None, now)
    try:
        existing = scheduler.get_job(JOB_ID)
    except (LookupError, ImportError, AttributeError, ValueError):  # stored by an older version
        log.info("replacing a scheduled job this version cannot read")
        scheduler.remove_job(JOB_ID)
        existing = None
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
        notice.info("%s received; stopping the scheduler", signal.Signals(signum).name)
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
