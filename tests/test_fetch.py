"""HTTP collection against a real server on 127.0.0.1: limits hold against slow, huge, broken
and looping servers, unchanged feeds are not fetched twice, internal addresses are refused."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from briefing.config import load_config
from briefing.sources.http import (
    AddressRefused,
    FetchRefused,
    fetch,
    make_client,
    vetted_address,
)
from briefing.store import Store

FEED = (Path(__file__).parent / "fixtures" / "wire.rss.xml").read_bytes()
SECTIONS = [{"id": "other", "title": "Other", "catch_all": True}]


def config_for(write_config, url: str, **extra: object) -> Path:
    source = {"name": "wire", "type": "feed", "url": url, "allow_private": True, **extra}
    return write_config({"sections": SECTIONS, "sources": [source]})


def test_unchanged_feed_gets_304_and_adds_nothing(cli, write_config, httpserver: HTTPServer):
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(FEED, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"})

    httpserver.expect_request("/feed").respond_with_handler(handler)
    config = config_for(write_config, httpserver.url_for("/feed"))
    assert cli("collect", "--config", str(config))[1].strip() == "wire: ok, 3 items, 3 new"
    code, out, err = cli("collect", "--config", str(config))
    assert (code, err) == (0, "")
    assert out.strip() == "wire: not modified, 0 items, 0 new"
    assert seen == [None, '"v1"']
    with Store(load_config(config).database_url) as store:
        assert store.count_items() == 3


def test_a_dripping_server_is_cut_at_the_deadline(cli, write_config, httpserver: HTTPServer):
    def drip() -> object:
        for byte in FEED:
            time.sleep(0.5)
            yield bytes([byte])

    httpserver.expect_request("/drip").respond_with_handler(
        lambda request: Response(drip(), content_type="application/rss+xml")
    )
    config = config_for(write_config, httpserver.url_for("/drip"), timeout=2)
    started = time.monotonic()
    code, _, err = cli("collect", "--config", str(config))
    elapsed = time.monotonic() - started
    assert code == 1  # the only source failed
    assert f"{httpserver.url_for('/drip')} took longer than 2 s; cut" in err
    assert elapsed < 6


def test_oversized_and_gzip_bomb_bodies_are_cut(cli, write_config, httpserver: HTTPServer):
    bomb = gzip.compress(b"<rss>" + b" " * (60 * 1024 * 1024))
    assert len(bomb) < 100 * 1024
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )
    httpserver.expect_request("/big").respond_with_data(b"x" * (3 * 1024 * 1024))
    config = write_config(
        {
            "sections": SECTIONS,
            "sources": [
                {
                    "name": "bomb",
                    "type": "feed",
                    "url": httpserver.url_for("/bomb"),
                    "allow_private": True,
                },
                {
                    "name": "big",
                    "type": "feed",
                    "url": httpserver.url_for("/big"),
                    "allow_private": True,
                    "max_bytes": 1048576,
                },
            ],
        }
    )
    code, _, err = cli("collect", "--config", str(config))
    assert code == 1
    lines = err.strip().splitlines()
    assert (
        f"warning: source 'bomb': {httpserver.url_for('/bomb')} is larger than 10 MiB "
        "(after decompression); cut"
    ) in lines
    assert (
        f"warning: source 'big': {httpserver.url_for('/big')} is larger than 1 MiB "
        "(after decompression); cut"
    ) in lines


def test_server_errors_and_429_are_retried_honouring_retry_after(
    cli, write_config, httpserver: HTTPServer
):
    calls: list[float] = []

    def flaky(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("busy", status=503)
        if len(calls) == 2:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(FEED, content_type="application/rss+xml")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    code, out, _ = cli(
        "collect", "--config", str(config_for(write_config, httpserver.url_for("/flaky")))
    )
    assert code == 0 and out.strip() == "wire: ok, 3 items, 3 new"
    assert len(calls) == 3
    assert calls[2] - calls[1] >= 1.0


def test_a_redirect_loop_fails_cleanly(cli, write_config, httpserver: HTTPServer):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    code, _, err = cli(
        "collect", "--config", str(config_for(write_config, httpserver.url_for("/a")))
    )
    assert code == 1
    assert (
        err.strip() == f"warning: source 'wire': {httpserver.url_for('/a')}: too many redirects"
        "\nerror: every source failed; nothing was collected"
    )


def test_private_addresses_are_refused_unless_allowed(cli, write_config, httpserver: HTTPServer):
    httpserver.expect_request("/feed").respond_with_data(FEED)
    url = httpserver.url_for("/feed")
    config = write_config(
        {"sections": SECTIONS, "sources": [{"name": "inside", "type": "feed", "url": url}]}
    )
    code, _, err = cli("collect", "--config", str(config))
    assert code == 1
    assert (
        "resolves to a private or local address (127.0.0.1); set allow_private: true on the "
        "source to allow it"
    ) in err
    assert httpserver.log == []  # nothing was sent


def test_a_cut_under_one_mebibyte_names_its_size(cli, write_config, httpserver: HTTPServer):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    config = config_for(write_config, httpserver.url_for("/big"), max_bytes=2048)
    code, _, err = cli("collect", "--config", str(config))
    assert code == 1
    assert f"{httpserver.url_for('/big')} is larger than 2 KiB (after decompression); cut" in err


def test_a_refused_address_is_a_typed_refusal_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(FEED)
    with make_client() as client, pytest.raises(FetchRefused, match="private or local address"):
        fetch(client, httpserver.url_for("/feed"))
    assert httpserver.log == []  # refused before connecting: no request, no retries


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.4",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "0.0.0.0",
        "100.64.0.1",
        "localhost",
    ],
)
def test_internal_addresses_are_vetted_out_before_any_connection(host: str) -> None:
    with pytest.raises(AddressRefused, match="private or local address"):
        vetted_address(host, 80, allow_private=False)
    assert vetted_address(host, 80, allow_private=True)
