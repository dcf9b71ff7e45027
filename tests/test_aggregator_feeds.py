"""Aggregator feeds (a news search's RSS): each entry names its own outlet in `<source>`, its
title ends with " - Outlet", and its description only repeats the title. The items carry the
outlet the entry names, the title without the suffix and no text that repeats the headline;
the fast reader and feedparser agree. Every headline here is written for these tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.sources import Document, FeedSource, ParseContext, feeds
from briefing.sources.feeds import parse_feed

CTX = ParseContext(captured=datetime(2025, 6, 3, 12, tzinfo=UTC), zone=ZoneInfo("Europe/Kyiv"))
SOURCE = FeedSource(name="search", type="feed", path="search.xml")


def _item(title: str, link: str, description: str, source: str = "", hour: int = 9) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f"<description>{description}</description>"
        f"<pubDate>Tue, 03 Jun 2025 {hour:02d}:00:00 GMT</pubDate>{source}</item>"
    )


AGGREGATED = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News search</title>'
    "<link>https://search.example/</link><description>results</description>"
    + _item(
        "Kyiv and Moscow swap 150 prisoners each in a brokered deal - Harbour Gazette",
        "https://search.example/a1",
        "&lt;a href='https://search.example/a1'&gt;Kyiv and Moscow swap 150 prisoners each in a"
        " brokered deal&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color='#6f6f6f'&gt;Harbour Gazette"
        "&lt;/font&gt;",
        '<source url="https://harbour.example">Harbour Gazette</source>',
    )
    + _item(
        "Drone debris sparks a fire at an Odesa port warehouse - Lindenfeld Times",
        "https://search.example/a2",
        "Drone debris sparks a fire at an Odesa port warehouse",
        '<source url="https://lindenfeld.example">Lindenfeld Times</source>',
        hour=10,
    )
    + _item(
        "Talks end - Harbour Gazette",  # too little would be left: kept whole
        "https://search.example/a3",
        "Delegations left without a date for the next round, both sides said.",
        '<source url="https://harbour.example">Harbour Gazette</source>',
        hour=11,
    )
    + _item(
        "Ministers meet in Brussels on air defence - Meridian Report",
        "https://search.example/a4",
        "Ministers meet in Brussels on air defence",  # no <source>: the feed is the outlet
        hour=12,
    )
    + "</channel></rss>"
).encode()


def test_fast_reader_and_feedparser_read_the_same_outlets() -> None:
    fast = feeds._fast_feed(AGGREGATED, None)
    slow = feeds._feedparser_feed(AGGREGATED, None)
    assert fast is not None and not isinstance(slow, str)  # the fast reader takes it
    named = ["Harbour Gazette", "Lindenfeld Times", "Harbour Gazette", None]
    assert [e.outlet for e in fast[2]] == [e.outlet for e in slow[2]] == named


def test_items_carry_the_named_outlet_a_plain_title_and_no_repeated_text() -> None:
    items = parse_feed(Document("search.xml", AGGREGATED), SOURCE, CTX).items
    assert [i.outlet for i in items] == [
        "Harbour Gazette",
        "Lindenfeld Times",
        "Harbour Gazette",
        "News search",
    ]
    assert [i.title for i in items] == [
        "Kyiv and Moscow swap 150 prisoners each in a brokered deal",
        "Drone debris sparks a fire at an Odesa port warehouse",
        "Talks end - Harbour Gazette",
        "Ministers meet in Brussels on air defence - Meridian Report",
    ]
    assert [i.body for i in items] == [
        "",
        "",
        "Delegations left without a date for the next round, both sides said.",
        "",
    ]


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("<source><title>Harbour Gazette</title><id>tag:h</id></source>", "Harbour Gazette"),
        ("<source><title>First</title><title>Second</title></source>", "First"),
        ("<source><id>tag:h</id></source>", None),
    ],
)
def test_an_atom_entrys_source_names_its_outlet_as_feedparser_reads_it(
    source: str, named: str | None
) -> None:
    data = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Search</title><id>tag:s</id>'
        "<updated>2025-06-03T09:00:00Z</updated><entry><title>Grain ship leaves Odesa port</title>"
        '<link href="https://search.example/b1"/><id>tag:b1</id>'
        f"<updated>2025-06-03T09:00:00Z</updated>{source}</entry></feed>"
    ).encode()
    fast = feeds._fast_feed(data, None)
    slow = feeds._feedparser_feed(data, None)
    assert fast is not None and not isinstance(slow, str)
    assert fast[2][0].outlet == slow[2][0].outlet == named


def _briefing(
    data: bytes, tmp_path: Path, cli: Callable[..., tuple[int, str, str]], write_config
) -> str:  # type: ignore[no-untyped-def]
    """The Markdown briefing of 3 June 2025 built from the feed `data` alone."""
    feed = tmp_path / "search.xml"
    feed.write_bytes(data)
    source = {"name": "search", "type": "feed", "path": str(feed)}
    config = str(write_config({"sources": [source], "database": f"sqlite:///{tmp_path}/b.db"}))
    code, _, err = cli("build", "--config", config, "--date", "2025-06-03", "--format", "md")
    assert code == 0, err
    return (tmp_path / "out" / "2025-06-03" / "briefing-2025-06-03.md").read_text("utf-8")


def test_a_briefing_of_an_aggregator_feed_counts_and_links_each_outlet(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], write_config
) -> None:
    text = _briefing(AGGREGATED, tmp_path, cli, write_config)
    assert "2 items, 2 stories, 2 outlets" in text  # (two items name no topic: left out)
    assert "Source: [Harbour Gazette](https://search.example/a1)" in text
    assert "### Kyiv and Moscow swap 150 prisoners each in a brokered deal\n" in text
    # the headline is not printed again as the story's summary
    assert text.count("Kyiv and Moscow swap 150 prisoners") == 2  # key developments, heading


def test_an_outlets_own_feed_loses_its_name_after_the_title() -> None:
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Harbour Gazette</title><link>https://harbour.example/</link>"
        + _item(
            "Grain convoy reaches Izmail port | Harbour Gazette",
            "https://harbour.example/c1",
            "The convoy of 40 trucks arrived on Tuesday morning, port officials said.",
        )
        + _item("Opinion | Harbour Gazette", "https://harbour.example/c2", "A column.", hour=10)
        + "</channel></rss>"
    ).encode()
    items = parse_feed(Document("own.xml", data), SOURCE, CTX).items
    assert [i.title for i in items] == [
        "Grain convoy reaches Izmail port",
        "Opinion | Harbour Gazette",  # too little would be left
    ]


def test_a_listing_of_related_headlines_is_not_printed_as_the_summary(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], write_config
) -> None:
    """A news search's "full coverage" entry lists its own headline and related ones from
    other outlets: no sentence of it is a summary, and the headline is not printed twice."""
    listing = (
        "&lt;ol&gt;&lt;li&gt;&lt;a href='https://search.example/d1'&gt;Kyiv and Moscow swap"
        " 150 prisoners each in a brokered deal&lt;/a&gt;&amp;nbsp;&lt;font&gt;Harbour Gazette"
        "&lt;/font&gt;&lt;/li&gt;&lt;li&gt;&lt;a href='https://search.example/d2'&gt;Ukrainian"
        " soldiers come home in the latest exchange&lt;/a&gt;&amp;nbsp;&lt;font&gt;Lindenfeld"
        " Times&lt;/font&gt;&lt;/li&gt;&lt;/ol&gt;"
    )
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Search</title>'
        + _item(
            "Kyiv and Moscow swap 150 prisoners each in a brokered deal - Harbour Gazette",
            "https://search.example/d1",
            listing,
            '<source url="https://harbour.example">Harbour Gazette</source>',
        )
        + "</channel></rss>"
    ).encode()
    text = _briefing(data, tmp_path, cli, write_config)
    assert text.count("Kyiv and Moscow swap 150 prisoners") == 2  # key developments, heading
    assert "\n\nSource: [Harbour Gazette](https://search.example/d1)" in text
