"""What the console says: `build` ends with one line per day that tells what the briefing holds,
counted nouns are never "1 stories", plain `briefing` shows its usage, and an `explain` that
matches nothing fails in one line."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, SAMPLE_DAY, repo_config


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>https://wire.example/{n}</link>"
        f"<description>{t}. Officials in Kyiv said so on Wednesday.</description>"
        f"<pubDate>Wed, 28 May 2025 09:{n:02d}:00 GMT</pubDate></item>"
        for n, t in enumerate(titles)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>https://wire.example/</link>{items}</channel></rss>"
    ).encode()


def test_build_ends_with_what_the_day_holds(cli, write_config, tmp_path: Path) -> None:
    """The paths first (scripts read them), then one line: stories, items, outlets, what the
    gate left out and the source that failed, with its reason as the config names it."""
    data = repo_config()
    for source in data["sources"]:
        source["path"] = str(ROOT / source["path"]) if "path" in source else None
    wire = next(s for s in data["sources"] if s["name"] == "baltic-wire")
    wire["path"] = "samples/baltic-wire.jsn"  # a typo, relative to the config's folder
    config = write_config({"sources": data["sources"]})
    code, out, err = cli("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "json")
    assert code == 0
    assert err.startswith("warning: source 'baltic-wire': no file matches samples/baltic-wire.jsn")
    lines = out.splitlines()
    (path,) = [line for line in lines if line.endswith(".json")]
    assert path.endswith(f"briefing-{SAMPLE_DAY}.json")
    summary = lines[-1]  # after the paths (and what the build recorded first)
    counts = json.loads(Path(path).read_text("utf-8"))["counts"]
    assert counts["stories"] > 1 and counts["items"] > 1 and counts["dropped"] > 1
    assert summary == (
        f"28 May 2025: {counts['stories']} stories from {counts['items']} items, "
        f"{counts['outlets']} outlets; {counts['dropped']} off-topic left out; "
        "1 source failed: baltic-wire (no file matches samples/baltic-wire.jsn)"
    )


def test_counted_nouns_are_singular_for_one(cli, write_config, tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_bytes(rss("Ukraine and Russia agree on prisoner exchange"))
    config = write_config(
        {
            "sources": [{"name": "wire", "type": "feed", "path": str(feed)}],
            "sections": [{"id": "all", "title": "Everything", "catch_all": True}],
        }
    )
    assert cli("collect", "--config", str(config))[1] == "wire: ok, 1 item, 1 new\n"
    assert cli("check", "--config", str(config))[1].endswith(": OK (1 source, 1 section)\n")
    code, out, _ = cli(
        "build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md", "--no-collect"
    )
    assert code == 0
    assert out.splitlines()[-1] == "28 May 2025: 1 story from 1 item, 1 outlet"


def test_an_empty_day_says_so(cli, write_config) -> None:
    config = write_config()
    code, out, _ = cli(
        "build", "--config", str(config), "--date", "2025-05-01", "--format", "md", "--no-collect"
    )
    assert code == 0
    assert out.splitlines()[-1] == "1 May 2025: no new items on the topic in this window"


def test_plain_briefing_prints_its_usage_and_exits_0(cli) -> None:
    code, out, err = cli()
    assert (code, err) == (0, "")
    assert out.startswith("Usage: briefing ") and "build" in out and "serve" in out


def test_explain_that_matches_nothing_fails_in_one_line(cli, write_config) -> None:
    config = write_config()
    code, out, err = cli("explain", "--config", str(config), "--date", SAMPLE_DAY, "zzz nothing")
    assert (code, out) == (1, "")
    assert err == f"error: no items matching 'zzz nothing' in the briefing of {SAMPLE_DAY}\n"
