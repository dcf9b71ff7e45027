"""The scheduler: windows honouring `window.end`, which windows a cycle owes, the real
APScheduler 3.11 trigger across the 2025 clock changes, and `run_scheduler` against a real SQLite
job store. The clock is controlled by passing explicit datetimes."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time as clock
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from briefing.config import Config, load_config
from briefing.errors import ConfigError
from briefing.runner.schedule import JOB_ID, JOB_TABLE, make_trigger, run_scheduler
from briefing.runner.windows import due_windows, latest_closed
from briefing.stories import day_window

from conftest import ROOT, start_briefing

BERLIN = ZoneInfo("Europe/Berlin")
DAY = timedelta(days=1)


@pytest.fixture
def make_config(write_config: Callable[..., Path]) -> Callable[..., Config]:
    def make(zone: str = "Europe/Berlin", end: str = "00:00", **schedule: Any) -> Config:
        return load_config(
            write_config({"timezone": zone, "window": {"end": end}, "schedule": schedule})
        )

    return make


def at(day: date, hhmm: str, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), zone)


# --- windows -------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2025, 6, 2), date(2025, 3, 30), date(2025, 10, 26)])
def test_window_ending_at_midnight_is_the_calendar_day(make_config, day):
    config = make_config()
    assert day_window(config, day) == (at(day, "00:00"), at(day + DAY, "00:00"))


def test_window_ending_at_seven_is_the_24_wall_clock_hours_before(make_config):
    config = make_config(end="07:00")
    day = date(2025, 6, 2)
    assert day_window(config, day) == (at(day - DAY, "07:00"), at(day, "07:00"))
    hours = {}
    for d in (date(2025, 3, 30), date(2025, 3, 31), date(2025, 10, 26), date(2025, 10, 27)):
        first, last = (t.astimezone(UTC) for t in day_window(config, d))
        hours[d] = (last - first) / timedelta(hours=1)
    assert hours == {
        date(2025, 3, 30): 23,
        date(2025, 3, 31): 24,
        date(2025, 10, 26): 25,
        date(2025, 10, 27): 24,
    }


def test_latest_closed_around_the_window_end(make_config):
    config = make_config(end="07:00")
    day = date(2025, 6, 2)
    assert latest_closed(config, at(day, "06:59:59")) == day - DAY
    assert latest_closed(config, at(day, "07:00")) == day
    assert latest_closed(config, at(day, "23:59")) == day
    # the same instant in another zone gives the same answer
    assert latest_closed(config, at(day, "07:00").astimezone(ZoneInfo("Asia/Tokyo"))) == day
    assert latest_closed(config, at(day, "04:59").astimezone(UTC)) == day - DAY

    midnight = make_config(end="00:00")
    assert latest_closed(midnight, at(day, "00:00")) == day - DAY
    assert latest_closed(midnight, at(day, "23:59:59")) == day - DAY
    assert latest_closed(midnight, at(day + DAY, "00:00")) == day
    with pytest.raises(ValueError):
        latest_closed(midnight, datetime(2025, 6, 2, 8))


# --- the trigger ---------------------------------------------------------------------------


def fire_times(trigger, start: datetime, end: datetime) -> list[datetime]:
    """The fire times the scheduler would use: each from the previous one, as APScheduler does."""
    fires: list[datetime] = []
    previous = None
    now = start
    while (nxt := trigger.get_next_fire_time(previous, now)) is not None and nxt <= end:
        fires.append(nxt)
        previous = now = nxt
    return fires


def test_cron_weekday_numbers_mean_what_crontab_means(make_config):
    # APScheduler 3 reads 0 as Monday; crontab (and the config's docs) mean 0 = Sunday
    sunday = at(date(2025, 6, 8), "12:00")
    weekdays = make_trigger(make_config(cron="0 7 * * 1-5"))
    assert [t.strftime("%a %H:%M") for t in fire_times(weekdays, sunday, sunday + 7 * DAY)] == [
        "Mon 07:00",
        "Tue 07:00",
        "Wed 07:00",
        "Thu 07:00",
        "Fri 07:00",
    ]
    weekend = make_trigger(make_config(cron="30 6 * * 0,6"))
    assert [t.strftime("%a") for t in fire_times(weekend, sunday, sunday + 7 * DAY)] == [
        "Sat",
        "Sun",
    ]
    sundays = make_trigger(make_config(cron="0 9 * * 7"))
    assert {t.strftime("%a") for t in fire_times(sundays, sunday, sunday + 21 * DAY)} == {"Sun"}


def test_at_and_days_in_the_schedule_zone(make_config):
    config = make_config(at="06:45", days=["mon", "thu"], timezone="America/New_York")
    trigger = make_trigger(config)
    start = datetime(2025, 6, 8, tzinfo=UTC)
    fires = fire_times(trigger, start, start + 7 * DAY)
    assert [t.strftime("%a %H:%M %Z") for t in fires] == ["Mon 06:45 EDT", "Thu 06:45 EDT"]
    with pytest.raises(ConfigError, match=r"schedule\.days: must not be empty"):
        make_config(days=[])  # refused when the config is loaded, not when the scheduler starts


# What APScheduler 3.11.3 does on the 2025 clock changes (measured; the test asserts it):
# (zone, change date, schedule at) -> (local days without a fire, local days with two fires)
OBSERVED: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {
    ("Europe/Berlin", "2025-03-30", "00:00"): (["2025-03-31"], []),
    ("Europe/Berlin", "2025-10-26", "02:30"): ([], ["2025-10-26"]),
    ("America/Los_Angeles", "2025-03-09", "00:00"): (["2025-03-10"], []),
    # Los Angeles falls back 02:00 -> 01:00, so its ambiguous 01:30 fires twice, not 02:30
    ("America/Los_Angeles", "2025-11-02", "01:30"): ([], ["2025-11-02"]),
}
CHANGES = [
    ("Europe/Berlin", "2025-03-30"),
    ("Europe/Berlin", "2025-10-26"),
    ("America/Los_Angeles", "2025-03-09"),
    ("America/Los_Angeles", "2025-11-02"),
]


@pytest.mark.parametrize("end", ["00:00", "02:30"])
@pytest.mark.parametrize("hhmm", ["00:00", "02:30", "01:30"])
@pytest.mark.parametrize(("zone_name", "change"), CHANGES)
def test_clock_changes_deliver_every_window_exactly_once(make_config, zone_name, change, hhmm, end):
    config = make_config(zone=zone_name, end=end, at=hhmm)
    zone = ZoneInfo(zone_name)
    trigger = make_trigger(config)
    change_day = date.fromisoformat(change)
    fires = fire_times(
        trigger, at(change_day - 4 * DAY, "12:00", zone), at(change_day + 4 * DAY, "12:00", zone)
    )

    # what the trigger itself does
    per_day = Counter(t.date() for t in fires)
    days = [fires[0].date() + n * DAY for n in range((fires[-1].date() - fires[0].date()).days + 1)]
    skipped = [d.isoformat() for d in days if per_day[d] == 0]
    doubled = [d.isoformat() for d in days if per_day[d] == 2]
    assert (skipped, doubled) == OBSERVED.get((zone_name, change, hhmm), ([], []))
    assert all(b.astimezone(UTC) > a.astimezone(UTC) for a, b in pairwise(fires))
    for day in doubled:  # the two fires are the two real instants of that wall-clock time
        first, second = (t.astimezone(UTC) for t in fires if t.date().isoformat() == day)
        assert second - first == timedelta(hours=1)

    # a cycle at every fire, with an in-memory ledger that already holds the days before
    first_latest = latest_closed(config, fires[0])
    sent = Counter({first_latest - n * DAY: 1 for n in range(1, 10)})
    counts = []
    for fire in fires:
        due = due_windows(config, fire, lambda d: d in sent)
        sent.update(due)
        counts.append(len(due))

    assert set(sent.values()) == {1}, "a window was delivered twice"
    last_latest = latest_closed(config, fires[-1])
    assert sorted(sent) == [last_latest - n * DAY for n in range(len(sent) - 1, -1, -1)]
    assert min(sent) < first_latest and max(sent) == last_latest  # no gap, nothing missing
    latests = [latest_closed(config, t) for t in fires]
    expected = [1] + [(b - a).days for a, b in pairwise(latests)]
    assert counts == expected
    if skipped:
        assert 2 in counts  # the fire after the skipped one caught its window up
    if doubled:
        assert 0 in counts  # the second fire found nothing to do


# --- catch-up after downtime ---------------------------------------------------------------


def test_catch_up_after_downtime(make_config):
    config = make_config(end="07:00", at="07:00", misfire_grace="6h")
    day = date(2025, 6, 10)
    sent = {day - n * DAY for n in range(1, 30)}

    def delivered(d: date) -> bool:
        return d in sent

    # down 06:00-10:00: APScheduler runs the missed 07:00 cycle once (3 h late, grace 6 h)
    assert due_windows(config, at(day, "10:00"), delivered) == [day]
    sent.add(day)
    assert due_windows(config, at(day, "10:05"), delivered) == []  # a second run: nothing

    # down a whole day: the next cycle builds both windows, oldest first, once
    assert due_windows(config, at(day + 2 * DAY, "07:00"), delivered) == [day + DAY, day + 2 * DAY]

    # down six days: windows older than the 3-day lookback are left to `briefing deliver`
    assert due_windows(config, at(day + 6 * DAY, "07:00"), delivered) == [
        day + 3 * DAY,
        day + 4 * DAY,
        day + 5 * DAY,
        day + 6 * DAY,
    ]
    assert due_windows(config, at(day + 6 * DAY, "07:00"), delivered, lookback_days=0) == [
        day + 6 * DAY
    ]
    # a misfire grace longer than the lookback widens it
    long_grace = make_config(end="07:00", at="07:00", misfire_grace="5d")
    assert due_windows(long_grace, at(day + 6 * DAY, "07:00"), delivered) == [
        day + n * DAY for n in range(1, 7)
    ]


# --- run_scheduler with a real SQLite job store ----------------------------------------------


@pytest.fixture
def messages() -> Iterator[list[str]]:
    """Messages of the "briefing" logger (the CLI may have turned its propagation off)."""
    got: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            got.append(record.getMessage())

    logger = logging.getLogger("briefing")
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield got
    logger.removeHandler(handler)
    logger.setLevel(level)


def stored_jobs(config: Config) -> list[tuple[str, float]]:
    path = config.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT id, next_run_time FROM {JOB_TABLE}").fetchall()


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = clock.monotonic() + seconds
    while not condition():
        assert clock.monotonic() < deadline, "timed out"
        clock.sleep(0.05)


def start(config_path: Path, config: Config, messages: list[str]):
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(config_path, config, stop))
    before = len(messages)
    thread.start()
    wait_for(lambda: any("scheduler started" in m for m in messages[before:]))
    return stop, thread


def stop_within(stop: threading.Event, thread: threading.Thread, seconds: float = 2.5) -> None:
    began = clock.monotonic()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert clock.monotonic() - began < seconds


def test_run_scheduler_stores_one_job_and_stops(make_config, messages):
    config = make_config(at="07:00")
    path = config.path
    stop, thread = start(path, config, messages)
    expected = make_trigger(config).get_next_fire_time(None, datetime.now(UTC))
    assert stored_jobs(config) == [(JOB_ID, expected.timestamp())]
    assert any(f"next cycle at {expected.isoformat(timespec='minutes')}" in m for m in messages)
    stop_within(stop, thread)

    stop, thread = start(path, config, messages)  # a restart replaces, never adds
    assert stored_jobs(config) == [(JOB_ID, expected.timestamp())]
    stop_within(stop, thread)
    assert not any("cycle 1" in m for m in messages)


def set_stored_run_time(config: Config, when: datetime) -> None:
    """What downtime leaves behind: the stored job's next run time in the past. Done on the job
    store alone: shutting down a paused APScheduler 3.11 scheduler still processes due jobs once
    (and so would move the run time on)."""
    store = SQLAlchemyJobStore(url=config.database_url, tablename=JOB_TABLE)
    store.start(BackgroundScheduler(timezone=UTC), "default")
    job = store.lookup_job(JOB_ID)
    state = job.__getstate__()
    state["next_run_time"] = when
    job.__setstate__(state)
    store.update_job(job)
    store.shutdown()
    assert stored_jobs(config) == [(JOB_ID, when.timestamp())]


@pytest.mark.parametrize(("late", "runs"), [(timedelta(hours=2), 1), (timedelta(hours=7), 0)])
def test_restart_runs_a_missed_cycle_once_within_the_grace(
    make_config, messages, tmp_path, late, runs
):
    # the daily time an hour from now: no other fire falls between the stored one and now
    at = (datetime.now(BERLIN) + timedelta(hours=1)).strftime("%H:%M")
    config = make_config(at=at, misfire_grace="6h")
    stop, thread = start(config.path, config, messages)
    stop_within(stop, thread)
    set_stored_run_time(config, datetime.now(UTC) - late)

    # the cycle loads its config from this path; a missing file makes it fail at once, which
    # still counts as a run (collecting and building are the runner's tests)
    gone = tmp_path / "gone.yaml"
    before = len(messages)
    stop, thread = start(gone, config, messages)
    if runs:
        wait_for(lambda: any("cycle 1 finished" in m for m in messages[before:]))
        assert any("cycle 1 failed" in m and "gone.yaml" in m for m in messages[before:])
    else:
        wait_for(lambda: any("missed" in m for m in messages[before:]))
    clock.sleep(0.5)
    stop_within(stop, thread)
    assert not any("cycle 2" in m for m in messages[before:])
    stopped = f"stopped after {runs} cycle" + ("" if runs == 1 else "s")
    assert any(stopped in m for m in messages[before:]), messages[before:]
    expected = make_trigger(config).get_next_fire_time(None, datetime.now(UTC))
    assert stored_jobs(config) == [(JOB_ID, expected.timestamp())]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_the_foreground_scheduler(write_config, tmp_path, signum):
    path = write_config({"timezone": "Europe/Berlin", "schedule": {"at": "07:00"}})
    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from briefing.config import load_config\n"
        "from briefing.runner.schedule import run_scheduler\n"
        "logging.basicConfig(level=logging.INFO, stream=sys.stderr, format='%(message)s')\n"
        "path = Path(sys.argv[1])\n"
        "run_scheduler(path, load_config(path))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "scheduler started" in line:
            break
    else:
        pytest.fail("".join(lines))
    proc.send_signal(signum)
    began = clock.monotonic()
    rest = proc.communicate(timeout=10)[1]
    assert clock.monotonic() - began < 3
    assert proc.returncode == 0, "".join(lines) + rest
    assert f"{signal.Signals(signum).name} received" in rest
    assert "stopped after 0 cycles" in rest


def _schedule_until(path: Path, wanted: str) -> tuple[list[str], str, int]:
    """Start `briefing schedule` at the default log level, read stderr until a line holds
    `wanted`, then Ctrl-C it: (lines read, the rest of stderr, exit status)."""
    proc = start_briefing("schedule", "--config", str(path))
    watchdog = threading.Timer(90, proc.kill)  # a line that never comes fails, never hangs
    watchdog.start()
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if wanted in line:
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.communicate(timeout=30)[1]
    watchdog.cancel()
    assert wanted in "".join(lines), "".join(lines) + rest
    return lines, rest, proc.returncode


@pytest.mark.slow
def test_schedule_says_when_the_next_cycle_runs_without_v(write_config, tmp_path):
    """At the default log level: the next cycle's time when the scheduler starts and after every
    cycle, and one line when Ctrl-C stops it (exit 0); nothing of what -v adds."""
    path = write_config(
        {
            "timezone": "Europe/Berlin",
            "schedule": {"at": "07:00", "misfire_grace": "6h"},
            "output": {"dir": str(tmp_path / "out"), "formats": ["md"]},
        }
    )
    lines, rest, code = _schedule_until(path, "scheduler started; next cycle at ")
    assert code == 0, "".join(lines) + rest
    assert rest.strip().splitlines() == [
        "SIGINT received; stopping the scheduler",
        "scheduler stopped after 0 cycles",
    ]
    set_stored_run_time(load_config(path), datetime.now(UTC) - timedelta(hours=2))
    lines, rest, code = _schedule_until(path, "cycle 1 finished; next cycle at ")
    assert code == 0, "".join(lines) + rest
    assert lines[0].startswith("scheduler started; next cycle at ")
    assert not any(line.startswith("source ") for line in lines)  # -v's lines stay hidden
    assert rest.strip().splitlines()[-1] == "scheduler stopped after 1 cycle"


def test_a_schedule_that_cannot_start_raises_instead_of_idling(make_config):
    config = make_config()  # `days: []` is refused at load; here it slips past the schema
    config = config.model_copy(update={"schedule": config.schedule.model_copy(update={"days": []})})
    began = clock.monotonic()
    with pytest.raises(ValueError, match="empty"):
        run_scheduler(config.path, config, threading.Event())
    assert clock.monotonic() - began < 3
