"""The store's tables and the numbered migrations that create them.

Each migration is kept as it was released, so a store of any earlier version upgrades step by
step; SCHEMA_VERSION is the number of migrations.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import WorkError


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


def _desk() -> sa.Column:
    """Which desk (config) a record belongs to; "" for a store with one unnamed desk."""
    return sa.Column("desk", sa.String(64), primary_key=True, server_default="")


def _released(table: sa.Table) -> sa.Table:
    """`table` as released before migration 5 gave it a desk column (for older migrations)."""
    columns = [c._copy() for c in table.columns if c.name != "desk"]
    return sa.Table(table.name, sa.MetaData(), *columns)


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
    sa.Column("stored", UTCDateTime),  # migration 6: when this store got the item
)


def _accounting_columns() -> list[sa.Column]:
    """How a source run's entries were accounted for (migration 6): read = fetched + refused,
    fetched = new + known + merged; `refusals` is JSON, reason -> entries."""
    return [
        sa.Column("known", sa.Integer, nullable=False, server_default="0"),
        sa.Column("merged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("refused", sa.Integer, nullable=False, server_default="0"),
        sa.Column("refusals", sa.Text, nullable=False, server_default="{}"),
    ]


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
    *_accounting_columns(),
)

builds = sa.Table(
    "builds",
    metadata,
    _desk(),
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
    *_accounting_columns(),
)

http_state = sa.Table(
    "http_state",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("checked", UTCDateTime, nullable=False),
)


stories = sa.Table(
    "stories",
    metadata,
    _desk(),
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("first_reported", UTCDateTime, nullable=False),
    sa.Column("first_date", sa.String(10), nullable=False),
)

# Which briefing each item went into (and in which story; "" = dropped by the topic gate), so a
# rebuild gives what the first build gave and an item is never shown in two briefings.
story_items = sa.Table(
    "story_items",
    metadata,
    _desk(),
    sa.Column("item_id", sa.String(40), primary_key=True),
    sa.Column("story_id", sa.String(40), nullable=False, index=True),
    sa.Column("date", sa.String(10), nullable=False, index=True),
)

build_sources = sa.Table(
    "build_sources",
    metadata,
    _desk(),
    sa.Column("date", sa.String(10), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),  # migration 6
)


def _migration_1(conn: Connection) -> None:
    """The first schema, as released (items without `date_only`)."""
    source_state.create(conn, checkfirst=True)
    _released(builds).create(conn, checkfirst=True)
    sa.Table("items", sa.MetaData(), *_item_columns()).create(conn, checkfirst=True)


def _migration_2(conn: Connection) -> None:
    """Day-only publication dates, a history of source runs, HTTP validators per URL."""
    conn.execute(sa.text("ALTER TABLE items ADD COLUMN date_only BOOLEAN NOT NULL DEFAULT FALSE"))
    source_runs.create(conn, checkfirst=True)
    http_state.create(conn, checkfirst=True)


# How each briefing presented each story (headline and summary sentences), so a rebuild shows
# the same words even after later items changed the word statistics.
story_views = sa.Table(
    "story_views",
    metadata,
    _desk(),
    sa.Column("date", sa.String(10), primary_key=True),
    sa.Column("story_id", sa.String(40), primary_key=True),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),  # JSON list of [item id, text, cut]
)

term_stats = sa.Table(
    "term_stats",
    metadata,
    sa.Column("term", sa.String(100), primary_key=True),
    sa.Column("df", sa.Integer, nullable=False),
)


def _migration_3(conn: Connection) -> None:
    """Stories that last across days, each item's briefing, each build's source statuses, and
    word statistics for story similarity, kept up to date as items arrive."""
    for table in (stories, story_items, build_sources, story_views):
        _released(table).create(conn, checkfirst=True)
    term_stats.create(conn, checkfirst=True)


ledger_builds = sa.Table(
    "ledger_builds",
    metadata,
    _desk(),
    sa.Column("date", sa.String(10), primary_key=True),
    sa.Column("built_at", UTCDateTime, nullable=False),
    sa.Column("files", sa.Text, nullable=False),  # JSON: format -> [path, sha256]
)

ledger_deliveries = sa.Table(
    "ledger_deliveries",
    metadata,
    _desk(),
    sa.Column("date", sa.String(10), primary_key=True),
    sa.Column("target", sa.String(300), primary_key=True),
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("state", sa.String(10), nullable=False),  # pending | sent | failed
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("updated", UTCDateTime, nullable=False),
)


def _migration_4(conn: Connection) -> None:
    """The run ledger: what each window's build wrote, and each delivery's state."""
    for table in (ledger_builds, ledger_deliveries):
        _released(table).create(conn, checkfirst=True)


# Every source that delivered an item (an item is stored once, under the first source's name),
# so a desk's briefing holds what its own sources delivered, whichever desk collected it first.
item_sources = sa.Table(
    "item_sources",
    metadata,
    sa.Column("item_id", sa.String(40), primary_key=True),
    sa.Column("source", sa.String(200), primary_key=True),
)

DESK_TABLES = (
    builds,
    stories,
    story_items,
    build_sources,
    story_views,
    ledger_builds,
    ledger_deliveries,
)


def _migration_5(conn: Connection) -> None:
    """Several desks in one store: records and ledger keyed by desk, and items' sources."""
    for table in DESK_TABLES:
        _add_desk(conn, table)
    item_sources.create(conn, checkfirst=True)
    conn.execute(
        sa.insert(item_sources).from_select(
            ["item_id", "source"],
            sa.select(sa.column("id"), sa.column("source")).select_from(sa.table("items")),
        )
    )


def _add_desk(conn: Connection, table: sa.Table) -> None:
    """Add the desk column in front of `table`'s primary key, keeping its rows (desk "")."""
    name = table.name
    keys = ", ".join(c.name for c in table.primary_key.columns)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"ALTER TABLE {name} ADD COLUMN desk VARCHAR(64) NOT NULL DEFAULT ''"))
        conn.execute(sa.text(f"ALTER TABLE {name} DROP CONSTRAINT {name}_pkey"))
        conn.execute(sa.text(f"ALTER TABLE {name} ADD PRIMARY KEY ({keys})"))
        return
    # SQLite cannot change a primary key: rebuild the table under its name from the current
    # definition, keeping the columns the old table had (later migrations add the others)
    conn.execute(sa.text(f"ALTER TABLE {name} RENAME TO {name}_v4"))
    for index in table.indexes:
        conn.execute(sa.text(f"DROP INDEX IF EXISTS {index.name}"))
    table.create(conn)
    had = {c["name"] for c in sa.inspect(conn).get_columns(f"{name}_v4")}
    old = ", ".join(c.name for c in table.columns if c.name != "desk" and c.name in had)
    conn.execute(sa.text(f"INSERT INTO {name} ({old}) SELECT {old} FROM {name}_v4"))
    conn.execute(sa.text(f"DROP TABLE {name}_v4"))


def _migration_6(conn: Connection) -> None:
    """Every entry accounted for: each source run's entries already stored, merged and refused
    (with why), the note each build's Sources note printed beside a source's status, and when
    each item was stored (an item stored while its day was being built is late for the next
    day; when its collection began says nothing about that)."""
    for table in (source_state, source_runs):
        _add_columns(conn, table, _accounting_columns())
    _add_columns(conn, build_sources, [build_sources.c.note])
    kind = items.c.stored.type.compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE items ADD COLUMN stored {kind}"))
    conn.execute(sa.text("UPDATE items SET stored = captured"))


def _add_columns(conn: Connection, table: sa.Table, columns: list[sa.Column]) -> None:
    """ALTER TABLE ADD COLUMN for each column the table lacks (a store created by this version
    has them already: its earlier migrations create tables from their current definitions)."""
    have = {c["name"] for c in sa.inspect(conn).get_columns(table.name)}
    for column in columns:
        if column.name not in have:
            kind = column.type.compile(dialect=conn.dialect)
            default = getattr(column.server_default, "arg", "")
            conn.execute(
                sa.text(
                    f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind} NOT NULL "
                    f"DEFAULT '{default}'"
                )
            )


MIGRATIONS: list[Callable[[Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
]
SCHEMA_VERSION = len(MIGRATIONS)


def dialect_insert(conn: Connection) -> Callable[[sa.Table], Any]:
    """The dialect's INSERT, which knows ON CONFLICT; SQLite and PostgreSQL are supported."""
    return _insert_of(conn.dialect.name)


def _insert_of(name: str) -> Callable[[sa.Table], Any]:
    if name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    raise WorkError(f"database dialect {name!r} is not supported (use SQLite or PostgreSQL)")


def insert_ignore(conn: Connection, table: sa.Table, row: dict[str, Any]) -> None:
    """INSERT the row unless one with the same unique key is there."""
    conn.execute(_ignoring(conn.dialect.name, table), row)


def upsert(conn: Connection, table: sa.Table, row: dict[str, Any], *key: str) -> None:
    """INSERT the row, or UPDATE the one with the same `key` columns (the table's unique key)
    to its values."""
    conn.execute(_upserting(conn.dialect.name, table, tuple(row), key), row)


# The statements are built once and given each row as parameters: building a statement from
# a row's values costs several times what running it does (collection records every source).
@functools.lru_cache(maxsize=64)
def _ignoring(dialect: str, table: sa.Table) -> Any:
    return _insert_of(dialect)(table).on_conflict_do_nothing()


@functools.lru_cache(maxsize=64)
def _upserting(
    dialect: str, table: sa.Table, columns: tuple[str, ...], key: tuple[str, ...]
) -> Any:
    insert = _insert_of(dialect)(table)
    changes = {c: insert.excluded[c] for c in columns if c not in key}
    return insert.on_conflict_do_update(index_elements=list(key), set_=changes)
