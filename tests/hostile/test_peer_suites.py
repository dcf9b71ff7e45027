"""Hostile HTML from feedparser's, bleach's and html5lib's own test suites, run through the
real collection and rendering: no output may carry active content or external resources."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest

from hostile.invariants import audit_html, audit_markdown, audit_pdf

from conftest import SHARED, shared

PEER = SHARED / "peer-tests"


@pytest.fixture(autouse=True)
def _peer_tests() -> None:
    shared("peer-tests")


def _rss(cases: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<item><title>{escape(name)} {escape(payload)}</title>"
        f"<link>{escape(payload if payload.startswith(('javascript', 'data', 'file')) else '')}"
        f"</link><description>{escape(payload)}</description></item>"
        for name, payload in cases
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>{items}'
        "</channel></rss>"
    )


def _bleach_and_html5lib() -> list[tuple[str, str]]:
    cases = []
    for path in sorted((PEER / "bleach").glob("*.test")):
        payload = path.read_text(encoding="utf-8", errors="replace").split("\n--\n")[0]
        cases.append((f"bleach-{path.stem}", payload))
    for case in json.loads((PEER / "html5lib-sanitizer" / "tests1.dat").read_text("utf-8")):
        cases.append((case["name"], case["input"]))
    cases += [
        ("js-link", "javascript:alert(document.cookie)"),
        ("file-link", "file:///etc/passwd"),
        ("attach", '<link rel="attachment" href="file:///etc/passwd">x'),
        ("img", '<img src="https://tracker.example/p.gif">'),
        ("md-link", "[click](javascript:alert(1)) ![x](https://tracker.example/x.png)"),
        ("md-html", "<script>alert(1)</script> <b onmouseover=alert(1)>hi</b>"),
    ]
    return cases


def test_peer_suites_leave_no_active_content(write_config, cli, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.rss"
    hostile.write_text(_rss(_bleach_and_html5lib()), encoding="utf-8")
    config = write_config(
        {
            "timezone": "UTC",
            "topic": {},
            "sections": [{"id": "all", "title": "Everything", "catch_all": True}],
            "sources": [
                {
                    "name": "feedparser-suite",
                    "type": "feed",
                    "path": str(PEER / "feedparser-sanitize" / "*.xml"),
                },
                {"name": "bleach-html5lib", "type": "feed", "path": str(hostile)},
            ],
        }
    )
    code, out, err = cli("collect", "--config", str(config))
    assert code == 0, err
    assert "feedparser-suite: ok" in out or "feedparser-suite: warning" in out
    day = datetime.now(UTC).date().isoformat()
    code, out, err = cli("build", "--no-collect", "--config", str(config), "--date", day)
    assert code == 0, err
    folder = tmp_path / "out" / day
    data = json.loads((folder / f"briefing-{day}.json").read_text("utf-8"))
    assert data["counts"]["items"] > 100  # entries with no text at all are skipped
    html = (folder / f"briefing-{day}.html").read_text("utf-8")
    assert audit_html(html) == []
    assert audit_markdown((folder / f"briefing-{day}.md").read_text("utf-8")) == []
    assert audit_pdf(folder / f"briefing-{day}.pdf") == []
    # the payloads are still there, as inert text
    titles = [i["title"] for sec in data["sections"] for s in sec["stories"] for i in s["items"]]
    assert any("[click](javascript:alert(1))" in t for t in titles)
