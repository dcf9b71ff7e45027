"""Unit tests of store/ledger.py on real SQLite: builds, delivery states, desks kept apart."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from briefing.store import FAILED, PENDING, SENT, Ledger, LedgerBuild, Store
from briefing.store.schema import ledger_builds

DAY = date(2025, 5, 28)
OTHER_DAY = date(2025, 5, 29)
T1 = datetime(2025, 5, 29, 7, 0, tzinfo=UTC)
T2 = datetime(2025, 5, 29, 9, 30, tzinfo=UTC)


def write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def stored_hashes(store: Store, day: date) -> dict[str, list[str]]:
    """The ledger row's files as stored: format -> [path, sha256]."""
    with store.connect() as conn:
        query = sa.select(ledger_builds.c.files).where(
            ledger_builds.c.desk == store.desk, ledger_builds.c.date == day.isoformat()
        )
        return json.loads(conn.execute(query).scalar_one())


def test_a_build_is_remembered_with_its_files_and_their_hashes(
    tmp_path: Path, store: Store, set_clock: Callable[[datetime], None]
) -> None:
    ledger = Ledger(store)
    assert ledger.built(DAY) is None
    files = {
        "md": write(tmp_path / "out" / "b.md", b"# Briefing\n"),
        "json": write(tmp_path / "out" / "b.json", b"{}"),
    }
    set_clock(T1)
    ledger.record_build(DAY, files)
    assert ledger.built(DAY) == LedgerBuild(built_at=T1, files=files)
    assert ledger.built(OTHER_DAY) is None
    assert stored_hashes(store, DAY) == {
        "md": [files["md"], hashlib.sha256(b"# Briefing\n").hexdigest()],
        "json": [files["json"], hashlib.sha256(b"{}").hexdigest()],
    }

    # a rebuild replaces the record: its time, its files, their new hashes
    write(tmp_path / "out" / "b.md", b"# Briefing, rebuilt\n")
    set_clock(T2)
    ledger.record_build(DAY, {"md": files["md"]})
    assert ledger.built(DAY) == LedgerBuild(built_at=T2, files={"md": files["md"]})
    assert (
        stored_hashes(store, DAY)["md"][1] == hashlib.sha256(b"# Briefing, rebuilt\n").hexdigest()
    )


def test_deliveries_start_pending_and_count_their_attempts(store: Store) -> None:
    ledger = Ledger(store)
    assert ledger.states(DAY) == {}
    ledger.plan(DAY, [("email", "a@example.org"), ("email", "b@example.org"), ("dir", "out")])
    assert ledger.states(DAY) == {
        ("email", "a@example.org"): (PENDING, "", 0),
        ("email", "b@example.org"): (PENDING, "", 0),
        ("dir", "out"): (PENDING, "", 0),
    }
    ledger.mark(DAY, "email", "a@example.org", SENT)
    ledger.mark(DAY, "email", "b@example.org", FAILED, "550 mailbox unavailable")
    ledger.mark(DAY, "email", "b@example.org", FAILED, "421 try later " + "x" * 2000)
    states = ledger.states(DAY)
    assert states[("email", "a@example.org")] == (SENT, "", 1)
    state, reason, attempts = states[("email", "b@example.org")]
    assert (state, attempts) == (FAILED, 2)
    assert reason.startswith("421 try later") and len(reason) == 1000
    assert states[("dir", "out")] == (PENDING, "", 0)
    assert ledger.states(OTHER_DAY) == {}


def test_planning_again_keeps_states_and_adds_new_targets(store: Store) -> None:
    ledger = Ledger(store)
    ledger.plan(DAY, [("email", "a@example.org")])
    ledger.mark(DAY, "email", "a@example.org", SENT)
    ledger.plan(DAY, [("email", "a@example.org"), ("webhook", "https://hooks.example/x")])
    assert ledger.states(DAY) == {
        ("email", "a@example.org"): (SENT, "", 1),
        ("webhook", "https://hooks.example/x"): (PENDING, "", 0),
    }


def test_reset_makes_every_delivery_of_the_day_pending_again(store: Store) -> None:
    ledger = Ledger(store)
    wanted = [("email", "a@example.org"), ("dir", "out")]
    ledger.plan(DAY, wanted)
    ledger.plan(OTHER_DAY, wanted)
    ledger.mark(DAY, "email", "a@example.org", SENT)
    ledger.mark(DAY, "dir", "out", FAILED, "disk full")
    ledger.mark(OTHER_DAY, "dir", "out", SENT)
    ledger.reset(DAY)
    assert ledger.states(DAY) == {
        ("email", "a@example.org"): (PENDING, "forced", 1),
        ("dir", "out"): (PENDING, "forced", 1),
    }
    assert ledger.states(OTHER_DAY)[("dir", "out")] == (SENT, "", 1)


def test_desks_sharing_a_store_keep_their_own_ledgers(
    tmp_path: Path, set_clock: Callable[[datetime], None]
) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    files = {"md": write(tmp_path / "a.md", b"desk a")}
    set_clock(T1)
    with Store(url, desk="a") as store_a, Store(url, desk="b") as store_b:
        a, b = Ledger(store_a), Ledger(store_b)
        a.record_build(DAY, files)
        a.plan(DAY, [("email", "x@example.org")])
        a.mark(DAY, "email", "x@example.org", SENT)
        assert b.built(DAY) is None
        assert b.states(DAY) == {}

        b.plan(DAY, [("email", "x@example.org")])
        b.reset(DAY)
        assert b.states(DAY) == {("email", "x@example.org"): (PENDING, "forced", 0)}
        assert a.states(DAY) == {("email", "x@example.org"): (SENT, "", 1)}
        assert a.built(DAY) == LedgerBuild(T1, files)
    with Store(url) as unnamed:
        assert Ledger(unnamed).built(DAY) is None
