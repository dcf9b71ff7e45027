"""Hostile feeds: each case is one feed document beside a good source, built through the real
CLI. Every case keeps the invariants (invariants.check) and leaves only sane items in the store.

Each case in CASES names its input (`make`) and states the expected behaviour
(`description`); `culprit` is what the one-line warning must name. The canary server stands for
every address the config did not name: it must see no request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from briefing.config import load_config
from briefing.store import Store
from briefing.text.clean import MAX_BODY

from .conftest import DAY, entry, rss
from .invariants import check, runs_add_up, sane_items

SECRET = "c4n4ry-s3cr3t-7f1e"


@dataclass
class Ctx:
    tmp: Path
    canary: str  # base URL of a server no build may contact
    secret_file: Path


@dataclass
class Case:
    id: str
    description: str
    make: Callable[[Ctx], bytes]
    culprit: str | None = None  # text the warning must name (None: the source reads cleanly)
    then: Callable[[list, str], None] | None = None  # (stored items, all outputs' text)
    extra: dict | None = None  # keys for the hostile source


def _doctype(internal: str) -> Callable[[Ctx], bytes]:
    def make(ctx: Ctx) -> bytes:
        subset = internal.format(canary=ctx.canary, secret=ctx.secret_file.as_uri())
        body = rss([entry(1, title="Entity &x; here"), entry(2)]).decode()
        body = body.replace("&amp;x;", "&x;")
        return body.replace("<rss", f"<!DOCTYPE rss {subset}><rss", 1).encode()

    return make


def _laughs(ctx: Ctx) -> bytes:
    levels = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    doc = rss([entry(1, title="Laughs &i; end"), entry(2)]).decode().replace("&amp;i;", "&i;")
    return doc.replace("<rss", f"<!DOCTYPE rss [{levels}]><rss", 1).encode()


def _titles(*needles: str, absent: tuple[str, ...] = ()) -> Callable[[list, str], None]:
    def then(items: list, text: str) -> None:
        joined = " ".join(i.title + " " + i.body for i in items)
        for needle in needles:
            assert needle in joined, needle
        for needle in absent:
            assert needle not in joined and needle not in text, needle

    return then


def _count(source_items: int) -> Callable[[list, str], None]:
    def then(items: list, text: str) -> None:
        assert len([i for i in items if i.source == "hostile"]) == source_items

    return then


def _each(ok: Callable[[object], bool]) -> Callable[[list, str], None]:
    """Every item of the hostile source passes `ok`."""

    def then(items: list, text: str) -> None:
        bad = [i for i in items if i.source == "hostile" and not ok(i)]
        assert bad == []

    return then


def _not_evaluated(items: list, text: str) -> None:
    _titles("{{ 7*7 }}", "{% for x in range(9) %}")(items, text)
    assert "looploop" not in text and " 49 " not in text


def _undated_kept(items: list, text: str) -> None:
    assert [i for i in items if i.source == "hostile" and i.published is None]


def _no_secret(items: list, text: str) -> None:
    assert SECRET not in text and all(SECRET not in i.body + i.title for i in items)


HUGE = "Kyiv" + "x" * 100_000
META = "'; DROP TABLE items; -- \" OR 1=1 -- %s %(x)s \\x00 $1 `id` ${IFS}"
TEMPLATE = "{{ 7*7 }} {% for x in range(9) %}loop{% endfor %} {# c #} ${7*7} <%= 7*7 %> #{7*7}"

CASES = [
    Case(
        "billion-laughs",
        "nested internal entities (10^9 'a's): expat's amplification limit refuses them; the "
        "source fails or reads the entry without the expansion, in well under a second",
        _laughs,
        then=_each(lambda i: len(i.title) < 600),
    ),
    Case(
        "xxe-file",
        "an external entity naming a local file: the file is never read into an item",
        _doctype('[<!ENTITY x SYSTEM "{secret}">]'),
        then=_no_secret,
    ),
    Case(
        "xxe-http",
        "an external entity naming an address: nothing is fetched (the canary sees no request)",
        _doctype('[<!ENTITY x SYSTEM "{canary}/xxe">]'),
    ),
    Case(
        "external-dtd",
        "an external DTD: never fetched",
        _doctype('SYSTEM "{canary}/feed.dtd"'),
    ),
    Case(
        "parameter-entity",
        "a parameter entity pulling a remote DTD: never fetched",
        _doctype('[<!ENTITY % p SYSTEM "{canary}/p.dtd"> %p;]'),
    ),
    Case(
        "stylesheet-pi",
        "an xml-stylesheet processing instruction pointing at the canary: ignored",
        lambda ctx: rss([entry(1)]).replace(
            b"?>", f'?><?xml-stylesheet type="text/xsl" href="{ctx.canary}/s.xsl"?>'.encode(), 1
        ),
    ),
    Case(
        "malformed",
        "unclosed and mismatched tags: the lenient parser still reads the entries",
        lambda ctx: (
            rss([entry(1), entry(2)])
            .replace(b"</title>", b"", 1)
            .replace(b"</item>", b"</channel>", 1)
        ),
    ),
    Case(
        "truncated",
        "a document cut in the middle of its third entry: the first entries are kept",
        lambda ctx: rss([entry(1), entry(2), entry(3)])[:-120],
        then=_titles("round 1 of talks", "round 2 of talks"),
    ),
    Case(
        "not-a-feed",
        "PNG bytes where a feed should be: the source fails with one warning naming the file",
        lambda ctx: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        culprit="is not an RSS, Atom or JSON feed",
    ),
    Case(
        "empty",
        "an empty file: the source fails with a warning naming it",
        lambda ctx: b"",
        culprit="is not an RSS, Atom or JSON feed",
    ),
    Case(
        "wrong-declared-encoding",
        "declared UTF-8, written in Latin-1: read without an exception, no control characters",
        lambda ctx: rss([entry(1, title="Café Zürich talks")]).replace(
            "Café Zürich".encode(), "Café Zürich".encode("latin-1")
        ),
    ),
    Case(
        "windows-1251",
        "a correctly declared windows-1251 feed: Cyrillic titles decoded",
        lambda ctx: (
            rss([entry(1, title="Київ і Москва: переговори")])
            .decode()
            .replace('encoding="utf-8"', 'encoding="windows-1251"')
            .encode("cp1251")
        ),
        then=_titles("Київ і Москва: переговори"),
    ),
    Case(
        "utf-16-bom",
        "a UTF-16 document with its byte-order mark",
        lambda ctx: (
            rss([entry(1, title="Tallinn summit")])
            .decode()
            .replace('encoding="utf-8"', 'encoding="utf-16"')
            .encode("utf-16")
        ),
        then=_titles("Tallinn summit"),
    ),
    Case(
        "mixed-encoding",
        "UTF-8 with a stray invalid byte sequence inside a title",
        lambda ctx: rss([entry(1, title="Mixed XXXX bytes"), entry(2)]).replace(
            b"XXXX", b"\xff\xfe\xc3\x28"
        ),
    ),
    Case(
        "control-characters",
        "raw C0 controls and character references to controls, C1, U+FFFE: all removed",
        lambda ctx: (
            rss([entry(1, title="Ctrl XX here", description="DD")])
            .replace(b"XX", b"\x01\x07\x1b[31m")
            .replace(b"DD", b"a&#1;b&#x1b;c&#x85;d&#xFFFE;e&#0;f\x0c")
        ),
    ),
    Case(
        "bidi-invisible",
        "bidi overrides, isolates, zero-width and BOM characters in the title: stripped",
        lambda ctx: rss(
            [entry(1, title="Odesa \u202egnp.exe\u202c \u2066x\u2069 \u200b\ufeffport")]
        ),
        then=_titles("Odesa gnp.exe x port", absent=("\u202e", "\u2066", "\u200b")),
    ),
    Case(
        "absurd-dates",
        "years 9999 and 0001, 31 February, hour 25, a +9999 offset, an epoch of 0: no date "
        "outside 1990-2100 is kept (such an item counts when it was collected)",
        lambda ctx: rss(
            [
                entry(1, pubDate="Fri, 31 Dec 9999 23:59:59 +0000"),
                entry(2, pubDate="Mon, 01 Jan 0001 00:00:00 +0000"),
                entry(3, pubDate="Thu, 31 Feb 2025 10:00:00 +0000"),
                entry(4, pubDate="2025-05-28T25:61:00Z"),
                entry(5, pubDate="Wed, 28 May 2025 10:00:00 +9999"),
                entry(6, pubDate="Thu, 01 Jan 1970 00:00:00 GMT"),
                entry(7, pubDate="-1"),
            ]
        ),
        then=_count(7),
    ),
    Case(
        "missing-dates",
        "entries without any date: stored, counted at the time they were first collected",
        lambda ctx: rss([{"title": "Undated envoy report", "link": "https://news.example/u"}]),
        then=_undated_kept,
    ),
    Case(
        "duplicate-guids",
        "three entries with one link and one guid: one item",
        lambda ctx: rss(
            [entry(n, link="https://news.example/same", guid="same-guid") for n in range(3)]
        ),
        then=_count(1),
    ),
    Case(
        "colliding-linkless",
        "link-less entries with the same title and time: one item; other titles stay apart",
        lambda ctx: rss(
            [
                {"title": "Same words", "pubDate": "Wed, 28 May 2025 09:00:00 +0000"},
                {"title": "Same  words", "pubDate": "Wed, 28 May 2025 09:00:00 +0000"},
                {"title": "Other words", "pubDate": "Wed, 28 May 2025 09:00:00 +0000"},
            ]
        ),
        then=_count(2),
    ),
    Case(
        "sql-metacharacters",
        "SQL metacharacters in every field: stored verbatim as text, nothing executed",
        lambda ctx: rss(
            [entry(1, title=f"Talks {META}", description=META, author=META, category=META)],
            title=META,
        ),
        then=_titles("'; DROP TABLE items; --"),
    ),
    Case(
        "template-metacharacters",
        "Jinja, JS-template and ERB syntax in every field: printed literally, never evaluated",
        lambda ctx: rss([entry(1, title=f"Talks {TEMPLATE}", description=TEMPLATE)], TEMPLATE),
        then=_not_evaluated,
    ),
    Case(
        "huge-title",
        "a 100,000-character title: cut at limits.title_chars with the ' […]' marker",
        lambda ctx: rss([entry(1, title=HUGE)]),
        then=_each(lambda i: len(i.title) <= 500 and i.title.endswith(" […]")),
    ),
    Case(
        "huge-body",
        "a 100,000-character text without spaces: cut at limits.body_chars with the marker",
        lambda ctx: rss([entry(1, description=HUGE)]),
        then=_each(lambda i: len(i.body) <= MAX_BODY and i.body.endswith(" […]")),
    ),
    Case(
        "region-run",
        "a first sentence that is a long run of names before 'region' (the regions an opening "
        "gives are read from its first 1,000 characters, a few names at a time): no hang",
        lambda ctx: rss(
            [
                entry(
                    n,
                    title=f"Drones hit Zhytomyr fuel depot, {when} report",
                    description="Kyiv, " * 6_600 + f"{when} region",
                )
                for n, when in enumerate(("morning", "noon", "evening"))
            ]
        ),
    ),
    Case(
        "deep-nesting",
        "escaped HTML nested 5,000 levels deep in a description: no RecursionError escapes",
        lambda ctx: rss([entry(1, description="<div>" * 5_000 + "deep" + "</div>" * 5_000)]),
    ),
    Case(
        "hostile-links",
        "javascript:, vbscript:, data:, file:, protocol-relative and credentialed links: no "
        "item keeps a link other than http(s)",
        lambda ctx: rss(
            [
                entry(1, link="javascript:alert(1)"),
                entry(2, link=" JaVaScRiPt:alert(1)"),
                entry(3, link="vbscript:msgbox"),
                entry(4, link="data:text/html;base64,PHNjcmlwdD4="),
                entry(5, link="file:///etc/passwd"),
                entry(6, link="//evil.example/x"),
                entry(7, link="java\tscript:alert(1)"),
            ]
        ),
        then=_each(lambda i: i.url is None or i.url.startswith(("http://", "https://"))),
    ),
    Case(
        "json-feed-wrong-types",
        "a JSON Feed whose items are numbers, lists and objects with wrong-typed fields",
        lambda ctx: json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": ["not", "a", "string"],
                "items": [
                    1,
                    None,
                    ["x"],
                    {"title": {"x": 1}, "url": 5, "content_text": ["a"]},
                    {"title": "Typed fine", "url": "https://news.example/j", "date_published": 7},
                ],
            }
        ).encode(),
        then=_count(1),
    ),
    Case(
        "json-feed-deep",
        "JSON nested 100,000 levels deep: the source fails with a one-line warning",
        lambda ctx: b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}",
        culprit="source 'hostile'",
    ),
    Case(
        "over-max-bytes",
        "a file larger than the source's max_bytes: the source fails naming the limit",
        lambda ctx: rss([entry(n) for n in range(40)]),
        culprit="is larger than 2048 bytes",
        extra={"max_bytes": 2048},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_feed(case: Case, run, make_config, tmp_path: Path, canary: HTTPServer) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    ctx = Ctx(tmp_path, canary.url_for("").rstrip("/"), secret)
    good = tmp_path / "good.xml"
    good.write_bytes(
        rss([entry(n, link=f"https://good.example/{n}") for n in range(3)], title="Good Wire")
    )
    hostile = tmp_path / "hostile.xml"
    hostile.write_bytes(case.make(ctx))
    config = make_config(
        [
            {"name": "good", "type": "feed", "path": str(good)},
            {"name": "hostile", "type": "feed", "path": str(hostile), **(case.extra or {})},
        ]
    )
    started = time.monotonic()
    result = run("build", "--config", config, "--date", DAY)
    assert time.monotonic() - started < 20
    out = tmp_path / "out"
    check(result, 0, culprit=case.culprit, out_dir=out)
    if case.culprit is None:
        assert "source 'hostile'" not in result.err or "warning" in result.err
    items = sane_items(load_config(config))
    assert any(i.source == "good" for i in items)
    text = "".join(p.read_text("utf-8", "replace") for p in out.rglob("briefing-*"))
    if case.then is not None:
        case.then(items, text)
    assert canary.log == [], [str(r) for r, _ in canary.log]


def test_100000_entry_feed_is_cut_before_parsing(run, make_config, tmp_path: Path) -> None:
    """A 100,000-entry feed (7 MB, under max_bytes) costs what max_items entries cost: cut
    before feedparser reads it (which would take ~100 s), with a warning naming the count and
    the key."""
    items = "".join(
        f"<item><title>Entry {n}</title><link>https://news.example/{n}</link></item>"
        for n in range(100_000)
    )
    path = tmp_path / "huge.xml"
    path.write_text(f'<rss version="2.0"><channel><title>Huge</title>{items}</channel></rss>')
    config = make_config([{"name": "huge", "type": "feed", "path": str(path), "max_items": 500}])
    started = time.monotonic()
    result = run("collect", "--config", config)
    elapsed = time.monotonic() - started
    check(result, 0, culprit="has 100000 entries; only the first 500 were read (max_items)")
    assert "huge: warning, 500 items, 500 new; 99500 refused (99500 over max_items)" in result.out
    assert elapsed < 10
    with Store(load_config(config).database_url) as store:
        assert store.count_items() == 500
    (run_row,) = runs_add_up(load_config(config).database_url)
    assert (run_row["fetched"] + run_row["refused"], run_row["new"]) == (100_000, 500)


def test_items_per_source_cap_spans_files(run, make_config, tmp_path: Path) -> None:
    """max_items holds for a whole source, however many files its glob matches."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    for f in range(5):
        (folder / f"{f}.xml").write_bytes(rss([entry(f * 10 + n) for n in range(10)]))
    config = make_config(
        [{"name": "many", "type": "feed", "path": str(folder / "*.xml"), "max_items": 25}]
    )
    result = run("collect", "--config", config)
    check(result, 0, culprit="50 items; only the first 25 were kept (max_items)")
    assert "many: warning, 25 items, 25 new; 25 refused (25 over max_items)" in result.out


def test_configured_field_limits_cut_with_a_marker(run, make_config, tmp_path: Path) -> None:
    path = tmp_path / "long.xml"
    path.write_bytes(rss([entry(1, title="word " * 60, description="text " * 400)]))
    config = make_config(
        [{"name": "long", "type": "feed", "path": str(path)}],
        limits={"title_chars": 40, "body_chars": 300},
    )
    check(run("collect", "--config", config), 0)
    (item,) = sane_items(load_config(config))
    assert len(item.title) <= 40 and item.title.endswith(" […]")
    assert len(item.body) <= 300 and item.body.endswith(" […]")


NETWORK = [
    (
        "redirect-to-file",
        "a feed URL redirecting to file:///etc/passwd: refused, the file never read",
        lambda s: s.expect_request("/f").respond_with_data(
            "", status=302, headers={"Location": "file:///etc/passwd"}
        ),
        "only http and https addresses are fetched",
    ),
    (
        "redirect-loop",
        "a redirect loop: cut after five redirects",
        lambda s: s.expect_request("/f").respond_with_data(
            "", status=302, headers={"Location": "/f"}
        ),
        "too many redirects",
    ),
    (
        "html-not-feed",
        "an HTML error page served with status 200 as the feed",
        lambda s: s.expect_request("/f").respond_with_data(
            "<html><body><h1>Service unavailable</h1></body></html>", content_type="text/html"
        ),
        "is not an RSS, Atom or JSON feed",
    ),
    (
        "http-404",
        "a 404: one warning with the status and address",
        lambda s: s.expect_request("/f").respond_with_data("gone", status=404),
        "HTTP 404 from",
    ),
]


@pytest.mark.parametrize(
    ("name", "description", "serve", "culprit"), NETWORK, ids=[n[0] for n in NETWORK]
)
def test_hostile_feed_server(
    name, description, serve, culprit, run, make_config, tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve(httpserver)
    good = tmp_path / "good.xml"
    good.write_bytes(rss([entry(n, link=f"https://good.example/{n}") for n in range(2)]))
    config = make_config(
        [
            {"name": "good", "type": "feed", "path": str(good)},
            {
                "name": "hostile",
                "type": "feed",
                "url": httpserver.url_for("/f"),
                "allow_private": True,
            },
        ]
    )
    result = run("build", "--config", config, "--date", DAY)
    check(result, 0, culprit=culprit, out_dir=tmp_path / "out")
    assert "source 'hostile'" in result.err
    assert "root:" not in "".join(p.read_text() for p in (tmp_path / "out").rglob("briefing-*"))


def test_internal_address_without_allow_private_is_never_contacted(
    run, make_config, canary: HTTPServer, tmp_path: Path
) -> None:
    """A feed URL on 127.0.0.1 without allow_private: refused before connecting; the address
    sees no request, and the warning says how to allow it."""
    config = make_config([{"name": "internal", "type": "feed", "url": canary.url_for("/feed")}])
    result = run("collect", "--config", config)
    check(result, 1, culprit="set allow_private: true on the source to allow it")
    assert canary.log == []


@pytest.mark.parametrize(
    ("head", "item", "tail"),
    [
        (
            '<rss version="2.0"><channel><title>T</title>',
            "<item><title>E{n}</title></item>",
            "</channel></rss>",
        ),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>',
            "<entry><title>E{n}</title></entry>",
            "</feed>",
        ),
        (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/"><channel><title>T</title><items/></channel>',
            '<item rdf:about="https://x.example/{n}"><title>E{n}</title></item>',
            "</rdf:RDF>",
        ),
    ],
    ids=["rss", "atom", "rss1.0"],
)
def test_cut_documents_stay_well_formed(head: str, item: str, tail: str) -> None:
    """A feed cut before parsing is closed again, so the fast strict parser still reads it."""
    import io

    import feedparser

    from briefing.sources.feeds import first_entries

    doc = ('<?xml version="1.0"?><!-- <item> in a comment -->' + head).encode()
    doc += "".join(item.format(n=n) for n in range(50)).encode() + tail.encode()
    cut, count = first_entries(doc, 10)
    assert count == 50
    parsed = feedparser.parse(io.BytesIO(cut))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == [f"E{n}" for n in range(10)]
