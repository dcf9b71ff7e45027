"""Shortcuts taken for speed give what the long way gives: a canonical address, a stored row,
a clustering of a day up to 5,000 items."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.models import Item
from briefing.store import Store
from briefing.store.rows import item_row, sqlite_insert
from briefing.store.schema import dialect_insert, items
from briefing.text.identity import _canonical, canonical_url

from conftest import ROOT

_PART = st.sampled_from(
    ["a", "B", "m.", "amp", "/", "//", ".", "-", "_", "~", "%2F", "?", "#", ":80", ":443",
     ":8080", "@", "&", "=", "é", " ", "\u200b", "AMP", ".html", "x1", "mobile.", "\\"]
)  # fmt: skip


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(
    scheme=st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "//", ""]),
    host=st.lists(_PART, max_size=5).map("".join),
    path=st.lists(_PART, max_size=8).map("".join),
)
def test_the_canonical_shortcut_gives_the_long_way(scheme: str, host: str, path: str) -> None:
    url = scheme + host + path
    assert _outcome(canonical_url.__wrapped__, url) == _outcome(_canonical, url), url


def _outcome(canonical, url: str) -> tuple[str, object]:
    try:
        return "gives", canonical(url)
    except ValueError as exc:  # (an address with a port that is no number)
        return "raises", type(exc)


def test_the_canonical_shortcut_on_real_links() -> None:
    import re

    text = " ".join(p.read_text("utf-8", "replace") for p in (ROOT / "samples").rglob("*.*"))
    links = set(re.findall(r"https?://[^\s<>\"']+", text)) | {
        "https://news.example/2025/05/28/talks",
        "https://news.example/2025/05/28/talks/",
        "https://m.news.example/a",
        "https://news.example/a/amp",
        "https://news.example",
        "https://News.example/a",
        "https://news.example./a",
    }
    assert len(links) > 20
    for link in links:
        assert canonical_url.__wrapped__(link) == _canonical(link), link


def test_sqlite_insert_stores_what_sqlalchemy_stores(tmp_path: Path) -> None:
    """Rows inserted on the driver's cursor are the rows SQLAlchemy's INSERT stores, byte for
    byte (times in its text format, booleans as integers), and the same ids count as new."""
    start = datetime(2025, 5, 28, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=3)))
    made = [
        Item(
            id=f"i{n}",
            source="wire",
            outlet="Wire",
            url=f"https://news.example/{n}" if n % 3 else None,
            title=f"Talks round {n}",
            body="Text. " * n,
            published=start + timedelta(minutes=n) if n % 4 else None,
            captured=datetime(2025, 5, 28, 12, tzinfo=UTC),
            lang="en" if n % 2 else None,
            date_only=n % 5 == 0,
        )
        for n in range(12)
    ]
    stored = datetime(2025, 5, 28, 12, 0, 0, 7, tzinfo=UTC)
    rows = [item_row(i, stored) for i in made]
    paths = tmp_path / "driver.db", tmp_path / "sqlalchemy.db"
    with Store(f"sqlite:///{paths[0]}") as store, store.begin() as conn:
        ours = sqlite_insert(conn, rows)
        again = sqlite_insert(conn, rows[:3])
    with Store(f"sqlite:///{paths[1]}") as store, store.begin() as conn:
        stmt = dialect_insert(conn)(items).on_conflict_do_nothing().returning(items.c.id)
        theirs = {row[0] for row in conn.execute(stmt, rows)}
    assert ours == theirs == {i.id for i in made} and again == set()
    dumps = [
        sqlite3.connect(path).execute("SELECT * FROM items ORDER BY id").fetchall()
        for path in paths
    ]
    assert dumps[0] == dumps[1]


def _square(n: int) -> int:
    return n * n


def _dies_in_child(n: int) -> int:
    import os

    if os.getpid() != PARENT:
        os._exit(1)  # the child dies without sending its half
    return n * n


PARENT = 0


def test_split_map_gives_the_map_with_or_without_a_child() -> None:
    """Per-story work on two cores gives what one gives: in order, when a thread runs (no
    fork), and when the child dies (its half done here)."""
    import os
    import threading

    from briefing.stories import split

    jobs = list(range(split.MIN_JOBS + 7))
    expected = [n * n for n in jobs]
    assert split.split_map(_square, jobs) == expected
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert split.split_map(_square, jobs) == expected
    finally:
        stop.set()
        other.join()
    global PARENT
    PARENT = os.getpid()
    assert split.split_map(_dies_in_child, jobs) == expected


def test_a_large_day_clusters_the_same_on_one_core_and_two() -> None:
    """A day large enough for facts and candidate rows to be shared with a forked child gives
    the stories one process gives (a running thread keeps it all in this process)."""
    import threading
    from dataclasses import replace
    from zoneinfo import ZoneInfo

    from briefing.quality.labels import load_labels
    from briefing.stories import split
    from briefing.stories.cluster import StoryParams, make_stories
    from briefing.text.similarity import Vectorizer, terms

    samples = [lab.item for lab in load_labels(ROOT / "samples" / "stories.jsonl", ZoneInfo("UTC"))]
    day = datetime(2025, 5, 28, 6, tzinfo=UTC)
    items = []
    for copy in range((split.MIN_JOBS * 2) // len(samples) + 1):
        for n, item in enumerate(samples):  # each copy its own wording and hour
            body = f"{item.body} Copy {copy} note {n * 7 + copy}."
            when = day + timedelta(minutes=(n * 37 + copy * 11) % 900)
            items.append(replace(item, id=f"{item.id}-{copy}", body=body, published=when))
    params = StoryParams()
    vectorizer = Vectorizer.from_bags(terms(i, params.lead_words) for i in items)

    def stories() -> list[tuple[str, ...]]:
        result = make_stories(items, {}, {}, {}, vectorizer, "2025-05-28", params)
        return sorted(tuple(sorted(i.id for i in s.items)) for s in result.stories)

    two = stories()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        one = stories()
    finally:
        stop.set()
        other.join()
    assert len(items) >= 2 * split.MIN_JOBS
    assert 1 < len(two) < len(items)
    assert two == one
