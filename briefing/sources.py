"""Source types: where a source's documents come from, and which parser turns them into items.

A registry keyed by the config's `type`, so a new source type is one parser function and one
schema class, and collect never needs to know the difference.
"""

from __future__ import annotations

import glob
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from .config import LoadedConfig, Source
from .fetch import FetchError, fetch
from .models import Item

MAX_FILES = 5_000


@dataclass
class Document:
    """Raw bytes of one file or response, with where they came from for messages."""

    origin: str  # the path or URL, for messages
    data: bytes
    url: str | None = None  # final address after redirects, for resolving relative links
    modified: datetime | None = None  # a file's modification time (UTC)
    content_type: str = ""


@dataclass
class ParseContext:
    """What a parser may know beyond the document itself."""

    captured: datetime  # when this collection run started (UTC)
    zone: ZoneInfo  # the config's time zone
    fetch: Callable[[str], bytes] | None = None  # fetch a linked article (feed `expand:`)
    known: Callable[[str], bool] | None = None  # is this item id stored already?


@dataclass
class Parsed:
    items: list[Item]
    warnings: list[str]


Parser = Callable[[Document, Source, ParseContext], Parsed]


class SourceFailure(Exception):
    """The source as a whole could not be read."""


@dataclass
class Fetched:
    """A source's documents, or word that its URL has not changed since the last run."""

    docs: list[Document]
    not_modified: bool = False
    validators: tuple[str | None, str | None] | None = None  # (ETag, Last-Modified) to keep


def documents(
    source: Source,
    config: LoadedConfig,
    client: httpx.Client | None,
    validators: tuple[str | None, str | None] = (None, None),
) -> Fetched:
    """Read the files matched by `path:` or fetch `url:` (a clipping's `url:` is only a label)."""
    if source.url and source.type != "clipping":
        if client is None:
            raise SourceFailure("no HTTP client available")
        try:
            resp = fetch(
                client,
                source.url,
                allow_private=source.allow_private,
                etag=validators[0],
                last_modified=validators[1],
                max_bytes=source.max_bytes,
                deadline=source.timeout,
            )
        except FetchError as exc:
            raise SourceFailure(str(exc)) from None
        kept = (resp.etag, resp.last_modified)
        if resp.status == 304:
            return Fetched([], not_modified=True, validators=kept)
        doc = Document(source.url, resp.content, url=resp.url, content_type=resp.content_type)
        return Fetched([doc], validators=kept)
    pattern = str(config.resolve(source.path or ""))
    matches = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
    files = [Path(m) for m in matches if Path(m).is_file()]
    if not files:
        raise SourceFailure(f"no file matches {source.path}")
    docs = []
    for path in files[:MAX_FILES]:
        try:
            stat = path.stat()
            if stat.st_size > source.max_bytes:
                raise SourceFailure(f"{path} is larger than {source.max_bytes} bytes")
            modified = datetime.fromtimestamp(stat.st_mtime, UTC)
            docs.append(Document(str(path), path.read_bytes(), modified=modified))
        except OSError as exc:
            raise SourceFailure(f"cannot read {path}: {exc.strerror}") from None
    return Fetched(docs)


def parser_for(type_name: str) -> Parser:
    """The parser for a source type; modules are imported only when a source uses them."""
    if type_name == "feed":
        from .feeds import parse_feed

        return parse_feed
    if type_name == "page":
        from .pages import parse_page

        return parse_page
    if type_name == "clipping":
        from .clipping import parse_clipping

        return parse_clipping
    raise KeyError(type_name)
