"""Days: an open day is provisional (built, marked, not recorded), a day not yet begun is
refused, `--rebuild` re-opens a recorded day, and the order days are built in changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_DAY

SECTIONS = [{"id": "all", "title": "Everything", "catch_all": True}]


def epoch(moment: str) -> str:
    return str(int(datetime.fromisoformat(moment).astimezone(UTC).timestamp()))


def entry(n: int, published: str) -> str:
    return (
        f"<item><title>Kyiv note {n}: talks on the ceasefire continue</title>"
        f"<link>https://notes.example/{n}</link><pubDate>{published}</pubDate>"
        f"<description>Note {n} on the talks in Kyiv.</description></item>"
    )


def write_feed(path: Path, *entries: str) -> None:
    path.write_text(
        '<rss version="2.0"><channel><title>Notes</title>' + "".join(entries) + "</channel></rss>",
        "utf-8",
    )


@pytest.fixture
def notes(write_config, tmp_path: Path):  # type: ignore[no-untyped-def]
    feed = tmp_path / "notes.xml"
    config = write_config(
        {
            "timezone": "UTC",
            "topic": {},
            "sections": SECTIONS,
            "sources": [{"name": "notes", "type": "feed", "path": str(feed)}],
        }
    )
    return feed, config


def built(tmp_path: Path, day: str) -> dict:  # type: ignore[type-arg]
    path = tmp_path / "out" / day / f"briefing-{day}.json"
    return json.loads(path.read_text("utf-8"))


def titles(briefing: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(
        i["title"] for s in briefing["sections"] for t in s["stories"] for i in t["items"]
    )


def test_an_open_day_is_provisional_and_later_items_join_it(
    cli, notes, tmp_path: Path, monkeypatch
) -> None:
    feed, config = notes
    write_feed(feed, entry(1, "Sat, 06 Dec 2025 05:05:00 +0000"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-06T09:12:00+00:00"))
    code, out, err = cli("build", "--config", str(config), "--date", "2025-12-06")
    assert code == 0, err
    assert "2025-12-06 is provisional: its window is open until 2025-12-07 00:00 (UTC)" in out
    first = built(tmp_path, "2025-12-06")
    assert first["provisional"] is True and first["generated_at"].startswith("2025-12-06T09:12")
    markdown = (tmp_path / "out" / "2025-12-06" / "briefing-2025-12-06.md").read_text("utf-8")
    assert "**Provisional — as of 09:12.**" in markdown

    write_feed(
        feed,
        entry(1, "Sat, 06 Dec 2025 05:05:00 +0000"),
        entry(2, "Sat, 06 Dec 2025 11:00:00 +0000"),
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-06T14:00:00+00:00"))
    assert cli("build", "--config", str(config), "--date", "2025-12-06")[0] == 0
    assert len(titles(built(tmp_path, "2025-12-06"))) == 2  # the later item joined

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-07T06:00:00+00:00"))
    code, out, _ = cli("build", "--config", str(config), "--date", "2025-12-06")
    final = built(tmp_path, "2025-12-06")
    assert code == 0 and "provisional" not in out
    assert final["provisional"] is False and len(titles(final)) == 2
    assert final["generated_at"].startswith("2025-12-07T06:00")  # the first recorded build


def test_a_day_not_yet_begun_is_refused(cli, notes, tmp_path: Path, monkeypatch) -> None:
    _, config = notes
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-06T09:00:00+00:00"))
    code, out, err = cli("build", "--config", str(config), "--date", "2025-12-07")
    assert (code, out) == (2, "")
    assert (
        err == "error: 2025-12-07: its window opens at 2025-12-07 00:00 (UTC); nothing to build\n"
    )
    assert not (tmp_path / "out" / "2025-12-07").exists()
    code, _, err = cli("deliver", "--config", str(config), "--date", "2025-12-06")
    assert code == 2 and "its window is open until 2025-12-07 00:00 (UTC)" in err


def test_rebuild_reopens_a_recorded_day_and_says_what_changed(
    cli, notes, tmp_path: Path, monkeypatch
) -> None:
    feed, config = notes
    write_feed(feed, entry(1, "Wed, 03 Dec 2025 09:00:00 +0000"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-04T06:00:00+00:00"))
    assert cli("build", "--config", str(config), "--date", "2025-12-03")[0] == 0
    write_feed(
        feed,
        entry(1, "Wed, 03 Dec 2025 09:00:00 +0000"),
        entry(2, "Wed, 03 Dec 2025 10:00:00 +0000"),
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-04T07:00:00+00:00"))
    code, out, _ = cli("build", "--config", str(config), "--date", "2025-12-03")
    assert code == 0 and len(titles(built(tmp_path, "2025-12-03"))) == 1  # recorded: unchanged
    code, out, err = cli("build", "--config", str(config), "--date", "2025-12-03", "--rebuild")
    assert code == 0, err
    assert "rebuilt 2025-12-03: +1 item, −0 items" in out.splitlines()
    assert len(titles(built(tmp_path, "2025-12-03"))) == 2


@pytest.mark.parametrize("order", [["2025-05-28", "2025-05-27", "2025-05-26"], ["2025-05-27"]])
def test_building_days_out_of_order_gives_what_building_them_in_order_gives(
    cli, write_config, tmp_path: Path, monkeypatch, order: list[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-06-03T05:00:00+00:00"))
    days = ["2025-05-26", "2025-05-27", "2025-05-28"]
    files = {}
    for name, sequence in (("in-order", days), ("out-of-order", order)):
        out = tmp_path / name
        config = write_config({"output": {"dir": str(out), "formats": ["md", "json"]}})
        for day in sequence:
            code, _, err = cli("build", "--config", str(config), "--date", day)
            assert code == 0, err
        files[name] = {
            p.relative_to(out): p.read_bytes() for p in out.rglob("briefing-*") if p.is_file()
        }
    shared = set(files["out-of-order"])
    assert shared and all(files["out-of-order"][p] == files["in-order"][p] for p in shared)
    developing = built_day(tmp_path / "out-of-order", "2025-05-27")
    assert any(s["developing"] for sec in developing["sections"] for s in sec["stories"])


def built_day(out: Path, day: str) -> dict:  # type: ignore[type-arg]
    return json.loads((out / day / f"briefing-{day}.json").read_text("utf-8"))


def test_the_sample_day_builds_alone_as_it_does_after_the_days_before(
    cli, write_config, monkeypatch
) -> None:
    """The quick start builds 28 May in a fresh store: the days before are recorded first."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-06-03T05:00:00+00:00"))
    code, out, _ = cli("build", "--config", str(write_config()), "--date", SAMPLE_DAY)
    assert code == 0
    assert f"first: {SAMPLE_DAY} continues their stories" in out
    assert (ROOT / "samples").is_dir()


def test_what_the_reader_sees_of_a_stories_times_and_links(
    cli, write_config, tmp_path: Path, monkeypatch
) -> None:
    """A story shows its first report's time and when it was updated; an item known only by its
    day shows no clock time; printed links carry no tracking parameters."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Notes",
        "items": [
            {
                "id": "1",
                "url": "https://notes.example/swap?utm_source=rss&id=7&fbclid=x",
                "title": "Kyiv and Moscow swap 300 prisoners at the Belarus border",
                "content_text": "Kyiv and Moscow swapped 300 prisoners at the Belarus border.",
                "date_published": "2025-12-03T09:05:00+00:00",
            },
            {
                "id": "2",
                "url": "https://other.example/swap-complete",
                "title": "Belarus border prisoner swap of 300 completed by Kyiv and Moscow",
                "content_text": "The swap of 300 prisoners at the Belarus border was completed.",
                "date_published": "2025-12-03T14:20:00+00:00",
            },
            {
                "id": "3",
                "url": "https://third.example/harvest",
                "title": "Farmers in Poltava region finish the late harvest",
                "content_text": "Farmers in Poltava region finished the late harvest.",
                "date_published": "2025-12-03",
            },
        ],
    }
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(feed), "utf-8")
    config = write_config(
        {
            "timezone": "UTC",
            "topic": {},
            "sections": SECTIONS,
            "sources": [{"name": "notes", "type": "feed", "path": str(path)}],
        }
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-04T06:00:00+00:00"))
    code, _, err = cli(
        "build", "--config", str(config), "--date", "2025-12-03", "--format", "md,html,email"
    )
    assert code == 0, err
    md = (tmp_path / "out" / "2025-12-03" / "briefing-2025-12-03.md").read_text("utf-8")
    lines = md.splitlines()
    swap = lines.index("### Kyiv and Moscow swap 300 prisoners at the Belarus border")
    assert lines[swap + 2] == "_09:05 · updated 14:20_"
    harvest = lines.index("### Farmers in Poltava region finish the late harvest")
    assert not lines[harvest + 2].startswith("_")  # no time: the feed gave only the day
    said = "Farmers in Poltava region finished the late harvest."
    assert lines[harvest + 1] == "" and lines[harvest + 2].startswith(said)  # one blank line
    html = (tmp_path / "out" / "2025-12-03" / "briefing-2025-12-03.html").read_text("utf-8")
    email = (tmp_path / "out" / "2025-12-03" / "briefing-2025-12-03.email.html").read_text("utf-8")
    for page in (html, email):  # no empty time line under the harvest's headline either
        after = page.split("Farmers in Poltava region finish the late harvest</h3>", 1)[1]
        assert said in after.split("</p>", 1)[0]
    assert "https://notes.example/swap?id=7" in md and "utm_" not in md and "fbclid" not in md
