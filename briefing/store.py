"""The store: items, source health and build records in any SQLAlchemy database.

The schema is versioned by numbered migrations kept in this file; a store written by a newer
version of briefing is refused rather than misread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import clock
from .errors import WorkError
from .models import Item, SourceReport
from .records import BriefingRecords
from .schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    _dialect_insert,
    _upsert,
    http_state,
    items,
    meta,
    source_runs,
    source_state,
    story_items,
    term_stats,
)


def _now() -> datetime:
    return clock.now()


class Store(BriefingRecords):
    """One open database; use as a context manager."""

    def __init__(self, url: str, busy_timeout: float = 30.0) -> None:
        self.url = url
        self.engine = _engine(url, busy_timeout)
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

    def add_items(
        self, new_items: Iterable[Item], vocabulary: Callable[[Item], Iterable[str]] | None = None
    ) -> int:
        """Insert items whose id is not stored yet; return how many were new.

        `vocabulary` gives each new item's distinct words, counted into the document
        frequencies that story similarity weighs words by."""
        fresh = self.insert_new(new_items)
        if vocabulary is not None and fresh:
            counts: Counter[str] = Counter()
            for item in fresh:
                counts.update(set(vocabulary(item)))
            self.add_term_counts(counts, len(fresh))
        return len(fresh)

    def insert_new(self, new_items: Iterable[Item]) -> list[Item]:
        """Insert the items whose id is not stored yet and return them. One lookup and one
        executemany per chunk: statements built row by row cost five times the parsing."""
        first: dict[str, Item] = {}
        for item in new_items:
            first.setdefault(item.id, item)  # the same id twice in one batch: the first wins
        batch = list(first.values())
        fresh: list[Item] = []
        if not batch:
            return fresh
        with self._begin() as conn:
            for start in range(0, len(batch), 500):
                chunk = batch[start : start + 500]
                query = sa.select(items.c.id).where(items.c.id.in_([i.id for i in chunk]))
                stored = {row[0] for row in conn.execute(query)}
                fresh += [item for item in chunk if item.id not in stored]
            if fresh:
                stmt = _dialect_insert(conn)(items).on_conflict_do_nothing()
                conn.execute(stmt, [_item_row(item) for item in fresh])
        return fresh

    def add_term_counts(self, counts: Counter[str], documents: int) -> None:
        """Add `documents` new items' distinct words to the document frequencies."""
        if not counts:
            return
        with self._begin() as conn:
            insert = _dialect_insert(conn)(term_stats)
            stmt = insert.on_conflict_do_update(
                index_elements=["term"], set_={"df": term_stats.c.df + insert.excluded.df}
            )
            conn.execute(stmt, [{"term": t[:100], "df": n} for t, n in sorted(counts.items())])
            docs = conn.execute(sa.select(meta.c.value).where(meta.c.key == "docs"))
            total = int(docs.scalar_one_or_none() or 0) + documents
            conn.execute(_upsert(conn, meta, {"key": "docs", "value": str(total)}, "key"))

    def term_stats(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(documents counted, document frequency of each of `terms` that occurs)."""
        wanted = sorted({t[:100] for t in terms})
        found: dict[str, int] = {}
        with self._connect() as conn:
            docs = conn.execute(sa.select(meta.c.value).where(meta.c.key == "docs"))
            total = int(docs.scalar_one_or_none() or 0)
            for start in range(0, len(wanted), 500):
                query = sa.select(term_stats).where(
                    term_stats.c.term.in_(wanted[start : start + 500])
                )
                found.update({r[0]: r[1] for r in conn.execute(query)})
        return total, found

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

    def items_by_id(self, ids: Iterable[str]) -> list[Item]:
        wanted = list(ids)
        found: list[Item] = []
        with self._connect() as conn:
            for start in range(0, len(wanted), 500):
                query = sa.select(items).where(items.c.id.in_(wanted[start : start + 500]))
                found += [_row_item(row) for row in conn.execute(query).mappings()]
        return sorted(found, key=lambda i: (i.when, i.id))

    def unassigned_between(self, start: datetime, end: datetime) -> list[Item]:
        """Items in [start, end) not yet in any briefing."""
        query = (
            sa.select(items)
            .outerjoin(story_items, story_items.c.item_id == items.c.id)
            .where(items.c.sort_time >= start, items.c.sort_time < end)
            .where(story_items.c.item_id.is_(None))
            .order_by(items.c.sort_time, items.c.id)
        )
        with self._connect() as conn:
            return [_row_item(row) for row in conn.execute(query).mappings()]

    def story_members(self, since: date, before: date) -> dict[str, list[Item]]:
        """Stories of the briefings dated [since, before), with their items."""
        query = (
            sa.select(story_items.c.story_id, items)
            .join(items, items.c.id == story_items.c.item_id)
            .where(story_items.c.date >= since.isoformat(), story_items.c.date < before.isoformat())
            .where(story_items.c.story_id != "")
            .order_by(items.c.sort_time, items.c.id)
        )
        out: dict[str, list[Item]] = {}
        with self._connect() as conn:
            for row in conn.execute(query).mappings():
                out.setdefault(row["story_id"], []).append(_row_item(row))
        return out

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


def _engine(url: str, busy_timeout: float = 30.0) -> Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise WorkError(f"database URL {url!r} is not a SQLAlchemy URL") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                folder = Path(parsed.database).parent
                message = f"store {_shown(url)}: cannot create {folder}: {exc.strerror}"
                raise WorkError(message) from None
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
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise WorkError(f"database {_shown(url)}: {exc}") from None


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
