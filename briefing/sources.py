"""Source types: where a source's documents come from, and which parser turns them into items.

A registry keyed by the config's `type`, so a new source type is one parser function and one
schema class, and collect never needs to know the difference.
"""

from __future__ import annotations

import glob
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

from .config import LoadedConfig, Source
from .fetch import FetchError, fetch
from .models import Item

MAX_FILES = 5_000
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass
class Document:
    """Raw bytes of one file or response, with where they came from for messages."""

    origin: str
    data: bytes


@dataclass
class Parsed:
    items: list[Item]
    warnings: list[str]


Parser = Callable[[Document, Source, datetime], Parsed]


class SourceFailure(Exception):
    """The source as a whole could not be read."""


def documents(source: Source, config: LoadedConfig, client: httpx.Client | None) -> list[Document]:
    """Read the files matched by `path:` or fetch `url:`."""
    if source.url:
        if client is None:
            raise SourceFailure("no HTTP client available")
        try:
            resp = fetch(client, source.url)
        except FetchError as exc:
            raise SourceFailure(str(exc)) from None
        return [Document(source.url, resp.content)]
    pattern = str(config.resolve(source.path or ""))
    matches = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
    files = [Path(m) for m in matches if Path(m).is_file()]
    if not files:
        raise SourceFailure(f"no file matches {source.path}")
    docs = []
    for path in files[:MAX_FILES]:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise SourceFailure(f"{path} is larger than {MAX_FILE_BYTES // 1024} KiB")
            docs.append(Document(str(path), path.read_bytes()))
        except OSError as exc:
            raise SourceFailure(f"cannot read {path}: {exc.strerror}") from None
    return docs


def parser_for(type_name: str) -> Parser:
    from . import feeds

    registry: dict[str, Parser] = {"feed": feeds.parse_feed}
    return registry[type_name]
