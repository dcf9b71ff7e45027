"""The pipeline: collect every source into the store, and build a day's briefing from it —
the callables the CLI, the scheduler and the tests run."""

from .build import build, pin_source_statuses
from .collect import (
    Progress,
    Started,
    collect,
    collect_into_store,
    read_source,
    start_local,
    store_items,
)

__all__ = [
    "Progress",
    "Started",
    "build",
    "collect",
    "collect_into_store",
    "pin_source_statuses",
    "read_source",
    "start_local",
    "store_items",
]
