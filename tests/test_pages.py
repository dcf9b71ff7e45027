"""The `page` source: articles through trafilatura, live blogs from JSON-LD or per-post markup,
non-HTML documents as warnings, hostile markup reduced to plain text; and a live blog served on
127.0.0.1 collected and built through the real CLI."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytest_httpserver import HTTPServer

from briefing.sources import Document, PageSource, ParseContext, Parsed
from briefing.sources.pages import MAX_POSTS, article_from_html, parse_page
from briefing.text.clean import MAX_BODY, TRUNCATED

from conftest import section_of

PAGES = Path(__file__).parent / "fixtures" / "pages"
KYIV = ZoneInfo("Europe/Kyiv")
CAPTURED = datetime(2025, 5, 29, 5, 0, tzinfo=UTC)
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def tz(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


def parse(
    name: str | None = None,
    *,
    data: bytes | None = None,
    url: str | None = None,
    outlet: str | None = None,
    content_type: str = "",
) -> Parsed:
    """Parse a fixture (or bytes) as a file source, or as fetched from `url` when given."""
    path = PAGES / (name or "inline.html")
    raw = data if data is not None else path.read_bytes()
    where = {"url": url} if url else {"path": str(path)}
    source = PageSource(name="desk", type="page", outlet=outlet, **where)
    doc = Document(url or str(path), raw, url=url, content_type=content_type)
    return parse_page(doc, source, ParseContext(captured=CAPTURED, zone=KYIV))


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]


# -- articles -----------------------------------------------------------------------------------


def test_article_with_json_ld_and_og_tags() -> None:
    parsed = parse("article_jsonld.html")
    assert parsed.warnings == []
    [item] = parsed.items
    assert item.title == (
        "Merz and Zelensky agree Germany will pay for long-range weapons built in Ukraine"
    )
    assert item.outlet == "Rhine Courier"  # og:site_name before the JSON-LD publisher
    assert item.source == "desk"
    assert item.url == (
        "https://www.rhinecourier.example/world/2025/05/28/merz-zelensky-long-range-weapons"
    )
    assert item.published == datetime(2025, 5, 28, 16, 45, tzinfo=tz(2))
    assert item.published.utcoffset() == timedelta(hours=2)
    assert not item.date_only
    assert item.captured == CAPTURED
    assert item.lang == "en-GB"
    assert first_sentence(item.body) == (
        "Germany will finance the production of long-range weapons inside Ukraine, Chancellor "
        "Friedrich Merz said on Wednesday after talks with Volodymyr Zelensky in Berlin."
    )
    assert "Istanbul next week." in item.body
    for furniture in ("Finally some movement", "Imprint", "dataLayer", "display:none", "Sport"):
        assert furniture not in item.body
    assert parse("article_jsonld.html").items[0].id == item.id


def test_a_fetched_article_keeps_its_canonical_address_only_on_its_own_site() -> None:
    own = "https://rhinecourier.example/world/2025/05/28/merz-zelensky-long-range-weapons?x=1"
    [item] = parse("article_jsonld.html", url=own).items
    assert item.url == (
        "https://www.rhinecourier.example/world/2025/05/28/merz-zelensky-long-range-weapons"
    )
    mirror = "https://mirror.example/copy/merz.html"
    [copied] = parse("article_jsonld.html", url=mirror).items
    assert copied.url == mirror  # a page cannot claim another site's address (or its item id)
    assert copied.id != item.id


def test_article_with_only_title_article_and_time() -> None:
    [local] = parse("article_plain.html").items
    assert local.title == "Kremlin says Trump's outburst about Putin shows emotional overload"
    assert local.published == datetime(2025, 5, 26, 14, 5, tzinfo=KYIV)  # naive: config zone
    assert local.published.utcoffset() == timedelta(hours=3)
    assert local.url is None and local.outlet == "desk"  # a local file with no address
    assert first_sentence(local.body).startswith("The Kremlin on Monday played down Donald Trump")
    assert "26.05.2025" not in local.body and not local.body.startswith("Kremlin says")

    url = "https://www.steppegazette.example/politics/kremlin-emotional-overload"
    [fetched] = parse("article_plain.html", url=url).items
    assert (fetched.url, fetched.outlet) == (url, "steppegazette.example")
    [named] = parse("article_plain.html", url=url, outlet="Steppe Gazette").items
    assert named.outlet == "Steppe Gazette"


def test_dates_are_trusted_only_from_the_page_itself() -> None:
    body = (
        "<p>Ukraine's foreign minister said Kyiv had still not received the Russian memorandum "
        "that Moscow promised to share before a second round of talks in Istanbul.</p>"
        "<p>Officials in Kyiv accused Moscow of stalling while its forces kept attacking.</p>"
    )
    page = f"<html><head><title>Kyiv waits for memorandum</title></head><body>{body}</body></html>"
    # htmldate (via trafilatura) reads a day from the address: a day, not a time
    guessed = article_from_html(
        page.encode(), "https://kyivledger.example/news/2025/05/29/memo", KYIV
    )
    assert guessed is not None and guessed.date_only
    assert guessed.published == datetime(2025, 5, 29, 12, 0, tzinfo=KYIV)
    undated = article_from_html(page.encode(), None, KYIV)
    assert undated is not None and undated.published is None and not undated.date_only
    assert undated.title == "Kyiv waits for memorandum"
    assert undated.text.startswith("Ukraine's foreign minister said")

    day = page.replace(
        "</head>",
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
        '"2025-05-29"}</script></head>',
    )
    [item] = parse(data=day.encode()).items
    assert item.date_only and item.published == datetime(2025, 5, 29, 12, 0, tzinfo=KYIV)


def test_article_from_html_for_feed_expansion() -> None:
    data = (PAGES / "article_jsonld.html").read_bytes()
    article = article_from_html(data, "https://www.rhinecourier.example/world/x", KYIV)
    assert article is not None
    assert article.site_name == "Rhine Courier"
    assert article.published == datetime(2025, 5, 28, 16, 45, tzinfo=tz(2))
    assert article.text.startswith("Germany will finance the production")
    assert article_from_html((PAGES / "not_html.json").read_bytes(), None, KYIV) is None
    assert article_from_html(b"", None, KYIV) is None


# -- live blogs ---------------------------------------------------------------------------------

JSONLD_POSTS = [
    ("Russia says its forces took four villages in Sumy region", datetime(2025, 5, 28, 19, 10), 3),
    (
        "Germany to finance long-range weapons production in Ukraine",
        datetime(2025, 5, 28, 14, 20),
        2,
    ),
    (
        "Putin wants written pledge that Nato will stop expanding, sources say",
        datetime(2025, 5, 28, 11, 40),
        1,
    ),
    (
        "Lavrov proposes second round of direct talks in Istanbul on 2 June",
        datetime(2025, 5, 28, 10, 5),
        0,
    ),
    (
        "Moscow airports briefly close as drones fly towards the capital",
        datetime(2025, 5, 28, 9, 5),
        3,
    ),
]


def test_live_blog_from_json_ld() -> None:
    parsed = parse("liveblog_jsonld.html")
    assert parsed.warnings == []
    items = parsed.items
    assert len(items) == 5  # the updates, not also the same posts in the page's markup
    for item, (title, local, offset) in zip(items, JSONLD_POSTS, strict=True):
        assert item.title == title
        assert item.published == local.replace(tzinfo=tz(offset))
        assert item.published.utcoffset() == timedelta(hours=offset)
        assert item.outlet == "Harbour Live"  # the publisher, through its @id
        assert item.source == "desk" and item.captured == CAPTURED and not item.date_only
    page = "https://harbourlive.example/live/2025/may/28/russia-ukraine-talks"
    assert [i.url for i in items] == [f"{page}#post-{p}" for p in ("e5", "d4", "c3", "b2", "a1")]
    assert first_sentence(items[3].body) == (
        "Sergei Lavrov said Russia was ready to hold a second round of direct negotiations with "
        "Ukraine in Istanbul on Monday 2 June, where Moscow would present its memorandum on a "
        "settlement."
    )
    assert items[0].body.split("\n\n")[1].startswith("Ukrainian officials said")
    ids = [i.id for i in items]
    assert len(set(ids)) == 5
    assert [i.id for i in parse("liveblog_jsonld.html").items] == ids


def test_live_blog_served_elsewhere_keeps_post_anchors_on_its_own_address() -> None:
    url = "http://127.0.0.1:8080/live.html"
    items = parse("liveblog_jsonld.html", url=url).items
    assert [i.url for i in items] == [f"{url}#post-{p}" for p in ("e5", "d4", "c3", "b2", "a1")]


def test_live_blog_from_per_post_markup() -> None:
    parsed = parse("liveblog_markup.html")
    assert parsed.warnings == []
    items = parsed.items
    assert [i.title for i in items] == [
        "Medvedev answers Trump with a warning about a world war",
        "Trump says Putin is ‘playing with fire’",
        "Kremlin says memorandum for Kyiv is still being drafted",
        "Russia reports dozens of Ukrainian drones shot down overnight",
    ]  # not the page header's "Updated" stamp, not the "Most read" sidebar
    assert [i.published for i in items] == [
        datetime(2025, 5, 27, 21, 40, tzinfo=tz(3)),
        datetime(2025, 5, 27, 18, 5, tzinfo=UTC),
        datetime(2025, 5, 27, 14, 30, tzinfo=tz(3)),
        datetime(2025, 5, 27, 9, 20, tzinfo=tz(3)),
    ]
    page = "https://dniprodispatch.example/live/2025-05-27-russia-ukraine"
    assert [i.url for i in items] == [f"{page}#update-{n}" for n in (4471, 4466, 4458, 4450)]
    assert {i.outlet for i in items} == {"Dnipro Dispatch"}
    assert len({i.id for i in items}) == 4
    assert items[0].body == (
        "Former Russian president Dmitry Medvedev replied to Donald Trump's post on social media, "
        "saying the only “really bad” thing he knew of was a third world war.\n\n"
        "He added that he hoped Trump understood this."
    )  # no time, byline or share buttons
    assert "Photo: pool" not in items[2].body
    assert items[3].body.endswith("no casualties & only minor damage.")


def test_post_ids_survive_new_posts() -> None:
    html = (PAGES / "liveblog_markup.html").read_text(encoding="utf-8")
    before = {i.title: i.id for i in parse(data=html.encode()).items}
    start = html.index("<li>")
    end = html.index("</li>", start) + len("</li>")
    after = {i.title: i.id for i in parse(data=(html[:start] + html[end:]).encode()).items}
    assert len(after) == 3
    assert all(before[title] == id_ for title, id_ in after.items())


@pytest.mark.parametrize(
    ("container", "heading"),
    [
        ("related-posts", "Earlier story {n}"),  # a furniture container
        ("story-list", '<a href="/news/{n}">Earlier story {n}</a>'),  # headings link elsewhere
    ],
)
def test_dated_teasers_around_an_article_are_not_a_live_blog(container: str, heading: str) -> None:
    teasers = "".join(
        f'<div class="post-item"><h3>{heading.format(n=n)}</h3>'
        f'<time datetime="2025-05-2{n}T09:00:00+03:00">2{n} May</time>'
        f"<p>Summary of earlier story {n} about the talks.</p></div>"
        for n in (3, 4, 5)
    )
    html = (PAGES / "article_plain.html").read_text(encoding="utf-8")
    html = html.replace("</article>", f'</article><div class="{container}">{teasers}</div>')
    [item] = parse(data=html.encode()).items
    assert item.title == "Kremlin says Trump's outburst about Putin shows emotional overload"
    assert "Earlier story" not in item.body


# -- documents that are not pages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        ((PAGES / "not_html.json").read_bytes(), "application/json", "looks like JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", "content type image/png"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "", "not an HTML page"),
        (b"\x00\x01<html>\x00\x00", "", "binary data"),
        ((Path(__file__).parent / "fixtures" / "wire.rss.xml").read_bytes(), "", "is a feed"),
        (b"Shopping list: bread, milk, batteries for the radio\n", "text/plain", "no HTML"),
        (b"   \n", "", "is empty"),
    ],
)
def test_non_html_documents_are_one_warning(data: bytes, content_type: str, reason: str) -> None:
    parsed = parse("not_html.json", data=data, content_type=content_type)
    assert parsed.items == []
    [warning] = parsed.warnings
    assert warning.startswith(str(PAGES / "not_html.json"))
    assert reason in warning and "\n" not in warning
    [refused] = parsed.refused  # the document is one entry left out, with its reason
    assert reason in refused


def test_a_page_with_nothing_in_it_is_a_warning() -> None:
    parsed = parse(data=b"<!doctype html><html><head></head><body><div></div></body></html>")
    assert parsed.items == [] and "has no article text" in parsed.warnings[0]
    assert parsed.refused == ["no article text"]


def test_charsets_from_header_and_meta() -> None:
    text = "<html><head><title>Київ чекає на меморандум</title></head><body>"
    text += (
        "<article><p>Україна досі не отримала російського меморандуму.</p></article></body></html>"
    )
    [item] = parse(data=text.encode("cp1251"), content_type="text/html; charset=windows-1251").items
    assert item.title == "Київ чекає на меморандум"
    meta = text.replace("<head>", '<head><meta charset="windows-1251">')
    assert parse(data=meta.encode("cp1251")).items[0].title == "Київ чекає на меморандум"


# -- hostile pages ------------------------------------------------------------------------------


def assert_plain(items: list) -> None:
    assert items
    for item in items:
        for text in (item.title, item.body, item.outlet):
            assert not TAG.search(text), text
            for bad in ("alert(", "javascript:", "onerror", "document.cookie", "evil.example"):
                assert bad not in text, (bad, text)
        assert item.url is None or item.url.startswith(("http://", "https://"))


def test_hostile_markup_posts_become_plain_text() -> None:
    page = "https://odesaobserver.example/live/prisoner-exchange"
    for url in (None, page):
        items = parse("hostile_live.html", url=url).items
        assert_plain(items)
        assert [i.title for i in items] == [
            "Third day of prisoner exchange under way",
            "Zelensky says all sides completed the swap",
            "Moscow says exchange does not change its demands",
        ]  # the post written by document.write inside <script> is not a post
        assert items[0].outlet == "Odesa Observer"
        assert "border < 5 km from the crossing point." in items[0].body  # text, not a tag
        assert "Read the full list of those freed — names were not released." in items[0].body
    assert [i.url for i in items] == [f"{page}#p{n}" for n in (1, 2, 3)]


def test_hostile_json_ld_updates_become_plain_text() -> None:
    page = "https://azovwire.example/live/updates"
    items = parse("hostile_jsonld.html", url=page).items
    assert_plain(items)
    assert [i.title for i in items] == [
        "Kyiv reports overnight drone attack",
        "Air defence active over Odesa",
    ]
    assert items[0].outlet == "Azov Wire"
    assert items[0].url == page  # its javascript: address is dropped
    assert items[1].url == f"{page}#p2"  # another site's address: only the anchor is kept
    assert items[1].body.endswith("Stay in shelters until the all-clear.")
    assert_plain(parse("hostile_jsonld.html").items)


def test_huge_pages_are_bounded() -> None:
    paras = "".join(
        f"<p>Update {n}: delegations in Istanbul swapped list {n * 7} of prisoners and drafts "
        f"of a memorandum on a ceasefire with Russia.</p>\n"
        for n in range(70_000)
    )
    page = f"<html><head><title>Talks</title></head><body><article>{paras}</article></body></html>"
    assert len(page) > 9_000_000
    started = time.monotonic()
    [item] = parse(data=page.encode()).items
    assert time.monotonic() - started < 30  # trafilatura alone takes ~20 s on the whole page
    assert len(item.body) <= MAX_BODY and item.body.endswith(TRUNCATED)
    assert item.body.startswith("Update 0: delegations in Istanbul")

    posts = "".join(
        f'<div class="post" id="p{n}"><h2>Post {n}</h2>'
        f'<time datetime="2025-05-28T10:00:00+03:00"></time><p>Text {n}.</p></div>'
        for n in range(MAX_POSTS + 50)
    )
    parsed = parse(data=f"<html><body>{posts}</body></html>".encode())
    assert len(parsed.items) == MAX_POSTS
    assert parsed.warnings == [
        f"{PAGES / 'inline.html'} has {MAX_POSTS + 50} posts; only {MAX_POSTS} were read"
    ]
    assert parsed.refused == [f"post over the limit of {MAX_POSTS:,} per page"] * 50


# -- through the CLI ----------------------------------------------------------------------------


def test_live_blog_over_http_through_the_cli(cli, write_config, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/live.html").respond_with_data(
        (PAGES / "liveblog_jsonld.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    url = httpserver.url_for("/live.html")
    source = {"name": "live", "type": "page", "url": url, "allow_private": True}
    config = str(write_config({"sources": [source]}))
    code, out, err = cli("collect", "--config", config)
    assert (code, err) == (0, "")
    assert out.strip() == "live: ok, 5 items, 5 new"

    code, out, err = cli(
        "build", "--no-collect", "--config", config, "--date", "2025-05-28", "--format", "md,json"
    )
    assert code == 0, err
    paths = {Path(p).suffix: Path(p) for p in out.split()}
    md = paths[".md"].read_text(encoding="utf-8")
    data = json.loads(paths[".json"].read_text(encoding="utf-8"))
    items = {
        item["title"]: item
        for section in data["sections"]
        for story in section["stories"]
        for item in story["items"]
    }
    assert set(items) == {title for title, _, _ in JSONLD_POSTS}
    for title, local, offset in JSONLD_POSTS:
        assert items[title]["published"] == local.replace(tzinfo=tz(offset)).isoformat()
        assert items[title]["source"] == "live" and items[title]["outlet"] == "Harbour Live"
        assert items[title]["url"].startswith(url + "#post-")
        assert section_of(md, title) is not None  # a story of its own in the Markdown
