"""Collection from files and from a real HTTP server on 127.0.0.1; storing is idempotent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytest_httpserver import HTTPServer

from briefing.config import load_config
from briefing.render.templates import md_escape
from briefing.store import Store

from conftest import ROOT, section_of

FIXTURES = Path(__file__).parent / "fixtures"
SECTIONS = [
    {"id": "negotiations", "title": "Negotiations", "keywords": ["memorandum", "negotiat*"]},
    {"id": "battlefield", "title": "Battlefield", "keywords": ["drone*"]},
    {"id": "other", "title": "Other", "catch_all": True},
]


def stored(config_path: Path) -> int:
    with Store(load_config(config_path).database_url) as store:
        return store.count_items()


def test_feed_over_http_is_collected_once(cli, write_config, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        (FIXTURES / "wire.rss.xml").read_bytes(), content_type="application/rss+xml"
    )
    config = write_config(
        {
            "timezone": "Europe/Kyiv",
            "sections": SECTIONS,
            "sources": [
                {
                    "name": "wire",
                    "type": "feed",
                    "url": httpserver.url_for("/feed.xml"),
                    "allow_private": True,
                }
            ],
        }
    )
    code, out, err = cli("collect", "--config", str(config))
    assert (code, err) == (0, "")
    assert out.strip() == "wire: ok, 3 items, 3 new"
    user_agent = httpserver.log[0][0].headers["User-Agent"]
    assert user_agent.startswith("briefing/")
    code, out, _ = cli("collect", "--config", str(config))
    assert out.strip() == "wire: ok, 3 items, 0 new"
    assert stored(config) == 3

    code, out, err = cli(
        "build",
        "--no-collect",
        "--config",
        str(config),
        "--date",
        "2025-05-28",
        "--format",
        "md,json",
    )
    assert code == 0, err
    md = Path(out.split()[0]).read_text(encoding="utf-8")
    headline = "Kremlin offers to hand over peace memorandum at Istanbul meeting"
    assert section_of(md, headline) == "Negotiations"
    assert section_of(md, "Drone debris damages apartment block in Kharkiv") == "Battlefield"
    assert "trade corridor" not in md  # published on the 27th in Kyiv


def test_failing_and_non_feed_sources_warn_and_the_build_goes_on(
    cli, write_config, httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    not_a_feed = tmp_path / "notes.xml"
    not_a_feed.write_text("this is a shopping list, not a feed\n", encoding="utf-8")
    config = write_config(
        {
            "sections": SECTIONS,
            "sources": [
                {"name": "good", "type": "feed", "path": str(FIXTURES / "wire.rss.xml")},
                {"name": "notes", "type": "feed", "path": str(not_a_feed)},
                {
                    "name": "broken",
                    "type": "feed",
                    "url": httpserver.url_for("/broken"),
                    "allow_private": True,
                },
            ],
        }
    )
    code, out, err = cli("build", "--config", str(config), "--date", "2025-05-28", "--format", "md")
    assert code == 0
    warnings = err.strip().splitlines()
    assert warnings == [
        f"warning: source 'notes': {not_a_feed} is not an RSS, Atom or JSON feed "
        "(<unknown>:2:0: syntax error)",
        f"warning: source 'broken': HTTP 500 from {httpserver.url_for('/broken')} "
        "(after 3 attempts)",
    ]
    md = Path(out.split()[0]).read_text(encoding="utf-8")
    rows = {line.split(" | ")[0]: line for line in md.splitlines() if line.startswith("| ")}
    assert rows["| notes"].endswith(
        "| 0 | failed — "
        + md_escape(f"{not_a_feed} is not an RSS, Atom or JSON feed (<unknown>:2:0: syntax error)")
        + " |"
    )
    broken = httpserver.url_for("/broken")
    assert rows["| broken"].endswith(f"| 0 | failed — HTTP 500 from {broken} (after 3 attempts) |")
    assert "| good | 2 | ok |" in md


def test_a_file_glob_that_matches_nothing_fails_that_source_only(cli, write_config) -> None:
    config = write_config(
        {
            "sections": SECTIONS,
            "sources": [
                {"name": "good", "type": "feed", "path": str(FIXTURES / "wire.rss.xml")},
                {"name": "gone", "type": "feed", "path": "nowhere/*.xml"},
            ],
        }
    )
    code, out, err = cli("collect", "--config", str(config))
    assert code == 0
    assert "gone: failed, 0 items, 0 new — no file matches nowhere/*.xml" in out
    assert "warning: source 'gone': no file matches nowhere/*.xml" in err


def test_expand_fetches_full_articles_for_teaser_entries(
    cli, write_config, httpserver: HTTPServer
) -> None:
    article = (FIXTURES / "pages" / "article_jsonld.html").read_bytes()
    httpserver.expect_request("/article").respond_with_data(article, content_type="text/html")
    link = httpserver.url_for("/article")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title><item>'
        "<title>Germany to pay for Ukrainian long-range weapons</title>"
        f"<link>{link}</link><pubDate>Wed, 28 May 2025 15:00:00 +0300</pubDate>"
        "<description>Berlin and Kyiv agree on weapons… Read more</description></item>"
        "</channel></rss>"
    )
    httpserver.expect_request("/feed").respond_with_data(feed, content_type="application/rss+xml")
    config = write_config(
        {
            "sections": SECTIONS,
            "sources": [
                {
                    "name": "teasers",
                    "type": "feed",
                    "url": httpserver.url_for("/feed"),
                    "allow_private": True,
                    "expand": True,
                }
            ],
        }
    )
    assert cli("collect", "--config", str(config))[0] == 0
    with Store(load_config(config).database_url) as store:
        (item,) = store.items_between(
            datetime(2025, 5, 28, tzinfo=UTC), datetime(2025, 5, 29, tzinfo=UTC)
        )
    assert "Read more" not in item.body and len(item.body.split()) > 60
    assert item.title == "Germany to pay for Ukrainian long-range weapons"
    # a second run does not fetch the article again: the item is stored already
    hits = len([r for r, _ in httpserver.log if r.path == "/article"])
    assert cli("collect", "--config", str(config))[0] == 0
    assert len([r for r, _ in httpserver.log if r.path == "/article"]) == hits == 1


def test_many_local_sources_are_parsed_in_worker_processes(cli, write_config, tmp_path) -> None:
    """From PROCESS_MIN local sources on, parsing runs in other processes: same result."""
    from briefing.pipeline.collect import PROCESS_MIN

    folder = tmp_path / "feeds"
    folder.mkdir()
    sources = []
    for n in range(PROCESS_MIN + 5):
        items = "".join(
            f"<item><title>Kyiv report {n}-{k}</title><link>https://w{n}.example/{k}</link>"
            f"<pubDate>Wed, 28 May 2025 1{k}:00:00 +0300</pubDate>"
            f"<description>Report {k} from source {n} about Ukraine.</description></item>"
            for k in range(3)
        )
        path = folder / f"s{n}.xml"
        body = f'<rss version="2.0"><channel><title>Wire {n}</title>{items}</channel></rss>'
        path.write_text(body if n else "not a feed", encoding="utf-8")
        sources.append({"name": f"s{n}", "type": "feed", "path": str(path)})
    config = write_config({"sections": SECTIONS, "sources": sources})
    code, out, err = cli("collect", "--config", str(config))
    assert code == 0
    assert err.strip().startswith("warning: source 's0':")
    assert out.count(": ok, 3 items, 3 new") == PROCESS_MIN + 4
    assert stored(config) == 3 * (PROCESS_MIN + 4)


def test_every_entry_of_the_samples_is_accounted_for(cli, write_config) -> None:
    """Each feed's entries (as feedparser or json count them) = new + known + merged + refused,
    and the store keeps those figures with every run."""
    import json

    import feedparser
    from hostile.invariants import runs_add_up

    config_path = write_config()
    code, _, err = cli("collect", "--config", str(config_path))
    assert code == 0, err
    config = load_config(config_path)
    runs = {row["name"]: row for row in runs_add_up(config.database_url)}
    for source in config.sources:
        row = runs[source.name]
        if source.type != "feed":
            assert row["fetched"] > 0 and row["refused"] == 0, row
            continue
        data = (ROOT / "samples" / Path(source.path or "").name).read_bytes()
        is_json = data.lstrip().startswith(b"{")
        entries = len(json.loads(data)["items"]) if is_json else len(feedparser.parse(data).entries)
        assert row["fetched"] + row["refused"] == entries, source.name
        assert row["new"] + row["known"] + row["merged"] == row["fetched"]


def test_collecting_imports_no_store_before_its_workers_start() -> None:
    """`briefing collect` forks its parsing workers after reading the config and before the
    store's imports (SQLAlchemy), so those imports overlap the parsing: nothing it needs by
    then may import the store."""
    import subprocess
    import sys

    code = (
        "import sys, briefing.cli.commands, briefing.config.desks, briefing.pipeline; "
        "sys.exit('sqlalchemy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
