"""Items as rows and rows as items, and the fast many-row inserts collection and the briefing
records use on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..models import Item
from .schema import UTCDateTime, dialect_insert, item_sources, items


def sqlalchemy_store(conn: Connection, chunk: list[Item], stored: datetime) -> set[str]:
    """Insert the chunk's unstored items and its missing item-source links with SQLAlchemy's
    INSERT ... ON CONFLICT DO NOTHING (the way on PostgreSQL); the ids inserted. Rows go in id
    order: writers that share items lock them in one order, so they never deadlock."""
    insert = dialect_insert(conn)
    ids = [i.id for i in chunk]
    query = sa.select(item_sources.c.item_id, item_sources.c.source)
    pairs = {(r[0], r[1]) for r in conn.execute(query.where(item_sources.c.item_id.in_(ids)))}
    stored_ids = {pair[0] for pair in pairs}
    unseen = sorted((i for i in chunk if i.id not in stored_ids), key=lambda i: i.id)
    added: set[str] = set()
    if unseen:
        stmt = insert(items).on_conflict_do_nothing().returning(items.c.id)
        added = {r[0] for r in conn.execute(stmt, [item_row(i, stored) for i in unseen])}
    links = [
        {"item_id": i.id, "source": i.source}
        for i in sorted(chunk, key=lambda i: i.id)
        if (i.id, i.source) not in pairs
    ]
    if links:
        conn.execute(insert(item_sources).on_conflict_do_nothing(), links)
    return added


def sqlite_store(conn: Connection, chunk: list[Item], stored: datetime) -> set[str]:
    """On SQLite, what `Store.insert_new` does with a chunk of items (distinct ids), on the
    driver's cursor: INSERT the items whose id no source has delivered yet and that are not
    stored (each value converted by its column type as SQLAlchemy converts it), then link every
    item to its source; the ids inserted. The transaction holds SQLite's write lock from its
    start, so no other writer comes between the look-ups and the inserts. (SQLAlchemy's
    many-row INSERT ... RETURNING costs several times as much in Python, in collection's one
    storing thread.)"""
    dialect = conn.dialect
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    sql = _LINK_SQL
    try:
        ids = [item.id for item in chunk]
        marks = ", ".join("?" * len(ids))
        query = f"SELECT item_id, source FROM item_sources WHERE item_id IN ({marks})"
        pairs = set(cursor.execute(query, ids))
        delivered = {pair[0] for pair in pairs}
        # rows in id order: writers that share items lock them in one order, no deadlock
        unseen = sorted((i for i in chunk if i.id not in delivered), key=lambda i: i.id)
        added = _insert_items(cursor, dialect, unseen, stored) if unseen else set()
        links = [
            (i.id, i.source)
            for i in sorted(chunk, key=lambda i: i.id)
            if (i.id, i.source) not in pairs
        ]
        if links:
            cursor.executemany(sql, links)
    except dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy raises it (a locked store...)
        raise sa.exc.DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()
    return added


_LINK_SQL = "INSERT INTO item_sources (item_id, source) VALUES (?, ?) ON CONFLICT DO NOTHING"


def _insert_items(cursor: Any, dialect: Any, unseen: list[Item], stored: datetime) -> set[str]:
    """INSERT the items whose id is not in `items`; the ids inserted."""
    ids = [item.id for item in unseen]
    marks = ", ".join("?" * len(ids))
    known = {r[0] for r in cursor.execute(f"SELECT id FROM items WHERE id IN ({marks})", ids)}
    new = [item for item in unseen if item.id not in known]
    if not new:
        return set()
    sql, values = _driver_values(items, dialect, item_columns(new, stored))
    cursor.executemany(sql, values)
    return {value[0] for value in values}


def _driver_rows(
    table: sa.Table, dialect: Any, rows: list[dict[str, Any]], tail: str = ""
) -> tuple[str, list[tuple[Any, ...]]]:
    """The SQL and the driver's values that insert `rows` (all with the same columns)."""
    return _driver_values(table, dialect, {k: [row[k] for row in rows] for k in rows[0]}, tail)


def _driver_values(
    table: sa.Table, dialect: Any, given: dict[str, list[Any]], tail: str = ""
) -> tuple[str, list[tuple[Any, ...]]]:
    """The SQL and the driver's values that insert rows given column by column, each value
    converted by its column's type as SQLAlchemy converts it."""
    columns = [c for c in table.columns if c.name in given]
    names = ", ".join(c.name for c in columns)
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks}){tail}"
    values = []
    conversions: dict[Any, dict[Any, Any]] = {}  # one per value and kind: rows share times,
    for column in columns:  # and an item's sort time is mostly its publication time
        column_values = given[column.name]
        convert = _bind(column, dialect)
        if convert is not None:
            done = conversions.setdefault(convert, {None: None})
            column_values = [
                done[v] if v in done else done.setdefault(v, convert(v)) for v in column_values
            ]
        values.append(column_values)
    return sql, list(zip(*values, strict=True))


def _bind(column: sa.Column, dialect: Any) -> Any:
    """The column's conversion of a value for the driver: SQLAlchemy's, or for an aware time
    on SQLite the same text written by `isoformat` in one step where SQLAlchemy takes two
    (taken only where it gives their text; a stored item has four times)."""
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if isinstance(column.type, UTCDateTime) and processor is not None:
        probe = datetime(1987, 6, 5, 4, 3, 2, 10, tzinfo=timezone(timedelta(hours=-3)))
        if _utc_text(probe) == processor(probe):
            return _utc_text
    return processor


def _utc_text(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def insert_new_rows(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING of rows that all give the same columns: on SQLite on
    the driver's cursor (SQLAlchemy's many-row INSERT costs several times as much in Python:
    0.13 s of a 10,000-item day's build went to its records), elsewhere, or where a column
    left out has a default of SQLAlchemy's to fill in, with SQLAlchemy."""
    if not rows:
        return
    dialect = conn.dialect
    defaulted = any(c.default is not None for c in table.columns if c.name not in rows[0])
    if dialect.name != "sqlite" or defaulted:
        conn.execute(dialect_insert(conn)(table).on_conflict_do_nothing(), rows)
        return
    sql, values = _driver_rows(table, dialect, rows, " ON CONFLICT DO NOTHING")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, values)
    except dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy raises it (a locked store...)
        raise sa.exc.DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()


def item_columns(chunk: list[Item], stored: datetime) -> dict[str, list[Any]]:
    """The items' rows column by column (`item_row` is one of them): collection's storing
    process inserts 10,000 items 30 ms faster from these than from a dict per row."""
    offsets = [i.published.utcoffset() if i.published else None for i in chunk]
    return {
        "id": [i.id for i in chunk],
        "source": [i.source for i in chunk],
        "outlet": [i.outlet for i in chunk],
        "url": [i.url for i in chunk],
        "title": [i.title for i in chunk],
        "body": [i.body for i in chunk],
        "published": [i.published for i in chunk],
        "published_offset": [int(o.total_seconds()) if o is not None else None for o in offsets],
        "captured": [i.captured for i in chunk],
        "sort_time": [i.when for i in chunk],
        "lang": [i.lang for i in chunk],
        "date_only": [i.date_only for i in chunk],
        "stored": [stored] * len(chunk),
    }


def item_row(item: Item, stored: datetime) -> dict[str, Any]:
    return {name: values[0] for name, values in item_columns([item], stored).items()}


def row_item(row: Any) -> Item:
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
        stored=row["stored"],
    )
