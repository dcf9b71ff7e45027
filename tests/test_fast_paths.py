"""Shortcuts taken for speed give what the long way gives: a canonical address, a stored row,
a clustering of a day up to 5,000 items, the digest and pointer patterns tried only where
they can match."""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.models import Item, SourceReport
from briefing.store import Store
from briefing.store.rows import insert_new_rows, item_row, sqlalchemy_store, sqlite_store
from briefing.store.schema import (
    build_sources,
    dialect_insert,
    items,
    stories,
    story_items,
    story_views,
    term_stats,
)
from briefing.text import digest, sentences
from briefing.text.identity import _canonical, _safe, canonical_url, safe_url

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


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(
    scheme=st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "//", "", " https://"]),
    host=st.lists(_PART, max_size=5).map("".join),
    path=st.lists(_PART, max_size=8).map("".join),
)
def test_the_safe_link_shortcut_gives_the_long_way(scheme: str, host: str, path: str) -> None:
    url = scheme + host + path
    assert safe_url.__wrapped__(url) == _safe(url), url


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
        assert safe_url.__wrapped__(link) == _safe(link), link


def _made(count: int) -> list[Item]:
    start = datetime(2025, 5, 28, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=3)))
    return [
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
        for n in range(count)
    ]


def test_sqlite_store_stores_what_sqlalchemy_stores(tmp_path: Path) -> None:
    """Items and links inserted on the driver's cursor are the rows SQLAlchemy's INSERTs store,
    byte for byte (times in its text format, booleans as integers), and the same ids count as
    new: in an empty store, again, from a second source, and for an item stored without a
    link (a store older than links)."""
    made = _made(12)
    stored = datetime(2025, 5, 28, 12, 0, 0, 7, tzinfo=UTC)
    batches = [made[1:], made[:3], [replace(i, source="agency") for i in made[2:6]]]
    paths = tmp_path / "driver.db", tmp_path / "sqlalchemy.db"
    added = []
    for path, way in zip(paths, (sqlite_store, sqlalchemy_store), strict=True):
        with Store(f"sqlite:///{path}") as store, store.begin() as conn:
            conn.execute(sa.insert(items).values(item_row(made[0], stored)))  # no link
            added.append([way(conn, batch, stored) for batch in batches])
    assert added[0] == added[1] == [{i.id for i in made[1:]}, set(), set()]
    for table in ("items", "item_sources"):
        dumps = [
            sqlite3.connect(path).execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for path in paths
        ]
        assert dumps[0] == dumps[1] and len(dumps[0]) >= 12


def test_a_briefings_records_on_the_drivers_cursor_are_sqlalchemys(tmp_path: Path) -> None:
    """The rows a briefing records (stories, their items, views, source statuses), inserted on
    SQLite's cursor, are what SQLAlchemy's INSERT ... ON CONFLICT DO NOTHING stores, byte for
    byte, rows already there left as they were."""
    first = datetime(2025, 5, 28, 6, 5, 0, 120, tzinfo=timezone(timedelta(hours=3)))
    batches = {
        stories: [
            {"desk": "", "id": f"s-{n}", "first_reported": first + timedelta(minutes=n),
             "first_date": "2025-05-28"} for n in range(5)
        ],
        story_items: [
            {"desk": "", "item_id": f"i-{n}", "story_id": f"s-{n % 3}", "date": "2025-05-28"}
            for n in range(9)
        ],
        story_views: [
            {"desk": "", "date": "2025-05-28", "story_id": f"s-{n}", "headline": f"Ünïcode {n}",
             "summary": "[]"} for n in range(4)
        ],
        build_sources: [
            {"desk": "", "date": "2025-05-28", "name": f"feed {n}", "status": "ok", "note": ""}
            for n in range(3)
        ],
    }  # fmt: skip
    paths = tmp_path / "driver.db", tmp_path / "sqlalchemy.db"
    for path, ours in zip(paths, (True, False), strict=True):
        with Store(f"sqlite:///{path}") as store, store.begin() as conn:
            for table, rows in batches.items():
                for part in (rows[1:3], rows, rows[:1]):  # the second and third repeat rows
                    part = [{**row, "desk": "d"} for row in part]
                    if ours:
                        insert_new_rows(conn, table, part)
                    else:
                        conn.execute(dialect_insert(conn)(table).on_conflict_do_nothing(), part)
    for table in batches:
        dumps = [
            sqlite3.connect(path).execute(f"SELECT * FROM {table.name} ORDER BY 1, 2, 3").fetchall()
            for path in paths
        ]
        assert dumps[0] == dumps[1] and len(dumps[0]) == len(batches[table])


def test_a_source_run_stored_at_once_is_stored_as_in_two_steps(tmp_path: Path, monkeypatch):
    """Store.store_run (items and the run's record in one transaction) leaves the store and the
    report as insert_new and record_source one after the other, run after run."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748430000")
    made = _made(9)
    runs = [made[:5], made[3:], []]
    paths = tmp_path / "once.db", tmp_path / "twice.db"
    reports: list[list[SourceReport]] = [[], []]
    for path, kept in zip(paths, reports, strict=True):
        with Store(f"sqlite:///{path}") as store:
            for found in runs:
                report = SourceReport("wire", "feed", "ok", fetched=len(found))
                if kept is reports[0]:
                    store.store_run(report, found)
                else:
                    report.new = len(store.insert_new(found))
                    report.known = len(found) - report.new
                    store.record_source(report)
                kept.append(report)
    assert reports[0] == reports[1]
    assert [(r.new, r.known) for r in reports[0]] == [(5, 0), (4, 2), (0, 0)]
    for table in ("items", "item_sources", "source_state", "source_runs"):
        dumps = [
            sqlite3.connect(path).execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for path in paths
        ]
        assert dumps[0] == dumps[1] and dumps[0]


def test_term_counts_on_the_drivers_cursor_are_sqlalchemys(tmp_path: Path) -> None:
    """Word counts added through the driver are the counts SQLAlchemy's upsert adds, run after
    run (two long words the column cuts to one are counted together either way)."""
    long = "x" * 100
    runs = [Counter({"kyiv": 2, "talks": 1, long + "a": 1, long + "b": 2}), Counter({"kyiv": 3})]
    paths = tmp_path / "driver.db", tmp_path / "sqlalchemy.db"
    with Store(f"sqlite:///{paths[0]}") as store:
        for counts in runs:
            store.add_term_counts(counts, 4)
    with Store(f"sqlite:///{paths[1]}") as store, store.begin() as conn:
        insert = dialect_insert(conn)(term_stats)
        stmt = insert.on_conflict_do_update(
            index_elements=["term"], set_={"df": term_stats.c.df + insert.excluded.df}
        )
        for counts in runs:
            conn.execute(stmt, [{"term": t[:100], "df": n} for t, n in sorted(counts.items())])
    dumps = [
        sqlite3.connect(path).execute("SELECT * FROM term_stats ORDER BY term").fetchall()
        for path in paths
    ]
    assert dumps[0] == dumps[1] == [("kyiv", 5), ("talks", 1), (long, 3)]


def test_word_counts_from_worker_processes_are_one_processs(tmp_path: Path) -> None:
    """Sources parsed in worker processes (which count their items' words there) leave the
    store's word counts as sources read in this process do, when all, some or none of a
    source's items are new (entries shared between feeds, a second run)."""
    import gc
    import threading

    import yaml

    from briefing.config import load_config
    from briefing.pipeline import collect_into_store
    from briefing.pipeline.collect import PROCESS_MIN

    sources = []
    for n in range(PROCESS_MIN + 5):
        entries = "".join(
            f"<item><title>Talks in Kyiv, round {k} ({k % 3} of {n % 4})</title>"
            f"<link>https://wire.example/{k}</link><description>Envoys met on day {k} "
            f"in Geneva; {k * 7} delegates of {k % 5} states attended.</description></item>"
            for k in range(n, n + 2 + n % 5)  # neighbours share entries, word for word
        )
        path = tmp_path / f"s{n}.xml"
        path.write_text(f'<rss version="2.0"><channel><title>W</title>{entries}</channel></rss>')
        sources.append({"name": f"s{n}", "type": "feed", "path": str(path)})
    counts = []
    for way in ("processes", "threads"):
        data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
        data.update(topic={}, database=f"sqlite:///{tmp_path / way}.db")
        for run in (sources[::3], sources):
            data["sources"] = run
            (tmp_path / f"{way}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
            stop = threading.Event()
            other = threading.Thread(target=stop.wait)  # a running thread: no worker processes
            if way == "threads":
                other.start()
            try:
                collect_into_store(load_config(tmp_path / f"{way}.yaml"))
                # (what was frozen for the workers is this process's collector's again: a
                # scheduler collecting every hour must not keep each run's garbage)
                assert gc.get_freeze_count() == 0
            finally:
                stop.set()
                if way == "threads":
                    other.join()
        with sqlite3.connect(tmp_path / f"{way}.db") as conn:
            counts.append(conn.execute("SELECT * FROM term_stats ORDER BY term").fetchall())
            counts.append(conn.execute("SELECT value FROM meta WHERE key = 'docs'").fetchall())
    assert counts[0] == counts[2] and counts[1] == counts[3] == [(str(PROCESS_MIN + 10),)]


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


EARLY_SPLIT = """
import multiprocessing, os, threading, time
from datetime import UTC, datetime
from briefing.models import Item
from briefing.stories import split
from briefing.stories.events import reading_ahead

def square(n):
    return n * n

def slow(n):
    time.sleep(0.002)
    return n, os.getpid()

assert threading.active_count() == 1
jobs = list(range(split.MIN_JOBS + 7))
started = split.Split(square, jobs)
assert started.child is not None
assert started.results() == [n * n for n in jobs]
both = split.Split(slow, list(range(300))).results()
assert [n for n, _ in both] == list(range(300))
mine = sum(pid == os.getpid() for _, pid in both)
assert 50 < mine < 250, mine  # both sides took jobs, about half each
late = split.Split(slow, list(range(300)))
time.sleep(0.3)  # this process busy with something else first: the child takes more
after = late.results()
assert [n for n, _ in after] == list(range(300))
assert sum(pid == os.getpid() for _, pid in after) < 150
cancelled = split.Split(square, jobs)
assert cancelled.child is not None
cancelled.cancel()
assert multiprocessing.active_children() == []
when = datetime(2025, 5, 28, 6, tzinfo=UTC)
items = [Item(f"i{k}", "s", "O", None, f"Talks {k}", f"Talks in Kyiv, round {k}.", when, when)
         for k in range(split.MIN_JOBS)]
try:
    with reading_ahead(items):
        assert multiprocessing.active_children()
        raise RuntimeError("the store failed")
except RuntimeError:
    pass
assert multiprocessing.active_children() == []
copy = split.Split(square, jobs)
child = copy.child
copy.parent = -1  # as a forked child sees the split its parent started
assert copy.results() == [n * n for n in jobs]
child.join()
assert child.exitcode == 0  # the copy neither read its pipe nor stopped it
print("ok")
"""


def test_a_split_started_early_finishes_the_same_and_never_outlives_its_use() -> None:
    """A split whose child starts before other work gives the map, the jobs shared about evenly
    (the child taking more while this process is busy first); one cancelled (or left by
    an error in `reading_ahead`'s block) leaves no child running; a forked copy of a split
    does the work itself instead of reading its parent's pipe. (In a fresh interpreter: a
    process running threads never forks, and test runners run some.)"""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", EARLY_SPLIT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_large_day_clusters_the_same_on_one_core_and_two() -> None:
    """A day large enough for facts and candidate rows to be shared with a forked child gives
    the stories one process gives (a running thread keeps it all in this process)."""
    import threading
    from dataclasses import replace
    from zoneinfo import ZoneInfo

    from briefing.quality.labels import load_labels
    from briefing.stories import split
    from briefing.stories.cluster import StoryParams, make_stories
    from briefing.stories.events import reading_ahead
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
    with reading_ahead(items):  # facts started in a child before clustering, as builds do
        ahead = stories()
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
    assert ahead == one


def _texts(vocabulary: list[str], n: int, seed: int) -> list[str]:
    """Texts made of a pattern's own words, in any case, with punctuation between them."""
    rng = random.Random(seed)
    pieces = [*vocabulary, "Kyiv", "the", "—", "|", ":", "-", ",", ".", "12", "İ", "ſ"]
    return [
        " ".join(
            rng.choice([w, w.upper(), w.title()]) for w in rng.choices(pieces, k=rng.randint(1, 9))
        )
        for _ in range(n)
    ]


def test_a_digest_is_looked_for_only_where_its_words_are() -> None:
    """is_digest tries its patterns only on titles and openings holding one of the words every
    name or recap phrase holds: exact as long as that stays true of every match."""
    title_words = [*re.findall(r"[a-z']+", digest._DIGEST_NAMES), "calling", "day", "of"]
    titles = _texts(title_words, 20_000, 1)
    named = [t for t in titles if digest._TITLE.search(t.strip()) or digest._NEWSLETTER.search(t)]
    assert len(named) > 200
    assert all(any(w in t.casefold() for w in digest._TITLE_WORDS) for t in named)
    openings = _texts(re.findall(r"[a-z']+", digest._RECAP.pattern), 40_000, 2)
    recaps = [o for o in openings if digest._RECAP.search(o)]
    assert len(recaps) > 50
    assert all(any(w in o.casefold() for w in digest._RECAP_WORDS) for o in recaps)


def test_a_pointer_pattern_is_tried_only_where_it_can_match() -> None:
    """points_elsewhere skips its patterns on sentences too long for them or without the verb
    they need: exact as long as every match is that short and holds that verb."""
    said = re.findall(r"[a-z']+", sentences._SAYING)
    subjects = ["Peskov", "The ministry", "Ukraine's air force", "A B C D", "A B C D E"]
    rng = random.Random(3)
    made = [
        f"{rng.choice(subjects)} {' '.join(rng.choices(said, k=rng.randint(1, 10)))}"
        f"{rng.choice(['.', ' .', ':', ''])}"
        for _ in range(100_000)
    ]
    alone = [s for s in made if sentences._SAID_ALONE.match(s)]
    assert len(alone) > 500
    assert all(len(s.split()) <= sentences.SAID_ALONE_WORDS for s in alone)
    about = [s for s in made if sentences._COMMENTED_ON.match(s)]
    assert len(about) > 100
    words = ("commented", "reacted", "responded")
    assert all(any(w in s.casefold() for w in words) for s in about)
    pieces = [*re.findall(r"[a-z]+", sentences._REPORTED_THIS.pattern), "That", "This", "X", ","]
    made = [
        " ".join(rng.choices(pieces, k=rng.randint(2, 7))) + rng.choice([".", " on X.", ""])
        for _ in range(100_000)
    ]
    reported = [s for s in made if sentences._REPORTED_THIS.search(s)]
    assert len(reported) > 200
    assert all(
        "this" in f or "these" in f or f.startswith("that ") for f in map(str.casefold, reported)
    )


_PROSE = st.sampled_from(
    ["U", "S", "a", "Mr", "Gen", "x", "1", "é", "É", "Ї", "_", "-", ".", ". ", "! ", "? ", " ",
     "  ", "\n", '"', "“", "(", "U.S.", "e.g.", "Kyiv", "said", "3.5"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(parts=st.lists(_PROSE, max_size=12))
def test_a_stop_is_read_as_its_patterns_read_it(parts: list[str]) -> None:
    """The word before a stop and a dotted short form ("U.S.") are read without scanning the
    text, and a capitalised word inside a sentence with its capital first in the pattern:
    each gives what its plain regular expression gives."""
    from briefing.stories import sentence_facts

    text = "".join(parts)
    before = text + "."
    word = re.search(r"([A-Za-z]+)\.$", before)
    assert sentences._word_before(before) == ((word.start(), word.group(1)) if word else (
        len(before) - 1, ""))  # fmt: skip
    dotted = re.search(r"(?:\b[A-Za-z]\.){2,}$", before)
    assert sentences._dotted(before) == (dotted.start() if dotted else None)
    names = re.findall(r"(?<!^)(?<![.!?]\s)\b[A-ZА-ЯІЇЄҐ][\w-]+", text)
    assert sentence_facts._NAME.findall(text) == names


_REPORT = st.sampled_from(
    ["Kyiv", "said", "U.S.", "Mr.", "3.5", "1,000", "Nov. 21", "(Reuters)", "(", ")", "\n",
     "\u2028", "\x1c", "\x85", "\r\n", ".", ". ", "! ", "? ", " ", "“", "”", '"', "Russia's", "Ü",
     "—", "…", "KYIV, Nov 21 (Reuters) -", "last Friday", "20 missiles"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(title=st.lists(_REPORT, max_size=8), body=st.lists(_REPORT, max_size=30))
def test_a_reports_words_are_read_once_as_they_were_twice(
    title: list[str], body: list[str]
) -> None:
    """Without an aside, the words a report mentions are taken from its sentences' words rather
    than read again from the whole text: the same words, however the text breaks its lines."""
    from datetime import date

    from briefing.text import facts

    head, text = "".join(title), "".join(body)
    found = facts.read_facts(head, text, date(2025, 5, 28))
    lead = sentences.undateline(text[: facts.LEAD_CHARS]) + text[facts.LEAD_CHARS :]
    whole = f"{sentences.undateline(head)}\n{lead}"
    assert found.mentions == {facts.key(p) for p in re.findall(facts._PART, whole)}
