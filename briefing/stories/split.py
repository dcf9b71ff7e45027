"""A day's per-story work shared with a second core: half the jobs in a forked child.

Summaries are written story by story, independently, and on a 10,000-item day they are the
largest part of a build; a second core halves them. The child is forked (it inherits the jobs
and the item vectors already computed, nothing is sent to it) and sends back its results.
Forking is done only while this process runs no other thread (the scheduler runs cycles in
threads, and forking a threaded process can copy a lock another thread holds); otherwise, for
few jobs, or if the child fails, this process does all the work itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
MIN_JOBS = 100  # below this the fork and the pickling cost more than they save


def split_map(work: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
    """[work(job) for job in jobs], the second half done in a forked child when worthwhile."""
    if (
        len(jobs) < MIN_JOBS
        or (os.cpu_count() or 1) < 2
        or threading.active_count() > 1
        or multiprocessing.current_process().daemon
    ):
        return [work(job) for job in jobs]
    half = len(jobs) // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, work, jobs[half:]), daemon=True)
    child.start()
    send.close()
    theirs: list[Result] | None = None
    try:
        mine = [work(job) for job in jobs[:half]]
        try:
            theirs = receive.recv()
        except (EOFError, OSError):
            theirs = None
    finally:
        if child.is_alive():
            child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
        receive.close()
    if theirs is None or len(theirs) != len(jobs) - half:
        theirs = [work(job) for job in jobs[half:]]  # the child failed: do its half here
    return mine + theirs


def _child(send: Any, work: Callable[[Any], Any], jobs: Sequence[Any]) -> None:
    try:
        send.send([work(job) for job in jobs])
    finally:
        send.close()
