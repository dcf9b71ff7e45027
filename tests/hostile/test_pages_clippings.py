"""Hostile pages and clippings through the real CLI, beside a good feed. Each case names its
input (`data`) and expected behaviour (`description`); `culprit` is what the one-line warning
must name (None: the source reads cleanly). Parser-level cases live in tests/test_pages.py
(huge pages, hostile JSON-LD and markup posts, charsets) and tests/test_clipping.py (the
property-based test of random text); these run the same kinds of input end to end."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from briefing.config import load_config

from .conftest import DAY, entry, rss
from .invariants import check, sane_items

CANARY = "{canary}"  # replaced by the canary server's address


@dataclass
class Case:
    id: str
    type: str
    description: str
    data: bytes
    culprit: str | None = None
    keys: dict[str, Any] = field(default_factory=dict)
    min_items: int = 0  # items the hostile source must still give


def _page(body: str, head: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><title>Talks page</title>{head}</head>"
        f"<body><article><h1>Envoys meet in Istanbul</h1>{body}</article></body></html>"
    ).encode()


PROSE = "<p>" + "Delegations met in Istanbul on Monday to discuss a ceasefire. " * 12 + "</p>"
ACTIVE = (
    '<script>alert(1)</script><iframe src="{canary}/frame"></iframe>'
    '<object data="{canary}/obj"></object><embed src="{canary}/embed">'
    '<img src="{canary}/img.png" onerror="alert(1)"><svg onload="alert(1)"><use href="#x"/></svg>'
    '<a href="javascript:alert(1)">click</a><form action="{canary}/f"><button>go</button></form>'
    "<style>@import url({canary}/s.css); body{background:url({canary}/b.png)}</style>"
)
LISTING = (
    "Latest headlines\n\nKyiv Ledger\n2 days ago\n- World\n"
    "Envoys meet in Istanbul for talks on a ceasefire\n"
    "Delegations met in Istanbul on Monday. They will meet again on Thursday.\n"
)

CASES = [
    Case(
        "page-active-content",
        "page",
        "scripts, iframes, objects, event handlers, javascript: links, forms and CSS imports "
        "in an article: the item is plain text, nothing is fetched",
        _page(PROSE + ACTIVE, head='<meta http-equiv="refresh" content="0;url={canary}/r">'),
        min_items=1,
    ),
    Case(
        "page-base-href",
        "page",
        "a <base href> at the canary and relative links: nothing is fetched",
        _page(PROSE + '<a href="/x">x</a><img src="y.png">', head='<base href="{canary}/">'),
        min_items=1,
    ),
    Case(
        "page-binary",
        "page",
        "a GIF served as a page: one warning naming the file",
        b"GIF89a" + bytes(range(256)) * 20,
        culprit="source 'hostile'",
    ),
    Case(
        "page-deep-nesting",
        "page",
        "an article inside 50,000 nested <div>s: no RecursionError escapes",
        _page("<div>" * 50_000 + PROSE + "</div>" * 50_000),
    ),
    Case(
        "page-lying-charset",
        "page",
        "a page declaring UTF-16 that is UTF-8 with a stray invalid byte",
        _page(PROSE.replace("Monday", "Mon\xffday"), head='<meta charset="utf-16">').replace(
            "Mon\xffday".encode(), b"Mon\xffday"
        ),
    ),
    Case(
        "page-empty",
        "page",
        "a page with nothing in it: a warning naming the file, the source fails",
        b"<html><body>   </body></html>",
        culprit="has no article text or live-blog posts",
    ),
    Case(
        "page-jsonld-bomb",
        "page",
        "200 JSON-LD scripts, one nested 10,000 levels and one with 1,200 live updates: "
        "bounded (1,000 posts read, the cut named in the warning)",
        _page(
            PROSE,
            head="".join(
                f'<script type="application/ld+json">{{"@type":"Thing","n":{n}}}</script>'
                for n in range(200)
            )
            + '<script type="application/ld+json">'
            + '{"a":[' * 10_000
            + "]}" * 10_000
            + "</script>",
        ).replace(
            b"<head>",
            b'<head><script type="application/ld+json">'
            + json.dumps(
                {
                    "@type": "LiveBlogPosting",
                    "liveBlogUpdate": [
                        {
                            "@type": "BlogPosting",
                            "headline": f"Update {n} from Istanbul",
                            "articleBody": f"Envoys spoke again, update {n}.",
                            "datePublished": "2025-05-28T10:00:00+00:00",
                        }
                        for n in range(1200)
                    ],
                }
            ).encode()
            + b"</script>",
        ),
        culprit="has 1200 posts; only 1000 were read",
        min_items=1000,
    ),
    Case(
        "clipping-binary",
        "clipping",
        "NUL bytes and binary junk in a text capture: never an exception, items sane",
        b"\x00\x01\x02Kyiv\x00Ledger\n\x00\n" + bytes(range(256)) * 10 + LISTING.encode(),
    ),
    Case(
        "clipping-huge-line",
        "clipping",
        "one line of 1,000,000 characters: read, cut to the field limits",
        (LISTING.rstrip("\n") + " " + "ceasefire " * 100_000 + "\n").encode(),
        min_items=1,
    ),
    Case(
        "clipping-absurd-dates",
        "clipping",
        "'99999999 days ago', 31-02-2025, 00-00-0000 and year 0001 date lines: no date "
        "outside 1990-2100",
        "".join(
            f"Kyiv Ledger\n{when}\n- World\nEnvoys meet for talks number {n}\n"
            f"Delegations met again, round {n}.\n\n"
            for n, when in enumerate(
                ["99999999 days ago", "31-02-2025", "00-00-0000", "1 January 0001", "-5 days ago"]
            )
        ).encode(),
    ),
    Case(
        "clipping-bad-utf8",
        "clipping",
        "invalid UTF-8, a UTF-16 fragment and bidi controls: decoded with replacements",
        LISTING.replace("Istanbul", "Ist\u202eanbul").encode()
        + b"\xff\xfe\xc3(\n"
        + "UTF-16 tail".encode("utf-16"),
    ),
    Case(
        "clipping-furniture-only",
        "clipping",
        "only page furniture lines: a warning that nothing was found, the source fails",
        b"Leave a Reply\n\nShare\n\nSign up for our newsletter\n\nAccept all cookies\n",
        culprit="source 'hostile'",
    ),
    Case(
        "clipping-many-entries",
        "clipping",
        "a listing of 2,500 entries: cut at 2,000 per file, the cut named in the warning",
        "".join(
            f"Kyiv Ledger\n2 days ago\n- World\nEnvoys meet for talks number {n}\n"
            f"Delegations met again in round {n}.\n\n"
            for n in range(2500)
        ).encode(),
        culprit="only 2000 items read",
        min_items=2000,
    ),
]
# a typo-proof table: every case has a type that exists
assert {c.type for c in CASES} <= {"page", "clipping"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_page_or_clipping(
    case: Case, run, make_config, tmp_path: Path, canary: HTTPServer
) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(rss([entry(n, link=f"https://good.example/{n}") for n in range(3)]))
    hostile = tmp_path / ("hostile.html" if case.type == "page" else "hostile.txt")
    hostile.write_bytes(case.data.replace(b"{canary}", canary.url_for("").rstrip("/").encode()))
    keys = {"captured": "2025-05-30"} if case.type == "clipping" else {}
    config = make_config(
        [
            {"name": "good", "type": "feed", "path": str(good)},
            {"name": "hostile", "type": case.type, "path": str(hostile), **keys, **case.keys},
        ]
    )
    started = time.monotonic()
    result = run("build", "--config", config, "--date", DAY)
    assert time.monotonic() - started < 30
    check(result, 0, culprit=case.culprit, out_dir=tmp_path / "out")
    if case.culprit is None:
        assert "source 'hostile'" not in result.err
    items = sane_items(load_config(config))
    assert len([i for i in items if i.source == "hostile"]) >= case.min_items
    assert canary.log == []
