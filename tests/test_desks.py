"""Several desks on one store: one collection of the union of their sources, each desk's own
briefing, stories and ledger — on a real SQLite file and a real PostgreSQL database, with real
`briefing` processes and a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from conftest import ROOT, SAMPLE_DAY, repo_config, start_briefing

pytestmark = pytest.mark.slow  # real processes, servers, PDF layouts or fuzzing

NOW = "1748505600"  # 2025-05-29 08:00 UTC: the window that closed last is 2025-05-28
SHARED = ["meridian-report", "baltic-wire"]  # followed by both desks


def desk_config(
    tmp_path: Path, desk: str | None, names: list[str], url: str, **changes: Any
) -> Path:
    """The shipped config as one desk: only the sources `names`, its own output folder."""
    data = repo_config()
    sources = []
    for source in data["sources"]:
        if source["name"] in names:
            if "path" in source:
                source["path"] = str(ROOT / source["path"])
            sources.append(source)
    data["sources"] = sources
    data["output"]["dir"] = str(tmp_path / f"out-{desk}")
    data["database"] = url
    data["title"] = f"Desk {desk}"
    if desk is not None:
        data["desk"] = desk
    data.update(changes)
    path = tmp_path / f"{desk}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


BUILD = ("build", "--no-collect", "--date", SAMPLE_DAY, "--format", "json")
A_NAMES = ["kyiv-ledger", "northsea-post", "danube-daily", *SHARED]
B_NAMES = [*SHARED, "steppe-observer", "desk-live"]


def built_json(tmp_path: Path, desk: str) -> dict[str, Any]:
    path = tmp_path / f"out-{desk}" / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.json"
    return json.loads(path.read_text("utf-8"))


def item_ids(briefing: dict[str, Any]) -> dict[str, str]:
    """item id -> source, over every story of every section."""
    return {
        item["id"]: item["source"]
        for section in briefing["sections"]
        for story in section["stories"]
        for item in story["items"]
    }


def test_one_collection_serves_each_desk_its_own_sources(cli, tmp_path, store_url) -> None:
    a = desk_config(tmp_path, "east", A_NAMES, store_url)
    b = desk_config(tmp_path, "west", B_NAMES, store_url)
    code, out, err = cli("collect", "--config", str(a), "--config", str(b))
    assert (code, err) == (0, "")
    names = [line.split(":")[0] for line in out.splitlines()]
    assert names == [*A_NAMES, "steppe-observer", "desk-live"]  # each source read once
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT COUNT(*) FROM items")).scalar_one()
    new = sum(int(line.rsplit(", ", 1)[1].split()[0]) for line in out.splitlines())
    assert stored == new > 0
    code, out, _ = cli("collect", "--config", str(a), "--config", str(b))
    assert code == 0 and all(line.endswith(" 0 new") for line in out.splitlines())

    for desk, config in (("east", a), ("west", b)):
        code, _, err = cli(*BUILD, "--config", str(config))
        assert (code, err) == (0, ""), desk
    east, west = built_json(tmp_path, "east"), built_json(tmp_path, "west")
    assert {s["name"] for s in east["sources"]} == set(A_NAMES)
    assert {s["name"] for s in west["sources"]} == set(B_NAMES)
    east_items, west_items = item_ids(east), item_ids(west)
    assert set(east_items.values()) <= set(A_NAMES)
    assert set(west_items.values()) <= set(B_NAMES)
    shared = {i for i, source in east_items.items() if source in SHARED}
    assert shared and shared == {i for i, source in west_items.items() if source in SHARED}
    with engine.connect() as conn:
        query = sa.text("SELECT desk, date FROM builds WHERE date = :d ORDER BY desk")
        desks = conn.execute(query, {"d": SAMPLE_DAY}).all()
    engine.dispose()
    assert [tuple(row) for row in desks] == [("east", SAMPLE_DAY), ("west", SAMPLE_DAY)]


def test_a_desk_sees_a_shared_feed_it_names_differently(cli, tmp_path, store_url) -> None:
    a = desk_config(tmp_path, "east", A_NAMES, store_url)
    data = yaml.safe_load((tmp_path / "east.yaml").read_text("utf-8"))
    baltic = next(s for s in data["sources"] if s["name"] == "baltic-wire")
    b = desk_config(
        tmp_path, "west", ["steppe-observer"], store_url, sources=[{**baltic, "name": "baltic"}]
    )
    assert cli("collect", "--config", str(a))[0] == 0  # east stores the feed's items first
    code, out, err = cli("collect", "--config", str(b))
    assert (code, err) == (0, "") and "baltic: ok" in out and "0 new" in out
    for config in (a, b):
        code, _, err = cli(*BUILD, "--config", str(config))
        assert (code, err) == (0, "")
    east = {i for i, s in item_ids(built_json(tmp_path, "east")).items() if s == "baltic-wire"}
    west = {i for i, s in item_ids(built_json(tmp_path, "west")).items() if s == "baltic-wire"}
    assert east and west == east


def test_desks_collected_together_must_be_named_and_share_the_store(cli, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    a = desk_config(tmp_path, "east", A_NAMES, url)
    unnamed = desk_config(tmp_path, None, B_NAMES, url)
    code, _, err = cli("collect", "--config", str(a), "--config", str(unnamed))
    assert code == 2
    assert err.strip() == (
        f"error: {unnamed}: desk: must be set when several configs share a store "
        "(each desk its own name)"
    )
    other = desk_config(tmp_path, "west", B_NAMES, f"sqlite:///{tmp_path / 'other.db'}")
    code, _, err = cli("collect", "--config", str(a), "--config", str(other))
    assert code == 2 and f"error: {other}: database: sqlite:///" in err
    assert "desks collected together share one store" in err
    clash = desk_config(
        tmp_path,
        "north",
        [],
        url,
        sources=[{"name": "baltic-wire", "type": "feed", "path": str(ROOT / "samples/x.json")}],
    )
    code, _, err = cli("collect", "--config", str(a), "--config", str(clash))
    assert code == 2
    assert err.strip() == (
        f"error: {clash}: sources[0]: 'baltic-wire' is defined differently in {a}; a source "
        "shared by desks needs the same settings (or another name)"
    )


def _mail(port: int, to: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "email",
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "from": "Briefing <briefing@news.example>",
            "to": [to],
            "backoff": 0.1,
            "retries": 1,
            "timeout": 10,
        }
    ]


def test_two_desks_running_at_once_each_deliver_their_own_briefing_once(
    tmp_path, store_url, smtp
) -> None:
    port, recorder = smtp
    a = desk_config(tmp_path, "east", A_NAMES, store_url, delivery=_mail(port, "east@x.example"))
    b = desk_config(tmp_path, "west", B_NAMES, store_url, delivery=_mail(port, "west@x.example"))
    for _ in range(2):  # the second round finds everything delivered
        runs = [start_briefing("run", "--config", str(c), epoch=NOW) for c in (a, b)]
        results = [p.communicate(timeout=240) for p in runs]
        assert [p.returncode for p in runs] == [0, 0], results
    assert sorted(m["To"] for m in recorder.messages) == ["east@x.example", "west@x.example"]
    subjects = {m["To"]: m["Subject"] for m in recorder.messages}
    assert subjects["east@x.example"].startswith("Desk east")
    assert subjects["west@x.example"].startswith("Desk west")
    for message in recorder.messages:
        text = message.get_body(("plain",)).get_content()
        own, other = (A_NAMES, B_NAMES) if message["To"].startswith("east") else (B_NAMES, A_NAMES)
        foreign = [n for n in other if n not in own]
        assert all(n in text for n in own) and not any(n in text for n in foreign)
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT desk, date, state, attempts FROM ledger_deliveries ORDER BY desk")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("east", SAMPLE_DAY, "sent", 1),
        ("west", SAMPLE_DAY, "sent", 1),
    ]


def test_one_run_for_several_desks_collects_once_and_delivers_each(
    cli, tmp_path, store_url, smtp, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    port, recorder = smtp
    a = desk_config(tmp_path, "east", A_NAMES, store_url, delivery=_mail(port, "east@x.example"))
    b = desk_config(tmp_path, "west", B_NAMES, store_url, delivery=_mail(port, "west@x.example"))
    code, out, err = cli("run", "--config", str(a), "--config", str(b))
    assert (code, err) == (0, "")
    assert "sent east: email:127.0.0.1" in out and "sent west: email:127.0.0.1" in out
    assert sorted(m["To"] for m in recorder.messages) == ["east@x.example", "west@x.example"]
    code, out, _ = cli("run", "--config", str(a), "--config", str(b))
    assert code == 0 and "nothing to do" in out and len(recorder.messages) == 2


def test_a_several_desk_run_reports_a_desks_cut_pdf_and_exits_1(
    cli, tmp_path, smtp, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    port, recorder = smtp
    url = f"sqlite:///{tmp_path / 'store' / 'briefing.db'}"
    a = desk_config(tmp_path, "east", A_NAMES, url, delivery=_mail(port, "east@x.example"))
    b = desk_config(
        tmp_path,
        "west",
        B_NAMES,
        url,
        delivery=_mail(port, "west@x.example"),
        limits={"pdf_timeout": 0.001},
    )
    code, out, err = cli("run", "--config", str(a), "--config", str(b))
    assert code == 1
    assert "sent east: email:127.0.0.1" in out and "sent west: email:127.0.0.1" in out
    pdf = tmp_path / "out-west" / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.pdf"
    assert (
        f"error: west: {pdf} not written: the layout took longer than 0.001 s "
        "(limits.pdf_timeout); the other formats were written"
    ) in err.splitlines()
    assert "east:" not in err
    attached = {
        m["To"]: [p.get_content_type() for p in m.iter_attachments()] for m in recorder.messages
    }
    assert attached == {"east@x.example": ["application/pdf"], "west@x.example": []}


def test_runs_of_one_desk_on_two_machines_take_turns_on_postgresql(tmp_path, pg_url, smtp) -> None:
    """Two output folders stand for two machines: only the store's lock is shared."""
    from briefing.runner import run_lock_key

    port, recorder = smtp
    one = desk_config(tmp_path, "east", A_NAMES, pg_url, delivery=_mail(port, "east@x.example"))
    two = tmp_path / "two.yaml"
    data = yaml.safe_load(one.read_text("utf-8"))
    data["output"]["dir"] = str(tmp_path / "out-two")
    two.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    engine = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:  # a run elsewhere holds the desk's lock
        conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": run_lock_key("east")})
        held = start_briefing("run", "--config", str(two), epoch=NOW)
        _, err = held.communicate(timeout=120)
        assert held.returncode == 75
        assert err.strip() == "error: another run of desk 'east' holds the store's run lock"
    engine.dispose()

    runs = [start_briefing("run", "--config", str(c), epoch=NOW) for c in (one, two)]
    results = [p.communicate(timeout=240) for p in runs]
    assert sorted(p.returncode for p in runs) in ([0, 0], [0, 75]), results
    assert [m["To"] for m in recorder.messages] == ["east@x.example"]
