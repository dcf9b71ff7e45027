"""Hostile HTML from feedparser's, bleach's and html5lib's own test suites, run through the
real collection and rendering: no output may carry active content or external resources."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from conftest import SHARED

PEER = SHARED / "peer-tests"
pytestmark = pytest.mark.skipif(not PEER.is_dir(), reason="../shared/peer-tests not present")

HTML_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "p",
    "h1",
    "h2",
    "h3",
    "section",
    "nav",
    "ol",
    "li",
    "a",
    "span",
    "article",
    "time",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "em",
    "strong",
    "ul",
    "code",
}
SAFE_LINK = re.compile(r"^(https?://[^\s\"'<>]+|#[\w-]+)$")


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "srcset", "background", "formaction"):
                self.bad.append(f"{tag}[{name}]")
            if name == "href" and not SAFE_LINK.match(value or ""):
                self.bad.append(f"href={value!r}")
            if name == "style":
                self.bad.append(f"{tag}[style]")


def audit_html(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    return parser.bad


def audit_markdown(text: str) -> list[str]:
    """Raw HTML in Markdown or a link a Markdown renderer would make unsafe."""
    tokens = MarkdownIt("commonmark", {"html": True}).parse(text)
    bad: list[str] = []
    for token in tokens:
        for t in [token, *(token.children or [])]:
            if t.type in ("html_block", "html_inline"):
                bad.append(t.content[:60])
            if t.type == "link_open" and not SAFE_LINK.match(str(t.attrs.get("href", ""))):
                bad.append(str(t.attrs.get("href")))
            if t.type == "image":
                bad.append("image")
    return bad


def audit_pdf(path: Path) -> list[str]:
    reader = PdfReader(path)
    bad = []
    if "/Names" in reader.trailer["/Root"]:
        names = reader.trailer["/Root"]["/Names"]
        bad += [k for k in ("/EmbeddedFiles", "/JavaScript") if k in names]
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            if action.get("/S") not in ("/URI", "/GoTo") or (
                action.get("/S") == "/URI" and not SAFE_LINK.match(str(action.get("/URI")))
            ):
                bad.append(str(action))
    return bad


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
