"""Several desks' configs read together: each loaded (every problem reported at once), checked
to share one store under distinct desk names, and their sources joined, each name once. Kept
apart from the runner so `briefing collect` can start parsing before the store's imports load.
"""

from __future__ import annotations

from ..errors import ConfigError
from ..sources import SourceConfig
from .load import find_config, load_config
from .model import Config


def load_desks(paths: tuple[str, ...]) -> list[Config]:
    """Every --config given (the default one when none is), every problem reported at once."""
    configs: list[Config] = []
    problems: list[str] = []
    for path in paths or (None,):
        try:
            configs.append(load_config(find_config(path)))
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return configs


def check_desks(configs: list[Config]) -> None:
    """Configs collected together must share one store and name distinct desks."""
    if len(configs) < 2:
        return
    from ..store import mask_url  # (only to name the stores that differ)

    problems: list[str] = []
    first = configs[0]
    for config in configs:
        if not config.desk:
            problems.append(
                f"{config.path}: desk: must be set when several configs share a store "
                "(each desk its own name)"
            )
        if config.database_url != first.database_url:
            problems.append(
                f"{config.path}: database: {mask_url(config.database_url)} is not the store of "
                f"{first.path} ({mask_url(first.database_url)}); desks collected together share "
                "one store"
            )
    seen: dict[str, Config] = {}
    for config in configs:
        if config.desk and config.desk in seen:
            problems.append(
                f"{config.path}: desk: {config.desk!r} is also the desk of {seen[config.desk].path}"
            )
        seen.setdefault(config.desk or "", config)
    if problems:
        raise ConfigError(problems)


def union_sources(configs: list[Config]) -> list[tuple[SourceConfig, Config]]:
    """Every desk's sources, each name once (with the first config that lists it)."""
    chosen: dict[str, tuple[SourceConfig, Config]] = {}
    problems: list[str] = []
    for config in configs:
        for index, source in enumerate(config.sources):
            if source.name not in chosen:
                chosen[source.name] = (source, config)
                continue
            other, where = chosen[source.name]
            if _identity(other, where) != _identity(source, config):
                problems.append(
                    f"{config.path}: sources[{index}]: {source.name!r} is defined differently in "
                    f"{where.path}; a source shared by desks needs the same settings (or "
                    "another name)"
                )
    if problems:
        raise ConfigError(problems)
    return list(chosen.values())


def _identity(source: SourceConfig, config: Config) -> dict[str, object]:
    """What a source reads, with its path resolved as its own config resolves it."""
    data = source.model_dump()
    if source.path:
        data["path"] = str(config.resolve(source.path))
    return data
