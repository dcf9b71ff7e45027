"""Several desks, one collection: configs that share a store are collected together, each
source once, and each desk then builds and delivers its own briefing from the shared store.

A source is known across desks by its `name`: desks that follow the same source give it the
same name and the same settings, and the store remembers every source that delivered an item,
so each desk sees what its own sources delivered whichever desk collected it first.
"""

from __future__ import annotations

from ..config import Config, find_config, load_config
from ..errors import ConfigError
from ..models import SourceReport
from ..pipeline import Progress, collect
from ..sources import SourceConfig
from ..store import Store, mask_url
from .cycle import CycleReport, cycle


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


def collect_desks(configs: list[Config], on_done: Progress | None = None) -> list[SourceReport]:
    """Collect the union of the desks' sources once into their shared store."""
    check_desks(configs)
    pairs = union_sources(configs)
    with Store(configs[0].database_url, busy_timeout=configs[0].limits.store_timeout) as store:
        return collect(configs[0], store, on_done, sources=pairs)


def cycle_desks(configs: list[Config], force: bool = False, wait: bool = False) -> CycleReport:
    """One collection for every desk, then each desk's cycle (build and deliver what is due)."""
    collect_desks(configs)
    total = CycleReport()
    for config in configs:
        report = cycle(config, force=force, wait=wait, collect=False)
        total.add(report, config.desk or str(config.path))
    return total
