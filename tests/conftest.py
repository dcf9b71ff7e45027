"""Shared test helpers: configs written into tmp_path that point at the real samples, and the
real CLI entry point with its output captured."""

from __future__ import annotations

import email
import email.policy
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller

from briefing.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_DAY = "2025-05-28"


def require(present: bool, reason: str) -> None:
    """Skip a test whose requirement is missing here (../shared beside the checkout, an optional
    extra); in CI (CI set), where .ci/run provides them all, fail instead, so CI never skips it."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run this test (see .ci/run)")
    pytest.skip(reason)


def shared(*parts: str) -> Path:
    """A path in ../shared (the seeds, the devset, the peer suites), or a skip (in CI: a fail)."""
    path = SHARED.joinpath(*parts)
    require(path.exists(), f"../shared/{'/'.join(parts)} is not present")
    return path


def needs_postgres_driver() -> None:
    """Tests of PostgreSQL URLs that need psycopg, the postgres extra, but no server."""
    require(
        importlib.util.find_spec("psycopg") is not None,
        "needs the postgres extra (pip install -e '.[postgres]')",
    )


def repo_config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a config into tmp_path: the shipped one with absolute sample paths and output in
    tmp_path, updated with `changes` (top-level keys)."""

    def write(changes: dict[str, Any] | None = None, text: str | None = None) -> Path:
        path = tmp_path / "config.yaml"
        if text is not None:
            path.write_text(text, encoding="utf-8")
            return path
        data = repo_config()
        for source in data["sources"]:
            if "path" in source:
                source["path"] = str(ROOT / source["path"])
        data["output"]["dir"] = str(tmp_path / "out")
        data.update(changes or {})
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return path

    return write


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `briefing ARGS` in-process through the real entry point."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def section_of(markdown: str, headline: str) -> str | None:
    """The `## ` heading under which `### headline` appears in a Markdown briefing."""
    current = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].replace("\\", "")
        elif line.startswith("### ") and line[4:].replace("\\", "") == headline:
            return current
    return None


# --- stores: a real SQLite file, and a fresh database on a real PostgreSQL server -------------

PG_ENV = "BRIEFING_TEST_PG_URL"


def _fresh_pg_database(request: pytest.FixtureRequest) -> str:
    """A new, empty database on the server BRIEFING_TEST_PG_URL names, dropped afterwards.
    Without the variable the test skips; in CI (CI set) it fails, so CI never skips it."""
    import os
    import uuid

    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must run the PostgreSQL tests (see .ci/run)")
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql+psycopg://USER@HOST:PORT/DB")
    import sqlalchemy as sa

    name = f"briefing_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses a PostgreSQL database is marked `postgres`."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_url" in getattr(item, "fixturenames", ()) or params.get("store_url") == "postgresql":
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """URL of a fresh PostgreSQL database (skips without BRIEFING_TEST_PG_URL, unless CI)."""
    return _fresh_pg_database(request)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against a fresh SQLite file and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'briefing.db'}"
    return _fresh_pg_database(request)


@pytest.fixture
def another_store_url(request: pytest.FixtureRequest, store_url: str, tmp_path: Path) -> str:
    """A second fresh store of `store_url`'s kind."""
    if store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'another' / 'briefing.db'}"
    return _fresh_pg_database(request)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server a test starts later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1: yields (port, recorder)."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, recorder
    controller.stop()


def interruptible() -> None:
    """Run in a child before it starts (`preexec_fn`): Ctrl-C reaches it as a terminal's would.
    A test suite started in the background (`pytest &`, some CI runners) ignores SIGINT, and a
    child inherits that: the processes a test interrupts would not notice."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_briefing(*args: str, epoch: str | None = None) -> subprocess.Popen:
    """A real `briefing` process started in the repository (its clock fixed at `epoch`, the
    seconds of SOURCE_DATE_EPOCH, when given), for tests of processes running at once."""
    env = {**os.environ, **({"SOURCE_DATE_EPOCH": epoch} if epoch else {})}
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
