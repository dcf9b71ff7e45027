"""One run at a time: a file lock in the output directory around every build and delivery, and
on PostgreSQL an advisory lock per desk in the database, so runs on several machines take turns
too. A run that finds the lock held exits 75 (try again later), or waits with --wait."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..config import Config
from ..errors import BriefingError, WorkError
from ..store import open_engine
from ..store.engine import Guard

if TYPE_CHECKING:  # filelock loads only when a lock is taken
    from filelock import FileLock

EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class LockedError(BriefingError):
    exit_code = EXIT_LOCKED


def lock(config: Config, wait: bool = False) -> FileLock:
    from filelock import FileLock

    try:
        config.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way, a read-only or full disk
        raise WorkError(f"cannot create {config.output_dir}: {exc.strerror}") from None
    return FileLock(str(config.output_dir / ".briefing.lock"), timeout=-1 if wait else 0)


@contextlib.contextmanager
def locked(config: Config, wait: bool) -> Iterator[None]:
    """Hold the output directory's lock for the whole cycle (or wait for it with --wait)."""
    from filelock import Timeout

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
def store_lock(config: Config, wait: bool) -> Iterator[None]:
    """On PostgreSQL, also a lock in the database per desk (a session advisory lock), so runs
    of one desk on different machines take turns too; a file lock only covers one machine."""
    if not config.database_url.startswith("postgresql"):
        yield
        return
    engine = open_engine(config.database_url)
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
    digest = hashlib.sha256(f"briefing run {desk}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
