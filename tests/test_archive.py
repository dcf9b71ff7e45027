"""The archive (output/index.html), the Atom feed (output/feed.xml) and each briefing's links to
its neighbours, made from real builds of the sample days and read back as a browser and a feed
reader would."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import feedparser
import pytest
from hostile.invariants import audit_outputs

from conftest import SAMPLE_DAY

EARLIER = "2025-05-27"


class Links(HTMLParser):
    """Every href, every element id, and a meta refresh's target."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.refresh: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("href"):
            self.hrefs.append(str(found["href"]))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "meta" and found.get("http-equiv") == "refresh":
            self.refresh = str(found.get("content")).partition("url=")[2]


def links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def resolve(page: Path, href: str) -> tuple[Path, str]:
    """The file and fragment a relative link of `page` points at."""
    target, fragment = urldefrag(href)
    return ((page.parent / target).resolve() if target else page), fragment


def assert_links_resolve(page: Path) -> None:
    """Every relative link of `page` leads to a file, and every fragment to an element."""
    for href in links(page).hrefs:
        if href.startswith(("http://", "https://")):
            continue
        target, fragment = resolve(page, href)
        assert target.is_file(), f"{page.name}: {href} leads nowhere"
        if fragment:
            assert fragment in links(target).ids, f"{page.name}: {href} has no #{fragment}"


def follow(page: Path, href: str) -> Path:
    """Where a link leads once a "previous"/"next" page's redirect is followed."""
    target, _ = resolve(page, href)
    refresh = links(target).refresh
    return resolve(target, refresh)[0] if refresh else target


@pytest.fixture
def out(cli, write_config, tmp_path: Path) -> Path:
    """The sample's 27 May (every format) and 28 May (no PDF) built, the later one first."""
    config = write_config()
    for day, formats in ((SAMPLE_DAY, "md,html,json"), (EARLIER, "md,html,json,pdf")):
        code, _, err = cli("build", "--config", str(config), "--date", day, "--format", formats)
        assert (code, err) == (0, "")
    return tmp_path / "out"


def html_of(out: Path, day: str) -> Path:
    return out / day / f"briefing-{day}.html"


@pytest.mark.slow
def test_the_archive_lists_every_day_newest_first_and_every_link_resolves(out: Path) -> None:
    index = out / "index.html"
    text = index.read_text("utf-8")
    assert text.index(f'id="d-{SAMPLE_DAY}"') < text.index(f'id="d-{EARLIER}"')
    data = json.loads((out / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.json").read_text("utf-8"))
    counts = data["counts"]
    assert f"{counts['stories']} stories from {counts['items']} items" in text
    first = next(
        s["headline"]
        for sec in data["sections"]
        for s in sec["stories"]
        if s["id"] == data["key_developments"][0]
    )
    assert first.replace("'", "&#39;") in text
    hrefs = links(index).hrefs
    assert f"{EARLIER}/briefing-{EARLIER}.pdf" in hrefs
    assert f"{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.pdf" not in hrefs  # not built, not linked
    assert f"{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.html#{data['key_developments'][0]}" in hrefs
    for page in [index, *out.glob("*/briefing-*.html"), *out.glob("*/previous.html")]:
        assert_links_resolve(page)
    for page in out.glob("*/next.html"):
        assert_links_resolve(page)
    assert audit_outputs(out) == []


@pytest.mark.slow
def test_each_briefing_leads_to_the_archive_and_its_neighbours(out: Path) -> None:
    later, earlier = html_of(out, SAMPLE_DAY), html_of(out, EARLIER)
    assert follow(later, "previous.html") == earlier
    assert follow(earlier, "next.html") == later
    assert follow(later, "../index.html") == out / "index.html"
    # at the ends of the archive: a page that says so and leads back
    for page, words in ((earlier, "No earlier briefing"), (later, "No later briefing yet")):
        end = follow(page, "previous.html" if page == earlier else "next.html")
        assert words in end.read_text("utf-8")
        assert page.name in links(end).hrefs[0]


@pytest.mark.slow
def test_a_rebuild_stays_byte_identical_after_a_later_day(cli, write_config, out: Path) -> None:
    """The neighbours change; the briefing's own file does not: its links name the pages
    beside it, and only those are remade."""
    before = html_of(out, EARLIER).read_bytes()
    earlier_next = (out / EARLIER / "next.html").read_bytes()
    code, _, _ = cli(
        "build", "--config", str(write_config()), "--date", EARLIER, "--format", "md,html,json"
    )
    assert code == 0
    assert html_of(out, EARLIER).read_bytes() == before
    assert (out / EARLIER / "next.html").read_bytes() == earlier_next


@pytest.mark.slow
def test_the_feed_has_one_entry_per_briefing_and_parses_cleanly(out: Path) -> None:
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Russia–Ukraine peace process"
    assert feed.feed.author == "Russia–Ukraine peace process"
    assert feed.feed.id.startswith("urn:uuid:") and feed.feed.updated
    later, earlier = feed.entries
    assert later.title.endswith("Wednesday 28 May 2025")
    assert earlier.title.endswith("Tuesday 27 May 2025")
    assert len({later.id, earlier.id, feed.feed.id}) == 3
    data = json.loads((out / EARLIER / f"briefing-{EARLIER}.json").read_text("utf-8"))
    assert earlier.updated == data["generated_at"]
    assert earlier.link == f"{EARLIER}/briefing-{EARLIER}.html"
    assert [e.href for e in earlier.enclosures] == [f"{EARLIER}/briefing-{EARLIER}.pdf"]
    assert [e.type for e in earlier.enclosures] == ["application/pdf"]
    assert later.enclosures == []  # no PDF built for it
    content = earlier.content[0].value
    for story_id in data["key_developments"]:
        assert f'href="{EARLIER}/briefing-{EARLIER}.html#{story_id}"' in content
    assert "Key developments" in content


@pytest.mark.slow
def test_rebuilding_a_day_updates_its_entry_not_a_duplicate(cli, write_config, out: Path) -> None:
    before = feedparser.parse((out / "feed.xml").read_bytes())
    code, _, _ = cli(
        "build", "--config", str(write_config()), "--date", SAMPLE_DAY, "--format", "html,pdf"
    )
    assert code == 0
    after = feedparser.parse((out / "feed.xml").read_bytes())
    assert after.bozo == 0
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    assert [e.href for e in after.entries[0].enclosures] == [
        f"{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.pdf"
    ]


def test_links_are_absolute_under_output_base_url(cli, write_config, tmp_path: Path) -> None:
    base = "https://briefings.example.org/desk"
    config = write_config(
        {"output": {"dir": str(tmp_path / "out"), "base_url": base, "formats": ["md", "html"]}}
    )
    assert cli("build", "--config", str(config), "--date", SAMPLE_DAY)[0] == 0
    feed = feedparser.parse((tmp_path / "out" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    (entry,) = feed.entries
    assert entry.link == f"{base}/{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.html"
    assert f'href="{base}/{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.md"' in entry.content[0].value
    assert {link.href for link in feed.feed.links} == {f"{base}/feed.xml", f"{base}/index.html"}
    # the archive page itself keeps relative links: it works from the folder and when served
    assert f'href="{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.html"' in (
        tmp_path / "out" / "index.html"
    ).read_text("utf-8")


def test_a_base_url_that_is_not_an_address_is_a_config_error(cli, write_config) -> None:
    config = write_config({"output": {"dir": "out", "base_url": "briefings.example.org"}})
    code, _, err = cli("check", "--config", str(config))
    assert code == 2
    assert re.fullmatch(
        rf"error: {re.escape(str(config))}:\d+ output\.base_url: .*https://.*\n", err
    ), err


def test_run_and_deliver_write_the_archive_too(cli, write_config, tmp_path: Path) -> None:
    config = write_config({"output": {"dir": str(tmp_path / "out"), "formats": ["md", "json"]}})
    code, out, err = cli("deliver", "--config", str(config), "--date", SAMPLE_DAY)
    assert (code, err) == (0, ""), out
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "Wednesday 28 May 2025" in index
    assert f'href="{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.md"' in index
    assert feedparser.parse(tmp_path / "out" / "feed.xml").entries[0].link.endswith(".md")
    (tmp_path / "out" / "index.html").unlink()
    assert cli("run", "--config", str(config))[0] == 0
    assert 'id="d-2025-05-28"' in (tmp_path / "out" / "index.html").read_text("utf-8")


def test_a_day_without_its_json_is_listed_with_its_links(cli, write_config, tmp_path) -> None:
    config = write_config()
    args = ("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md")
    assert cli(*args)[0] == 0
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "built without its JSON edition" in index
    assert f'href="{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.md"' in index
    assert feedparser.parse(tmp_path / "out" / "feed.xml").bozo == 0


def test_the_archive_template_can_be_overridden(cli, write_config, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "archive.html.j2").write_text(
        '{% extends "default:archive.html.j2" %}\n'
        "{% block footer %}<footer><p>Desk archive: {{ archive.entries | length }}</p>"
        "</footer>{% endblock %}\n",
        "utf-8",
    )
    config = write_config({"templates": str(mine)})
    args = ("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "json")
    assert cli(*args)[0] == 0
    assert "<footer><p>Desk archive: 1</p></footer>" in (tmp_path / "out" / "index.html").read_text(
        "utf-8"
    )


def test_a_broken_archive_template_fails_after_naming_the_files_written(
    cli, write_config, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "archive.html.j2").write_text("<p>\n{{ archive.nothing }}\n</p>\n", "utf-8")
    config = write_config({"templates": str(mine)})
    code, out, err = cli("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md")
    assert code == 2
    assert out.splitlines()[0].endswith(f"briefing-{SAMPLE_DAY}.md")
    assert err == (
        f"error: {mine / 'archive.html.j2'}:2: template error: "
        "'briefing.models.Archive object' has no attribute 'nothing'\n"
    )


def test_the_archive_rereads_a_changed_day_and_survives_a_damaged_cache(
    cli, write_config, tmp_path: Path
) -> None:
    """Days' JSON summaries are cached (`.archive-cache.json`) so a year of briefings is not
    re-read on every build; a changed JSON file is read again, a damaged cache is remade."""
    config = write_config()
    args = ("build", "--config", str(config), "--format", "json", "--no-collect")
    assert cli(*args, "--date", SAMPLE_DAY)[0] == 0
    out = tmp_path / "out"
    path = out / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.json"
    data = json.loads(path.read_text("utf-8"))
    data["title"] = "Edited by hand"
    path.write_text(json.dumps(data), "utf-8")
    assert cli(*args, "--date", EARLIER)[0] == 0
    assert "Edited by hand" in (out / "index.html").read_text("utf-8")
    index = (out / "index.html").read_bytes()
    for damage in ("not json", '{"version": 1, "days": {"2025-05-28": {"file": 1}}}'):
        (out / ".archive-cache.json").write_text(damage, "utf-8")
        (out / "index.html").unlink()
        assert cli(*args, "--date", EARLIER)[0] == 0
        assert (out / "index.html").read_bytes() == index


def test_a_provisional_day_is_marked_and_its_entry_updated_when_final(
    cli, write_config, tmp_path: Path, monkeypatch
) -> None:
    """Built while its window is open, a day is listed as provisional; built again once the
    window closed, the same entry (same id) is final and says when it was generated."""
    config = write_config()
    args = ("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "html,json")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748444400")  # 28 May 2025 18:00 in Kyiv
    assert cli(*args)[0] == 0
    out = tmp_path / "out"
    assert "<strong>Provisional — as of 18:00</strong>" in (out / "index.html").read_text("utf-8")
    first = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
    assert first.title.endswith("Wednesday 28 May 2025 (provisional)")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748502000")  # 29 May 2025 10:00 in Kyiv
    assert cli(*args, "--no-collect")[0] == 0
    assert "Provisional" not in (out / "index.html").read_text("utf-8")
    (final,) = feedparser.parse((out / "feed.xml").read_bytes()).entries
    assert final.id == first.id and final.title.endswith("Wednesday 28 May 2025")
    assert final.updated > first.updated
