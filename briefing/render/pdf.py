"""PDF: the briefing's HTML laid out by WeasyPrint with the print stylesheet, in a child.

WeasyPrint is imported only by the child (`render_pdf` in pdfworker.py), so `briefing --help`
and Markdown-only builds stay fast; its fetcher reads nothing outside the template directories.

WeasyPrint cannot be interrupted from inside (a thread cannot be stopped, and it may hold the
GIL in a long layout), so a build lays the PDF out in a child process that is killed when it
overruns `limits.pdf_timeout`: a runaway layout costs that many seconds, never the whole build.
The child is forked while this process runs no other thread (cheap); otherwise (the scheduler
runs cycles in threads) it is a fresh interpreter, because forking a threaded process can copy a
lock some other thread holds.

A build that writes a PDF starts its child first of all (`PdfWorker`; `briefing build` even
before it reads its config, `pdfworker.start_early`): a fresh interpreter that
imports WeasyPrint and lays out a small page with the print stylesheet (fonts found, caches
filled) while the build collects, clusters and renders the other formats, then waits for the
briefing. The time limit counts from when the briefing is sent, so it still stops a runaway
layout and only that; the start-up has a limit of its own.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from ..errors import WorkError
from ..pdfworker import WARM_UP, framed, main, render_pdf, spawn, take_early

__all__ = ["PdfTimeout", "PdfWorker", "render_pdf", "render_pdf_within"]

log = logging.getLogger("briefing")


class PdfTimeout(WorkError):
    """The layout overran its wall-clock limit and was stopped."""


def render_pdf_within(
    html: str, css: str, roots: list[Path], seconds: float, worker: PdfWorker | None = None
) -> bytes:
    """render_pdf() in a child process (`worker`, when one was started early), stopped after
    `seconds`; raise WorkError (PdfTimeout when it overran) with a one-line reason."""
    if worker is not None:
        return worker.render(html, css, roots, seconds)
    if threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return _in_fresh_python(html, css, roots, seconds)  # (a daemon may not fork children)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, html, css, roots), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise PdfTimeout(_overran(seconds))
        kind, payload = receive.recv()
    except EOFError:
        child.join(5)
        raise WorkError(f"PDF layout failed: the renderer died (exit {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if kind != "pdf":
        raise WorkError(payload)
    return payload


def _overran(seconds: float) -> str:
    return f"the layout took longer than {seconds:g} s (limits.pdf_timeout)"


def _child(send: Any, html: str, css: str, roots: list[Path]) -> None:
    """In the forked child: lay out and send back ("pdf", bytes) or ("error", message)."""
    try:
        send.send(("pdf", render_pdf(html, css, roots)))
    except WorkError as exc:
        send.send(("error", str(exc)))
    finally:
        send.close()


def _in_fresh_python(html: str, css: str, roots: list[Path], seconds: float) -> bytes:
    """The same in a new interpreter (`python -m briefing.pdfworker`): the job travels as JSON on
    stdin, the PDF comes back on stdout, a one-line reason on stderr."""
    job = json.dumps({"html": html, "css": css, "roots": [str(r) for r in roots]})
    proc = spawn(worker=False)
    try:
        out, err = proc.communicate(job.encode("utf-8"), timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise PdfTimeout(_overran(seconds)) from None
    return _result(proc.returncode, out, err)


STARTUP_LIMIT = 120.0  # seconds a worker may take to import WeasyPrint and warm up


class PdfWorker:
    """A fresh interpreter, started early, that lays out one briefing (see the module
    docstring). `render` sends it the briefing; `close` ends it, whatever happened."""

    def __init__(self, css: str, roots: list[Path]) -> None:
        self.proc = take_early() or spawn()
        warm = {"html": WARM_UP, "css": css, "roots": [str(r) for r in roots]}
        assert self.proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # (a worker that died says why in `render`)
            # small enough for the pipe's buffer, so this never waits for the worker
            self.proc.stdin.write(framed(json.dumps(warm).encode("utf-8")))

    def render(self, html: str, css: str, roots: list[Path], seconds: float) -> bytes:
        """The briefing's PDF, laid out within `seconds` of sending it; WorkError (PdfTimeout
        when it overran) with a one-line reason otherwise."""
        try:
            self._ready()
            job = {"html": html, "css": css, "roots": [str(r) for r in roots]}
            message = json.dumps(job).encode("utf-8")
            try:
                out, err = self.proc.communicate(framed(message), timeout=seconds)
            except subprocess.TimeoutExpired:
                raise PdfTimeout(_overran(seconds)) from None
            return _result(self.proc.returncode, out, err)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(ValueError, OSError, subprocess.TimeoutExpired):
            self.proc.communicate(timeout=10)

    def _ready(self) -> None:
        """Wait for the worker's start-up: one byte once it has warmed up."""
        assert self.proc.stdout is not None
        readable, _, _ = select.select([self.proc.stdout], [], [], STARTUP_LIMIT)
        if not readable:
            raise WorkError(f"PDF layout failed: the renderer did not start in {STARTUP_LIMIT:g} s")
        if os.read(self.proc.stdout.fileno(), 1) != b"R":
            self.proc.wait()
            err = self.proc.stderr.read() if self.proc.stderr is not None else b""
            raise WorkError(_reason(self.proc.returncode, err))


def _result(code: int | None, out: bytes, err: bytes) -> bytes:
    if code != 0 or not out.startswith(b"%PDF"):
        raise WorkError(_reason(code, err))
    return out


def _reason(code: int | None, err: bytes) -> str:
    lines = err.decode("utf-8", "replace").strip().splitlines()
    reason = lines[-1] if lines else f"the renderer died (exit {code})"
    return reason if reason.startswith("PDF") else f"PDF layout failed: {reason}"


if __name__ == "__main__":  # the child's old name
    sys.exit(main())
