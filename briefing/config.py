"""The configuration schema: one typed model, a docstring under every key.

Loading reports every problem at once as `config.yaml:LINE key.path: what is wrong` and exits 2;
unknown keys are errors so typos cannot pass silently. Relative paths are relative to the
directory of the config file, so a config works wherever it is run from.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

FORMATS = ("md", "html", "json", "pdf", "email")
EXTENSIONS = {"email": "email.html"}  # formats whose file name is not briefing-D.<format>
CONFIG_ENV = "BRIEFING_CONFIG"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use a name like 'Europe/Kyiv')") from None
    return value


class OutputConfig(_Strict):
    dir: str = "output"
    """Directory that receives `YYYY-MM-DD/briefing-YYYY-MM-DD.<format>`; relative to the config
    file."""

    formats: list[Literal["md", "html", "json", "pdf", "email"]] = ["md", "html", "json", "pdf"]
    """Formats written by `briefing build` unless `--format` says otherwise; `email` is the
    email-safe HTML (inline styles) used as a mail body, `briefing-D.email.html`."""


class TopicConfig(_Strict):
    require_any: list[str | dict[str, float]] = []
    """An item must match at least one of these terms (title or body) to enter the briefing.
    Empty: every item passes. `{term: 2}` weighs a term."""

    exclude: list[str | dict[str, float]] = []
    """Terms of look-alike topics; an item whose matches of these outweigh its `require_any`
    matches is dropped."""

    min_score: float = Field(1.0, ge=0)
    """Weighted `require_any` matches (title 3, body 1) an item needs to pass."""


class StoriesConfig(_Strict):
    threshold: float = Field(0.12, gt=0, le=1)
    """Mean TF-IDF cosine similarity (titles twice, plus the first `lead_words` words) at which two
    groups of items are one event. Lower merges more; higher splits more."""

    link_threshold: float = Field(0.25, gt=0, le=1)
    """The same measure, for joining new items to a story of an earlier briefing. Higher than
    `threshold`, because a new development of an old story should be its own story."""

    hours: float = Field(48, gt=0, le=24 * 14)
    """Items published further apart than this are never the same event."""

    lookback_days: int = Field(2, ge=0, le=30)
    """A new item continues a story shown in the briefings of this many previous days; the story
    is then shown as developing, with only the new items."""

    summary_sentences: int = Field(3, ge=1, le=6)
    """At most this many sentences, each copied from an item and linked to it."""

    lead_words: int = Field(100, ge=10, le=500)
    """How much of each item's text (besides its title) is compared."""


class ClassifierConfig(_Strict):
    kind: Literal["rules", "embedding"] = "rules"
    """`rules` (keywords only) or `embedding`: sentence embeddings place the stories the rules
    are unsure of (needs the `ml` extra)."""

    confident: float = Field(6.0, ge=0)
    """The rules decide alone when the best section scores at least this and 1.5 times the
    runner-up."""

    min_similarity: float = Field(0.3, ge=-1, le=1)
    """Below this similarity to every section's prototype, an unsure story goes to the
    catch-all."""


class SectionConfig(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)
    """Short identifier used in JSON and tags: lower-case letters, digits, `-` and `_`."""

    title: str
    """Heading shown in the briefing."""

    description: str = ""
    """Optional Markdown shown under the heading."""

    keywords: list[str | dict[str, float]] = []
    """Words and phrases that place a story here; case-insensitive, whole words, `*` matches any
    word ending (`negotiat*`); `{term: 2}` weighs a term double. A title match counts 3 times
    the weight, a body match once (half again for a second and third mention)."""

    exclude: list[str] = []
    """Terms that keep a story out of this section even when keywords match."""

    context: list[str | dict[str, float]] = []
    """Terms (same form as `keywords`) that add to the score only when a keyword matched too:
    the people and bodies that make this section's news, who also appear in stories that
    belong elsewhere."""

    min_score: float = Field(1.0, ge=0)
    """Score a story needs to land in this section."""

    max_stories: int | None = Field(None, ge=1)
    """Show at most this many stories (most outlets first, then most recent); the rest are
    counted."""

    catch_all: bool = False
    """Takes on-topic stories that match no other section. At most one section may set it."""

    examples: list[str] = []
    """Example headlines or sentences of this section, for the embedding classifier."""


class _SourceBase(_Strict):
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

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"(?i)^https?://[^/\s]+", value):
            raise ValueError("expected an http:// or https:// address")
        return value


class FeedSource(_SourceBase):
    type: Literal["feed"]
    """`feed`: RSS 0.9x/1.0/2.0, Atom or JSON Feed."""

    expand: bool = False
    """Fetch the full article for entries whose feed text is only a teaser."""


class PageSource(_SourceBase):
    type: Literal["page"]
    """`page`: an HTML article (one item) or a live blog (one item per post)."""


class ClippingSource(_SourceBase):
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
        return _known_zone(value) if value is not None else None


Source = Annotated[FeedSource | PageSource | ClippingSource, Field(discriminator="type")]
SOURCE_TYPES = ("feed", "page", "clipping")


from .config_delivery import (  # noqa: E402  (the schema continues there)
    DAYS,
    TARGET_TYPES,
    DirectoryTarget,
    EmailTarget,
    ScheduleConfig,
    Target,
    WebhookTarget,
    WindowConfig,
)
from .config_limits import LimitsConfig  # noqa: E402

__all__ = ["DAYS", "TARGET_TYPES", "DirectoryTarget", "EmailTarget", "WebhookTarget"]


class Config(_Strict):
    title: str = "Daily briefing"
    """Title printed on every briefing."""

    timezone: str = "UTC"
    """IANA time zone (e.g. `Europe/Kyiv`) that defines each day's window and printed times."""

    database: str | None = None
    """SQLAlchemy URL of the store; default `sqlite:///<output.dir>/briefing.db`."""

    desk: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    """This desk's name when several desks (configs) share one store: its briefings, stories and
    run ledger are kept apart from the other desks', and it sees only its own sources' items.
    Unset: the store's one unnamed desk, which sees every item."""

    templates: str | None = None
    """Directory whose templates override the defaults by file name."""

    output: OutputConfig = OutputConfig()
    """Where and in which formats briefings are written."""

    topic: TopicConfig = TopicConfig()
    """The relevance gate applied to every item before sections."""

    sources: list[Source] = Field(min_length=1)
    """Where items come from; see the source types in the README."""

    sections: list[SectionConfig] = Field(min_length=1)
    """Themed sections in briefing order."""

    classifier: ClassifierConfig = ClassifierConfig()
    """How stories are placed in sections: keyword rules, optionally helped by embeddings."""

    window: WindowConfig = WindowConfig()
    """Which hours make day D's briefing."""

    schedule: ScheduleConfig = ScheduleConfig()
    """When `briefing schedule` runs a cycle."""

    delivery: list[Target] = []
    """Where each briefing is delivered after it is built, once per target."""

    stories: StoriesConfig = StoriesConfig()
    """How items become stories: same-event merging, developing stories, summaries."""

    limits: LimitsConfig = LimitsConfig()
    """Ceilings that hold whatever the sources send: field lengths, PDF time, store waits."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _known_zone(value)


class LoadedConfig:
    """A validated config together with where it came from, which resolves its paths."""

    def __init__(self, model: Config, path: Path) -> None:
        self.model = model
        self.path = path
        self.base_dir = path.parent

    def __getattr__(self, name: str) -> Any:
        if name == "model" or name.startswith("__"):  # while unpickling, before __dict__ is set
            raise AttributeError(name)
        return getattr(self.model, name)

    def resolve(self, value: str) -> Path:
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else self.base_dir / p

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.model.timezone)

    @property
    def output_dir(self) -> Path:
        return self.resolve(self.model.output.dir)

    @property
    def database_url(self) -> str:
        if self.model.database:
            url = self.model.database
            if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
                rel = url.removeprefix("sqlite:///")
                if rel and rel != ":memory:":
                    return "sqlite:///" + str(self.resolve(rel))
            return url
        return "sqlite:///" + str(self.output_dir / "briefing.db")

    @property
    def templates_dir(self) -> Path | None:
        return self.resolve(self.model.templates) if self.model.templates else None


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The config models inside an annotation such as list[Annotated[A | B, ...]]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in models_in(arg)]


def find_config(explicit: str | None) -> Path:
    """`--config`, else ./config.yaml, else $BRIEFING_CONFIG."""
    from .configload import find

    return find(explicit)


def load_config(path: Path) -> LoadedConfig:
    """Read and validate `path`, reporting every problem with its line; raise ConfigError."""
    from .configload import load

    return load(path)
