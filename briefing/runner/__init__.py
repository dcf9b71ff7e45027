"""Running the job: one cycle (collect, build, deliver once per window), the windows due, the
locks that keep runs apart, the scheduler, and several desks sharing one collection."""

from .cycle import CycleReport, cycle, deliver, needed_formats
from .desks import collect_desks, cycle_desks, load_desks, union_sources
from .locks import EXIT_LOCKED, LockedError, locked, run_lock_key
from .windows import due_windows, latest_closed

__all__ = [
    "EXIT_LOCKED",
    "CycleReport",
    "LockedError",
    "collect_desks",
    "cycle",
    "cycle_desks",
    "deliver",
    "due_windows",
    "latest_closed",
    "load_desks",
    "locked",
    "needed_formats",
    "run_lock_key",
    "union_sources",
]
