"""Opening a database: the engine (SQLite pragmas; PostgreSQL only with its driver installed),
and database failures turned into one-line errors that name the store, password masked."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import ConfigError, WorkError


class Guard:
    """Turn database failures into one-line WorkErrors naming the store."""

    def __init__(self, opener: Callable[[], Any], url: str) -> None:
        self._cm: Any = None
        self._opener = opener
        self._url = url

    def __enter__(self) -> Connection:
        try:
            self._cm = self._opener()
            return self._cm.__enter__()
        except sa.exc.SQLAlchemyError as exc:
            raise WorkError(f"store {mask_url(self._url)}: {db_reason(exc)}") from exc

    def __exit__(self, *exc: Any) -> None:
        try:
            self._cm.__exit__(*exc)
        except sa.exc.SQLAlchemyError as err:
            raise WorkError(f"store {mask_url(self._url)}: {db_reason(err)}") from err
        if exc[0] is not None and issubclass(exc[0], sa.exc.SQLAlchemyError):
            raise WorkError(f"store {mask_url(self._url)}: {db_reason(exc[1])}") from exc[1]


def open_engine(url: str, busy_timeout: float = 30.0) -> Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise WorkError(f"database URL {url!r} is not a SQLAlchemy URL") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkError(
                    f"store {mask_url(url)}: cannot create {folder}: {exc.strerror}"
                ) from None
        engine = sa.create_engine(parsed, connect_args={"timeout": busy_timeout})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            # WAL: readers never wait for a writer, and a commit costs one sync, not three
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        return engine
    if parsed.get_backend_name() == "postgresql":
        check_driver(url, f"database {mask_url(url)}")
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise WorkError(f"database {mask_url(url)}: {exc}") from None


MIGRATION_LOCK = 7_250_101  # the advisory lock migrations hold on PostgreSQL
POSTGRES_HINT = "pip install 'briefing[postgres]'"


def check_driver(url: str, where: str) -> None:
    """A PostgreSQL URL needs psycopg 3 (the `postgres` extra): say so in one line."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return  # opening the store reports a malformed URL
    if parsed.get_backend_name() != "postgresql":
        return
    if parsed.get_driver_name() != "psycopg":
        raise ConfigError(
            f"{where}: use a postgresql+psycopg:// URL (the driver of the postgres extra), "
            f"not {parsed.drivername}://"
        )
    if importlib.util.find_spec("psycopg") is None:
        raise ConfigError(
            f"{where}: the PostgreSQL driver is not installed; install the postgres extra "
            f"({POSTGRES_HINT})"
        )


def mask_url(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(invalid URL)"


def db_reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig or exc).splitlines()[0]
    return text[:300]
