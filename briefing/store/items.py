"""The store: items and the sources that delivered them, sources' health and HTTP state, word
statistics, and (through BriefingRecords) what each briefing held, in SQLite or PostgreSQL.

Opening a store brings its schema up to date with the numbered migrations in `schema.py`; a
store written by a newer version of briefing is refused rather than misread.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import clock
from ..errors import WorkError
from ..models import Item, SourceReport
from .engine import MIGRATION_LOCK, Guard, db_reason, mask_url, open_engine
from .records import BriefingRecords
from .rows import row_item, sqlalchemy_store, sqlite_store
from .schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    dialect_insert,
    http_state,
    insert_ignore,
    item_sources,
    items,
    meta,
    metadata,
    source_runs,
    source_state,
    story_items,
    term_stats,
    upsert,
)

# built once (see schema.upsert): collection runs them for every source
_NEW_RUN = sa.insert(source_runs)
_BARREN = (
    sa.select(source_runs.c.name, sa.func.count().label("runs"))
    .where(source_runs.c.name.in_(sa.bindparam("names", expanding=True)))
    .group_by(source_runs.c.name)
    .having(sa.func.sum(source_runs.c.new) == 0)
)


def _now() -> datetime:
    return clock.now()


class Store(BriefingRecords):
    """One open database; use as a context manager.

    `desk` names whose briefings and ledger the records are ("" in a store with one desk);
    `sources`, when given, limits the items and source statuses seen to those sources'."""

    def __init__(
        self,
        url: str,
        desk: str = "",
        sources: Collection[str] | None = None,
        busy_timeout: float = 30.0,
    ) -> None:
        self.url = url
        self.desk = desk
        self.sources = sorted(sources) if sources is not None else None
        self.engine = open_engine(url, busy_timeout)
        try:
            self._migrate()
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            raise WorkError(f"store {mask_url(url)}: {db_reason(exc)}") from exc
        except BaseException:
            self.engine.dispose()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _migrate(self) -> None:
        """Bring the schema up to date: a new store gets today's tables at once (the steps
        would rebuild seven of them: 28 ms against 16 ms on SQLite), an older one each
        migration in turn. Processes opening a new store at once take turns: a PostgreSQL
        advisory lock, or SQLite's write lock taken up front (BEGIN IMMEDIATE)."""
        with self.engine.connect() as conn:
            if self._version(conn) == SCHEMA_VERSION:
                return
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            if sa.inspect(conn).get_table_names():
                meta.create(conn, checkfirst=True)
                version = self._version(conn)
                if version > SCHEMA_VERSION:
                    raise WorkError(
                        f"store {mask_url(self.url)} has schema version {version}, newer than "
                        f"this briefing understands ({SCHEMA_VERSION}); upgrade briefing"
                    )
                for number in range(version, SCHEMA_VERSION):
                    MIGRATIONS[number](conn)
            else:  # a new store
                metadata.create_all(conn, checkfirst=False)
            upsert(conn, meta, {"key": "schema", "value": str(SCHEMA_VERSION)}, "key")
            conn.commit()

    @staticmethod
    def _version(conn: Connection) -> int:
        if not sa.inspect(conn).has_table("meta"):
            return 0
        row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema")).first()
        return int(row[0]) if row else 0

    def insert_new(self, new_items: Iterable[Item]) -> list[Item]:
        """Insert the items whose id is not stored yet and return them, and note every item's
        source. New is what the database inserted (ON CONFLICT DO NOTHING ... RETURNING), so two
        collectors storing the same item at once store it once and count it once; the lookup
        first only spares sending rows that are stored already."""
        with self.begin() as conn:
            return self._insert(conn, new_items)

    def store_run(self, report: SourceReport, found: list[Item]) -> list[Item]:
        """A source run's items (as `insert_new`) and its record (as `record_source`) in one
        transaction, one commit: `report.new` and `report.known` count what was inserted."""
        with self.begin() as conn:
            fresh = self._insert(conn, found)
            report.new = len(fresh)
            report.known = len(found) - report.new
            self._record(conn, report)
            report.barren_runs = self._barren([report.name], conn).get(report.name, 0)
        return fresh

    def _insert(self, conn: Connection, new_items: Iterable[Item]) -> list[Item]:
        first: dict[str, Item] = {}
        for item in new_items:
            first.setdefault(item.id, item)  # the same id twice in one batch: the first wins
        batch = list(first.values())
        fresh: list[Item] = []
        if not batch:
            return fresh
        now = clock.now()
        way = sqlalchemy_store
        if conn.dialect.name == "sqlite":  # the write lock first: see rows.sqlite_store
            conn.exec_driver_sql("UPDATE meta SET value = value WHERE 0")
            way = sqlite_store
        for start in range(0, len(batch), 500):
            chunk = batch[start : start + 500]
            added = way(conn, chunk, now)
            fresh += [i for i in chunk if i.id in added]
        return fresh

    def add_term_counts(self, counts: Counter[str], documents: int) -> None:
        """Add `documents` new items' distinct words to the document frequencies."""
        if not counts:
            return
        with self.begin() as conn:
            insert = dialect_insert(conn)(term_stats)
            stmt = insert.on_conflict_do_update(
                index_elements=["term"], set_={"df": term_stats.c.df + insert.excluded.df}
            )
            rows = [(t[:100], n) for t, n in sorted(counts.items())]
            if conn.dialect.name == "sqlite":  # SQLAlchemy's per-row parameters cost 3x as much
                conn.exec_driver_sql(str(stmt.compile(dialect=conn.dialect)), rows)
            else:
                conn.execute(stmt, [{"term": t, "df": n} for t, n in rows])
            # added in the database, not read and written back: concurrent collectors both count
            insert_ignore(conn, meta, {"key": "docs", "value": "0"})
            total = sa.cast(sa.cast(meta.c.value, sa.Integer) + documents, sa.Text)
            conn.execute(sa.update(meta).where(meta.c.key == "docs").values(value=total))

    def term_stats(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(documents counted, document frequency of each of `terms` that occurs)."""
        wanted = sorted({t[:100] for t in terms})
        found: dict[str, int] = {}
        with self.connect() as conn:
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
        with self.connect() as conn:
            return [row_item(row) for row in conn.execute(self._mine(query)).mappings()]

    def _mine(self, query: sa.Select) -> sa.Select:
        """Only the items one of this desk's sources delivered (all items without `sources`)."""
        if self.sources is None:
            return query
        delivered = sa.select(item_sources.c.item_id).where(
            item_sources.c.item_id == items.c.id, item_sources.c.source.in_(self.sources)
        )
        return query.where(delivered.exists())

    def has_items_between(self, start: datetime, end: datetime) -> bool:
        """Whether any item (of this desk's sources) is dated in [start, end)."""
        query = sa.select(items.c.id).where(items.c.sort_time >= start, items.c.sort_time < end)
        with self.connect() as conn:
            return conn.execute(self._mine(query).limit(1)).first() is not None

    def has_item(self, item_id: str) -> bool:
        with self.connect() as conn:
            query = sa.select(items.c.id).where(items.c.id == item_id)
            return conn.execute(query).first() is not None

    def count_items(self) -> int:
        with self.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one()

    def record_source(self, report: SourceReport) -> None:
        """Keep a source run's status and accounting, as its latest state and in its history;
        set `report.barren_runs` from that history."""
        with self.begin() as conn:
            self._record(conn, report)
        report.barren_runs = self._barren([report.name]).get(report.name, 0)

    @staticmethod
    def _record(conn: Connection, report: SourceReport) -> None:
        row = {
            "name": report.name,
            "type": report.type,
            "status": report.status,
            "message": report.message[:2000],
            "fetched": report.fetched,
            "new": report.new,
            "known": report.known,
            "merged": report.merged,
            "refused": report.refused,
            "refusals": json.dumps(report.refusals, ensure_ascii=False, sort_keys=True)[:4000],
            "checked": _now(),
        }
        upsert(conn, source_state, row, "name")
        conn.execute(_NEW_RUN, {k: v for k, v in row.items() if k != "type"})

    def _barren(self, names: list[str], conn: Connection | None = None) -> dict[str, int]:
        """Sources that have never given a new item: name -> how many runs they had."""
        if conn is not None:
            return {row[0]: row[1] for row in conn.execute(_BARREN, {"names": names})}
        with self.connect() as reading:
            return {row[0]: row[1] for row in reading.execute(_BARREN, {"names": names})}

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified last seen for `url`, for a conditional GET."""
        with self.connect() as conn:
            row = conn.execute(
                sa.select(http_state.c.etag, http_state.c.last_modified).where(
                    http_state.c.url == url
                )
            ).first()
        return (row[0], row[1]) if row else (None, None)

    def save_http_validators(self, url: str, etag: str | None, modified: str | None) -> None:
        row = {"url": url, "etag": etag, "last_modified": modified, "checked": _now()}
        with self.begin() as conn:
            upsert(conn, http_state, row, "url")

    def source_states(self) -> dict[str, SourceReport]:
        with self.connect() as conn:
            query = sa.select(source_state)
            if self.sources is not None:
                query = query.where(source_state.c.name.in_(self.sources))
            rows = list(conn.execute(query).mappings())
        barren = self._barren([r["name"] for r in rows])
        return {
            r["name"]: SourceReport(
                r["name"],
                r["type"],
                r["status"],
                r["fetched"],
                r["new"],
                r["message"],
                known=r["known"],
                merged=r["merged"],
                refusals=json.loads(r["refusals"] or "{}"),
                barren_runs=barren.get(r["name"], 0),
            )
            for r in rows
        }

    def items_by_id(self, ids: Iterable[str]) -> list[Item]:
        wanted = list(ids)
        found: list[Item] = []
        with self.connect() as conn:
            for start in range(0, len(wanted), 500):
                query = sa.select(items).where(items.c.id.in_(wanted[start : start + 500]))
                found += [row_item(row) for row in conn.execute(query).mappings()]
        return sorted(found, key=lambda i: (i.when, i.id))

    def unassigned_between(self, start: datetime, end: datetime) -> list[Item]:
        """Items in [start, end) not yet in any briefing."""
        mine = sa.and_(story_items.c.item_id == items.c.id, story_items.c.desk == self.desk)
        query = (
            sa.select(items)
            .outerjoin(story_items, mine)
            .where(items.c.sort_time >= start, items.c.sort_time < end)
            .where(story_items.c.item_id.is_(None))
            .order_by(items.c.sort_time, items.c.id)
        )
        with self.connect() as conn:
            return [row_item(row) for row in conn.execute(self._mine(query)).mappings()]

    def story_members(self, since: date, before: date) -> dict[str, list[Item]]:
        """Stories of the briefings dated [since, before), with their items."""
        query = (
            sa.select(story_items.c.story_id, items)
            .join(items, items.c.id == story_items.c.item_id)
            .where(story_items.c.date >= since.isoformat(), story_items.c.date < before.isoformat())
            .where(story_items.c.story_id != "", story_items.c.desk == self.desk)
            .order_by(items.c.sort_time, items.c.id)
        )
        out: dict[str, list[Item]] = {}
        with self.connect() as conn:
            for row in conn.execute(query).mappings():
                out.setdefault(row["story_id"], []).append(row_item(row))
        return out

    def begin(self) -> Guard:
        """A transaction; database failures become one-line errors naming the store."""
        return Guard(self.engine.begin, self.url)

    def connect(self) -> Guard:
        """A connection for reading, with the same errors."""
        return Guard(self.engine.connect, self.url)
