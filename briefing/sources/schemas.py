"""The built-in source types' config schemas (`clipping`, `feed`, `page`), registered in this
order. What a type does with a document lives in its own module (clipping.py, feeds.py,
pages.py), imported when the first document of that type is read: loading a config, or
building from stored items, never imports feedparser, lxml or trafilatura."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import field_validator

from ..registry import known_zone
from .registry import SOURCE_TYPES, Document, ParseContext, Parsed, SourceConfig


@SOURCE_TYPES.register
class ClippingSource(SourceConfig):
    type: Literal["clipping"]
    """`clipping`: plain-text captures of news pages (aggregator listings, live pages)."""

    captured: str | None = None
    """When the text was captured (`2025-06-02` or `2025-06-02T08:30`); relative dates such as
    "3 days ago" resolve against it. Default: the file's modification time."""

    layout: Literal["auto", "listing", "live"] = "auto"
    """`listing` (blocks of outlet, date, headline, body), `live` (a title, bullets and headed
    posts) or `auto` to tell them apart."""

    timezone: str | None = None
    """Time zone of times printed in the text (e.g. `Europe/London`); default: the config's."""

    url_is_label: ClassVar[bool] = True  # the text is read from `path:`; `url:` names the page

    @field_validator("captured")
    @classmethod
    def _iso_time(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise ValueError("expected a date like 2025-06-02 or 2025-06-02T08:30") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return known_zone(value) if value is not None else None

    @classmethod
    def preload(cls) -> None:
        from . import clipping  # noqa: F401

    def parse(self, doc: Document, ctx: ParseContext) -> Parsed:
        from .clipping import Layout, parse_clipping

        return parse_clipping(doc, self, ctx, Layout(self.captured, self.layout, self.timezone))


@SOURCE_TYPES.register
class FeedSource(SourceConfig):
    type: Literal["feed"]
    """`feed`: RSS 0.9x/1.0/2.0, Atom or JSON Feed."""

    expand: bool = False
    """Fetch the full article for entries whose feed text is only a teaser."""

    def needs_network(self) -> bool:
        return self.fetches_url() or self.expand

    @classmethod
    def preload(cls) -> None:
        from . import fastfeed, feeds  # noqa: F401

    def parse(self, doc: Document, ctx: ParseContext) -> Parsed:
        from .feeds import parse_feed

        return parse_feed(doc, self, ctx, expand=self.expand)


@SOURCE_TYPES.register
class PageSource(SourceConfig):
    type: Literal["page"]
    """`page`: an HTML article (one item) or a live blog (one item per post)."""

    @classmethod
    def preload(cls) -> None:
        from . import pages  # noqa: F401

    def parse(self, doc: Document, ctx: ParseContext) -> Parsed:
        from .pages import parse_page

        return parse_page(doc, self, ctx)
