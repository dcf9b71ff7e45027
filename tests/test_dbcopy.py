"""`briefing db copy --to URL`: a built SQLite store moved into an empty PostgreSQL database
(and into another SQLite file) gives the same briefing and keeps collecting."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from conftest import SAMPLE_DAY, needs_postgres_driver


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = sorted(sa.inspect(conn).get_table_names())
        counts = {n: conn.execute(sa.text(f"SELECT COUNT(*) FROM {n}")).scalar_one() for n in names}
    engine.dispose()
    return counts


@pytest.fixture(params=["sqlite", "postgresql"])
def target_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'copy' / 'target.db'}"
    return request.getfixturevalue("pg_url")


def test_copy_moves_every_table_and_the_copy_builds_the_same_briefing(
    cli, write_config, tmp_path, monkeypatch, target_url
) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    config = write_config(
        {
            "database": source_url,
            "delivery": [{"type": "directory", "path": str(tmp_path / "share"), "formats": ["md"]}],
        }
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748505600")  # 2025-05-29 08:00 UTC
    assert cli("run", "--config", str(config))[0] == 0  # items, stories, records, ledger
    first = (tmp_path / "out" / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.md").read_text("utf-8")
    before = _counts(source_url)
    assert before["items"] > 0 and before["ledger_deliveries"] == 1

    code, out, err = cli("db", "copy", "--config", str(config), "--to", target_url)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    copied = {line.split(": ")[0]: int(line.split(": ")[1].split()[0]) for line in lines[:-1]}
    assert {t: n for t, n in copied.items()} == {t: before[t] for t in copied}
    assert set(copied) == set(before)  # every table, the scheduler's too when it exists
    assert lines[-1].startswith(f"copied {sum(before.values())} rows into ")
    assert _counts(target_url) == before

    moved = yaml.safe_load(config.read_text("utf-8"))
    moved["database"] = target_url
    moved["output"]["dir"] = str(tmp_path / "out2")
    other = tmp_path / "moved.yaml"
    other.write_text(yaml.safe_dump(moved, sort_keys=False, allow_unicode=True), "utf-8")
    code, out, _ = cli("run", "--config", str(other))
    assert code == 0 and "nothing to do" in out  # the ledger came along
    code, _, err = cli(
        "build", "--no-collect", "--config", str(other), "--date", SAMPLE_DAY, "--format", "md"
    )
    assert (code, err) == (0, "")
    again = (tmp_path / "out2" / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.md").read_text("utf-8")
    assert again == first
    logged = _counts(target_url)["source_runs"]
    assert cli("collect", "--config", str(other))[0] == 0  # new source runs get fresh ids
    assert _counts(target_url)["source_runs"] == logged + len(moved["sources"])


def test_copy_refuses_a_store_that_is_not_empty(cli, write_config, tmp_path, target_url) -> None:
    config = write_config({"database": f"sqlite:///{tmp_path / 'source.db'}"})
    assert cli("collect", "--config", str(config))[0] == 0
    assert cli("db", "copy", "--config", str(config), "--to", target_url)[0] == 0
    code, out, err = cli("db", "copy", "--config", str(config), "--to", target_url)
    assert code == 2 and out == ""
    shown = sa.engine.make_url(target_url).render_as_string(hide_password=True)
    assert err.startswith(f"error: --to {shown}: the target store is not empty (")
    assert err.rstrip().endswith("copy into a new, empty database")
    assert len(err.splitlines()) == 1


def test_copy_to_an_unreachable_server_is_one_line_with_the_password_masked(
    cli, write_config, tmp_path
) -> None:
    needs_postgres_driver()
    config = write_config({"database": f"sqlite:///{tmp_path / 'source.db'}"})
    code, _, err = cli(
        "db", "copy", "--config", str(config), "--to", "postgresql+psycopg://u:s3cret@127.0.0.1:1/x"
    )
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith("error: store postgresql+psycopg://u:***@127.0.0.1:1/x: ")
    assert "s3cret" not in err
