"""The `clipping` source: the two real captures in ../shared/seeds (read at run time, never
copied), the date and headline rules on made-up text, random text, and a build through the CLI."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.models import Item
from briefing.sources import ClippingSource, Document, ParseContext
from briefing.sources.clipping import (
    detect_layout,
    drop_repeat,
    live_blog_posts,
    tidy,
)
from briefing.sources.headlines import headline_boundary, split_headline
from briefing.text.dates import (
    Reference,
    When,
    find_stamps,
    noon,
    parse_clock,
    parse_when,
    reference,
)

from conftest import ROOT, SHARED, shared

SEEDS = SHARED / "seeds"
LISTING = SEEDS / "000_7539d3e26e88a2b1.txt"
LIVE = SEEDS / "002_d5f39e31398a6eb5.txt"
LONDON = ZoneInfo("Europe/London")
KYIV = ZoneInfo("Europe/Kyiv")
RUN = datetime(2025, 6, 3, 7, 0, tzinfo=UTC)

needs_seeds = pytest.mark.usefixtures("seeds")


@pytest.fixture
def seeds() -> Path:
    """../shared/seeds (a skip without it, a failure in CI)."""
    return shared("seeds")


LIVE_BLOG_POSTS = [  # (London time or None, headline) in page order, newest first
    ("12:30", "Putin foreign policy aide: Trump not … in Ukraine (14 words)"),
    ("12:09", "Putin wants written statement ruling out Ukraine's Nato membership, sources say"),
    ("11:46", "Kremlin on Trump's 'playing with fire' … for Putin (12 words)"),
    ("11:20", "Zelensky says Moscow proposed 'impossible' Belarus location for next talks"),
    ("11:19", "Merz welcomes Zelensky to Berlin"),
    ("10:45", "Russian backlash over Merz's long-range missile comments"),
    ("10:30", "Could Germany take a larger role in supporting Ukraine?"),
    ("10:13", "Zelensky arrives in Berlin for peace talks with Merz"),
    ("10:00", "Homes burn near Moscow after drone strikes"),
    (None, "Zelensky ready for meeting between 'Trump, Putin and me', report says"),
]


def parse(
    data: bytes | Path,
    *,
    zone: ZoneInfo = KYIV,
    modified: datetime | None = None,
    **options: Any,
) -> tuple[list[Item], list[str]]:
    """Run the parser as collect does: one document, one source, one run context."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    source = ClippingSource.model_validate({"name": "desk", "type": "clipping", **options})
    doc = Document("clip.txt", raw, modified=modified)
    parsed = source.parse(doc, ParseContext(captured=RUN, zone=zone))
    return parsed.items, parsed.warnings


def abridged(title: str) -> str:
    """A long headline as its first six and last two words and its length, so expectations
    about the seeds need not repeat their sentences in this file."""
    words = title.split()
    if len(words) <= 11:
        return title
    return f"{' '.join(words[:6])} … {' '.join(words[-2:])} ({len(words)} words)"


def fold(text: str) -> str:
    """Curly quotes to straight ones, for comparing with headlines typed on a keyboard."""
    return text.translate(str.maketrans("‘’“”", "''\"\""))


# --- the listing seed ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def listing() -> list[Item]:
    shared("seeds", LISTING.name)
    items, warnings = parse(LISTING, captured="2025-06-02", timezone="Europe/London")
    assert warnings == []
    return items


def test_listing_seed_gives_five_entries_and_ten_live_blog_posts(listing: list[Item]) -> None:
    assert len(listing) == 14
    outlets = [item.outlet for item in listing]
    assert outlets == ["Daily Mail", "CNN"] + ["The Independent"] * 10 + [
        "The Guardian",
        "Russia Today",
    ]
    days = {item.outlet: item.published.date() for item in listing if item.published}
    assert days == {
        "Daily Mail": date(2025, 5, 30),  # "3 days ago" before 2 June
        "CNN": date(2025, 5, 29),
        "The Independent": date(2025, 5, 28),
        "The Guardian": date(2025, 5, 25),  # "25-05-2025", day first
        "Russia Today": date(2025, 5, 24),
    }
    for item in listing:
        if item.outlet != "The Independent":
            assert item.date_only and item.published.hour == 12, item.title
        assert item.source == "desk" and item.url is None and item.captured == RUN
        assert "Leave a Reply" not in item.title + item.body


def test_live_blog_posts_have_their_stamps_and_headlines(listing: list[Item]) -> None:
    posts = [item for item in listing if item.outlet == "The Independent"]
    assert [
        (p.published.strftime("%H:%M") if not p.date_only else None, abridged(p.title))
        for p in posts
    ] == (LIVE_BLOG_POSTS)
    for post in posts:
        assert post.published.date() == date(2025, 5, 28)
        assert post.published.utcoffset() == timedelta(hours=1)  # printed in UK summer time
        assert post.body and post.body[0].isupper(), post.title
        assert not re.search(r"\d{1,2} May 2025", post.body), post.title  # stamps never text
    untimed = posts[-1]
    assert untimed.date_only and untimed.published.hour == 12
    assert not untimed.body.endswith("Angus Thompson")  # the cut-off stamp's author
    assert posts[0].body.startswith("Vladimir Putin's foreign policy aide has claimed")
    assert posts[8].body.startswith("These images show the aftermath")
    assert len({p.id for p in listing}) == 14


def test_live_blog_split_loses_no_text(listing: list[Item]) -> None:
    lines = LISTING.read_text(encoding="utf-8").splitlines()
    body = lines[lines.index("The Independent") + 5]
    expected = re.sub(r"[A-Z]\w+ [A-Z][a-z]+(?=\d)|\d{1,2} May 2025 \d\d:\d\d", " ", tidy(body))
    expected = expected.removesuffix("Angus Thompson")
    posts = [item for item in listing if item.outlet == "The Independent"]
    got = " ".join(f"{p.title} {p.body}" for p in posts)
    assert got.split() == expected.split()


def test_glued_playlist_and_repeated_headline_are_dropped(listing: list[Item]) -> None:
    cnn = next(item for item in listing if item.outlet == "CNN")
    assert cnn.title == "Trump says new Russia sanctions could hurt peace talks"
    assert cnn.body.startswith("President Donald Trump expressed concern")
    assert cnn.body.endswith("peace talks between the two nations.")
    for unwanted in ("Source: CNN", "Elon Musk", "Diddy", "SpaceX"):
        assert unwanted not in cnn.body


def test_loose_possessives_are_closed_up(listing: list[Item]) -> None:
    mail = listing[0]
    assert "Donald Trump's envoy" in mail.body and "Moscow's aggression" in mail.body
    assert " 's " not in " ".join(item.body for item in listing)


# --- the live seed ------------------------------------------------------------------------


@needs_seeds
def test_live_seed_gives_key_points_recap_and_headed_posts() -> None:
    items, warnings = parse(LIVE, outlet="BBC", captured="2025-02-20")
    assert warnings == []
    titles = [abridged(fold(item.title)) for item in items]
    assert titles == [
        "Russia-Ukraine peace talks — key points",
        "Russia-Ukraine peace talks — latest developments",
        "Poland's Tusk: 'Enough talking, it's time to act'",
        "Possible reasons for Kellog-Zelensky news conference cancellation",
        "Ramp up defence spending or get … head warns (13 words)",
    ]
    for item in items:
        assert item.outlet == "BBC"
        assert item.date_only and item.published == datetime(2025, 2, 20, 12, tzinfo=KYIV)
        text = item.title + item.body
        assert "Leave a Reply" not in text and "Your email address" not in text
        assert "Required fields" not in text and "•" not in text
    key_points, recap, tusk, _, rutte = items
    assert key_points.body.count("\n\n") == 4  # five bullets, one paragraph each
    assert key_points.body.startswith("White House national security adviser Mike Waltz")
    assert recap.body.startswith("US President Donald Trump")
    assert "Earlier on Thursday" in recap.body and "Viktor Yanukovych" in recap.body
    assert tusk.body.startswith("Poland’s Prime Minister Donald Tusk")
    assert rutte.body.endswith("he says.")


@needs_seeds
def test_auto_layout_tells_the_seeds_apart() -> None:
    ref = reference("2025-06-02", LONDON, None, RUN)
    for path, layout in ((LISTING, "listing"), (LIVE, "live")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert detect_layout(lines, ref) == layout
        auto, _ = parse(path, captured="2025-06-02")
        forced, _ = parse(path, captured="2025-06-02", layout=layout)
        assert [i.id for i in auto] == [i.id for i in forced]


@needs_seeds
def test_the_wrong_layout_gives_sane_items_or_a_warning() -> None:
    items, warnings = parse(LIVE, captured="2025-02-20", layout="listing")
    assert items == [] and warnings == ["clip.txt: no items found in the listing layout"]
    items, warnings = parse(LISTING, captured="2025-06-02", layout="live")
    assert items and warnings == []
    assert all(item.title and item.published for item in items)
    assert "Homes burn" not in " ".join(i.title for i in items)  # posts stay in their entry


# --- dates --------------------------------------------------------------------------------

# Monday 2 June 2025, captured at noon London time (a date alone).
REF = reference("2025-06-02", LONDON, None, RUN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 days ago", date(2025, 5, 30)),
        ("a day ago", date(2025, 6, 1)),
        ("two weeks ago", date(2025, 5, 19)),
        ("yesterday", date(2025, 6, 1)),
        ("Today", date(2025, 6, 2)),
        ("Earlier on Thursday", date(2025, 5, 29)),
        ("on Monday", date(2025, 6, 2)),  # the capture day itself
        ("Saturday", date(2025, 5, 31)),
        ("last Monday", date(2025, 5, 26)),
        ("Tuesday evening", date(2025, 5, 27)),
        ("25-05-2025", date(2025, 5, 25)),  # day first
        ("05/06/2024", date(2024, 6, 5)),
        ("2025-05-25", date(2025, 5, 25)),
        ("28 May 2025", date(2025, 5, 28)),
        ("Wednesday 28th May 2025", date(2025, 5, 28)),
        ("May 28, 2025", date(2025, 5, 28)),
        ("28 May", date(2025, 5, 28)),
        ("3 June", date(2024, 6, 3)),  # no year: the last 3 June on or before capture
        ("2 months ago", date(2025, 4, 2)),
    ],
)
def test_dates_that_name_only_a_day_are_noon_that_day(text: str, expected: date) -> None:
    assert parse_when(text, REF) == When(noon(expected, LONDON), True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28 May 2025 12:30", datetime(2025, 5, 28, 12, 30, tzinfo=LONDON)),
        ("28 May 2025, 9.05am", datetime(2025, 5, 28, 9, 5, tzinfo=LONDON)),
        ("May 28, 2025 at 4:10 pm", datetime(2025, 5, 28, 16, 10, tzinfo=LONDON)),
        ("2025-05-28T07:45", datetime(2025, 5, 28, 7, 45, tzinfo=LONDON)),
        ("Published: 28-05-2025 18:00", datetime(2025, 5, 28, 18, 0, tzinfo=LONDON)),
        ("28 May 2025 14:05 GMT", datetime(2025, 5, 28, 15, 5, tzinfo=LONDON)),
    ],
)
def test_printed_times_are_in_the_page_zone(text: str, expected: datetime) -> None:
    found = parse_when(text, REF)
    assert found is not None and not found.date_only
    assert found.published == expected


def test_hours_ago_keeps_a_time_only_when_the_capture_time_is_known() -> None:
    timed = reference("2025-06-02T18:30", LONDON, None, RUN)
    assert parse_when("2 hours ago", timed) == When(
        datetime(2025, 6, 2, 16, 30, tzinfo=LONDON), False
    )
    assert parse_when("2 hours ago", REF) == When(noon(date(2025, 6, 2), LONDON), True)


@pytest.mark.parametrize(
    "text",
    [
        "Business",
        "Daily Mail",
        "May",
        "31-02-2025",
        "28 May 1850",
        "99999999999 days ago",
        "",
        "x" * 300,
    ],
)
def test_things_that_are_not_dates(text: str) -> None:
    assert parse_when(text, REF) is None


def test_the_reference_is_captured_then_file_time_then_the_run() -> None:
    modified = datetime(2025, 5, 31, 22, 15, tzinfo=UTC)
    assert reference("2025-06-02", LONDON, modified, RUN) == Reference(
        datetime(2025, 6, 2, 12, tzinfo=LONDON), LONDON, False
    )
    assert reference("2025-06-02T08:30", KYIV, modified, RUN).moment == datetime(
        2025, 6, 2, 8, 30, tzinfo=KYIV
    )
    assert reference(None, LONDON, modified, RUN).moment == modified  # 23:15 London, 31 May
    assert reference(None, LONDON, modified, RUN).day == date(2025, 5, 31)
    assert reference(None, LONDON, datetime(1970, 1, 1, tzinfo=UTC), RUN).moment == RUN


def test_relative_dates_in_a_file_follow_its_modification_time() -> None:
    text = b"Header\n\nWire One\nyesterday\n- World\nKyiv and Moscow swap prisoners\nA body.\n"
    items, _ = parse(text, modified=datetime(2025, 5, 28, 9, tzinfo=UTC), timezone="Europe/London")
    assert items[0].published == noon(date(2025, 5, 27), LONDON) and items[0].date_only


def test_clock_lines_and_stamps() -> None:
    day = date(2025, 5, 28)
    assert parse_clock("16:20", day, REF) == When(
        datetime(2025, 5, 28, 16, 20, tzinfo=LONDON), False
    )
    assert parse_clock("Posted at 9.05am", day, REF) is not None
    assert parse_clock("12.30", day, REF) is None  # as likely a number as a time
    stamps = find_stamps("One. Ada Byrne3 June 2025 09:15 Two. 3 June 2025 08:00 Three", LONDON)
    assert [(s.author, s.when.published.hour if s.when else None) for s in stamps] == [
        ("Ada Byrne", 9),
        (None, 8),
    ]
    assert find_stamps("talks on 3 June 2025 in Istanbul", LONDON) == []  # no time, no author


# --- headline split and live-blog bodies (made-up text) -----------------------------------


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        (
            "Ferry service to resume next week The operator said boats will sail again on Monday.",
            "Ferry service to resume next week",
        ),
        (
            "Mayor opens new bridge in Lviv Residents gathered early to cross it.",
            "Mayor opens new bridge in Lviv",
        ),
        (
            "Farmers meet ministers over grain prices with Brussels Polish growers say costs rose.",
            "Farmers meet ministers over grain prices with Brussels",
        ),
        (
            "Will the rail link open on time? Engineers say the tunnel is nearly done.",
            "Will the rail link open on time?",
        ),
        (
            "Orchestra cancels 'difficult' Vienna tour after storm Musicians were told on Friday.",
            "Orchestra cancels 'difficult' Vienna tour after storm",
        ),
        (
            "Team signs striker on loan, club says Coach Anna Berg welcomed the move.",
            "Team signs striker on loan, club says",
        ),
        (
            "Museum shows 'Light, Sea and Stone' exhibition to visitors Curators spent a year.",
            "Museum shows 'Light, Sea and Stone' exhibition to visitors",
        ),
        (
            "Port handles 3 Million containers in record year Officials credit new cranes.",
            "Port handles 3 Million containers in record year",
        ),
        (
            "Council backs plan for Odesa's Harbour Park The vote was unanimous.",
            "Council backs plan for Odesa's Harbour Park",
        ),
    ],
)
def test_headline_split_on_made_up_posts(text: str, headline: str) -> None:
    title, body = split_headline(text)
    assert title == headline
    assert f"{title} {body}" == text  # nothing lost


def test_headline_split_falls_back_to_the_first_sentence() -> None:
    short = "no capital letters here at all, just a lowercase run. and more words follow."
    assert split_headline(short) == (short, short)
    long = " ".join(["word"] * 30) + ". Then the second sentence."
    assert split_headline(long) == (" ".join(["word"] * 20) + " …", long)
    assert headline_boundary(["Short", "Text"]) is None


def test_live_blog_body_is_split_at_stamps_that_end_posts() -> None:
    ref = reference("2025-05-30", LONDON, None, RUN)
    day = When(noon(date(2025, 5, 29), LONDON), True)
    body = (
        "Bridge reopens after repairs Traffic resumed at dawn. Ada Byrne29 May 2025 14:00 "
        "Storm warning lifted The weather service lifted the alert. 29 May 2025 12:10 "
        "Schools close early Pupils were sent home at noon. Ada Byrne"
    )
    posts = live_blog_posts(body, day, ref)
    assert posts is not None
    assert [(text.split(" ")[0], when.date_only, when.published.hour) for text, when in posts] == [
        ("Bridge", False, 14),
        ("Storm", False, 12),
        ("Schools", True, 12),
    ]
    assert posts[0][0].endswith("Traffic resumed at dawn.")
    assert posts[2][0] == "Schools close early Pupils were sent home at noon."
    assert live_blog_posts("Talks are set for 2 June 2025 in the city.", day, ref) is None


def test_tidy_and_drop_repeat() -> None:
    assert tidy("The mayor 's plan. 01:02 - Source: Wire Cats on skis 00:30 - Source: Wire") == (
        "The mayor's plan."
    )
    assert tidy("Text ends here. Leave a Reply Your email address will not be published.") == (
        "Text ends here."
    )
    assert drop_repeat("Bridge reopens", "Bridge reopens Traffic resumed.") == "Traffic resumed."
    assert drop_repeat("Bridge", "Bridgework resumed.") == "Bridgework resumed."


def test_furniture_lines_never_become_text() -> None:
    text = (
        "LIVE: Harbour storm\n\n• Ferries halted\n• Share\n\nHigh winds close port\n\n"
        "Winds reached gale force overnight.\n\nShare\n\nSign up for our newsletter\n\n"
        "We use cookies to improve your experience.\n\nLeave a Reply\n\n"
        "Your email address will not be published.\n"
    ).encode()
    items, _ = parse(text, captured="2025-05-28")
    assert [item.title for item in items] == ["Harbour storm — key points", "High winds close port"]
    assert items[0].body == "Ferries halted"
    assert items[1].body == "Winds reached gale force overnight."


def test_live_page_date_and_time_lines() -> None:
    text = (
        b"Live updates: Ferry strike\n27 May 2025\n\n- Ferries stopped\n\n14:05\n"
        b"Union calls off strike\n\nThe union said members would return on Wednesday.\n\n"
        b"Talks resume at noon\n09:40\n\nBoth sides met at the ministry.\n"
    )
    items, _ = parse(text, captured="2025-05-30", timezone="Europe/London")
    assert [(i.title, i.published, i.date_only) for i in items] == [
        ("Ferry strike — key points", noon(date(2025, 5, 27), LONDON), True),
        ("Union calls off strike", datetime(2025, 5, 27, 14, 5, tzinfo=LONDON), False),
        ("Talks resume at noon", datetime(2025, 5, 27, 9, 40, tzinfo=LONDON), False),
    ]


def test_a_plain_article_is_one_item_under_its_title() -> None:
    text = b"Ferry talks stall\n\nNegotiators left without a deal.\n\nBoth sides will meet again.\n"
    items, warnings = parse(text, captured="2025-05-28")
    assert warnings == [] and [(i.title, i.body) for i in items] == [
        ("Ferry talks stall", "Negotiators left without a deal.\n\nBoth sides will meet again.")
    ]


def test_items_of_one_page_have_distinct_stable_ids() -> None:
    text = b"Wire\n2 days ago\nNews\nOne post A. Ada Byrne29 May 2025 14:00 Two post B. Ada Byrne"
    first, _ = parse(text, captured="2025-05-31", url="https://news.example/live")
    again, _ = parse(text, captured="2025-05-31", url="https://news.example/live")
    assert [i.url for i in first] == ["https://news.example/live"] * 2
    assert len({i.id for i in first}) == 2 and [i.id for i in first] == [i.id for i in again]


# --- the project's own samples ------------------------------------------------------------


def test_sample_clippings_parse() -> None:
    folder = ROOT / "samples" / "clippings"
    listing, warnings = parse(
        folder / "desk-listing-2025-05-30.txt", captured="2025-05-30", timezone="Europe/London"
    )
    assert warnings == [] and len(listing) == 8
    assert [i.title for i in listing[:5]] == [
        "Lavrov names 2 June for second round of Istanbul talks",
        "Berlin to pay for long-range weapons built in Ukraine",
        "Moscow airports briefly restricted during drone raid",
        "Is Trump losing patience with Putin?",
        "Ukraine's president touches down in Berlin",
    ]
    assert "Source:" not in listing[5].body and "Moscow's memorandum" in listing[5].body
    live, warnings = parse(
        folder / "desk-live-2025-05-28.txt", captured="2025-05-30", timezone="Europe/London"
    )
    assert warnings == [] and len(live) == 4
    assert {i.published.date() for i in live} == {date(2025, 5, 28)}
    assert all("Share" not in i.body and "Leave a Reply" not in i.body for i in live)


# --- random text --------------------------------------------------------------------------

_PIECES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            "",
            "Tom Watling28 May 2025 12:30",
            " 28 May 2025 11:19 ",
            "Ada Byrne31 Feb 2025 25:61",
            "3 days ago",
            "25-05-2025",
            "99999999 days ago",
            "Earlier on Thursday",
            "- Politics",
            "• A bullet",
            "LIVE UPDATES: Something",
            "If you are joining us now, here are the latest developments",
            "Leave a Reply",
            "00:51 - Source: CNN",
            "Daily Mail",
            "Homes burn near Moscow These images show",
            "\x00\x07\x1b[31m\u202e\ufeff\u200b",
            "12:30",
            "1 January 1900",
        ]
    ),
    st.integers(1_000, 120_000).map(lambda n: "Word " * (n // 5)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(_PIECES, max_size=25),
    glue=st.sampled_from(["\n", " ", "\r\n", "\n\n"]),
    layout=st.sampled_from(["auto", "listing", "live"]),
    captured=st.sampled_from([None, "2025-06-02", "1991-01-01T00:30"]),
)
def test_random_text_never_raises_and_items_are_clean(
    lines: list[str], glue: str, layout: str, captured: str | None
) -> None:
    data = glue.join(lines).encode("utf-8", errors="surrogatepass")
    modified = datetime(1970, 1, 2, tzinfo=UTC)  # an implausible mtime must not leak out
    items, _ = parse(data, layout=layout, captured=captured, modified=modified)
    for item in items:
        assert item.title.strip()
        assert not any(unicodedata.category(ch)[0] == "C" for ch in item.title)
        assert not any(ch != "\n" and unicodedata.category(ch)[0] == "C" for ch in item.body)
        assert item.published is not None and item.published.tzinfo is not None
        assert datetime(1990, 1, 1, tzinfo=UTC) <= item.published < datetime(2101, 1, 1, tzinfo=UTC)


# --- end to end ---------------------------------------------------------------------------


@needs_seeds
def test_build_lists_the_live_blog_posts(cli, write_config, tmp_path: Path) -> None:
    source = {
        "name": "seed",
        "type": "clipping",
        "path": str(LISTING),
        "captured": "2025-06-02",
        "timezone": "Europe/London",
    }
    config = write_config({"sources": [source]})
    code, _, err = cli(
        "build", "--config", str(config), "--date", "2025-05-28", "--format", "md,json"
    )
    assert (code, err) == (0, "")
    folder = tmp_path / "out" / "2025-05-28"
    data = json.loads((folder / "briefing-2025-05-28.json").read_text(encoding="utf-8"))
    items = [i for sec in data["sections"] for s in sec["stories"] for i in s["items"]]
    assert sorted(abridged(i["title"]) for i in items) == sorted(t for _, t in LIVE_BLOG_POSTS)
    stamps = {i["title"]: i["published"] for i in items}
    assert stamps["Homes burn near Moscow after drone strikes"] == "2025-05-28T10:00:00+01:00"
    assert {i["outlet"] for i in items} == {"The Independent"}
    md = (folder / "briefing-2025-05-28.md").read_text(encoding="utf-8")
    assert "Homes burn near Moscow after drone strikes" in md
    assert "Leave a Reply" not in md and "Source: CNN" not in md
