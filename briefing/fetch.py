"""The one HTTP client: honest User-Agent, a size cap, and a deadline for the whole request.

httpx timeouts apply per read, so a server dripping one byte a second would never time out;
the body is streamed and both its size and the total elapsed time are checked as it arrives.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from . import __version__

USER_AGENT = f"briefing/{__version__} (daily news briefing; +https://pypi.org/project/briefing/)"
MAX_BYTES = 10 * 1024 * 1024
DEADLINE = 30.0


class FetchError(Exception):
    """A fetch that failed, with a message fit for the Sources note."""


@dataclass
class Response:
    url: str
    status: int
    content: bytes
    content_type: str


def make_client() -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
        timeout=httpx.Timeout(10.0, connect=10.0),
        follow_redirects=True,
        max_redirects=5,
        verify=True,
    )


def fetch(
    client: httpx.Client, url: str, max_bytes: int = MAX_BYTES, deadline: float = DEADLINE
) -> Response:
    """GET `url` and return its body, or raise FetchError naming what went wrong."""
    started = time.monotonic()
    try:
        with client.stream("GET", url) as resp:
            if resp.status_code >= 400:
                raise FetchError(f"HTTP {resp.status_code} from {url}")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url} is larger than {max_bytes // 1024} KiB")
                if time.monotonic() - started > deadline:
                    raise FetchError(f"{url} took longer than {deadline:.0f} s")
                chunks.append(chunk)
            return Response(
                str(resp.url),
                resp.status_code,
                b"".join(chunks),
                resp.headers.get("content-type", ""),
            )
    except httpx.TimeoutException:
        raise FetchError(f"{url} timed out") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}".rstrip(": ")) from None
