"""Items as rows and rows as items, and the fast many-row insert collection uses on SQLite."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..models import Item
from .schema import items


def sqlite_insert(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    """INSERT the rows whose id is not stored on the driver's cursor, each value converted by
    its column type as SQLAlchemy converts it; the ids inserted. The transaction holds SQLite's
    write lock from its start, so no other writer comes between the look-up and the insert
    and the rows looked up as new are the rows inserted. (SQLAlchemy's many-row INSERT ...
    RETURNING costs several times as much in Python, in collection's one storing thread.)"""
    columns = list(items.columns)
    dialect = conn.dialect
    convert = [(c.name, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in columns]
    names = ", ".join(c.name for c in columns)
    sql = f"INSERT INTO items ({names}) VALUES ({', '.join('?' * len(columns))})"
    seen: dict[tuple[str, Any], Any] = {}  # one conversion per value: many rows share times
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" * len(ids))
        stored = {r[0] for r in cursor.execute(f"SELECT id FROM items WHERE id IN ({marks})", ids)}
        new = [row for row in rows if row["id"] not in stored]
        values = []
        for row in new:
            value = []
            for name, f in convert:
                v = row[name]
                if f is not None and v is not None:
                    if (name, v) not in seen:
                        seen[name, v] = f(v)
                    v = seen[name, v]
                value.append(v)
            values.append(value)
        cursor.executemany(sql, values)
    except dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy raises it (a locked store...)
        raise sa.exc.DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()
    return {row["id"] for row in new}


def item_row(item: Item, stored: datetime) -> dict[str, Any]:
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
        "stored": stored,
    }


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
