"""The whole config: its top-level keys, where it was loaded from, and the schema assembled from
the registered source types and delivery targets.

`Config` names the base types of `sources` and `delivery`; `config_model()` is the same model
with those lists typed as the union of every registered type, which is what a config file is
validated against, so a type registered later (a plug-in, a test's toy type) is known at once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, PrivateAttr, create_model, field_validator

from ..delivery import TARGET_TYPES, TargetConfig
from ..registry import Registry, Strict, known_zone
from ..sources import SOURCE_TYPES, SourceConfig
from .schema import (
    ClassifierConfig,
    LimitsConfig,
    OutputConfig,
    ScheduleConfig,
    SectionConfig,
    StoriesConfig,
    TopicConfig,
    WindowConfig,
)

if TYPE_CHECKING:
    from ..store import Store


class Config(Strict):
    """A validated config and the file it came from, which resolves its relative paths."""

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

    sources: list[SourceConfig] = Field(min_length=1)
    """Where items come from; see the source types in the README."""

    sections: list[SectionConfig] = Field(min_length=1)
    """Themed sections in briefing order."""

    classifier: ClassifierConfig = ClassifierConfig()
    """How stories are placed in sections: keyword rules, optionally helped by embeddings."""

    window: WindowConfig = WindowConfig()
    """Which hours make day D's briefing."""

    schedule: ScheduleConfig = ScheduleConfig()
    """When `briefing schedule` runs a cycle."""

    delivery: list[TargetConfig] = []
    """Where each briefing is delivered after it is built, once per target."""

    stories: StoriesConfig = StoriesConfig()
    """How items become stories: same-event merging, developing stories, summaries."""

    limits: LimitsConfig = LimitsConfig()
    """Ceilings that hold whatever the sources send: field lengths, PDF time, store waits."""

    _path: Path = PrivateAttr(default_factory=lambda: Path("config.yaml").resolve())

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return known_zone(value)

    @property
    def path(self) -> Path:
        """The config file (absolute)."""
        return self._path

    @property
    def base_dir(self) -> Path:
        """Relative paths in the config are relative to its folder."""
        return self._path.parent

    def located(self, path: Path) -> Config:
        """This config as read from `path`."""
        self._path = path.resolve()
        return self

    def resolve(self, value: str) -> Path:
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else self.base_dir / p

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def output_dir(self) -> Path:
        return self.resolve(self.output.dir)

    @property
    def database_url(self) -> str:
        if self.database:
            url = self.database
            if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
                rel = url.removeprefix("sqlite:///")
                if rel and rel != ":memory:":
                    return "sqlite:///" + str(self.resolve(rel))
            return url
        return "sqlite:///" + str(self.output_dir / "briefing.db")

    @property
    def templates_dir(self) -> Path | None:
        return self.resolve(self.templates) if self.templates else None

    def open_store(self) -> Store:
        """The store, seen as this config's desk: a named desk sees only its sources' items."""
        from ..store import Store

        desk = self.desk or ""
        sources = [s.name for s in self.sources] if desk else None
        return Store(self.database_url, desk, sources, self.limits.store_timeout)


_built: dict[tuple[int, int], type[Config]] = {}


def config_model() -> type[Config]:
    """Config with `sources` and `delivery` typed as the union of the registered types."""
    key = (SOURCE_TYPES.version, TARGET_TYPES.version)
    if key not in _built:
        sources = Field(min_length=1)
        delivery: Any = Field([])
        _built.clear()
        _built[key] = create_model(
            "Config",
            __base__=Config,
            __module__=__name__,
            sources=(_list_of(SOURCE_TYPES), sources),
            delivery=(_list_of(TARGET_TYPES), delivery),
        )
    return _built[key]


def _list_of(registry: Registry[Any]) -> Any:
    """A list of the registered classes, told apart by their `type` key."""
    classes = tuple(registry.classes())
    if not classes:
        return list[registry.base]  # type: ignore[name-defined]
    return list[Annotated[Union[classes], Field(discriminator="type")]]  # type: ignore[valid-type]  # noqa: UP007


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The config models inside an annotation such as list[Annotated[A | B, ...]]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in models_in(arg)]
