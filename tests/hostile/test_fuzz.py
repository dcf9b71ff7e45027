"""Property-based fuzzing (hypothesis) of feed ingestion, the clipping parser and the
renderers: no exception escapes, every item is sane (a title, fields within their limits,
dates in 1990-2100, no control or invisible characters, links http(s) or none) and no output
holds active content. The profile is fixed (derandomized, no example database) so CI runs the
same examples every time; tests/test_clipping.py holds the clipping parser's text-level
property test, this file adds raw bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.models import Briefing, Item, Section, Sentence, SourceLine, Story
from briefing.render import Templates, render_email, render_html, render_json, render_markdown
from briefing.sources import ClippingSource, Document, FeedSource, ParseContext
from briefing.sources.feeds import parse_feed
from briefing.text.clean import html_to_text, title_text
from briefing.text.identity import safe_url

from .invariants import SAFE_LINK, SCRIPT, UNSAFE_TEXT, audit_html, audit_json, audit_markdown

FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CTX = ParseContext(captured=datetime(2025, 5, 28, 12, tzinfo=UTC), zone=ZoneInfo("Europe/Kyiv"))
FEED = FeedSource(name="fuzz", type="feed", path="fuzz.xml")
CLIPPING = ClippingSource(name="fuzz", type="clipping", path="fuzz.txt", captured="2025-06-02")

# Pieces hostile feeds are made of: markup, entities, schemes, controls, bidi, huge runs.
NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "&lt;script&gt;",
        "&amp;lt;script&amp;gt;",
        "&#x3C;script&#x3E;",
        "javascript:alert(1)",
        " JaVaScRiPt:x",
        "vbscript:msgbox",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "<a href='javascript:x'>a</a>",
        "<svg onload=alert(1)>",
        "<style>@import url(http://127.0.0.1:9/x)</style>",
        "]]>",
        "<![CDATA[<script>x</script>]]>",
        "{{ 7*7 }}",
        "{% raw %}",
        "'; DROP TABLE items; --",
        "\x00\x01\x07\x1b[31m\x7f\x85",
        "\u202e\u2066\u200b\ufeff\u2028",
        "\ud800",
        "&#0;&#1;&#xFFFE;&#xD800;",
        "Kyiv",
        "Ceasefire talks in Istanbul",
        "x" * 600,
        "<div>" * 300,
    ]
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=40)), max_size=8).map("".join)
DATES = st.one_of(
    st.sampled_from(
        [
            "Wed, 28 May 2025 10:00:00 +0300",
            "2025-05-28T10:00:00Z",
            "Fri, 31 Dec 9999 23:59:59 +0000",
            "Mon, 01 Jan 0001 00:00:00 GMT",
            "Thu, 31 Feb 2025 10:00:00 +0000",
            "2025-05-28T25:61:00Z",
            "-1",
            "",
        ]
    ),
    st.text(max_size=30),
)

pytestmark = pytest.mark.slow  # real processes, servers, PDF layouts or fuzzing


def assert_sane(item: Item) -> None:
    assert item.title.strip() and "\n" not in item.title
    assert len(item.title) <= 500 and len(item.body) <= 20_000
    for field in (item.title, item.body, item.outlet):
        assert not UNSAFE_TEXT.search(field), repr(field[:80])
        assert not SCRIPT.search(field), repr(field[:80])
    if item.published is not None:
        assert datetime(1990, 1, 1, tzinfo=UTC) <= item.published < datetime(2101, 1, 1, tzinfo=UTC)
    assert item.url is None or SAFE_LINK.match(item.url), item.url


def _xml(value: str) -> str:
    """Feed text as a publisher would write it: escaped, with XML-illegal characters left in
    (hostile feeds do, and then only the lenient parser reads them)."""
    return escape(value.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))


@FUZZ
@given(
    entries=st.lists(st.tuples(TEXT, TEXT, TEXT, DATES), max_size=6),
    channel=TEXT,
    wrap=st.sampled_from(["rss", "atom", "json"]),
)
def test_feed_ingestion_never_raises_and_items_are_sane(entries, channel, wrap) -> None:
    if wrap == "json":
        import json

        data = json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": channel,
                "items": [
                    {"title": t, "content_html": b, "url": link, "date_published": d}
                    for t, b, link, d in entries
                ],
            }
        ).encode("utf-8", "surrogatepass")
    elif wrap == "atom":
        body = "".join(
            f"<entry><title type='html'>{_xml(t)}</title><link href='{_xml(link)}'/>"
            f"<content type='html'>{_xml(b)}</content><updated>{_xml(d)}</updated></entry>"
            for t, b, link, d in entries
        )
        data = (
            f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{_xml(channel)}</title>{body}</feed>"
        ).encode("utf-8", "surrogatepass")
    else:
        body = "".join(
            f"<item><title>{_xml(t)}</title><link>{_xml(link)}</link>"
            f"<description>{_xml(b)}</description><pubDate>{_xml(d)}</pubDate></item>"
            for t, b, link, d in entries
        )
        data = (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{_xml(channel)}</title>"
            f"{body}</channel></rss>"
        ).encode("utf-8", "surrogatepass")
    parsed = parse_feed(Document("fuzz.xml", data), FEED, CTX)
    for item in parsed.items:
        assert_sane(item)


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_are_a_warning_or_sane_items(data: bytes) -> None:
    for prefix in (b"", b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>"):
        parsed = parse_feed(Document("fuzz.xml", prefix + data), FEED, CTX)
        for item in parsed.items:
            assert_sane(item)
    clipped = CLIPPING.parse(Document("fuzz.txt", data), CTX)
    for item in clipped.items:
        assert_sane(item)


DAY = date(2025, 5, 28)
START = datetime(2025, 5, 28, tzinfo=UTC)
TEMPLATES = Templates(None, ZoneInfo("UTC"))


def _item(n: int, title: str, body: str, link: str) -> Item:
    url = safe_url(link)
    headline = title_text(title) or f"Item {n}"
    return Item(
        id=f"i{n}",
        source="fuzz",
        outlet=title_text(title)[:40] or "Outlet",
        url=url,
        title=headline,
        body=html_to_text(body),
        published=START + timedelta(hours=n % 24),
        captured=START,
    )


@FUZZ
@given(stories=st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=5), title=TEXT)
def test_renderers_never_emit_active_content(stories, title) -> None:
    """Cleaned hostile text in every field a template prints: Markdown, HTML, email HTML and
    JSON stay inert (the PDF is the HTML, audited in test_render)."""
    made = []
    for n, (t, b, link) in enumerate(stories):
        item = _item(n, t, b, link)
        sentence = Sentence(item.body[:200] or item.title, item.id, item.url, item.outlet)
        made.append(Story(f"s{n}", item.title, [item], [sentence], START, False, ["all"], "all"))
    briefing = Briefing(
        date=DAY,
        title=title_text(title) or "Briefing",
        timezone="UTC",
        window_start=START,
        window_end=START + timedelta(days=1),
        sections=[Section("all", "Everything", stories=made)],
        sources=[SourceLine("fuzz", title_text(title)[:40], len(made), "ok")],
        item_count=len(made),
        story_count=len(made),
        outlet_count=1,
        dropped=0,
        generated_at=START,
        version="0",
    )
    assert audit_markdown(render_markdown(briefing, TEMPLATES)) == []
    assert audit_html(render_html(briefing, TEMPLATES)) == []
    assert audit_html(render_email(briefing, TEMPLATES), allow_style=True) == []
    assert audit_json(render_json(briefing)) == []
