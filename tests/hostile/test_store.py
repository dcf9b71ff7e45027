"""A hostile or broken store: locked by another process, corrupt, truncated, from a newer
version, a directory, on a full device, an unknown driver. Each case: one line naming the
store (its password hidden), exit 1, and the store file and earlier outputs left exactly as
they were. tests/test_store.py keeps the migration tests."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import DAY, entry, rss
from .invariants import check, snapshot


def _corrupt(db: Path) -> None:
    db.write_bytes(b"this is not a database, whatever its name says" * 100)
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)


def _truncate(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)


def _newer(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")


CASES: list[tuple[str, str, Callable[[Path], None], str]] = [
    ("corrupt", "random bytes where the store was", _corrupt, "file is not a database"),
    (
        "truncated",
        "the store cut to a third of its size (a crash while copying it)",
        _truncate,
        "malformed",
    ),
    (
        "newer-version",
        "a store whose schema version is 999: refused, not misread or downgraded",
        _newer,
        "has schema version 999, newer than this briefing understands",
    ),
]


@pytest.mark.parametrize(
    ("name", "description", "damage", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_damaged_store_fails_cleanly_and_is_left_alone(
    name: str, description: str, damage, message: str, run, make_config, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(n) for n in range(3)]))
    config = make_config([{"name": "wire", "type": "feed", "path": str(feed)}])
    out = tmp_path / "out"
    check(run("build", "--config", config, "--date", DAY), 0)
    db = out / "briefing.db"
    damage(db)
    before = snapshot(out)
    result = run("build", "--config", config, "--date", DAY)
    check(result, 1, culprit=message, out_dir=out, before=before)
    assert f"store sqlite:///{db}" in result.err
    assert snapshot(out)[db] == before[db]  # the store file itself is untouched


def test_locked_store_waits_store_timeout_then_fails(run, make_config, tmp_path: Path) -> None:
    """Another process holds the write lock: the build waits limits.store_timeout (1 s here),
    then exits 1 with "database is locked"; nothing is lost, and once the lock goes the next
    build works."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(n) for n in range(3)]))
    config = make_config(
        [{"name": "wire", "type": "feed", "path": str(feed)}], limits={"store_timeout": 1}
    )
    out = tmp_path / "out"
    check(run("build", "--config", config, "--date", DAY), 0)
    feed.write_bytes(rss([entry(n) for n in range(6)]))  # new items to store
    before = snapshot(out)
    holder = sqlite3.connect(out / "briefing.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        result = run("build", "--config", config, "--date", DAY)
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    check(result, 1, culprit="database is locked", out_dir=out, before=before)
    assert 0.9 <= elapsed < 10
    check(run("build", "--config", config, "--date", DAY), 0, out_dir=out)


@pytest.mark.parametrize(
    ("database", "message"),
    [
        ("sqlite:////dev/full", "store sqlite:////dev/full: database or disk is full"),
        ("sqlite:///{tmp}", "unable to open database file"),
        ("sqlite:///{tmp}/a-file/x.db", "cannot create {tmp}/a-file"),
        ("mysql://desk:t0ps3cret@127.0.0.1:1/briefing", "database mysql://desk:***@127.0.0.1:1"),
    ],
    ids=["dev-full", "a-directory", "below-a-file", "unknown-driver"],
)
def test_unusable_store_is_one_line(
    database: str, message: str, run, make_config, tmp_path: Path
) -> None:
    """The store on a full device, a directory, below a file, or a driver that is not
    installed: exit 1, one line naming it, a password in its URL never shown."""
    (tmp_path / "a-file").write_text("x")
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(1)]))
    config = make_config(
        [{"name": "wire", "type": "feed", "path": str(feed)}],
        database=database.format(tmp=tmp_path),
    )
    result = run("build", "--config", config, "--date", DAY)
    check(result, 1, culprit=message.format(tmp=tmp_path))
    assert len(result.err.strip().splitlines()) == 1
    assert "t0ps3cret" not in result.err
    assert (tmp_path / "a-file").read_text() == "x"
