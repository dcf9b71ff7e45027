"""The store: migrations, idempotent inserts, windows and undated items, on a real SQLite file
and (with BRIEFING_TEST_PG_URL) a real PostgreSQL database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from briefing.config import load_config
from briefing.errors import WorkError
from briefing.models import Item
from briefing.store import Store
from briefing.store.schema import SCHEMA_VERSION
from briefing.stories import day_window as window

from conftest import needs_postgres_driver


def _item(n: int, published: datetime | None, captured: datetime) -> Item:
    return Item(
        id=f"id{n}",
        source="s",
        outlet="O",
        url=None,
        title=f"T{n}",
        body="b",
        published=published,
        captured=captured,
    )


def test_insert_is_idempotent_and_offsets_survive(store_url: str) -> None:
    url = store_url
    kyiv = timezone(timedelta(hours=3))
    published = datetime(2025, 5, 28, 12, 9, tzinfo=timezone(timedelta(hours=1)))
    captured = datetime(2025, 5, 29, 6, 0, tzinfo=UTC)
    with Store(url) as store:
        assert len(store.insert_new([_item(1, published, captured), _item(2, None, captured)])) == 2
        assert store.insert_new([_item(1, published, captured)]) == []
        got = store.items_between(
            datetime(2025, 5, 28, tzinfo=kyiv), datetime(2025, 5, 29, tzinfo=kyiv)
        )
        assert [i.id for i in got] == ["id1"]
        assert got[0].published.isoformat() == "2025-05-28T12:09:00+01:00"
        # an undated item counts at its first capture
        later = store.items_between(
            datetime(2025, 5, 29, tzinfo=UTC), datetime(2025, 5, 30, tzinfo=UTC)
        )
        assert [i.id for i in later] == ["id2"] and later[0].published is None


def test_a_store_from_a_newer_version_is_refused(store_url: str) -> None:
    url = store_url
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE meta SET value = :v WHERE key = 'schema'"),
            {"v": str(SCHEMA_VERSION + 1)},
        )
    engine.dispose()
    try:
        Store(url)
    except WorkError as exc:
        assert f"has schema version {SCHEMA_VERSION + 1}, newer than this briefing" in str(exc)
    else:
        raise AssertionError("newer store was opened")


def test_a_corrupt_store_fails_with_one_line(cli, write_config, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    db.write_bytes(b"this is not a database" * 100)
    config = write_config({"database": f"sqlite:///{db}"})
    code, _, err = cli("collect", "--config", str(config))
    assert code == 1
    assert err.strip() == f"error: store sqlite:///{db}: file is not a database"


def test_window_is_the_calendar_day_in_the_config_zone_across_clock_changes(write_config) -> None:
    config = load_config(write_config({"timezone": "Europe/Berlin"}))
    start, end = window(config, date(2025, 3, 30))
    assert start.isoformat() == "2025-03-30T00:00:00+01:00"
    assert end.isoformat() == "2025-03-31T00:00:00+02:00"
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)


def _version_1_store(url: str) -> None:
    """A store as the first release left it, holding one item."""
    from briefing.store.schema import MIGRATIONS, meta

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        meta.create(conn)
        MIGRATIONS[0](conn)
        conn.execute(sa.insert(meta).values(key="schema", value="1"))
        conn.execute(
            sa.text(
                "INSERT INTO items (id, source, outlet, title, body, captured, sort_time) "
                "VALUES ('old', 's', 'O', 'T', 'b', '2025-05-28 09:00:00', '2025-05-28 09:00:00')"
            )
        )
    engine.dispose()


def test_a_version_1_store_is_migrated_keeping_its_items(store_url: str) -> None:
    url = store_url
    _version_1_store(url)
    with Store(url) as store:
        (item,) = store.items_between(
            datetime(2025, 5, 28, tzinfo=UTC), datetime(2025, 5, 29, tzinfo=UTC)
        )
        assert item.id == "old" and item.date_only is False
        store.save_http_validators("https://x.example/feed", '"e"', None)
        assert store.http_validators("https://x.example/feed") == ('"e"', None)


def test_a_new_store_has_the_tables_every_migration_gives_an_old_one(
    store_url: str, another_store_url: str
) -> None:
    """A new store gets today's tables in one step, not by the migrations: the two must agree."""
    _version_1_store(store_url)
    Store(store_url).close()
    Store(another_store_url).close()

    def shape(url: str) -> dict[str, object]:
        engine = sa.create_engine(url)
        found = sa.inspect(engine)
        false = {"FALSE": "0", "false": "0"}  # SQLite reads FALSE as 0
        tables = {  # (columns in any order: PostgreSQL adds a migration's column at the end)
            table: (
                sorted(
                    (
                        c["name"],
                        str(c["type"]),
                        c["nullable"],
                        false.get(c["default"], c["default"]),
                    )
                    for c in found.get_columns(table)
                ),
                found.get_pk_constraint(table)["constrained_columns"],
                sorted(
                    (i["name"], i["column_names"], i["unique"]) for i in found.get_indexes(table)
                ),
            )
            for table in found.get_table_names()
        }
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'schema'")).scalar()
        engine.dispose()
        return {"tables": tables, "version": version}

    new, upgraded = shape(another_store_url), shape(store_url)
    assert new["version"] == str(SCHEMA_VERSION) and "items" in new["tables"]  # type: ignore[operator]
    assert new == upgraded


def test_a_version_4_store_keeps_its_records_as_the_unnamed_desk(store_url: str) -> None:
    from briefing.store import Ledger
    from briefing.store.schema import MIGRATIONS, meta

    if store_url.startswith("sqlite:///"):
        Path(store_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        meta.create(conn)
        for migration in MIGRATIONS[:4]:
            migration(conn)
        conn.execute(sa.insert(meta).values(key="schema", value="4"))
        for statement in (
            "INSERT INTO items (id, source, outlet, title, body, captured, sort_time, date_only) "
            "VALUES ('old', 'wire', 'O', 'T', 'b', '2025-05-28 09:00:00', '2025-05-28 09:00:00',"
            " FALSE)",
            "INSERT INTO story_items (item_id, story_id, date) VALUES ('old', 's-1', '2025-05-28')",
            "INSERT INTO builds (date, first_built, last_built) "
            "VALUES ('2025-05-28', '2025-05-29 06:00:00', '2025-05-29 06:00:00')",
            "INSERT INTO ledger_deliveries (date, target, key, state, reason, attempts, updated) "
            "VALUES ('2025-05-28', 'directory:/x', '', 'sent', '', 1, '2025-05-29 06:00:00')",
        ):
            conn.execute(sa.text(statement))
    engine.dispose()
    day = date(2025, 5, 28)
    with Store(store_url) as store:
        assert store.assignments(day) == {"old": "s-1"}
        assert store.first_built(day) == datetime(2025, 5, 29, 6, 0, tzinfo=UTC)
        assert Ledger(store).states(day) == {("directory:/x", ""): ("sent", "", 1)}
    with Store(store_url, desk="east", sources=["wire"]) as east:
        assert east.assignments(day) == {} and east.first_built(day) is None
        (item,) = east.unassigned_between(
            datetime(2025, 5, 28, tzinfo=UTC), datetime(2025, 5, 29, tzinfo=UTC)
        )
        assert item.id == "old"  # its source is known to the new item_sources table
        east.record_briefing(day, {"old": "s-2"}, {}, {})
        assert east.assignments(day) == {"old": "s-2"}
    with Store(store_url, desk="west", sources=["other"]) as west:
        window_ = (datetime(2025, 5, 28, tzinfo=UTC), datetime(2025, 5, 29, tzinfo=UTC))
        assert west.unassigned_between(*window_) == []  # not one of west's sources


def test_a_postgresql_url_without_the_driver_is_one_config_error(
    cli, write_config, monkeypatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    config = write_config({"database": "postgresql+psycopg://desk:s3cret@127.0.0.1:5432/news"})
    code, out, err = cli("check", "--config", str(config))
    assert (code, out) == (2, "")
    line = next(
        n for n, t in enumerate(config.read_text("utf-8").splitlines(), 1) if "database" in t
    )
    assert err == (
        f"error: {config}:{line} database: the PostgreSQL driver is not installed; install the "
        "postgres extra (pip install 'briefing[postgres]')\n"
    )


def test_the_scheduler_keeps_its_job_in_the_store_and_each_desk_its_own(
    write_config, store_url
) -> None:
    import threading

    from briefing.runner.schedule import JOB_ID, JOB_TABLE, run_scheduler

    tables = []
    if store_url.startswith("sqlite:///"):
        Path(store_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    for desk in (None, "east"):
        config = load_config(write_config({"database": store_url, "desk": desk}))
        stop = threading.Event()
        thread = threading.Thread(target=run_scheduler, args=(config.path, config, stop))
        thread.start()
        engine = sa.create_engine(store_url)
        table = JOB_TABLE if desk is None else f"{JOB_TABLE}_east"
        try:
            for _ in range(200):
                with engine.connect() as conn:
                    if sa.inspect(conn).has_table(table):
                        rows = conn.execute(sa.text(f"SELECT id FROM {table}")).all()
                        if rows:
                            break
                threading.Event().wait(0.05)
            assert [r[0] for r in rows] == [JOB_ID]
            tables.append(table)
        finally:
            stop.set()
            thread.join(timeout=10)
            engine.dispose()
        assert not thread.is_alive()
    assert tables == [JOB_TABLE, f"{JOB_TABLE}_east"]


def test_an_unreachable_server_fails_the_work_in_one_line_with_the_password_masked(
    cli, write_config
) -> None:
    needs_postgres_driver()
    config = write_config({"database": "postgresql+psycopg://desk:s3cret@127.0.0.1:1/news"})
    code, _, err = cli("collect", "--config", str(config))
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith("error: store postgresql+psycopg://desk:***@127.0.0.1:1/news: ")
    assert "s3cret" not in err and "Traceback" not in err
