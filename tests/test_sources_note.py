"""The Sources note as a desk with many feeds reads it: a row for each source that gave items or
failed, and one line naming the sources that were collected without a problem and gave nothing."""

from __future__ import annotations

import html
import json
from pathlib import Path

from pypdf import PdfReader

from conftest import ROOT, SAMPLE_DAY

OLD_POST = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title><item>'
    "<title>Kyiv archive note from {name}</title><link>https://{name}.example/1</link>"
    "<pubDate>Thu, 01 May 2025 09:00:00 GMT</pubDate></item></channel></rss>"
)


def test_quiet_sources_share_one_line_and_the_rest_keep_their_rows(
    cli, write_config, tmp_path: Path
) -> None:
    sources = [
        {"name": "kyiv-ledger", "type": "feed", "path": str(ROOT / "samples/kyiv-ledger.rss.xml")}
    ]
    for name in ("old-wire", "zeta-post"):  # items of another month: nothing for 28 May
        path = tmp_path / f"{name}.xml"
        path.write_text(OLD_POST.format(name=name), "utf-8")
        sources.append({"name": name, "type": "feed", "path": str(path)})
    broken = tmp_path / "broken.xml"
    broken.write_text("not a feed", "utf-8")
    sources.append({"name": "broken-wire", "type": "feed", "path": str(broken)})
    config = write_config({"sources": sources})
    code, _, err = cli(
        "build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md,html,email,json,pdf"
    )
    assert code == 0, err
    out = tmp_path / "out" / SAMPLE_DAY
    quiet = "Nothing in this briefing from 2 other sources, each collected without problems: "
    named = "old-wire, zeta-post."

    markdown = (out / f"briefing-{SAMPLE_DAY}.md").read_text("utf-8")
    note = markdown[markdown.index("## Sources") :]
    rows = [line.split("|")[1].strip() for line in note.splitlines() if line.startswith("| ")]
    assert rows == ["Source", "---", "kyiv-ledger", "broken-wire"]
    assert "| broken-wire | 0 | failed — " in note and "not an RSS, Atom or JSON feed" in note
    assert f"\n{quiet}{named}\n" in note
    for name in ("page", "email"):
        text = out / f"briefing-{SAMPLE_DAY}.{'html' if name == 'page' else 'email.html'}"
        body = html.unescape(text.read_text("utf-8"))
        assert quiet + named in body
        assert "<td>old-wire</td>" not in body and ">old-wire<" not in body
        assert ">broken-wire<" in body and ">kyiv-ledger<" in body
    pdf = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(out / f"briefing-{SAMPLE_DAY}.pdf").pages
    )
    assert quiet + named in pdf and "broken-wire 0 failed" in pdf
    # Programs still get every source, quiet ones included.
    data = json.loads((out / f"briefing-{SAMPLE_DAY}.json").read_text("utf-8"))
    assert [s["name"] for s in data["sources"]] == [
        "kyiv-ledger",
        "old-wire",
        "zeta-post",
        "broken-wire",
    ]
    assert [s["items"] for s in data["sources"]] == [5, 0, 0, 0]


def test_with_every_source_quiet_the_note_is_one_line(cli, write_config, tmp_path: Path) -> None:
    path = tmp_path / "old-wire.xml"
    path.write_text(OLD_POST.format(name="old-wire"), "utf-8")
    config = write_config({"sources": [{"name": "old-wire", "type": "feed", "path": str(path)}]})
    code, _, err = cli("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md")
    assert code == 0, err
    markdown = (tmp_path / "out" / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.md").read_text("utf-8")
    note = markdown[markdown.index("## Sources") :]
    assert "| Source |" not in note
    assert (
        "\nNothing in this briefing from 1 source, each collected without problems: old-wire.\n"
        in note
    )


# A feed whose every item the topic gate drops (written for this test: a sports desk's feed,
# and posts in Polish, a language the shipped topic terms do not know: they know English,
# Ukrainian and Russian)
OFF_TOPIC_FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Mixed Desk</title>'
    "<item><title>Late winner sends Dnipro side into the cup final</title>"
    "<link>https://mixed.example/1</link><pubDate>Wed, 28 May 2025 09:00:00 GMT</pubDate>"
    "<description>The striker scored in stoppage time of the semi-final.</description></item>"
    "<item><title>W nocy drony zaatakowały Charków</title><link>https://mixed.example/2</link>"
    "<pubDate>Wed, 28 May 2025 10:00:00 GMT</pubDate>"
    "<description>Władze miasta poinformowały o uszkodzonych domach.</description></item>"
    "</channel></rss>"
)


def test_a_source_whose_every_item_is_left_out_says_so(cli, write_config, tmp_path: Path) -> None:
    """A feed all of whose items the topic gate drops is not a quiet source: a desk must see
    that it gave items and that they were left out, not that it had nothing."""
    mixed = tmp_path / "mixed.xml"
    mixed.write_text(OFF_TOPIC_FEED, "utf-8")
    sources = [
        {"name": "kyiv-ledger", "type": "feed", "path": str(ROOT / "samples/kyiv-ledger.rss.xml")},
        {"name": "mixed-desk", "type": "feed", "path": str(mixed)},
    ]
    config = write_config({"sources": sources})
    code, _, err = cli(
        "build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md,json"
    )
    assert code == 0, err
    out = tmp_path / "out" / SAMPLE_DAY
    markdown = (out / f"briefing-{SAMPLE_DAY}.md").read_text("utf-8")
    note = markdown[markdown.index("## Sources") :]
    assert "| mixed-desk | 0 | ok — 2 left out as off-topic |" in note
    assert "Nothing in this briefing from" not in note
    data = json.loads((out / f"briefing-{SAMPLE_DAY}.json").read_text("utf-8"))
    left_out = {s["name"]: s["off_topic"] for s in data["sources"]}
    assert left_out["mixed-desk"] == 2
    assert sum(left_out.values()) == data["counts"]["dropped"]
