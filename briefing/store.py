"""The store: items, source health and build records in any SQLAlchemy database.

The schema is versioned by numbered migrations kept in this file; a store written by a newer
version of briefing is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .errors import WorkError
from .models import Item, SourceReport


class UTCDateTime(sa.types.TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; stored naive UTC so SQLite sorts them."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def _item_columns() -> list[sa.Column]:
    """Columns of `items` as migration 1 created them (fresh objects on every call)."""
    return [
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("outlet", sa.String(300), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("published", UTCDateTime),
        sa.Column("published_offset", sa.Integer),  # seconds east of UTC, as the source gave it
        sa.Column("captured", UTCDateTime, nullable=False),
        sa.Column("sort_time", UTCDateTime, nullable=False, index=True),
        sa.Column("lang", sa.String(20)),
    ]


items = sa.Table(
    "items",
    metadata,
    *_item_columns(),
    sa.Column("date_only", sa.Boolean, nullable=False, server_default=sa.false()),
)

source_state = sa.Table(
    "source_state",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("fetched", sa.Integer, nullable=False, default=0),
    sa.Column("new", sa.Integer, nullable=False, default=0),
    sa.Column("checked", UTCDateTime, nullable=False),
)

builds = sa.Table(
    "builds",
    metadata,
    sa.Column("date", sa.String(10), primary_key=True),
    sa.Column("first_built", UTCDateTime, nullable=False),
    sa.Column("last_built", UTCDateTime, nullable=False),
)


source_runs = sa.Table(
    "source_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("fetched", sa.Integer, nullable=False),
    sa.Column("new", sa.Integer, nullable=False),
    sa.Column("checked", UTCDateTime, nullable=False, index=True),
)

http_state = sa.Table(
    "http_state",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("checked", UTCDateTime, nullable=False),
)


def _migration_1(conn: Connection) -> None:
    """The first schema, as released (items without `date_only`)."""
    for table in (source_state, builds):
        table.create(conn, checkfirst=True)
    sa.Table("items", sa.MetaData(), *_item_columns()).create(conn, checkfirst=True)


def _migration_2(conn: Connection) -> None:
    """Day-only publication dates, a history of source runs, HTTP validators per URL."""
    conn.execute(sa.text("ALTER TABLE items ADD COLUMN date_only BOOLEAN NOT NULL DEFAULT FALSE"))
    source_runs.create(conn, checkfirst=True)
    http_state.create(conn, checkfirst=True)


MIGRATIONS: list[Callable[[Connection], None]] = [_migration_1, _migration_2]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Store:
    """One open database; use as a context manager."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        try:
            self._migrate()
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            raise WorkError(f"store {_shown(url)}: {_reason(exc)}") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            meta.create(conn, checkfirst=True)
            row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema")).first()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise WorkError(
                    f"store {_shown(self.url)} has schema version {version}, newer than this "
                    f"briefing understands ({SCHEMA_VERSION}); upgrade briefing"
                )
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](conn)
            if version != SCHEMA_VERSION:
                stmt = _upsert(conn, meta, {"key": "schema", "value": str(SCHEMA_VERSION)}, "key")
                conn.execute(stmt)

    def add_items(self, new_items: Iterable[Item]) -> int:
        """Insert items whose id is not stored yet; return how many were new."""
        rows = [_item_row(item) for item in new_items]
        if not rows:
            return 0
        added = 0
        with self._begin() as conn:
            for row in rows:
                stmt = _insert_ignore(conn, items, row)
                added += conn.execute(stmt).rowcount or 0
        return added

    def items_between(self, start: datetime, end: datetime) -> list[Item]:
        """Items whose publication (or first capture) time is in [start, end)."""
        query = (
            sa.select(items)
            .where(items.c.sort_time >= start, items.c.sort_time < end)
            .order_by(items.c.sort_time, items.c.id)
        )
        with self._connect() as conn:
            return [_row_item(row) for row in conn.execute(query).mappings()]

    def has_item(self, item_id: str) -> bool:
        with self._connect() as conn:
            query = sa.select(items.c.id).where(items.c.id == item_id)
            return conn.execute(query).first() is not None

    def count_items(self) -> int:
        with self._connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one()

    def record_source(self, report: SourceReport) -> None:
        row = {
            "name": report.name,
            "type": report.type,
            "status": report.status,
            "message": report.message[:2000],
            "fetched": report.fetched,
            "new": report.new,
            "checked": _now(),
        }
        with self._begin() as conn:
            conn.execute(_upsert(conn, source_state, row, "name"))
            conn.execute(
                sa.insert(source_runs).values(**{k: v for k, v in row.items() if k != "type"})
            )

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified last seen for `url`, for a conditional GET."""
        with self._connect() as conn:
            row = conn.execute(
                sa.select(http_state.c.etag, http_state.c.last_modified).where(
                    http_state.c.url == url
                )
            ).first()
        return (row[0], row[1]) if row else (None, None)

    def save_http_validators(self, url: str, etag: str | None, modified: str | None) -> None:
        row = {"url": url, "etag": etag, "last_modified": modified, "checked": _now()}
        with self._begin() as conn:
            conn.execute(_upsert(conn, http_state, row, "url"))

    def source_states(self) -> dict[str, SourceReport]:
        with self._connect() as conn:
            rows = conn.execute(sa.select(source_state)).mappings()
            return {
                r["name"]: SourceReport(
                    r["name"], r["type"], r["status"], r["fetched"], r["new"], r["message"]
                )
                for r in rows
            }

    def mark_built(self, day: date) -> datetime:
        """Record a build of `day`; return when it was first built (stable across rebuilds)."""
        now = _now()
        key = day.isoformat()
        with self._begin() as conn:
            conn.execute(
                _insert_ignore(conn, builds, {"date": key, "first_built": now, "last_built": now})
            )
            conn.execute(sa.update(builds).where(builds.c.date == key).values(last_built=now))
            first = conn.execute(sa.select(builds.c.first_built).where(builds.c.date == key))
            return first.scalar_one()

    def _begin(self):  # type: ignore[no-untyped-def]
        return _Guard(self.engine.begin, self.url)

    def _connect(self):  # type: ignore[no-untyped-def]
        return _Guard(self.engine.connect, self.url)


class _Guard:
    """Turn database failures into one-line WorkErrors naming the store."""

    def __init__(self, opener: Callable[[], Any], url: str) -> None:
        self._cm = None
        self._opener = opener
        self._url = url

    def __enter__(self) -> Connection:
        try:
            self._cm = self._opener()
            return self._cm.__enter__()
        except sa.exc.SQLAlchemyError as exc:
            raise WorkError(f"store {_shown(self._url)}: {_reason(exc)}") from exc

    def __exit__(self, *exc: Any) -> None:
        try:
            self._cm.__exit__(*exc)
        except sa.exc.SQLAlchemyError as err:
            raise WorkError(f"store {_shown(self._url)}: {_reason(err)}") from err
        if exc[0] is not None and issubclass(exc[0], sa.exc.SQLAlchemyError):
            raise WorkError(f"store {_shown(self._url)}: {_reason(exc[1])}") from exc[1]


def _engine(url: str) -> Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise WorkError(f"database URL {url!r} is not a SQLAlchemy URL") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        return engine
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise WorkError(f"database {_shown(url)}: {exc}") from None


def _dialect_insert(conn: Connection) -> Callable[[sa.Table], Any]:
    """The dialect's INSERT, which knows ON CONFLICT; SQLite and PostgreSQL are supported."""
    name = conn.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        raise WorkError(f"database dialect {name!r} is not supported (use SQLite or PostgreSQL)")
    return insert


def _insert_ignore(conn: Connection, table: sa.Table, row: dict[str, Any]) -> Any:
    return _dialect_insert(conn)(table).values(**row).on_conflict_do_nothing()


def _upsert(conn: Connection, table: sa.Table, row: dict[str, Any], key: str) -> Any:
    changes = {k: v for k, v in row.items() if k != key}
    stmt = _dialect_insert(conn)(table).values(**row)
    return stmt.on_conflict_do_update(index_elements=[key], set_=changes)


def _item_row(item: Item) -> dict[str, Any]:
    offset = item.published.utcoffset() if item.published else None
    return {
        "id": item.id,
        "source": item.source,
        "outlet": item.outlet,
        "url": item.url,
        "title": item.title,
        "body": item.body,
        "published": item.published,
        "published_offset": int(offset.total_seconds()) if offset is not None else None,
        "captured": item.captured,
        "sort_time": item.when,
        "lang": item.lang,
        "date_only": item.date_only,
    }


def _row_item(row: Any) -> Item:
    published = row["published"]
    if published is not None and row["published_offset"] is not None:
        published = published.astimezone(timezone(timedelta(seconds=row["published_offset"])))
    return Item(
        id=row["id"],
        source=row["source"],
        outlet=row["outlet"],
        url=row["url"],
        title=row["title"],
        body=row["body"],
        published=published,
        captured=row["captured"],
        lang=row["lang"],
        date_only=bool(row["date_only"]),
    )


def _shown(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(invalid URL)"


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig or exc).splitlines()[0]
    return text[:300]
