"""The run ledger: per window, what was built (files and their hashes) and, per delivery target
and recipient, whether it was sent — so a cycle for a window already delivered does nothing, a
second fire of the scheduler is a no-op, and a failed send is retried by the next run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from .. import clock
from ..files import file_sha256
from .items import Store
from .schema import insert_ignore, ledger_builds, ledger_deliveries, upsert

PENDING, SENT, FAILED = "pending", "sent", "failed"


@dataclass(frozen=True)
class LedgerBuild:
    """What the ledger remembers of a window's last build."""

    built_at: datetime
    files: dict[str, str]  # format -> path


class Ledger:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _day(self, day: date) -> sa.ColumnElement[bool]:
        """This desk's deliveries of `day`."""
        return sa.and_(
            ledger_deliveries.c.desk == self.store.desk,
            ledger_deliveries.c.date == day.isoformat(),
        )

    def record_build(self, day: date, files: dict[str, str]) -> None:
        hashed = {fmt: [path, file_sha256(Path(path))] for fmt, path in files.items()}
        row = {
            "desk": self.store.desk,
            "date": day.isoformat(),
            "built_at": clock.now(),
            "files": json.dumps(hashed),
        }
        with self.store.begin() as conn:
            upsert(conn, ledger_builds, row, "desk", "date")

    def built(self, day: date) -> LedgerBuild | None:
        """When `day` was last built and its files, or None if it never was."""
        with self.store.connect() as conn:
            query = sa.select(ledger_builds).where(
                ledger_builds.c.desk == self.store.desk, ledger_builds.c.date == day.isoformat()
            )
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        files = {fmt: pair[0] for fmt, pair in json.loads(row["files"]).items()}
        return LedgerBuild(row["built_at"], files)

    def states(self, day: date) -> dict[tuple[str, str], tuple[str, str, int]]:
        """(target, key) -> (state, reason, attempts) for `day`."""
        with self.store.connect() as conn:
            query = sa.select(ledger_deliveries).where(self._day(day))
            return {
                (r["target"], r["key"]): (r["state"], r["reason"], r["attempts"])
                for r in conn.execute(query).mappings()
            }

    def plan(self, day: date, wanted: list[tuple[str, str]]) -> None:
        """Make sure every (target, key) of `day` has a row; new ones start pending."""
        with self.store.begin() as conn:
            for target, key in wanted:
                row = {
                    "desk": self.store.desk,
                    "date": day.isoformat(),
                    "target": target,
                    "key": key,
                    "state": PENDING,
                    "reason": "",
                    "attempts": 0,
                    "updated": clock.now(),
                }
                insert_ignore(conn, ledger_deliveries, row)

    def mark(self, day: date, target: str, key: str, state: str, reason: str = "") -> None:
        with self.store.begin() as conn:
            conn.execute(
                sa.update(ledger_deliveries)
                .where(
                    self._day(day),
                    ledger_deliveries.c.target == target,
                    ledger_deliveries.c.key == key,
                )
                .values(
                    state=state,
                    reason=reason[:1000],
                    updated=clock.now(),
                    attempts=ledger_deliveries.c.attempts + 1,
                )
            )

    def reset(self, day: date) -> None:
        """`--force`: every delivery of `day` is pending again."""
        with self.store.begin() as conn:
            conn.execute(
                sa.update(ledger_deliveries)
                .where(self._day(day))
                .values(state=PENDING, reason="forced", updated=clock.now())
            )
