"""Every feed entry is accounted for: entries that share an address stay distinct, relative links
resolve, a feed cut off mid-way is a warning, and each run's entries add up to new + already
stored + merged + refused, stored with the run and shown where a reader looks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hostile.invariants import runs_add_up
from pytest_httpserver import HTTPServer

from briefing.config import load_config
from briefing.models import Item
from briefing.render.templates import md_escape
from briefing.store import Store

from conftest import SAMPLE_DAY

SECTIONS = [{"id": "all", "title": "Everything", "catch_all": True}]
EARLY, LATE = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def rss(items: str, channel_link: str = "https://daily.example/") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Daily Notes</title><link>{channel_link}</link>{items}</channel></rss>"
    )


def item(title: str, link: str, guid: str | None = None, day: str = "28 May 2025") -> str:
    guid_tag = f"<guid isPermaLink='false'>{guid}</guid>" if guid else ""
    return (
        f"<item><title>{title}</title><link>{link}</link>{guid_tag}"
        f"<description>{title}: a note on the day.</description>"
        f"<pubDate>Wed, {day} 09:00:00 +0000</pubDate></item>"
    )


def feed_config(write_config, path: Path, **source: object) -> Path:  # type: ignore[no-untyped-def]
    spec = {"name": "notes", "type": "feed", "path": str(path), **source}
    return write_config({"timezone": "UTC", "topic": {}, "sections": SECTIONS, "sources": [spec]})


def items_of(config: Path) -> list[Item]:
    with Store(load_config(config).database_url) as store:
        return store.items_between(
            datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
        )


def test_entries_that_differ_only_by_fragment_stay_distinct_and_keep_their_ids(
    cli, write_config, tmp_path: Path
) -> None:
    """A blog's daily page: fifty posts, five pages, each post a #fragment of its page."""
    posts = "".join(
        item(f"Note {page}.{n}", f"https://daily.example/2025/05/{page:02}.html#p{n}")
        for page in range(24, 29)
        for n in range(10)
    )
    path = tmp_path / "daily.xml"
    path.write_text(rss(posts), "utf-8")
    config = feed_config(write_config, path)
    code, out, err = cli("collect", "--config", str(config))
    assert (code, out.strip(), err) == (0, "notes: ok, 50 items, 50 new", "")
    code, out, _ = cli("collect", "--config", str(config))
    assert out.strip() == "notes: ok, 50 items, 0 new"  # the same ids again: nothing new
    stored = items_of(config)
    assert len(stored) == 50
    assert {i.url for i in stored} >= {"https://daily.example/2025/05/28.html#p3"}


def test_entries_sharing_a_link_with_distinct_guids_stay_distinct_and_repeats_merge(
    cli, write_config, tmp_path: Path
) -> None:
    """A linked post and a sponsor post pointing at one article, and an entry listed twice."""
    shared = "https://elsewhere.example/article"
    posts = (
        item("Linked: talks resume", shared, guid="tag:notes,2025:linked-1")
        + item("Sponsor: a tool for desks", shared, guid="tag:notes,2025:sponsor-7")
        + item("Own post", "https://daily.example/own", guid="tag:notes,2025:own-2")
        + item("Own post", "https://daily.example/own", guid="tag:notes,2025:own-2")
    )
    path = tmp_path / "shared.xml"
    path.write_text(rss(posts), "utf-8")
    code, out, _ = cli("collect", "--config", str(feed_config(write_config, path)))
    assert code == 0
    assert out.strip() == "notes: ok, 4 items, 3 new; 1 merged as duplicates"
    titles = sorted(i.title for i in items_of(tmp_path / "config.yaml"))
    assert titles == ["Linked: talks resume", "Own post", "Sponsor: a tool for desks"]


def test_a_feed_cut_off_mid_way_is_a_warning_with_its_count(
    cli, write_config, tmp_path: Path
) -> None:
    whole = rss("".join(item(f"Note {n}", f"https://daily.example/{n}") for n in range(5)))
    path = tmp_path / "cut.xml"
    path.write_text(whole[: whole.index("<item>", whole.index("Note 2"))], "utf-8")
    code, out, err = cli("collect", "--config", str(feed_config(write_config, path)))
    assert code == 0
    assert out.startswith("notes: warning, 3 items, 3 new — ")
    assert f"{path} breaks off after 3 entries (" in out
    assert f"warning: source 'notes': {path} breaks off after 3 entries" in err


def test_relative_links_resolve_against_the_feeds_address(
    cli, write_config, httpserver: HTTPServer
) -> None:
    posts = item("Relative", "/2025/05/28/relative/") + item("Absolute", "https://a.example/x")
    httpserver.expect_request("/blog/feed.xml").respond_with_data(
        rss(posts, channel_link="/blog/"), content_type="application/rss+xml"
    )
    url = httpserver.url_for("/blog/feed.xml")
    source = {"name": "notes", "type": "feed", "url": url, "allow_private": True}
    config = write_config(
        {"timezone": "UTC", "topic": {}, "sections": SECTIONS, "sources": [source]}
    )
    code, out, _ = cli("collect", "--config", str(config))
    assert (code, out.strip()) == (0, "notes: ok, 2 items, 2 new")
    links = {i.url for i in items_of(config)}
    assert links == {"https://a.example/x", httpserver.url_for("/2025/05/28/relative/")}


def test_relative_links_of_a_feed_file_resolve_against_its_channel_link(
    cli, write_config, tmp_path: Path
) -> None:
    path = tmp_path / "local.xml"
    path.write_text(rss(item("Relative", "posts/one.html"), "https://daily.example/notes/"))
    code, _, _ = cli("collect", "--config", str(feed_config(write_config, path)))
    assert code == 0
    assert [i.url for i in items_of(tmp_path / "config.yaml")] == [
        "https://daily.example/notes/posts/one.html"
    ]


def test_a_json_feed_declaring_its_version_over_http_is_read(
    cli, write_config, tmp_path: Path
) -> None:
    feed = {
        "version": "http://jsonfeed.org/version/1",
        "title": "Notes",
        "home_page_url": "https://daily.example/",
        "items": [
            {"id": "1", "url": "/one", "title": "One", "date_published": "2025-05-28T09:00:00Z"},
            {"id": "2", "title": "", "content_text": ""},
            "not an object",
        ],
    }
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(feed), "utf-8")
    code, out, _ = cli("collect", "--config", str(feed_config(write_config, path)))
    assert code == 0
    assert out.strip() == (
        "notes: ok, 1 item, 1 new; 2 refused (1 empty entry (no title or text), "
        "1 not an entry (a JSON Feed item is an object))"
    )
    assert [i.url for i in items_of(tmp_path / "config.yaml")] == ["https://daily.example/one"]


def test_the_accounting_is_stored_with_each_run_and_shown_in_the_sources_note(
    cli, write_config, tmp_path: Path
) -> None:
    posts = "".join(item(f"Kyiv note {n}", f"https://daily.example/{n}") for n in range(4))
    path = tmp_path / "notes.xml"
    path.write_text(rss(posts + item("Kyiv note 0", "https://daily.example/0")), "utf-8")
    config = feed_config(write_config, path, max_items=4)
    code, _, err = cli("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md")
    assert code == 0, err
    (row,) = runs_add_up(load_config(config).database_url)
    assert (row["fetched"], row["new"], row["known"], row["merged"], row["refused"]) == (
        4,
        4,
        0,
        0,
        1,
    )
    markdown = (tmp_path / "out" / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.md").read_text("utf-8")
    reason = md_escape(f"{path} has 5 entries; only the first 4 were read (max_items)")
    assert f"| notes | 4 | warning — {reason}; 1 refused (1 over max\\_items) |" in markdown


def test_a_source_that_never_gives_anything_new_is_flagged(
    cli, write_config, tmp_path: Path
) -> None:
    """A second name for a feed another source already reads delivers only what is stored."""
    path = tmp_path / "notes.xml"
    path.write_text(rss(item("Kyiv note", "https://daily.example/1")), "utf-8")
    notes = {"name": "notes", "type": "feed", "path": str(path)}
    cli("collect", "--config", str(feed_config(write_config, path)))  # notes alone, first
    mirror = {"name": "mirror", "type": "feed", "path": str(path)}
    base = {"timezone": "UTC", "topic": {}, "sections": SECTIONS}
    config = write_config({**base, "sources": [notes, mirror]})
    cli("collect", "--config", str(config))
    code, out, _ = cli("collect", "--config", str(config))
    assert code == 0
    assert "mirror: ok, 1 item, 0 new; nothing new in any of its 2 runs" in out.splitlines()
    assert "notes: ok, 1 item, 0 new" in out.splitlines()


def test_verbose_collection_prints_each_sources_accounting(
    cli, write_config, tmp_path: Path
) -> None:
    path = tmp_path / "notes.xml"
    posts = item("One", "https://daily.example/1") + item("One", "https://daily.example/1")
    path.write_text(rss(posts), "utf-8")
    config = feed_config(write_config, path)
    code, _, err = cli("-v", "collect", "--config", str(config))
    assert code == 0
    assert (
        "source 'notes': ok, read 2 = 1 new + 0 already stored + 1 merged + 0 refused; "
        "1 merged as duplicates"
    ) in err.splitlines()
