"""Fixtures of the hostile-input suite: small real configs in tmp_path, the real CLI, and a
canary HTTP server on 127.0.0.1 that no build may contact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

from briefing.cli import main

from .invariants import Run

DAY = "2025-05-28"
SECTIONS = [{"id": "all", "title": "Everything", "catch_all": True}]


def rss(entries: list[dict[str, str]], title: str = "Hostile Wire") -> bytes:
    """An RSS 2.0 document; each entry's values are escaped into elements of the same name."""
    items = "".join(
        "<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in e.items()) + "</item>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title>{items}</channel></rss>"
    ).encode()


def entry(n: int, **fields: str) -> dict[str, str]:
    """A plain on-day entry, `fields` replacing or adding elements."""
    base = {
        "title": f"Kyiv and Moscow envoys meet for round {n} of talks",
        "link": f"https://news.example/{n}",
        "pubDate": f"Wed, 28 May 2025 {8 + n % 12:02d}:00:00 +0000",
        "description": f"Envoys met in Istanbul for round {n}. Talks continue on Thursday.",
    }
    base.update(fields)
    return base


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    """A minimal config in tmp_path: `sources`, a catch-all section, no topic gate, output and
    store in tmp_path/out; `extra` adds or replaces top-level keys."""

    def write(sources: list[dict[str, Any]], **extra: Any) -> Path:
        data: dict[str, Any] = {
            "title": "Hostile test",
            "timezone": "UTC",
            "output": {"dir": str(tmp_path / "out"), "formats": ["md", "html", "json"]},
            "sources": sources,
            "sections": SECTIONS,
        }
        data.update(extra)
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return path

    return write


@pytest.fixture
def feed_file(tmp_path: Path) -> Callable[[bytes, str], Path]:
    def write(data: bytes, name: str = "feed.xml") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """`briefing ARGS` in-process through the real entry point."""

    def call(*args: str) -> Run:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return call


@pytest.fixture(scope="module")
def _canary_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def canary(_canary_server: HTTPServer) -> HTTPServer:
    """A second local server: any request to it is a leak (assert `canary.log == []`)."""
    _canary_server.clear()
    _canary_server.expect_request("/", method="GET").respond_with_data("")
    return _canary_server
