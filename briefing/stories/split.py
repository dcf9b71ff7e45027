"""A day's per-story work shared with a second core: half the jobs in a forked child.

Summaries are written story by story, independently, and on a 10,000-item day they are the
largest part of a build; a second core halves them. The child is forked (it inherits the jobs
and the item vectors already computed, nothing is sent to it) and sends back its results. A
`Split` can start its child before this process has other work to do (the day's facts are read
while its word statistics are worked out), and then gives the child more than half.
Forking is done only while this process runs no other thread (the scheduler runs cycles in
threads, and forking a threaded process can copy a lock another thread holds); otherwise, for
few jobs, or if the child fails, this process does all the work itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
MIN_JOBS = 100  # below this the fork and the pickling cost more than they save


def split_map(work: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
    """[work(job) for job in jobs], the second half done in a forked child when worthwhile."""
    return Split(work, jobs).results()


class Split(Generic[Job, Result]):
    """split_map started now and finished by `results()`: the child works on its share
    (`share` of the jobs, the later ones) while this process does something else first, then
    its own share. Until `results()` is called a child may be running: call it (or `cancel()`)
    before the process goes on to other forks or ends."""

    def __init__(
        self, work: Callable[[Job], Result], jobs: Sequence[Job], share: float = 0.5
    ) -> None:
        self.work, self.jobs = work, jobs
        self.child: Any = None
        self.cut = len(jobs)
        self.parent = os.getpid()
        if (
            len(jobs) < MIN_JOBS
            or (os.cpu_count() or 1) < 2
            or threading.active_count() > 1
            or multiprocessing.current_process().daemon
        ):
            return
        self.cut = len(jobs) - int(len(jobs) * share)
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.child = context.Process(
            target=_child, args=(send, work, jobs[self.cut :]), daemon=True
        )
        self.child.start()
        send.close()

    def results(self) -> list[Result]:
        work, jobs = self.work, self.jobs
        if self.child is None or os.getpid() != self.parent:  # (a forked copy of this object)
            self.child = None
            return [work(job) for job in jobs]
        theirs: list[Result] | None = None
        try:
            mine = [work(job) for job in jobs[: self.cut]]
            try:
                theirs = self.receive.recv()
            except (EOFError, OSError):
                theirs = None
        finally:
            self.cancel()
        if theirs is None or len(theirs) != len(jobs) - self.cut:
            theirs = [work(job) for job in jobs[self.cut :]]  # the child failed: do its share
        return mine + theirs

    def cancel(self) -> None:
        """Stop the child, if any (its results are then never used)."""
        child, self.child = self.child, None
        if child is None or os.getpid() != self.parent:
            return
        if child.is_alive():
            child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
        self.receive.close()


def _child(send: Any, work: Callable[[Any], Any], jobs: Sequence[Any]) -> None:
    try:
        send.send([work(job) for job in jobs])
    finally:
        send.close()
