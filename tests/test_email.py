"""The email body (`--format email`): built through the real CLI and read back with an HTML parser,
as a mail client would see it: inline styles only, nothing fetched from elsewhere, and the same
content as the HTML page."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SAMPLE_DAY

EMPTY_DAY = "2025-06-15"
# Elements that fetch, run or restyle something in a mail client.
FORBIDDEN_TAGS = {
    "style", "link", "script", "img", "picture", "source", "iframe", "object", "embed",
    "svg", "video", "audio", "form", "input", "button", "base",
}  # fmt: skip
FORBIDDEN_ATTRS = {"class", "src", "srcset", "background", "onload", "onclick", "onerror"}
CAPTURED = {"title", "h1", "h2", "h3", "p", "td", "th", "a", "div", "span"}
VOID = {"meta", "br", "hr", "img", "link", "input", "source", "base", "col", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], table: dict[str, str | None]):
        self.tag, self.attrs, self.table = tag, attrs, table  # table: the enclosing <table>'s
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    @property
    def style(self) -> str:
        return self.attrs.get("style") or ""


class Doc(HTMLParser):
    """Every start tag with its attributes; the text of the elements in CAPTURED, in document
    order (character references decoded, so text compares with the JSON as a reader sees it)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.elements: list[Element] = []
        self.comments: list[str] = []
        self.doctype = ""
        self._open: list[Element] = []
        self._tables: list[dict[str, str | None]] = [{}]
        self.feed(html)
        self.close()
        assert not self._open, [e.tag for e in self._open]  # every captured element closed

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag == "table":
            self._tables.append(dict(attrs))
        if tag in CAPTURED and tag not in VOID:
            element = Element(tag, dict(attrs), self._tables[-1])
            self.elements.append(element)
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._tables.pop()
        if tag in CAPTURED:
            assert self._open and self._open[-1].tag == tag, f"unbalanced </{tag}>"
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def texts(self, tag: str) -> list[str]:
        return [e.text for e in self.all(tag)]

    def after(self, element: Element, tag: str, n: int = 1) -> list[Element]:
        """The next `n` elements with `tag` after `element`, in document order."""
        index = self.elements.index(element)
        return [e for e in self.elements[index + 1 :] if e.tag == tag][:n]

    def data_cells(self) -> list[Element]:
        """The cells of data tables (not of role="presentation" layout tables)."""
        return [e for e in self.elements if e.tag in ("td", "th") and e.table.get("role") is None]


def build(cli, write_config, tmp_path: Path, day: str, formats: str, **changes: Any) -> Path:
    config = write_config(changes or None)
    code, _, err = cli("build", "--config", str(config), "--date", day, "--format", formats)
    assert code == 0, err
    return tmp_path / "out" / day


def read(folder: Path, fmt: str) -> str:
    return (folder / f"briefing-{folder.name}.{fmt}").read_text(encoding="utf-8")


@pytest.fixture
def sample(cli, write_config, tmp_path: Path) -> tuple[str, Doc, dict[str, Any], Doc]:
    """The sample day as email, JSON and HTML page: (raw email, parsed email, JSON, page)."""
    folder = build(cli, write_config, tmp_path, SAMPLE_DAY, "email,json,html")
    raw = read(folder, "email.html")
    return raw, Doc(raw), json.loads(read(folder, "json")), Doc(read(folder, "html"))


def config_titles(tmp_path: Path) -> list[str]:
    data = yaml.safe_load((tmp_path / "config.yaml").read_text(encoding="utf-8"))
    return [section["title"] for section in data["sections"]]


def shown_stories(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for sec in data["sections"] for s in sec["stories"] if s["shown"]]


def test_the_email_is_written_next_to_the_other_formats(cli, write_config, tmp_path) -> None:
    config = write_config()
    code, out, err = cli(
        "build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "email,json"
    )
    assert (code, err) == (0, "")
    folder = tmp_path / "out" / SAMPLE_DAY
    written = [line for line in out.splitlines() if line.startswith(str(folder))]
    assert sorted(written) == sorted(
        str(folder / f"briefing-{SAMPLE_DAY}.{ext}") for ext in ("email.html", "json")
    )
    assert out.splitlines()[-1].startswith("28 May 2025: ")


def test_the_email_uses_inline_styles_and_nothing_from_elsewhere(sample) -> None:
    raw, doc, _, _ = sample
    lowered = raw.lower()
    for needle in ("<style", "<link", "<script", "<img", "class=", "url(", "src=", "@import"):
        assert needle not in lowered, needle
    tags = {tag for tag, _ in doc.starts}
    assert not tags & FORBIDDEN_TAGS
    for tag, attrs in doc.starts:
        assert not set(attrs) & FORBIDDEN_ATTRS, (tag, attrs)
        assert "url(" not in (attrs.get("style") or ""), (tag, attrs)
    links = [attrs for tag, attrs in doc.starts if tag == "a"]
    assert links
    for attrs in links:
        assert re.match(r"https?://[^\s\"'<>]+$", attrs.get("href") or ""), attrs
        assert "color:" in (attrs.get("style") or ""), attrs  # not left to the client's blue
    # Visible text is at least 14px; headings use Arial/Helvetica, body text Georgia/serif.
    sizes = [
        int(n)
        for _, a in doc.starts
        for n in re.findall(r"font-size:(\d+)px", a.get("style") or "")
    ]
    assert sizes and min(sizes) >= 14
    assert not re.search(r"font-size:[\d.]+(em|rem|%|pt)", raw)
    for heading in doc.all("h1") + doc.all("h2") + doc.all("h3"):
        assert heading.style.count("font-family:Arial,Helvetica") == 1, heading.style
    summaries = [doc.after(h3, "p", 2)[1] for h3 in doc.all("h3")]
    assert summaries and all("font-family:Georgia," in p.style for p in summaries)
    assert all("font-size:16px" in p.style for p in summaries)


def test_the_email_is_a_single_centred_column_for_every_client(sample) -> None:
    raw, doc, data, _ = sample
    assert doc.doctype.lower() == "doctype html"
    assert ("html", {"lang": "en"}) in doc.starts
    assert ("meta", {"charset": "utf-8"}) in doc.starts
    assert doc.texts("title") == [f"{data['title']} — {SAMPLE_DAY}"]
    tables = [attrs for tag, attrs in doc.starts if tag == "table"]
    layout = [t for t in tables if t.get("role") == "presentation"]
    assert len(layout) >= 2 and len(layout) == len(tables) - 1  # all but the Sources table
    assert all(t.get("cellpadding") == "0" and t.get("cellspacing") == "0" for t in tables)
    column = [e for e in doc.elements if e.tag == "div" and "max-width:640px" in e.style]
    assert len(column) == 1 and "margin:0 auto" in column[0].style
    # Outlook on Windows ignores max-width: a fixed 640px table in conditional comments
    ghost = [c for c in doc.comments if c.startswith("[if mso]")]
    assert len(ghost) == 2 and 'width="640"' in ghost[0]
    # the preheader: hidden, first in the body, with the counts
    preheader = doc.all("div")[0]
    assert "display:none" in preheader.style and "mso-hide:all" in preheader.style
    counts = data["counts"]
    assert (
        f"{counts['items']} items · {counts['stories']} stories · {counts['outlets']} outlets"
        in preheader.text
    )
    assert raw.index("display:none") < raw.index("<table")


def test_the_email_has_the_sections_stories_and_sources_in_order(sample, tmp_path) -> None:
    raw, doc, data, _ = sample
    assert doc.texts("h1") == [data["title"]]
    titles = config_titles(tmp_path)
    assert doc.texts("h2") == ["Key developments", *titles, "Sources"]
    shown = shown_stories(data)
    assert doc.texts("h3") == [s["headline"] for s in shown]
    assert all(s["headline"] in html.unescape(raw) for s in shown)
    header = doc.after(doc.all("h1")[0], "p")[0]
    counts = data["counts"]
    assert header.text.startswith("Window 28 May 00:00 – 29 May 00:00 (Europe/Kyiv) · ")
    assert header.text.endswith(
        f" · {counts['items']} items · {counts['stories']} stories · {counts['outlets']} outlets"
    )
    assert doc.all("p")[0].text == "Daily briefing · Wednesday 28 May 2025"
    # Key developments: a numbered plain list (no anchors), of stories that are shown
    cells = doc.all("td")
    numbers = [i for i, td in enumerate(cells) if re.fullmatch(r"\d\.", td.text)]
    assert [cells[i].text for i in numbers] == [f"{n}." for n in range(1, 6)]
    headlines = {s["headline"] for s in shown}
    for i in numbers:
        headline, _, outlets = cells[i + 1].text.rpartition(" — ")
        assert headline in headlines and outlets
    # each story: time and tags, its sentences with their links, then its sources
    section_title = {sec["id"]: sec["title"] for sec in data["sections"]}
    hrefs = {attrs.get("href") for tag, attrs in doc.starts if tag == "a"}
    for story, h3 in zip(shown, doc.all("h3"), strict=True):
        when, summary, sources = doc.after(h3, "p", 3)
        assert re.match(r"\d\d:\d\d\b", when.text)
        for tag in story["tags"]:
            assert section_title[tag] in when.text
        for sentence in story["sentences"]:
            assert " ".join(sentence["text"].split()) in summary.text
            assert sentence["url"] is None or sentence["url"] in hrefs
        outlets = list(dict.fromkeys(i["outlet"] for i in story["items"]))
        assert sources.text.startswith("Source: ")
        assert all(outlet in sources.text for outlet in outlets)
        assert (" · also reported by " in sources.text) == (len(outlets) > 1)
    # Sources table: every source with its items and status, in order
    cells = [e.text for e in doc.data_cells()]
    assert cells[:3] == ["Source", "Items", "Status"]
    rows = [tuple(cells[i : i + 3]) for i in range(3, len(cells), 3)]
    said = [
        s["status"] + (f" — {s['off_topic']} left out as off-topic" if s["off_topic"] else "")
        for s in data["sources"]
    ]
    assert rows == [
        (s["name"], str(s["items"]), status)
        for s, status in zip(data["sources"], said, strict=True)
    ]
    footer = doc.all("p")[-1].text
    assert footer.startswith("Generated ") and f"by briefing {data['version']}." in footer
    assert f"{data['counts']['dropped']} off-topic items left out." in footer


def test_the_email_says_what_the_html_page_says(sample) -> None:
    _, doc, _, page = sample

    def parts(d: Doc, name: str) -> list[str]:
        return [e.text for e in d.all("p") if (e.attrs.get("class") or "") == name]

    stories = [e.text for e in page.all("h3")]
    assert doc.texts("h3") == stories
    assert [t for t in page.texts("h2") if t != "Contents"] == doc.texts("h2")
    summaries, sources = [], []
    for h3 in doc.all("h3"):
        _, summary, source = doc.after(h3, "p", 3)
        summaries.append(summary.text)
        sources.append(source.text)
    assert summaries == parts(page, "summary")
    assert sources == parts(page, "sources")
    assert doc.all("p")[-1].text == page.all("p")[-1].text  # the footer
    assert [e.text for e in doc.data_cells()] == [e.text for e in page.data_cells()]


def test_an_empty_day_says_so(cli, write_config, tmp_path) -> None:
    folder = build(cli, write_config, tmp_path, EMPTY_DAY, "email,json")
    doc = Doc(read(folder, "email.html"))
    data = json.loads(read(folder, "json"))
    assert data["counts"]["stories"] == 0
    assert "No new items on this topic in this window." in doc.texts("p")
    assert len(doc.all("h1")) == 1
    assert doc.texts("h2") == ["Sources"] and doc.texts("h3") == []
    assert "0 items · 0 stories · 0 outlets" in doc.all("p")[1].text
    assert "no new items on this topic in this window" in doc.all("div")[0].text
    assert doc.data_cells() == []  # every source collected fine and gave nothing: one line
    names = ", ".join(s["name"] for s in data["sources"])
    line = f"Nothing in this briefing from 8 sources, each collected without problems: {names}."
    assert line in doc.texts("p")


# A day of written-for-the-test items: feed text with markup and HTML metacharacters, a sentence
# too long to copy whole, a story that goes on into the next day, a capped section, an empty one,
# and a source that fails.
LONG = (
    "Negotiators from both sides said on Sunday that the memorandum circulated in Istanbul covers"
    " the exchange of prisoners, the return of deported children, a phased ceasefire along the"
    " entire front line, monitoring by a neutral mission, the future of the occupied territories"
    " and guarantees against renewed attack, and that each of these points would be discussed by"
    " working groups meeting in Geneva, Vienna and Ankara over the coming weeks before leaders"
    " could consider signing anything at all."
)
ITEMS = [  # (outlet, url, title, published, text)
    (
        "Alpha Wire",
        "https://alpha.example/talks-1",
        "Russian and Ukrainian delegations meet in Istanbul for direct peace talks",
        "2025-06-01T11:00:00+03:00",
        "Russian and Ukrainian delegations met in Istanbul on Sunday for direct peace talks, the"
        " first in weeks. Vladimir Medinsky and Rustem Umerov led the two sides at Ciragan Palace.",
    ),
    (
        "Bravo < News > & Co",  # a JSON Feed title is cleaned like any field: "<News>" would go
        "https://bravo.example/odd?a=1&b=2",
        'Kyiv & Moscow: "<b>swap</b>" <script>alert(1)</script> agreed, odds < 50% > none',
        "2025-06-01T12:00:00+03:00",
        "Kyiv & Moscow agreed a swap of 500 prisoners <script>alert(1)</script> each, officials"
        ' said on Sunday, with odds < 50% & rising. The exchange "<i>should</i>" happen soon.',
    ),
    (
        "Charlie Times",
        "https://charlie.example/long",
        "Memorandum lists points for working groups",
        "2025-06-01T13:00:00+03:00",
        LONG,
    ),
    (
        "Alpha Wire",
        "https://alpha.example/talks-2",
        "Istanbul peace talks end after second day with Medinsky and Umerov trading memorandums",
        "2025-06-02T17:00:00+03:00",
        "Direct peace talks between Russian and Ukrainian delegations in Istanbul ended after a"
        " second day at Ciragan Palace, with Vladimir Medinsky and Rustem Umerov exchanging"
        " memorandums.",
    ),
]
SECTIONS = [
    {"id": "talks", "title": "Talks", "keywords": ["Istanbul", "memorandum*"], "max_stories": 1},
    {"id": "quiet", "title": "Quiet corner", "keywords": ["zzzqqq"]},
    {"id": "all", "title": "Everything else", "catch_all": True},
]


@pytest.fixture
def edge(cli, write_config, tmp_path: Path) -> dict[str, Path]:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    by_outlet: dict[str, list[dict[str, str]]] = {}
    for outlet, url, title, published, text in ITEMS:
        item = {"id": url, "url": url, "title": title, "date_published": published}
        by_outlet.setdefault(outlet, []).append(item | {"content_text": text})
    for n, (outlet, items) in enumerate(by_outlet.items()):
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": outlet, "items": items}
        (feeds / f"feed-{n}.json").write_text(json.dumps(feed), encoding="utf-8")
    changes = {
        "topic": {},
        "sections": SECTIONS,
        "sources": [
            {"name": "wires", "type": "feed", "path": str(feeds / "*.json")},
            {"name": "gone", "type": "feed", "path": str(tmp_path / "missing.xml")},
        ],
    }
    days = {}
    for day in ("2025-06-01", "2025-06-02"):
        days[day] = build(cli, write_config, tmp_path, day, "email,json", **changes)
    return days


def test_feed_text_is_escaped_and_every_case_is_marked(edge) -> None:
    raw = read(edge["2025-06-01"], "email.html")
    doc = Doc(raw)
    data = json.loads(read(edge["2025-06-01"], "json"))
    assert "<script" not in raw and "<b>" not in raw and "<i>" not in raw
    assert not {tag for tag, _ in doc.starts} & FORBIDDEN_TAGS
    odd = next(s for s in shown_stories(data) if s["headline"].startswith("Kyiv & Moscow"))
    assert "&lt; 50% &gt;" in raw and "Kyiv &amp; Moscow" in raw
    assert odd["headline"] in doc.texts("h3")
    assert "Bravo &lt; News &gt; &amp; Co" in raw
    assert any(a.get("href") == "https://bravo.example/odd?a=1&b=2" for t, a in doc.starts)
    # a sentence cut short is marked before its link
    long = next(e for e in doc.all("p") if e.text.startswith("Negotiators from both sides"))
    assert long.text.endswith(" … [Charlie Times]")
    # the capped section says how many more, the empty one says it is empty
    sections = ["Talks", "Quiet corner", "Everything else"]
    assert doc.texts("h2") == ["Key developments", *sections, "Sources"]
    notes = doc.texts("p")
    assert "…and 1 more story in the JSON edition." in notes
    assert "Nothing new in this section." in notes
    # a failed source stands out in red
    (gone,) = [td for td in doc.all("td") if td.text == "gone"]
    status = doc.after(gone, "td", 2)[1]
    assert status.text.startswith("failed — no file matches ")
    assert "color:#b3261e" in status.style and "font-weight:bold" in status.style
    ok = [td for td in doc.all("td") if td.text == "ok"]
    assert ok and all("#b3261e" not in td.style for td in ok)

    doc = Doc(read(edge["2025-06-02"], "email.html"))
    (h3,) = doc.all("h3")
    assert h3.text.startswith("Istanbul peace talks end")
    when = doc.after(h3, "p")[0]
    assert when.text == "Developing · first reported 1 Jun 2025 · updated 17:00"
    assert doc.texts("p").count("Nothing new in this section.") == 2


def test_an_override_can_extend_the_email_and_replace_a_block(cli, write_config, tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "email.html.j2").write_text(
        '{% extends "default:email.html.j2" %}{% block footer %}<tr><td style="{{ small }}">'
        "Desk edition — {{ b.story_count }} stories</td></tr>{% endblock %}",
        encoding="utf-8",
    )
    out = build(cli, write_config, tmp_path, SAMPLE_DAY, "email", templates=str(folder))
    doc = Doc(read(out, "email.html"))
    (footer,) = [td for td in doc.all("td") if td.text.startswith("Desk edition")]
    assert footer.text == "Desk edition — 16 stories" and "font-size:14px" in footer.style
    assert not any(p.text.startswith("Generated ") for p in doc.all("p"))
    assert doc.texts("h2")[-1] == "Sources"
