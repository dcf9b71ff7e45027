"""The server behind `briefing serve`: a read-only preview of the output folder, the archive
at `/` (kept apart from the command so that `briefing --help` never imports http.server).

The standard library's HTTP server parses the requests; the handler below only decides which
file answers. It answers GET and HEAD only, and only with a briefing's files, the archive, the
feed and the previous/next pages: a path is percent-decoded once, refused when any part of it
is `..`, `.`, hidden (`.archive-cache.json`) or holds a backslash or NUL, then resolved —
symlinks followed — and refused unless it is still inside the output folder and ends in one of
the formats we write (so the store, `briefing.db`, is never served either). Every refusal is a
plain 404 that says nothing about what exists.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from email.utils import formatdate
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from ..errors import WorkError

log = logging.getLogger("briefing")

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/atom+xml; charset=utf-8",
}
# The pages are self-contained: nothing but their own inline styles may load or run.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


class PreviewHandler(SimpleHTTPRequestHandler):
    """Answers from `root` (set on a subclass per server), read-only."""

    root: Path
    server_version = "briefing-preview"

    def version_string(self) -> str:
        return self.server_version  # not the Python version

    def send_head(self) -> IO[bytes] | None:  # type: ignore[override]
        path = self.resolve(self.path)
        if path is not None and path.is_dir():
            path = self.page_of(path)
            if path is not None and path.parent != self.root:  # a day's folder: its briefing
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", f"/{path.parent.name}/{path.name}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
        if path is None or not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        try:
            handle = path.open("rb")
            size = os.fstat(handle.fileno()).st_size
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", TYPES[path.suffix])
        self.send_header("Content-Length", str(size))
        self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.send_header("Cache-Control", "no-cache")  # a preview shows the latest build
        self.send_header("X-Content-Type-Options", "nosniff")
        if path.suffix == ".html":
            self.send_header("Content-Security-Policy", CSP)
        if path.suffix == ".pdf":
            self.send_header("Content-Disposition", f'inline; filename="{path.name}"')
        self.end_headers()
        return handle

    def resolve(self, target: str) -> Path | None:
        """The file or folder inside the root that a request target names, or None."""
        raw = urlsplit(target).path
        if not raw.startswith("/"):
            return None
        try:
            decoded = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\x00" in decoded or "\\" in decoded:
            return None
        parts = [p for p in decoded.split("/") if p]
        if any(p in (".", "..") or p.startswith(".") for p in parts):
            return None
        try:
            path = self.root.joinpath(*parts).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return None
        if not path.is_relative_to(self.root):
            return None
        if path.is_dir() or path.suffix in TYPES:
            return path
        return None

    def page_of(self, folder: Path) -> Path | None:
        """What a folder shows: the archive at the root, a day's HTML briefing in its folder."""
        name = "index.html" if folder == self.root else f"briefing-{folder.name}.html"
        page = folder / name
        return page if page.is_file() else None

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")  # never a listing
        return None

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a reader's open connection never holds up Ctrl-C

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A reader who went away mid-download is no error of ours: a -v line, no traceback."""
        log.info(
            "%s: connection ended early",
            client_address[0],
            exc_info=log.isEnabledFor(logging.DEBUG),
        )


def make_server(root: Path, host: str, port: int) -> ThreadingHTTPServer:
    """A threaded server for `root` listening on host:port (0: a free port)."""
    handler = type("Handler", (PreviewHandler,), {"root": root.resolve()})
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("Server", (PreviewServer,), {"address_family": family})
    try:
        return server_class((host, port), handler)
    except OSError as exc:
        raise WorkError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
