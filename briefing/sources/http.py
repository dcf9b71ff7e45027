"""The one HTTP client, for sources and webhooks: limits that hold against slow, huge, broken
and hostile servers.

- httpx timeouts apply per read, so a server dripping a byte a second never times out. Every
  socket operation here gets `min(timeout, time left before the deadline)`, so one request,
  headers included, never outlives its deadline.
- The body is decompressed here in bounded steps and counted after decompression, so a small
  gzip bomb is cut at the size cap instead of inflating in memory.
- Addresses are checked where the connection is made, after DNS resolution and on every
  redirect: loopback, private, link-local and other internal ranges are refused unless the
  source allows them, and the connection goes to the address that was checked.
- Timeouts, 429 and 5xx are retried a bounded number of times with backoff, honouring
  Retry-After; conditional GET (ETag / Last-Modified) avoids refetching unchanged feeds.
"""

from __future__ import annotations

import contextvars
import email.utils
import ipaddress
import random
import socket
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx

from .. import __version__

USER_AGENT = f"briefing/{__version__} (daily news briefing; +https://pypi.org/project/briefing/)"
MAX_BYTES = 10 * 1024 * 1024
DEADLINE = 30.0  # seconds for one request, from connect to the last byte
ATTEMPTS = 3
BACKOFF = 0.5  # seconds before the first retry; doubles after
MAX_RETRY_AFTER = 30.0

_PASSED = "deadline passed"
_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("deadline", default=0.0)
_allow_private: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "allow_private", default=False
)


class FetchError(Exception):
    """A fetch that failed, with a message fit for the Sources note."""


class FetchRefused(FetchError):
    """An address the source may not contact (private or local), or a name that does not
    resolve: trying again cannot help."""


class AddressRefused(httpcore.ConnectError):
    """Raised where the connection is made; httpx passes it on as the cause of its own
    ConnectError, so callers tell a refusal from a network failure by type, not by text."""


class NameUnresolved(httpcore.ConnectError):
    """The host name does not resolve."""


def refused(exc: BaseException) -> bool:
    """Whether an httpx error was our refusal of the address (not a failure of the network)."""
    return isinstance(exc.__cause__, AddressRefused)


@dataclass
class Response:
    url: str
    status: int  # 200, or 304 when the validators matched
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None


def _cap(timeout: float | None) -> float | None:
    """`timeout`, shortened to what is left before the request's deadline."""
    deadline = _deadline.get()
    if not deadline:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout(_PASSED)
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cap(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cap(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _cap(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Resolves, checks and connects to one vetted address under the request's deadline."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        address = vetted_address(host, port, _allow_private.get())
        stream = self._inner.connect_tcp(
            address, port, _cap(timeout), local_address, socket_options
        )
        return _Stream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def vetted_address(host: str, port: int, allow_private: bool) -> str:
    """The first address of `host` that may be contacted; raise ConnectError naming why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise NameUnresolved(f"cannot resolve {host}: {exc}") from None
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0])
        if allow_private or ip.is_global:
            return str(ip)
    raise AddressRefused(
        f"{host} resolves to a private or local address ({infos[0][4][0]}); "
        "set allow_private: true on the source to allow it"
    )


def make_client() -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0)
    transport._pool._network_backend = _Backend()  # the only hook httpx offers for this
    return httpx.Client(
        transport=transport,
        headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(10.0, connect=10.0),
        follow_redirects=True,
        max_redirects=5,
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    allow_private: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
    deadline: float = DEADLINE,
) -> Response:
    """GET `url` with retries; raise FetchError with a one-line reason if it cannot be had."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _attempt(client, url, headers, allow_private, max_bytes, deadline)
        except _Retry as exc:
            if attempt == ATTEMPTS:
                raise FetchError(f"{exc} (after {ATTEMPTS} attempts)") from None
            wait = exc.wait if exc.wait is not None else BACKOFF * 2 ** (attempt - 1)
            time.sleep(min(wait, MAX_RETRY_AFTER) * (1 + random.random() / 10))
    raise AssertionError("unreachable")


def post_json(
    client: httpx.Client, url: str, payload: Any, *, allow_private: bool, deadline: float
) -> int:
    """POST `payload` as JSON under the same address checks and deadline as fetch(); return the
    status. No retries and no redirects (a POST is not safely repeated or re-aimed: the caller
    decides), and the body is never read. httpx errors propagate."""
    tokens = (_deadline.set(time.monotonic() + deadline), _allow_private.set(allow_private))
    try:
        with client.stream("POST", url, json=payload, follow_redirects=False) as resp:
            return resp.status_code
    finally:
        _deadline.reset(tokens[0])
        _allow_private.reset(tokens[1])


class _Retry(Exception):
    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


def _attempt(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    allow_private: bool,
    max_bytes: int,
    deadline: float,
) -> Response:
    ends = time.monotonic() + deadline
    tokens = (_deadline.set(ends), _allow_private.set(allow_private))
    try:
        with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 429 or resp.status_code >= 500:
                raise _Retry(
                    f"HTTP {resp.status_code} from {url}",
                    _retry_after(resp.headers.get("Retry-After")),
                )
            if resp.status_code == 304:
                return Response(
                    str(resp.url),
                    304,
                    b"",
                    resp.headers.get("content-type", ""),
                    resp.headers.get("etag"),
                    resp.headers.get("last-modified"),
                )
            if resp.status_code >= 400:
                raise FetchError(f"HTTP {resp.status_code} from {url}")
            body = b"".join(_decoded(resp, url, max_bytes))
            return Response(
                str(resp.url),
                resp.status_code,
                body,
                resp.headers.get("content-type", ""),
                resp.headers.get("etag"),
                resp.headers.get("last-modified"),
            )
    except httpx.TimeoutException:
        if time.monotonic() >= ends - 0.1:  # a server that drips will drip again: no retry
            raise FetchError(f"{url} took longer than {deadline:g} s; cut") from None
        raise _Retry(f"{url} timed out") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: too many redirects") from None
    except httpx.ConnectError as exc:
        reason = str(exc) or "connection failed"
        if isinstance(exc.__cause__, AddressRefused | NameUnresolved):
            raise FetchRefused(f"{url}: {reason}") from None
        raise _Retry(f"{url}: {reason}") from None
    except httpx.UnsupportedProtocol:
        raise FetchError(f"{url}: only http and https addresses are fetched") from None
    except httpx.HTTPError as exc:
        raise _Retry(f"{url}: {type(exc).__name__}: {exc}") from None
    finally:
        _deadline.reset(tokens[0])
        _allow_private.reset(tokens[1])


def _decoded(resp: httpx.Response, url: str, max_bytes: int) -> Iterator[bytes]:
    """The body, decompressed in bounded steps and counted after decompression."""
    encoding = resp.headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoder: Any = zlib.decompressobj(47)  # gzip or zlib header, detected
    elif encoding in ("", "identity"):
        decoder = None
    else:
        raise FetchError(f"{url}: unsupported content encoding {encoding!r}")
    size = 0
    for raw in resp.iter_raw():
        pieces = [raw] if decoder is None else _inflate(decoder, raw, url)
        for piece in pieces:
            size += len(piece)
            if size > max_bytes:
                raise FetchError(
                    f"{url} is larger than {_size(max_bytes)} (after decompression); cut"
                )
            yield piece


def _inflate(decoder: Any, data: bytes, url: str) -> Iterator[bytes]:
    try:
        chunk = decoder.decompress(data, 65536)
        while chunk:
            yield chunk
            chunk = decoder.decompress(decoder.unconsumed_tail, 65536)
    except zlib.error as exc:
        raise FetchError(f"{url}: corrupt compressed body ({exc})") from None


def _size(n: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} bytes"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
