"""The source registry: what every source type shares, and how one is added.

A source type is one module and one registration: a `SourceConfig` subclass whose `type` key is
a literal, whose fields are its config keys and whose `parse` turns one document into items,
registered with `@SOURCE_TYPES.register`. The config schema, the collector and the error
messages learn every type from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import Field, PrivateAttr, field_validator

from ..models import Item
from ..registry import Registry, Strict


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


OVER_MAX_ITEMS = "over max_items"  # the refusal of an entry past a source's `max_items`


@dataclass
class Parsed:
    """One document's items, what went wrong reading it, and each entry it did not make into an
    item, so that every entry is accounted for: entries read = items + refused."""

    items: list[Item]
    warnings: list[str]  # problems with the document as a whole, for the Sources note
    refused: list[str] = field(default_factory=list)  # one reason per entry left out


class SourceFailure(Exception):
    """The source as a whole could not be read."""


class SourceConfig(Strict):
    """The keys every source has; a registered subclass adds `type` and its own keys."""

    _where: str = PrivateAttr("")  # `config.yaml:12 sources[3].path`, for messages (set at load)

    type: str
    """The source type (`feed`, `page`, `clipping`, or another registered one)."""

    name: str = Field(min_length=1, max_length=80)
    """Unique name used in logs and in the briefing's Sources note."""

    path: str | None = None
    """A local file or glob (relative to the config file). Feeds and pages take exactly one of
    `path` and `url`; clippings need `path`."""

    url: str | None = None
    """An http(s) address. Feeds and pages are fetched from it; for a clipping it only names the
    page the text was captured from (used for links)."""

    outlet: str | None = None
    """Outlet name shown for its items; default: what the source itself says (feed title, page
    site name, the outlet lines of a listing), else the source's name."""

    allow_private: bool = False
    """Allow `url:` to point at a loopback, private or link-local address (refused by default, so
    a hostile redirect cannot reach internal services)."""

    timeout: float = Field(30.0, gt=0, le=600)
    """Seconds one request may take from connecting to its last byte."""

    max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    """Largest response (after decompression) or file read, in bytes; larger ones are cut."""

    max_items: int = Field(2_000, ge=1, le=20_000)
    """Items read from this source per run; a feed with more entries is cut before it is
    parsed, and the Sources note says so."""

    url_is_label: ClassVar[bool] = False
    """True where `url:` only names where the text came from, and `path:` is read instead."""

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"(?i)^https?://[^/\s]+", value):
            raise ValueError("expected an http:// or https:// address")
        return value

    @classmethod
    def where_problem(cls, entry: Mapping[str, Any]) -> str | None:
        """What is wrong with where this source reads from, checked on the raw config entry so
        that it is reported beside any other problem of the entry."""
        if cls.url_is_label:
            return None if "path" in entry else f"a {entry.get('type')} source needs 'path'"
        return (
            None
            if ("path" in entry) != ("url" in entry)
            else "give exactly one of 'path' and 'url'"
        )

    def fetches_url(self) -> bool:
        """Whether `url:` is fetched (else `path:` is read)."""
        return bool(self.url) and not self.url_is_label

    def needs_network(self) -> bool:
        """Whether reading this source contacts the network (a feed that expands teasers does,
        even from a local file)."""
        return self.fetches_url()

    @classmethod
    def preload(cls) -> None:
        """Import what `parse` needs, if it imports it lazily: collection calls this before it
        forks the processes that parse local files, so they inherit it."""

    def parse(self, doc: Document, ctx: ParseContext) -> Parsed:
        """One document's items, and warnings for what could not be read."""
        raise NotImplementedError(f"source type {self.type!r} has no parser")


SOURCE_TYPES: Registry[SourceConfig] = Registry("source", SourceConfig)
