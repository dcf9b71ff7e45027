"""Shortcuts in text cleaning and feed reading give what the long way gives, on real text (the
samples, the peer suites, the public corpora where present) and on generated text: markup read
without nh3, plain titles, paragraphs split without a regular expression, an item's distinct
words, RFC 822 times read without email.utils, namespace and base declarations found by their
word, the declared encoding found without backtracking."""

from __future__ import annotations

import gzip
import html
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import nh3
from feedparser.encodings import RE_XML_PI_ENCODING
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.models import Item
from briefing.pipeline.collect import _distinct
from briefing.sources.feedrules import _XMLNS, declarations, declared_encoding, names_a_base
from briefing.text import similarity
from briefing.text.clean import (
    _BLOCK,
    _easy_text,
    html_to_text,
    plain,
    title_text,
    truncate,
)
from briefing.text.similarity import terms
from briefing.text.stamps import in_range, parse_timestamp

from conftest import ROOT, SHARED, shared

CORPORA = Path("/work/corpora")
FEEDS = [*(ROOT / "samples").glob("*.xml"), *(SHARED / "peer-tests").rglob("*.xml")]
FEEDS += [p for p in CORPORA.glob("*/**/*") if p.suffix in (".xml", ".rss", ".atom", ".rdf")]
PAGES = sorted(CORPORA.glob("*/**/*.html"))[::7] + sorted(CORPORA.glob("*/**/*.html.gz"))[::7]
SETTINGS = settings(max_examples=3000, deadline=None, derandomize=True, database=None)


def _feed_texts() -> Iterator[str]:
    """Every title and text of every feed we have, as feedparser gives them (markup and all)."""
    for path in sorted(FEEDS):
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        for entry in parsed.entries:
            yield from (entry.get("title") or "", entry.get("summary") or "")
            yield from (c.get("value") or "" for c in entry.get("content") or [])
            yield entry.get("published") or entry.get("updated") or ""
    peer = shared("peer-tests")
    cases = json.loads((peer / "html5lib-sanitizer/tests1.dat").read_text("utf-8"))
    yield from (case["input"] for case in cases)
    for path in sorted((peer / "bleach").glob("*.test")):
        yield path.read_text("utf-8", "replace").split("\n--\n")[0]


def _page_parts() -> Iterator[str]:
    """Paragraphs and list items of real pages: markup as articles write it."""
    for path in PAGES:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        page = data.decode("utf-8", "replace")
        yield from re.findall(r"<(?:p|li|h[1-6])[\s>].*?</(?:p|li|h[1-6])>", page, re.S)[:40]


def _long_way(marked: str) -> str:
    return html.unescape(nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"}))


def _same_pass(markup: str) -> bool:
    """One cleaning pass both ways; whether the shortcut was taken."""
    marked = _BLOCK.sub(lambda m: "\n\n<" + m.group(1), markup)
    easy = _easy_text(marked)
    if easy is not None:
        assert easy == _long_way(marked), marked
    return easy is not None


def test_easy_markup_reads_as_nh3_reads_it_on_real_text() -> None:
    texts = [*_feed_texts(), *_page_parts()]
    taken = sum(_same_pass(text) for text in texts if "<" in text or "&" in text)
    print(f"{len(texts)} texts, the shortcut taken for {taken}")
    assert taken >= 500


_EASY_TAGS = ["a", "b", "br", "div", "p", "li", "ul", "em", "strong", "i", "h2", "hr", "img",
              "span", "q", "s", "u", "dd", "dt", "small", "sub", "time"]  # fmt: skip
_OTHER_TAGS = ["table", "td", "pre", "script", "style", "title", "textarea", "svg", "template",
               "image", "nobr", "select"]  # fmt: skip
_TEXT = [
    "Kyiv", " ", "\n", "\t", "a>b", "é", "\xa0", "\u2028", "\x0c", "\r", "\x00", "\x85", "\ufeff",
    "\ufffe", "\U0001f600", "&amp;", "&lt;", "&eacute;", "&#8217;", "&#x27;", "&#0;", "&#1;",
    "&#13;", "&#128;", "&#xD800;", "&#x110000;", "&notin;", "&not", "&AMP;", "&Amp;", "&nbsp;",
    "&apos;", "&#10;", "&x;", "&", "<", "< p>", "</", "<!-- c -->", "<?x?>", "'", '"', "=", "/",
]  # fmt: skip
_ATTRIBUTES = ["", " class='x'", ' href="/a?b=1"', ' title="a>b"', " data-x", " x = 'y'", " /"]


@st.composite
def _markup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 16))):
        kind = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(_EASY_TAGS if kind < 4 else _OTHER_TAGS))
        if kind in (0, 4):
            parts.append(f"<{tag.upper() if kind else tag}{draw(st.sampled_from(_ATTRIBUTES))}>")
        elif kind in (1, 5):
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(_TEXT)))
        else:
            alphabet = st.characters(blacklist_characters="<&", blacklist_categories=["Cs"])
            parts.append(draw(st.text(alphabet, max_size=4)))
    return "".join(parts)


@SETTINGS
@given(_markup())
def test_easy_markup_reads_as_nh3_reads_it(markup: str) -> None:
    _same_pass(markup)


@SETTINGS
@given(st.text(st.sampled_from("ab  \t\n\r\x0b\x1f\x7f\x00é<&;"), max_size=30), st.integers(0, 3))
def test_plain_titles_read_as_the_long_way_reads_them(text: str, repeat: int) -> None:
    title = text * (1 + repeat * 300)  # past the cuts too
    assert title_text(title) == truncate(" ".join(html_to_text(title, 2000).split()), 500)


def test_plain_titles_read_as_the_long_way_reads_them_on_real_text() -> None:
    for text in _feed_texts():
        assert title_text(text) == truncate(" ".join(html_to_text(text, 2000).split()), 500)


_OTHER = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u2028\u2029\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001-\U000e007f\U000f0000-\U0010ffff]"
)
_INVISIBLE = dict.fromkeys(
    [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF, 0x00AD], None
)


def _other(match: re.Match[str]) -> str:
    return " " if unicodedata.category(match.group())[0] == "C" else match.group()


def _plain_the_long_way(text: str, limit: int, keep_paragraphs: bool) -> str:
    """plain() as it was: every character class scanned, every non-ASCII character's category
    looked up, paragraphs split by a pattern."""
    if text.isascii():
        text = _OTHER.sub(" ", text)
    else:
        text = _OTHER.sub(" ", unicodedata.normalize("NFC", text).translate(_INVISIBLE))
        text = re.sub(r"[^\x00-\x7f]", _other, text)
    if keep_paragraphs:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
        text = "\n\n".join(p for p in paras if p)
    else:
        text = " ".join(text.split())
    return truncate(text, limit)


_SPACES = (
    "ab \n\t\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u2029\u3000\u200bé\x00\x7f\x9f\ue000"
    "жї’\xad\u0301\u0378\u2064\u180e\U000e0080\U0001f600\U000110bd\U000e0001\U000f0001"
)


@SETTINGS
@given(st.text(st.sampled_from(_SPACES), max_size=40), st.booleans(), st.integers(5, 50))
def test_plain_text_is_tidied_as_the_long_way_tidies_it(text: str, paras: bool, limit: int) -> None:
    assert plain(text, limit, paras) == _plain_the_long_way(text, limit, paras)


def test_plain_text_is_tidied_as_the_long_way_tidies_it_on_real_text() -> None:
    for text in [*_feed_texts(), *_page_parts()]:
        for paras in (True, False):
            assert plain(text, 40_000, paras) == _plain_the_long_way(text, 40_000, paras)


def _item(title: str, body: str) -> Item:
    when = datetime(2025, 5, 28, 12, tzinfo=UTC)
    return Item(f"{title}|{body}", "wire", "Wire", None, title, body, when, when)


_WORDS = st.sampled_from(
    ["Kyiv", "talks", "the", "a", "’s", "'s", "U.S.", "-", "_", ".", "3", "42", "co-op", "ß", "İ",
     "Ⅻ", "٣", " ", "\n", "\t", "\xa0", "\u1680", "\x1c", "\u2028", "STOPS", "ties", "bus"]
)  # fmt: skip


@SETTINGS
@given(st.lists(_WORDS, max_size=12).map("".join), st.lists(_WORDS, max_size=40).map("".join))
def test_an_items_distinct_words_are_the_words_terms_counts(title: str, body: str) -> None:
    item = _item(title, body)
    for lead in (0, 3, 100):
        assert _distinct(item, lead) == set(terms(item, lead))


def test_an_items_distinct_words_are_the_words_terms_counts_on_real_text() -> None:
    texts = [plain(text, 40_000, True) for text in _feed_texts()]
    for title, body in zip(texts[::2], texts[1::2], strict=False):
        item = _item(title, body)
        assert _distinct(item, 100) == set(terms(item, 100))


def test_distinct_words_are_the_same_once_no_more_pieces_are_remembered() -> None:
    # pieces never read before, most of several words ("Kyiv/viyK"), in a process that has
    # read a great deal: none is remembered any more
    texts = [
        " ".join(f"{p}/{p[::-1]}" for p in plain(t, 40_000, True).split()) for t in _feed_texts()
    ]
    items = [_item(t, b) for t, b in zip(texts[::2], texts[1::2], strict=False)]
    limit = similarity.MAX_PIECES
    similarity.MAX_PIECES = 0
    try:
        for item in items:
            assert _distinct(item, 100) == set(terms(item, 100))
    finally:
        similarity.MAX_PIECES = limit


def _stamp_the_long_way(value: str) -> tuple[datetime | None, bool]:
    value = value.strip()
    day_only = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
    try:
        result = datetime.fromisoformat(value.replace("z", "Z"))
        result = result.replace(hour=12) if day_only else result
    except ValueError:
        try:
            result = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None, False
    result = result if result.tzinfo else result.replace(tzinfo=UTC)
    return (result, day_only) if in_range(result) else (None, False)


def _same_stamp(value: str) -> None:
    got, expected = parse_timestamp(value), _stamp_the_long_way(value)
    assert got == expected, value
    if got[0] is not None:  # the same offset, not only the same moment
        assert got[0].utcoffset() == expected[0].utcoffset(), value


@SETTINGS
@given(
    st.sampled_from(["", "Wed, ", "wed, ", "Xyz, ", "Wed,", "Wednesday, "]),
    st.sampled_from(["1", "28", "31", "30", "00", "7", "٢"]),
    st.sampled_from(["May", "Feb", "may", "MAY", "Sept", "June"]),
    st.sampled_from(["2025", "1989", "0099", "2101", "9999", "25"]),
    st.sampled_from(["20:14:00", "23:59:60", "24:00:00", "07:05:09", "7:05:09", "20:14"]),
    st.sampled_from(
        ["+0000", "-0000", "+0530", "-0800", "+2400", "+0099", "GMT", "UT", "EST", "Z"]
    ),
    st.sampled_from([" ", "  ", "\t"]),
)
def test_rfc_822_times_read_as_email_utils_reads_them(
    weekday: str, day: str, month: str, year: str, clock: str, zone: str, space: str
) -> None:
    _same_stamp(f"{weekday}{day} {month} {year} {clock} {zone}")
    _same_stamp(f"{weekday}{day}{space}{month} {year} {clock}{space}{zone}")


def test_rfc_822_times_read_as_email_utils_reads_them_on_real_feeds() -> None:
    stamps = [text for text in _feed_texts() if len(text) < 60]
    for stamp in stamps:
        _same_stamp(stamp)
    assert sum(bool(re.match(r"\w{3}, \d", s)) for s in stamps) >= 20


_DECLARING = st.sampled_from(
    [" xmlns", "xmlns", ":dc", "=", " = ", '"http://purl.org/dc/elements/1.1/"', "'x'", '"', "'",
     " ", "\t", "a", ">", "<rss", " base", "BASE", "xml:", ":base", " Base =", "\n", "/"]
)  # fmt: skip


@SETTINGS
@given(st.lists(_DECLARING, max_size=14).map("".join))
def test_declarations_are_found_as_the_pattern_finds_them(text: str) -> None:
    body = text.encode("utf-8")
    assert declarations(body) == _XMLNS.findall(body), body
    assert names_a_base(body) == bool(re.search(rb"[\s:]base\s*=", body, re.I)), body


_DECLARATION = st.sampled_from(
    [b"?>", b"encoding=", b"encoding='", b'encoding="', b"'", b'"', b"utf-8", b"\n", b" ", b"?",
     b">", b"=", b"?>'", b"'?>", b"<?"]
)  # fmt: skip


@SETTINGS
@given(st.booleans(), st.lists(_DECLARATION, max_size=10).map(b"".join))
def test_the_declared_encoding_is_found_as_feedparser_finds_it(head: bool, rest: bytes) -> None:
    data = b"<?" + rest if head else rest
    found = RE_XML_PI_ENCODING.match(data)
    assert declared_encoding(data) == (found.group(1) if found else None), data


def test_declarations_are_found_as_the_pattern_finds_them_on_real_feeds() -> None:
    for path in sorted(FEEDS):
        body = path.read_bytes()
        found = RE_XML_PI_ENCODING.match(body)
        assert declared_encoding(body) == (found.group(1) if found else None), path
        assert declarations(body) == _XMLNS.findall(body), path
        assert names_a_base(body) == bool(re.search(rb"[\s:]base\s*=", body, re.I)), path
