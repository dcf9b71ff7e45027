"""End-to-end builds of the sample corpus into tmp_path, read back as a user would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.config import load_config
from briefing.store import Store

from conftest import ROOT, SAMPLE_DAY, section_of

LABELS = json.loads((ROOT / "samples" / "labels.json").read_text(encoding="utf-8"))
CLIPPINGS = {"desk-listing", "desk-live"}  # sources without labels
SECTION_TITLES = {
    "negotiations": "Negotiations & diplomacy",
    "sanctions": "Sanctions & economic pressure",
    "battlefield": "Battlefield",
    "nato": "NATO & security guarantees",
    "other": "Other developments",
}
KNOWN = {  # headline in the samples -> section a reader expects it in
    "Moscow proposes second round of direct talks in Istanbul on 2 June": "negotiations",
    "Senate backers of Russia sanctions bill press for a vote": "sanctions",
    "Sumy braces as Russia builds up forces on the northern border": "battlefield",
    "Ukraine's place at NATO's Hague summit still undecided": "nato",
    "Deminers slowly return farmland to use in Kharkiv region": "other",
}


def files(tmp_path: Path, day: str = SAMPLE_DAY) -> dict[str, Path]:
    folder = tmp_path / "out" / day
    return {fmt: folder / f"briefing-{day}.{fmt}" for fmt in ("md", "html", "json", "pdf")}


@pytest.fixture
def built(cli, write_config, tmp_path: Path) -> dict[str, Path]:
    config = write_config()
    code, out, err = cli("build", "--config", str(config), "--date", SAMPLE_DAY)
    assert (code, err) == (0, "")
    paths = files(tmp_path)
    written = [line for line in out.splitlines() if line.startswith(str(tmp_path))]
    assert sorted(written) == sorted(str(p) for p in paths.values())
    summary = out.splitlines()[-1]  # after the paths: what the briefing holds
    assert summary.startswith("28 May 2025: ") and " stories from " in summary
    return paths


def test_markdown_has_sections_in_config_order_with_known_headlines(built) -> None:
    md = built["md"].read_text(encoding="utf-8")
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    headings = [line[3:].replace("\\", "") for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["Key developments", *SECTION_TITLES.values(), "Sources"]
    for title, section in KNOWN.items():
        (story,) = [
            s
            for sec in data["sections"]
            for s in sec["stories"]
            if title in [i["title"] for i in s["items"]]
        ]
        assert section_of(md, story["headline"]) == SECTION_TITLES[section], title
    assert "<" not in md and "](https://" in md  # no raw HTML; links as [Outlet](url)


def test_topic_gate_keeps_every_on_topic_item_once_and_drops_the_look_alikes(built) -> None:
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    items = [i for sec in data["sections"] for s in sec["stories"] for i in s["items"]]
    assert len({i["id"] for i in items}) == len(items)
    urls = [i["url"] for i in items if i["source"] not in CLIPPINGS]
    assert len(urls) == len(set(urls))
    day_labels = [lb for lb in LABELS if _kyiv_day(lb["published"]) == SAMPLE_DAY]
    on_topic = {lb["url"] for lb in day_labels if lb["section"] != "offtopic"}
    off_topic = {lb["url"] for lb in day_labels if lb["section"] == "offtopic"}
    assert len(off_topic) >= 4
    assert set(urls) == on_topic
    assert data["counts"]["dropped"] == len(off_topic)


def test_json_has_the_contract_shape(built, tmp_path: Path) -> None:
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    with Store(load_config(tmp_path / "config.yaml").database_url) as store:
        bodies = {i.id: i.body for i in store.items_between(*_utc_day(SAMPLE_DAY))}
    assert data["date"] == SAMPLE_DAY and data["timezone"] == "Europe/Kyiv"
    assert data["window"] == {
        "start": "2025-05-28T00:00:00+03:00",
        "end": "2025-05-29T00:00:00+03:00",
    }
    assert set(data["counts"]) >= {"items", "stories", "sources"}
    assert [s["id"] for s in data["sections"]] == list(SECTION_TITLES)
    stories = [s for sec in data["sections"] for s in sec["stories"]]
    assert data["counts"]["stories"] == len(stories)
    assert data["counts"]["items"] == sum(len(s["items"]) for s in stories)
    for story in stories:
        assert set(story) >= {
            "id",
            "headline",
            "summary",
            "first_reported",
            "developing",
            "tags",
            "items",
        }
        assert story["summary"] and isinstance(story["developing"], bool)
        for item in story["items"]:
            assert set(item) == {"id", "source", "outlet", "title", "url", "published"}
            assert re.fullmatch(r"2025-05-2[789]T\d\d:\d\d:\d\d[+-]\d\d:\d\d", item["published"])
        # summaries are copied, never written: every sentence occurs in an item's source text
        for sentence in story["sentences"]:
            assert sentence["item"] in {i["id"] for i in story["items"]}
            assert sentence["text"] in bodies[sentence["item"]]


def test_pdf_reads_back_with_title_sections_and_a_headline(built) -> None:
    reader = PdfReader(built["pdf"])
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "Russia–Ukraine peace process" in text
    for title in SECTION_TITLES.values():
        assert title in text
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    first = data["sections"][0]["stories"][0]["headline"]
    assert first in text
    assert f"page 1 of {len(reader.pages)}" in text
    assert reader.metadata.title == "Russia–Ukraine peace process — 2025-05-28"
    outline = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert "Negotiations & diplomacy" in outline


def test_rebuild_is_byte_identical_and_collecting_again_adds_nothing(
    cli, write_config, tmp_path: Path
) -> None:
    config = write_config()
    assert cli("build", "--config", str(config), "--date", SAMPLE_DAY)[0] == 0
    first = {fmt: p.read_bytes() for fmt, p in files(tmp_path).items() if fmt != "pdf"}
    with Store(load_config(config).database_url) as store:
        count = store.count_items()
    assert count > len(LABELS)  # the feeds' items and the clippings' posts
    code, out, _ = cli("collect", "--config", str(config))
    assert code == 0 and out.count(", 0 new") == len(load_config(config).sources)
    assert cli("build", "--config", str(config), "--date", SAMPLE_DAY)[0] == 0
    second = {fmt: p.read_bytes() for fmt, p in files(tmp_path).items() if fmt != "pdf"}
    assert first == second
    with Store(load_config(config).database_url) as store:
        assert store.count_items() == count


def test_a_failed_build_leaves_the_previous_files(cli, write_config, tmp_path: Path) -> None:
    config = write_config()
    assert (
        cli("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md,html")[0] == 0
    )
    before = {p: p.read_bytes() for p in files(tmp_path).values() if p.exists()}
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "briefing.html.j2").write_text("<p>\n{{ b.no_such_field }}\n</p>\n", "utf-8")
    config = write_config({"templates": str(broken)})
    code, _, err = cli(
        "build",
        "--no-collect",
        "--config",
        str(config),
        "--date",
        SAMPLE_DAY,
        "--format",
        "md,html",
    )
    assert code == 2
    assert err.strip() == (
        f"error: {broken / 'briefing.html.j2'}:2: template error: "
        "'briefing.models.Briefing object' has no attribute 'no_such_field'"
    )
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in (tmp_path / "out" / SAMPLE_DAY).glob("briefing-*")) == sorted(
        p.name for p in before
    )


def test_a_day_without_items_gives_a_short_briefing(cli, write_config, tmp_path: Path) -> None:
    config = write_config()
    code, _, err = cli("build", "--config", str(config), "--date", "2025-06-15")
    assert (code, err) == (0, "")
    paths = files(tmp_path, "2025-06-15")
    assert "No new items on this topic in this window." in paths["md"].read_text("utf-8")
    assert json.loads(paths["json"].read_text("utf-8"))["counts"]["items"] == 0
    assert len(PdfReader(paths["pdf"]).pages) == 1


def test_sections_on_the_sample_corpus_match_the_labels(cli, write_config, tmp_path) -> None:
    """A measurement, not a fixture fit: the samples were labelled by their author, not by us."""
    config = write_config()
    by_url = {lb["url"]: lb["section"] for lb in LABELS}
    right = total = 0
    for day in ("2025-05-25", "2025-05-26", "2025-05-27", "2025-05-28"):
        assert cli("build", "--config", str(config), "--date", day, "--format", "json")[0] == 0
        data = json.loads(files(tmp_path, day)["json"].read_text("utf-8"))
        for sec in data["sections"]:
            for story in sec["stories"]:
                for item in story["items"]:
                    if item["source"] in CLIPPINGS:
                        continue
                    assert by_url[item["url"]] != "offtopic"
                    total += 1
                    right += by_url[item["url"]] == sec["id"]
    assert total == sum(1 for lb in LABELS if lb["section"] != "offtopic")
    assert right / total >= 0.75


def _utc_day(day: str) -> tuple:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo("Europe/Kyiv"))
    return start, start + timedelta(days=1)


def _kyiv_day(stamp: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(stamp).astimezone(ZoneInfo("Europe/Kyiv")).date().isoformat()


def test_a_build_leaves_the_cyclic_collector_as_it_found_it(write_config, tmp_path) -> None:
    """The collector is paused while a day is built: afterwards it runs again (or stays off,
    if the caller had turned it off), and nothing stays frozen out of later collections."""
    import gc
    from datetime import date

    from briefing.pipeline import build

    config = load_config(write_config())
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            build(config, date(2025, 5, 26), ["md"], collect_first=enabled)
            assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, 0)
        finally:
            gc.enable()
