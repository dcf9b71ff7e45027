"""Hostile command lines and file systems: `--date` edges, unwritable, missing and full output
directories, file-size limits, interrupted runs, `--debug`. Each case states its input and the
expected exit status and message; every one keeps the invariants (previous outputs intact, no
traceback, no temporary file left). tests/test_cli.py keeps the basic usage errors."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug import Response

from .conftest import DAY, entry, rss
from .invariants import Run, check, snapshot
from conftest import interruptible

DATES = [
    ("2024-02-29", 0, None, "a leap day"),
    ("1990-01-01", 0, None, "the first day accepted"),
    ("2100-12-31", 2, "2100-12-31: its window opens at 2100-12-31 00:00", "the last, not begun"),
    ("2025-02-29", 2, "'2025-02-29' is not a valid calendar date", "no 29 February in 2025"),
    ("2101-01-01", 2, "'2101-01-01' is outside the years 1990-2100", "after the range"),
    ("0000-01-01", 2, "'0000-01-01' is not a valid calendar date", "year zero"),
    ("", 2, "'' is not a date in the form YYYY-MM-DD", "empty"),
    (" 2025-05-28", 2, "' 2025-05-28' is not a date in the form YYYY-MM-DD", "a leading space"),
    ("2025-05-28T00:00", 2, "is not a date in the form YYYY-MM-DD", "a time attached"),
    ("+2025-05-28", 2, "is not a date in the form YYYY-MM-DD", "a sign"),
    ("2025-05-28\n", 2, "is not a date in the form YYYY-MM-DD", "a trailing newline"),
    ("٢٠٢٥-٠٥-٢٨", 2, "is not a date in the form YYYY-MM-DD", "Arabic-Indic digits"),
    ("2025-05-28; rm -rf /", 2, "is not a date in the form YYYY-MM-DD", "shell metacharacters"),
]


@pytest.fixture
def wire(make_config, tmp_path: Path) -> Path:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(n) for n in range(3)]))
    return make_config([{"name": "wire", "type": "feed", "path": str(feed)}])


@pytest.mark.parametrize(("value", "code", "message", "what"), DATES, ids=[d[3] for d in DATES])
def test_date_edges(run, wire, value: str, code: int, message: str | None, what: str) -> None:
    """A day with nothing stored is a short "No new items" briefing (exit 0); a bad --date is
    one usage line naming the value (exit 2)."""
    result = run("build", "--config", wire, "--date", value, "--no-collect", "--format", "md")
    check(result, code, culprit=message)
    if code == 0:
        path, summary = result.out.strip().splitlines()
        assert path.endswith(f"briefing-{value}.md")
        assert summary.endswith(": no new items on the topic in this window")
    else:
        (line,) = result.err.strip().splitlines()
        assert message is not None and message in line
        read = message.startswith(value)  # a date that reads, for a day that has not begun
        assert read or line.startswith("error: Invalid value for '--date': ")


def _built(run, config: Path) -> dict[Path, str]:
    check(run("build", "--config", config, "--date", DAY), 0)
    return snapshot(Path(config).parent / "out")


def test_output_below_a_file_fails_with_one_line(run, make_config, tmp_path: Path) -> None:
    """output.dir under a regular file: exit 1, one line naming the folder; the store (kept
    elsewhere) and earlier outputs are untouched."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(1)]))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    config = make_config(
        [{"name": "wire", "type": "feed", "path": str(feed)}],
        output={"dir": str(blocker / "out"), "formats": ["md"]},
        database=f"sqlite:///{tmp_path / 'store' / 'b.db'}",
    )
    result = run("build", "--config", config, "--date", DAY)
    check(result, 1, culprit=str(blocker))
    assert len(result.err.strip().splitlines()) == 1
    assert blocker.read_text() == "x"


def test_output_in_dev_null_fails_with_one_line(run, make_config, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(1)]))
    config = make_config(
        [{"name": "wire", "type": "feed", "path": str(feed)}],
        output={"dir": "/dev/null/briefings", "formats": ["md"]},
        database=f"sqlite:///{tmp_path / 'b.db'}",
    )
    result = run("build", "--config", config, "--date", DAY)
    check(result, 1, culprit="/dev/null")


def test_missing_output_directories_are_created(run, make_config, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(1)]))
    deep = tmp_path / "a" / "b" / "c"
    config = make_config(
        [{"name": "wire", "type": "feed", "path": str(feed)}],
        output={"dir": str(deep), "formats": ["md", "json"]},
    )
    check(run("build", "--config", config, "--date", DAY), 0, out_dir=deep)
    assert (deep / DAY / f"briefing-{DAY}.json").is_file()


@contextlib.contextmanager
def tiny_filesystem(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (CI runs as root); skipped where mounting fails."""
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_disk_full_keeps_the_previous_briefing(run, make_config, tmp_path: Path) -> None:
    """The output directory's disk fills up between two builds: the second exits 1 naming the
    file and "No space left on device", the first build's files are intact, no temporary file
    is left, and the store (on another disk) is fine."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(n) for n in range(3)]))
    with tiny_filesystem(tmp_path / "disk", "256k") as disk:
        out = disk / "out"
        sources = [{"name": "wire", "type": "feed", "path": str(feed)}]
        store = f"sqlite:///{tmp_path / 'store.db'}"
        config = make_config(sources, output={"dir": str(out), "formats": ["md"]}, database=store)
        check(run("build", "--config", config, "--date", DAY), 0)
        before = snapshot(out)
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        config = make_config(
            sources, output={"dir": str(out), "formats": ["md", "html", "json"]}, database=store
        )
        result = run("build", "--config", config, "--date", DAY, "--no-collect")
        check(result, 1, culprit="No space left on device", out_dir=out, before=before)
        assert len(result.err.strip().splitlines()) == 1
        filler.unlink()
        check(run("build", "--config", config, "--date", DAY, "--no-collect"), 0, out_dir=out)


def _limited(args: list[str], max_bytes: int, cwd: Path) -> Run:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    done = subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        cwd=cwd,
        timeout=60,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def test_file_size_limit_fails_cleanly(run, make_config, tmp_path: Path) -> None:
    """A process file-size limit (ulimit -f) the build overruns (the HTML, or the store as it
    grows): exit 1, one line saying so, the previous files intact."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(n) for n in range(3)]))
    out = tmp_path / "out"
    sources = [{"name": "wire", "type": "feed", "path": str(feed)}]
    config = make_config(sources, output={"dir": str(out), "formats": ["md"]})
    check(run("build", "--config", config, "--date", DAY), 0)
    before = snapshot(out)
    config = make_config(sources, output={"dir": str(out), "formats": ["md", "html"]})
    args = ["build", "--config", str(config), "--date", DAY, "--no-collect"]
    result = _limited(args, 8 * 1024, tmp_path)
    check(result, 1, out_dir=out, before=before)
    assert "File too large" in result.err or "disk I/O error" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_interrupted_build_leaves_no_half_written_file(
    make_config, tmp_path: Path, httpserver
) -> None:
    """SIGINT while a slow server is read: exit 130, "error: interrupted", nothing written,
    no temporary file left."""

    asked = threading.Event()

    def slow(request):
        asked.set()
        time.sleep(2.5)
        return Response(rss([entry(1)]), content_type="application/rss+xml")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    config = make_config(
        [
            {
                "name": "slow",
                "type": "feed",
                "url": httpserver.url_for("/slow"),
                "allow_private": True,
                "timeout": 2,
            }
        ]
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "build", "--config", str(config), "--date", DAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
    )
    # interrupted while it reads the slow server (a fixed delay could land in its imports on a
    # busy machine, where a library's bare `except:` may swallow the interrupt)
    assert asked.wait(20), "the build never asked the slow server"
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    check(Run(proc.returncode, out, err), 130, culprit="interrupted", out_dir=tmp_path / "out")
    assert not list((tmp_path / "out").rglob("briefing-*"))


def test_debug_shows_the_traceback_and_only_then(run, make_config, tmp_path: Path) -> None:
    """The same failure: one line normally, the traceback with --debug (the documented way)."""
    config = make_config(
        [{"name": "wire", "type": "feed", "path": str(tmp_path / "none.xml")}],
        output={"dir": str(tmp_path / "out"), "formats": ["md"]},
        database="sqlite:////dev/full",
    )
    check(run("build", "--config", config, "--date", DAY), 1, culprit="database or disk is full")
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "--debug", "build", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "Traceback" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--colour"], "No such option '--colour'"),
        (["build", "--format", ""], "unknown format ''"),
        (["build", "--format", "md,../../etc/passwd"], "unknown format '../../etc/passwd'"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["explain"], "Missing option '--date'"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(run, wire, args: list[str], message: str) -> None:
    result = run(*args, "--config", wire) if args[0] != "frobnicate" else run(*args)
    check(result, 2, culprit=message)
    assert len(result.err.strip().splitlines()) == 1


def test_missing_config_from_the_environment(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "gone.yaml"))
    check(run("build"), 2, culprit="config file not found")
