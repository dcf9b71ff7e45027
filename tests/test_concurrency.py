"""Two `briefing collect` processes started together on one new store: the schema is created
once, every item is stored once and counted new once, and the word statistics count every item
once — on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import sqlalchemy as sa

from conftest import start_briefing

pytestmark = pytest.mark.slow  # real processes, servers, PDF layouts or fuzzing

FEEDS, PER_FEED = 4, 300


def write_feeds(folder: Path) -> list[dict[str, str]]:
    """Local RSS feeds of distinct items (each with its own link, so its own id)."""
    folder.mkdir()
    sources = []
    for f in range(FEEDS):
        entries = "".join(
            f"<item><title>{escape(f'Envoy {f}-{n} meets delegation on ceasefire talks')}</title>"
            f"<link>https://wire{f}.example/story/{n}</link>"
            f"<pubDate>Wed, 28 May 2025 {n % 24:02d}:{n % 60:02d}:00 GMT</pubDate>"
            f"<description>Talks in Istanbul, round {n}, feed {f}.</description></item>"
            for n in range(PER_FEED)
        )
        path = folder / f"wire{f}.xml"
        path.write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {f}</title>'
            f"{entries}</channel></rss>",
            "utf-8",
        )
        sources.append({"name": f"wire{f}", "type": "feed", "path": str(path)})
    return sources


def _collect(config: Path) -> subprocess.Popen:
    return start_briefing("collect", "--config", str(config))


def _new_per_source(results: list[tuple[str, str]]) -> dict[str, int]:
    """Sum of the "N new" every collector printed, per source."""
    new: dict[str, int] = {}
    for out, _ in results:
        for line in out.splitlines():
            name, rest = line.split(": ", 1)
            assert rest.startswith(f"ok, {PER_FEED} items"), line
            new[name] = new.get(name, 0) + int(rest.rsplit(", ", 1)[1].split()[0])
    return new


def test_collectors_at_once_store_and_count_each_item_once(
    write_config, tmp_path, store_url
) -> None:
    config = write_config({"database": store_url, "sources": write_feeds(tmp_path / "feeds")})
    every = {f"wire{f}": PER_FEED for f in range(FEEDS)}
    for expected in (every, dict.fromkeys(every, 0)):  # a new store, then one already filled
        runs = [_collect(config) for _ in range(3)]
        results = [p.communicate(timeout=240) for p in runs]
        assert [p.returncode for p in runs] == [0, 0, 0], results
        assert _new_per_source(results) == expected  # each item counted new by one collector
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT COUNT(*) FROM items")).scalar_one()
        distinct = conn.execute(sa.text("SELECT COUNT(DISTINCT id) FROM items")).scalar_one()
        links = conn.execute(sa.text("SELECT COUNT(*) FROM item_sources")).scalar_one()
        docs = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'docs'")).scalar_one()
        runs_logged = conn.execute(sa.text("SELECT COUNT(*) FROM source_runs")).scalar_one()
    engine.dispose()
    assert count == distinct == links == FEEDS * PER_FEED
    assert int(docs) == FEEDS * PER_FEED  # word statistics: every item counted once
    assert runs_logged == 2 * 3 * FEEDS
