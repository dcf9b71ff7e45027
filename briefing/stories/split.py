"""A day's per-story work shared with a second core: the jobs taken from both ends.

Summaries are written story by story, independently, and on a 10,000-item day they are the
largest part of a build; a second core halves them. The child is forked (it inherits the jobs
and the item vectors already computed, nothing is sent to it) and sends back its results.
Neither side is given a fixed half: this process takes jobs from the front, the child from the
back, a few at a time, until they meet, so the work is shared evenly however long each job
takes and whatever else this process does first (the day's facts are read while its word
statistics are worked out) or the machine's other work takes from either side.
Forking is done only while this process runs no other thread (the scheduler runs cycles in
threads, and forking a threaded process can copy a lock another thread holds); otherwise, for
few jobs, or if the child fails, this process does all the work itself.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
MIN_JOBS = 100  # below this the fork and the pickling cost more than they save
CLAIMS = 512  # each side takes about this share (1/CLAIMS) of the jobs at a time...
MAX_CLAIM = 16  # ...and never more jobs than this
LOCK_WAIT = 5.0  # seconds: a lock held longer was held by a child that died


def split_map(work: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
    """[work(job) for job in jobs], shared with a forked child when worthwhile."""
    return Split(work, jobs).results()


class Split(Generic[Job, Result]):
    """split_map started now and finished by `results()`: the child works from the back of the
    jobs while this process does something else first, then takes them from the front. Until
    `results()` is called a child may be running: call it (or `cancel()`) before the process
    goes on to other forks or ends."""

    def __init__(self, work: Callable[[Job], Result], jobs: Sequence[Job]) -> None:
        self.work, self.jobs = work, jobs
        self.child: Any = None
        self.parent = os.getpid()
        if (
            len(jobs) < MIN_JOBS
            or (os.cpu_count() or 1) < 2
            or threading.active_count() > 1
            or multiprocessing.current_process().daemon
        ):
            return
        context = multiprocessing.get_context("fork")
        self.claim = max(1, min(MAX_CLAIM, len(jobs) // CLAIMS))
        self.lock = context.Lock()
        self.bounds = context.RawArray("q", [0, len(jobs)])  # [front, back): jobs nobody took
        self.receive, send = context.Pipe(duplex=False)
        self.child = context.Process(
            target=_from_back,
            args=(send, work, jobs, self.bounds, self.lock, self.claim),
            daemon=True,
        )
        self.child.start()
        send.close()

    def results(self) -> list[Result]:
        work, jobs = self.work, self.jobs
        if self.child is None or os.getpid() != self.parent:  # (a forked copy of this object)
            self.child = None
            return [work(job) for job in jobs]
        theirs: list[tuple[int, list[Result]]] | None = None
        try:
            mine, met = self._from_front()
            try:
                theirs = _claims(self.receive.recv_bytes())
            except (EOFError, OSError):
                theirs = None
        finally:
            self.cancel()
        done = [r for _, part in sorted(theirs or [], key=lambda p: p[0]) for r in part]
        if theirs is None or len(done) != len(jobs) - met:
            done = [work(job) for job in jobs[met:]]  # the child failed: do what it took
        return mine + done

    def _from_front(self) -> tuple[list[Result], int]:
        """This process's results, from the front until it meets the child; and where."""
        mine: list[Result] = []
        while True:
            if not self.lock.acquire(timeout=LOCK_WAIT):
                # the child died holding it (or hangs): do the rest here, and leave it nothing
                self.bounds[0] = self.bounds[1] = len(self.jobs)
                return mine + [self.work(job) for job in self.jobs[len(mine) :]], len(self.jobs)
            try:
                front, back = self.bounds[0], self.bounds[1]
                end = min(back, front + self.claim)
                self.bounds[0] = end
            finally:
                self.lock.release()
            if front >= end:
                return mine, front
            mine.extend(self.work(job) for job in self.jobs[front:end])

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


def _from_back(
    send: Any, work: Callable[[Any], Any], jobs: Sequence[Any], bounds: Any, lock: Any, claim: int
) -> None:
    """The child: jobs from the back until it meets this process; (start, results) per claim,
    each pickled as soon as it is done (while this process still works, not after), into one
    stream whose memo they share, as one pickle of them all would. The cyclic collector does
    not run: the child lives for one share of the work, makes little cyclic garbage, and a
    collection would walk (and copy from the parent) the whole inherited heap."""
    gc.disable()
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, pickle.HIGHEST_PROTOCOL)
    try:
        while True:
            with lock:
                front, back = bounds[0], bounds[1]
                start = max(front, back - claim)
                bounds[1] = start
            if start >= back:
                break
            pickler.dump((start, [work(job) for job in jobs[start:back]]))
        send.send_bytes(stream.getbuffer())
    finally:
        send.close()


def _claims(data: bytes) -> list[tuple[int, list[Any]]]:
    """The child's (start, results) pairs, read back from its stream."""
    unpickler = pickle.Unpickler(io.BytesIO(data))
    claims = []
    while True:
        try:
            claims.append(unpickler.load())
        except EOFError:
            return claims
