"""The invariants every hostile case must keep, written once and checked after every case.

- stderr holds no traceback and no "internal error", only `error:`/`warning:` lines, and the
  culprit (a file, key, URL or limit) is named in one of them;
- the exit status is the documented one (0 done, 1 failed work, 2 bad usage or config);
- outputs built before the case are intact (unchanged, when the case failed), no temporary file
  is left behind and every output file is complete;
- no output holds active content: no `<script`, no `on*=` attribute, no `javascript:`,
  `vbscript:`, `data:text/html` or `file:` URL (HTML, email HTML, Markdown, JSON and the PDF's
  link annotations), no style attribute or external resource in the page.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from pypdf import PdfReader

from briefing.models import Item

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
# Our own relative links between the pages of the output folder: a briefing's "previous",
# "next" and "all briefings", the archive's links to each day's files, the feed's links.
OWN_LINK = re.compile(
    r"^(\.\./)?((\d{4}-\d{2}-\d{2}/)?briefing-\d{4}-\d{2}-\d{2}\.(html|pdf|md|json|email\.html)"
    r"(#[\w-]+)?|index\.html|previous\.html|next\.html|feed\.xml)$"
)
ACTIVE_URL = re.compile(r"^\s*(javascript|vbscript|file|data\s*:\s*text/html)", re.I)
SCRIPT = re.compile(r"<\s*script", re.I)


@dataclass
class Run:
    """One run of the real CLI."""

    code: int
    out: str
    err: str


class _Audit(HTMLParser):
    def __init__(self, allow_style: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allow_style = allow_style
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "srcset", "background", "formaction"):
                self.bad.append(f"{tag}[{name}]")
            if name == "href" and not (SAFE_LINK.match(value or "") or OWN_LINK.match(value or "")):
                self.bad.append(f"href={value!r}")
            if ACTIVE_URL.match(value or ""):
                self.bad.append(f"{tag}[{name}]={value!r}")
            if name == "style" and not self.allow_style:
                self.bad.append(f"{tag}[style]")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            target = (dict(attrs).get("content") or "").partition("url=")[2]
            if not OWN_LINK.match(target):
                self.bad.append(f"refresh to {target!r}")


def audit_html(html: str, allow_style: bool = False) -> list[str]:
    """Active content or external resources in a page (`allow_style`: the email's own inline
    styles, which come from our template, never from a feed)."""
    parser = _Audit(allow_style)
    parser.feed(html)
    bad = parser.bad
    if SCRIPT.search(html):
        bad.append("<script")
    if allow_style and re.search(r"style=\"[^\"]*url\(", html, re.I):
        bad.append("url() in an inline style")
    return bad


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


def audit_json(text: str) -> list[str]:
    """Every URL in the JSON is http(s) or null; no markup survives in any string."""
    bad: list[str] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key in ("url", "link") and not SAFE_LINK.match(value):
                bad.append(f"{key}={value!r}")
            if SCRIPT.search(value):
                bad.append(f"<script in {key}")

    walk(json.loads(text))
    return bad


def audit_pdf(path: Path) -> list[str]:
    """Embedded files, JavaScript, or link annotations other than http(s) and internal."""
    reader = PdfReader(path)
    bad = []
    root = reader.trailer["/Root"]
    if "/Names" in root:
        names = root["/Names"]
        bad += [k for k in ("/EmbeddedFiles", "/JavaScript") if k in names]
    if "/OpenAction" in root or "/AA" in root:
        bad.append("document action")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                bad.append("file attachment")
            action = annot.get("/A")
            if action is None:
                continue
            action = action.get_object()
            if action.get("/S") not in ("/URI", "/GoTo") or (
                action.get("/S") == "/URI" and not SAFE_LINK.match(str(action.get("/URI")))
            ):
                bad.append(str(action))
    return bad


def audit_feed(text: str) -> list[str]:
    """The Atom feed parses, each briefing has one entry, and no entry's HTML content holds
    active content or a link that is neither http(s) nor one of our own pages."""
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(text)
    bad: list[str] = []
    ids = [e.findtext(f"{atom}id") for e in root.iter(f"{atom}entry")]
    if len(ids) != len(set(ids)):
        bad.append("duplicate entry ids")
    for node in root.iter():
        if node.tag == f"{atom}content":
            bad += audit_html(node.text or "")
        if node.tag == f"{atom}link":
            href = node.get("href", "")
            if not (SAFE_LINK.match(href) or OWN_LINK.match(href)):
                bad.append(f"link {href!r}")
    return bad


def audit_outputs(folder: Path) -> list[str]:
    """Every built file under `folder`, by format, and the archive's pages and feed."""
    bad: list[str] = []
    pages = [
        *folder.glob("index.html"),
        *folder.glob("*/previous.html"),
        *folder.glob("*/next.html"),
    ]
    for path in sorted(pages):
        bad += [f"{path.name}: {b}" for b in audit_html(path.read_text("utf-8"))]
    for path in folder.glob("feed.xml"):
        bad += [f"{path.name}: {b}" for b in audit_feed(path.read_text("utf-8"))]
    for path in sorted(folder.rglob("briefing-*")):
        if path.name.endswith(".email.html"):
            found = audit_html(path.read_text("utf-8"), allow_style=True)
        elif path.suffix == ".html":
            found = audit_html(path.read_text("utf-8"))
        elif path.suffix == ".md":
            found = audit_markdown(path.read_text("utf-8"))
        elif path.suffix == ".json":
            found = audit_json(path.read_text("utf-8"))
        elif path.suffix == ".pdf":
            found = audit_pdf(path)
        else:
            continue
        bad += [f"{path.name}: {b}" for b in found]
    return bad


def snapshot(folder: Path) -> dict[Path, str]:
    """SHA-256 of every file under `folder` (outputs and the store), to prove nothing is lost."""
    if not folder.exists():
        return {}
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".briefing.lock")
    }


def _complete(path: Path) -> str | None:
    """Why a built file is not whole, or None."""
    try:
        if path.suffix == ".json":
            json.loads(path.read_text("utf-8"))
        elif path.suffix == ".pdf":
            PdfReader(path).pages[0]
        elif path.suffix == ".html" and "</html>" not in path.read_text("utf-8")[-200:]:
            return "no </html> at the end"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def check(
    run: Run,
    code: int,
    *,
    culprit: str | None = None,
    out_dir: Path | None = None,
    before: dict[Path, str] | None = None,
    unchanged: bool | None = None,
) -> None:
    """Assert every invariant of a hostile case (see the module docstring).

    `culprit` must appear in stderr; `before` is a snapshot() taken before the case, which must
    be intact afterwards: unchanged (the default when the case failed), or at least present and
    complete. Database files may grow when the case succeeded."""
    err = run.err
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert run.code == code, f"exit {run.code}, expected {code}\nstdout: {run.out}\nstderr: {err}"
    for line in err.splitlines():  # (click ends an interrupted line with a bare newline)
        assert not line or line.startswith(("error: ", "warning: ")), f"stray line: {line!r}"
    if culprit is not None:
        assert culprit in err, f"{culprit!r} not named in stderr: {err!r}"
    if code != 0 and culprit is not None:
        assert err.strip(), "a failure must say why"
    if before:
        keep = unchanged if unchanged is not None else code != 0
        for path, digest in before.items():
            assert path.exists(), f"{path} was lost"
            is_store = ".db" in path.name
            if keep and not is_store:
                assert snapshot(path.parent).get(path) == digest, f"{path} was changed"
    if out_dir is not None and out_dir.exists():
        leftovers = [p for p in out_dir.rglob("*.tmp")]
        assert leftovers == [], f"temporary files left: {leftovers}"
        for path in out_dir.rglob("briefing-*"):
            problem = _complete(path)
            assert problem is None, f"{path} is not whole: {problem}"
        assert audit_outputs(out_dir) == []


# Controls (but tab and newline), C1, bidi controls, zero-width characters, BOM, noncharacters.
UNSAFE_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffe\uffff"
    "\ud800-\udfff]"
)


def sane_items(config: Any) -> list[Item]:
    """Every stored item, after asserting its fields are sane: a title, text within the limits
    and free of control and invisible characters and of markup, a date in 1990-2100, a link that
    is http(s) or none."""
    from briefing.store import Store

    with Store(config.database_url) as store:
        found = store.items_between(
            datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
        )
    assert runs_add_up(config.database_url)
    for item in found:
        assert item.title.strip(), item
        assert len(item.title) <= config.limits.title_chars, item.title[:80]
        assert len(item.body) <= config.limits.body_chars, item.body[:80]
        assert len(item.outlet) <= 200
        for field in (item.title, item.body, item.outlet):
            assert not UNSAFE_TEXT.search(field), repr(field[:120])
            assert not SCRIPT.search(field), repr(field[:120])
        assert "\n" not in item.title
        if item.published is not None:
            assert 1990 <= item.published.year <= 2100, item.published
        assert item.url is None or SAFE_LINK.match(item.url), item.url
    return found


def runs_add_up(url: str) -> list[dict[str, Any]]:
    """Every source run in the store, after asserting its entries are accounted for: the items
    made are new, already stored or merged, and the refusals are counted by their reasons."""
    import json

    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.text("SELECT * FROM source_runs")).mappings()]
    engine.dispose()
    for row in rows:
        assert row["fetched"] == row["new"] + row["known"] + row["merged"], row
        assert row["refused"] == sum(json.loads(row["refusals"]).values()), row
    return rows
