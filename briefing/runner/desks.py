"""Several desks, one collection: configs that share a store are collected together, each
source once, and each desk then builds and delivers its own briefing from the shared store.

A source is known across desks by its `name`: desks that follow the same source give it the
same name and the same settings, and the store remembers every source that delivered an item,
so each desk sees what its own sources delivered whichever desk collected it first.
"""

from __future__ import annotations

from ..config import Config
from ..config.desks import check_desks, load_desks, union_sources
from ..models import SourceReport
from ..pipeline import Progress, Started, collect
from ..store import Store
from .cycle import CycleReport, cycle

__all__ = ["check_desks", "collect_desks", "cycle_desks", "load_desks", "union_sources"]


def collect_desks(
    configs: list[Config], on_done: Progress | None = None, started: Started | None = None
) -> list[SourceReport]:
    """Collect the union of the desks' sources once into their shared store; `started` holds
    the local files already given to workers (`pipeline.start_local`)."""
    check_desks(configs)
    pairs = union_sources(configs)
    with Store(configs[0].database_url, busy_timeout=configs[0].limits.store_timeout) as store:
        return collect(configs[0], store, on_done, sources=pairs, started=started)


def cycle_desks(configs: list[Config], force: bool = False, wait: bool = False) -> CycleReport:
    """One collection for every desk, then each desk's cycle (build and deliver what is due)."""
    collect_desks(configs)
    total = CycleReport()
    for config in configs:
        report = cycle(config, force=force, wait=wait, collect=False)
        total.add(report, config.desk or str(config.path))
    return total
