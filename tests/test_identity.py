"""Canonical URLs and stable ids: spellings of one address are one item."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.text.identity import canonical_url, item_id, safe_url


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.news.example/world/story-1",
        "HTTPS://WWW.NEWS.EXAMPLE/world/story-1/",
        "https://www.news.example/world/story-1?utm_source=rss&utm_medium=feed",
        "https://www.news.example/world/story-1#comments",
        "https://www.news.example/world/story-1?fbclid=abc&gclid=def",
        "https://m.www.news.example/world/story-1",
        "https://www.news.example/world/story-1/amp/",
        "http://www.news.example:80/world//story-1",
    ],
)
def test_variants_share_one_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == "https://www.news.example/world/story-1"


def test_meaningful_query_parameters_stay() -> None:
    assert canonical_url("https://n.example/a?id=7&utm_source=x&page=2") == (
        "https://n.example/a?id=7&page=2"
    )


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "/relative",
        "vbscript:msgbox",
        "",
        None,
        "https://",
    ],
)
def test_only_absolute_http_links_survive(bad: str | None) -> None:
    assert safe_url(bad) is None


def test_ids_are_stable_and_fall_back_to_outlet_title_time() -> None:
    when = datetime(2025, 5, 28, 9, 0, tzinfo=UTC)
    assert item_id("https://a.example/x?utm_campaign=1", "A", "T", when) == item_id(
        "https://a.example/x", "B", "Other title", None
    )
    assert item_id(None, "Outlet", "Same  Title!", when) == item_id(
        None, "outlet", "same title", when
    )
    assert item_id(None, "Outlet", "Same title", when) != item_id(
        None, "Outlet", "Same title", None
    )


def test_plain_text_loses_every_control_format_and_private_character() -> None:
    import unicodedata

    from briefing.text.clean import plain

    others = [
        chr(c)
        for c in range(0x110000)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs", "Co") and chr(c) not in "\n\t"
    ]
    assert len(others) > 1000
    assert all(plain(f"a{ch}b", 10) in ("a b", "ab") for ch in others)
