"""`briefing db copy --to URL`: move a store to another database (SQLite to PostgreSQL, say).

Every table is copied — items and their sources, source state and health, word statistics,
stories and briefing records, the run ledger, the schema version and the scheduler's jobs —
into an empty target, in one transaction: a failure leaves the target as empty as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..errors import UsageError, WorkError
from .engine import db_reason, mask_url
from .items import Store
from .schema import meta, metadata

CHUNK = 1_000


@dataclass
class CopyReport:
    target: str
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows copied


def copy_store(source_url: str, target_url: str) -> CopyReport:
    """Copy every table of the store at `source_url` into the empty store at `target_url`."""
    if _same(source_url, target_url):
        raise UsageError(f"--to {mask_url(target_url)}: that is the configured store itself")
    with Store(source_url) as source, Store(target_url) as target:
        report = CopyReport(mask_url(target_url))
        try:
            with source.engine.connect() as src, target.engine.begin() as dst:
                tables = [*metadata.sorted_tables, *_job_tables(src)]
                busy = [t.name for t in tables if t.name != "meta" and _has_rows(dst, t)]
                if busy or _has_rows(dst, meta, sa.and_(meta.c.key != "schema")):
                    named = ", ".join(busy or ["meta"])
                    raise UsageError(
                        f"--to {mask_url(target_url)}: the target store is not empty ({named}); "
                        "copy into a new, empty database"
                    )
                for table in tables:
                    report.counts[table.name] = _copy_table(src, dst, table)
                _advance_sequences(dst, tables)
        except sa.exc.SQLAlchemyError as exc:
            raise WorkError(f"store {mask_url(target_url)}: {db_reason(exc)}") from exc
    return report


def _same(a: str, b: str) -> bool:
    try:
        return sa.engine.make_url(a) == sa.engine.make_url(b)
    except sa.exc.ArgumentError:
        return False


def _job_tables(src: sa.Connection) -> list[sa.Table]:
    """The scheduler's job stores (one per desk), as APScheduler defines them (reflecting a
    SQLite table would give types PostgreSQL lacks, such as BLOB)."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    names = [n for n in sa.inspect(src).get_table_names() if n.startswith("apscheduler_jobs")]
    engine = src.engine
    return [SQLAlchemyJobStore(engine=engine, tablename=name).jobs_t for name in sorted(names)]


def _has_rows(conn: sa.Connection, table: sa.Table, where: sa.ColumnElement | None = None) -> bool:
    if not sa.inspect(conn).has_table(table.name):
        return False
    query = sa.select(sa.literal(1)).select_from(table)
    if where is not None:
        query = query.where(where)
    return conn.execute(query.limit(1)).first() is not None


def _copy_table(src: sa.Connection, dst: sa.Connection, table: sa.Table) -> int:
    if table.name.startswith("apscheduler_jobs"):
        table.create(dst, checkfirst=True)
    if table.name == "meta":
        dst.execute(sa.delete(meta))  # the target's own schema row, replaced by the source's
    order = list(table.primary_key.columns) or list(table.columns)
    rows = src.execute(sa.select(table).order_by(*order)).mappings()
    total = 0
    while chunk := rows.fetchmany(CHUNK):
        dst.execute(sa.insert(table), [dict(row) for row in chunk])
        total += len(chunk)
    return total


def _advance_sequences(dst: sa.Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: serial ids copied explicitly leave their sequence behind; move it on."""
    if dst.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
            ):
                sequence = dst.execute(
                    sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": column.name},
                ).scalar()
                if sequence:
                    dst.execute(
                        sa.text(
                            f"SELECT setval(:s, COALESCE((SELECT MAX({column.name}) FROM "
                            f"{table.name}), 0) + 1, false)"
                        ),
                        {"s": sequence},
                    )
