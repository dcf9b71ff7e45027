"""The fast feed reader (lxml) gives exactly what feedparser gives, or steps aside.

One test reads every feed we have both ways — feedparser's own sanitiser suite, the feeds
built from bleach's and html5lib's cases, the samples, the hostile suite's feeds and, where
they are present, two public corpora of real feeds — each as a local file and as a fetched
document, and compares the entries field by field and the stored items whole. The others show
that a feed the reader does not know goes to feedparser, that a failure part-way gives the
whole document to feedparser (nothing lost, nothing twice), and that the plain-markup shortcut
keeps what feedparser's sanitiser keeps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from feedparser.sanitizer import _sanitize_html
from feedparser.urls import resolve_relative_uris
from hostile.conftest import entry, rss
from hostile.test_feeds import CASES, Ctx
from hostile.test_peer_suites import _bleach_and_html5lib, _rss
from hostile.test_render import hostile_feed
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.sources import Document, FeedSource, ParseContext, fastfeed, feeds
from briefing.sources.feedrules import SIMPLE_TAGS, plain_markup
from briefing.sources.feeds import first_entries, parse_feed
from briefing.text.clean import html_to_text, title_text

from conftest import ROOT, shared

CTX = ParseContext(captured=datetime(2025, 5, 28, 12, tzinfo=UTC), zone=ZoneInfo("Europe/Kyiv"))
SOURCE = FeedSource(name="wire", type="feed", path="wire.xml")
FETCHED = "https://feeds.example.org/world/rss.xml"
CORPORA = {
    "netnewswire": Path("/work/corpora/netnewswire/Modules/RSParser/Tests/RSParserTests/Resources"),
    "feed-rs": Path("/work/corpora/feed-rs/feed-rs/fixture"),
}
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")


def _shipped(tmp_path: Path) -> Iterator[tuple[str, bytes]]:
    """The samples and the hostile suite's feeds."""
    for path in sorted((ROOT / "samples").glob("*.xml")):
        yield path.name, path.read_bytes()
    secret = tmp_path / "secret.txt"
    secret.write_text("c4n4ry")
    ctx = Ctx(tmp_path, "http://127.0.0.1:9", secret)
    for case in CASES:
        yield f"hostile/{case.id}", case.make(ctx)
    yield "hostile/good", rss([entry(n, link=f"https://good.example/{n}") for n in range(3)])
    hostile_feed(tmp_path / "render.xml")
    yield "hostile/render", (tmp_path / "render.xml").read_bytes()


def _peer() -> Iterator[tuple[str, bytes]]:
    """The peer suites: feedparser's sanitiser cases, and bleach's and html5lib's as a feed."""
    peer = shared("peer-tests")
    yield "peer/bleach-html5lib", _rss(_bleach_and_html5lib()).encode("utf-8")
    for path in sorted((peer / "feedparser-sanitize").glob("*.xml")):
        yield f"peer/{path.name}", path.read_bytes()


def _corpus(name: str) -> Iterator[tuple[str, bytes]]:
    folder = CORPORA[name]
    if not folder.exists():
        pytest.skip(f"{folder} is not present (a public corpus, never copied into the repo)")
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in FEED_SUFFIXES:
            yield f"{name}/{path.relative_to(folder)}", path.read_bytes()


def _same_entries(name: str, data: bytes, url: str | None) -> tuple[bool, int]:
    """Compare the fast reader with feedparser on one document: (taken, entries compared)."""
    cut, _ = first_entries(data, SOURCE.max_items)
    fast = feeds._fast_feed(cut, url)
    if fast is None:
        return False, 0
    slow = feeds._feedparser_feed(cut, url)
    assert not isinstance(slow, str), name
    where = f"{name} ({url or 'local'})"
    assert title_text(fast[0]) == title_text(slow[0]), where
    assert fast[1] == slow[1], where  # the feed's link, a base of relative entry links
    assert fast[3] == slow[3], where
    assert len(fast[2]) == len(slow[2]), where
    for mine, theirs in zip(fast[2], slow[2], strict=True):
        assert (mine.link, mine.guid, mine.lang) == (theirs.link, theirs.guid, theirs.lang), where
        assert (mine.published, mine.date_only) == (theirs.published, theirs.date_only), where
        assert title_text(mine.title) == title_text(theirs.title), where
        assert title_text(mine.outlet or "") == title_text(theirs.outlet or ""), where
        assert html_to_text(mine.body) == html_to_text(theirs.body), where
    doc = Document(name, data, url=url)
    with mock.patch.object(feeds, "_fast_feed", lambda data, url: None):
        expected = parse_feed(doc, SOURCE, CTX)
    got = parse_feed(doc, SOURCE, CTX)
    assert (got.items, got.warnings, got.refused) == (
        expected.items,
        expected.warnings,
        expected.refused,
    ), where
    return True, len(fast[2])


@pytest.mark.parametrize("feeds_of", ["shipped", "peer", *CORPORA])
def test_fast_reader_gives_feedparsers_entries_on_every_feed(feeds_of: str, tmp_path) -> None:
    """Every document, local and fetched: where the fast reader takes it, the same entries
    (links, guids, times, languages exactly; titles and texts once cleaned) and the same stored
    items, warnings and refusals as feedparser alone. The corpora are read where present."""
    if feeds_of == "shipped":
        documents = _shipped(tmp_path)
    else:
        documents = _peer() if feeds_of == "peer" else _corpus(feeds_of)
    counts: Counter[str] = Counter()
    for name, data in documents:
        for url in (None, FETCHED):
            taken, entries = _same_entries(name, data, url)
            counts["documents"] += 1
            counts["fast"] += taken
            counts["entries"] += entries
    print(f"{feeds_of}: {dict(counts)}")
    assert counts["fast"] >= counts["documents"] // 3  # the reader takes many; none differ
    assert counts["entries"] >= 40


UNKNOWN = {
    "rss-1.0": (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://x.example/">'
        b"<title>T</title></channel><item rdf:about='https://x.example/1'><title>One</title>"
        b"<link>https://x.example/1</link></item></rdf:RDF>"
    ),
    "rss-0.91": (
        b'<?xml version="1.0"?><rss version="0.91"><channel><title>T</title><item><title>One'
        b"</title><link>https://x.example/1</link></item></channel></rss>"
    ),
    "atom-0.3": (
        b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title><entry>'
        b'<title>One</title><link rel="alternate" href="https://x.example/1"/></entry></feed>'
    ),
    "doctype": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY w "World">]><rss version="2.0"><channel>'
        b"<title>T</title><item><title>One &w;</title></item></channel></rss>"
    ),
    "latin-1": (
        b'<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>T'
        b"</title><item><title>Caf\xe9 talks</title></item></channel></rss>"
    ),
    "broken": b'<rss version="2.0"><channel><title>T</title><item><title>One</item></rss>',
    "odd-namespace": (
        b'<rss version="2.0" xmlns:x="http://example.org/ns"><channel><title>T</title><item '
        b'xmlns:y="http://example.org/ns"><title>One</title><y:note>Two</y:note></item>'
        b"</channel></rss>"
    ),
    "xhtml-content": (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>One</title>'
        b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Text</p></div>'
        b"</content></entry></feed>"
    ),
}


@pytest.mark.parametrize("kind", UNKNOWN, ids=list(UNKNOWN))
def test_a_feed_the_reader_does_not_know_goes_to_feedparser(kind: str) -> None:
    data = UNKNOWN[kind]
    with pytest.raises(fastfeed.Unsure):
        fastfeed.read(data)
    with mock.patch.object(
        feeds, "_feedparser_feed", wraps=feeds._feedparser_feed
    ) as feedparser_read:
        parsed = parse_feed(Document(f"{kind}.xml", data), SOURCE, CTX)
    feedparser_read.assert_called_once()
    assert parsed.items or kind == "broken" or parsed.warnings


def test_a_failure_part_way_gives_the_whole_document_to_feedparser() -> None:
    """The fast reader fails at the third of five entries: feedparser reads the document from
    the start, and each entry is stored once."""
    data = rss([entry(n) for n in range(5)])
    with mock.patch.object(feeds, "_fast_feed", lambda data, url: None):
        expected = parse_feed(Document("wire.xml", data), SOURCE, CTX)
    real = fastfeed._Reader.entry
    seen = []

    def failing(self, element, depth):
        seen.append(element)
        if len(seen) == 3:
            raise ValueError("a fault in the middle of the document")
        return real(self, element, depth)

    with mock.patch.object(fastfeed._Reader, "entry", failing):
        parsed = parse_feed(Document("wire.xml", data), SOURCE, CTX)
    assert len(seen) == 3
    assert parsed.items == expected.items and len(parsed.items) == 5
    assert len({item.id for item in parsed.items}) == 5
    assert (parsed.warnings, parsed.refused) == (expected.warnings, expected.refused)
    assert fastfeed.read(data).entries  # and untouched, the fast reader takes this document


_TAG = st.sampled_from(sorted(SIMPLE_TAGS))
_WORDS = st.sampled_from(["Kyiv", "talks", " ", "\n", "&amp;", "&eacute;", "&#8217;", "é", "a>b"])
_ATTRIBUTE = st.sampled_from(["", ' href="/x?a=1&amp;b=2"', " class='lead'", ' title="five"'])


@st.composite
def _plain_markup(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(_TAG)
        choice = draw(st.integers(0, 2))
        if choice == 0:
            parts.append(f"<{tag}{draw(_ATTRIBUTE)}>")
        elif choice == 1 and tag not in ("br", "hr", "img", "col"):
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(_WORDS))
    return "".join(parts)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_plain_markup())
def test_plain_markup_keeps_what_feedparsers_sanitiser_keeps(markup: str) -> None:
    """The shortcut the fast reader takes: for plain markup, skipping feedparser's link
    resolver and sanitiser changes nothing our cleaning keeps."""
    assert plain_markup(markup), markup
    resolved = resolve_relative_uris(markup, FETCHED, "utf-8", "text/html")
    kept = _sanitize_html(resolved, "utf-8", "text/html")
    assert html_to_text(markup) == html_to_text(kept)
    assert title_text(markup) == title_text(kept)


@pytest.mark.parametrize(
    "markup",
    ["<script>x</script>", "<!-- c -->", "a < b", "&notit;", "<p/>", "</br>", "<iframe>", "&#0;"],
)
def test_markup_that_is_not_plain_goes_through_feedparsers_sanitiser(markup: str) -> None:
    assert not plain_markup(markup)
