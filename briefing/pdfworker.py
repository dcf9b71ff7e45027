"""The PDF child process: a briefing's HTML laid out by WeasyPrint, and nothing else.

`python -m briefing.pdfworker --worker` is the child render/pdf.py uses (see there): it imports
WeasyPrint, reads a warm-up page, says it is ready (one byte, "R"), lays the page out while it
waits, then lays out the one briefing it is sent and writes the PDF to stdout (a one-line
reason to stderr when it cannot). Messages are JSON with their length first. Without
`--worker` it reads one job, the whole of stdin, and writes its PDF.

It lives outside `briefing.render` so that starting it imports WeasyPrint and this module only,
not the templates and the other renderers; and so that `briefing build` can start it
(`start_early`) before it imports anything else of its own.

WeasyPrint's fetcher serves `data:` URLs and files inside the template directories (a logo or
font a template author put there, found relative to them) and nothing else: rendering never
reads another local file or contacts an address, whatever a feed managed to put into the HTML.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

from .errors import WorkError

WARM_UP = "<h1>Briefing</h1><h2>Section</h2><h3>Story</h3><p>Text <em>and</em> a source.</p>"
_EARLY: list[subprocess.Popen[bytes]] = []  # a child started before the build knew its formats


def spawn(worker: bool = True) -> subprocess.Popen[bytes]:
    """A new worker (`serve`), importing WeasyPrint at once; with `worker=False`, the one-job
    child (`main`) that reads its job from stdin until it closes."""
    package_root = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "briefing.pdfworker", *(["--worker"] if worker else [])],
        env={**os.environ, "PYTHONPATH": path},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )


def start_early() -> None:
    """Start a worker now, for a build that will probably write a PDF: its imports then overlap
    the build's own (about half a second before it has read its config). `take_early` hands it
    to the build; `discard_early` ends it if the build did not want it."""
    discard_early()
    _EARLY.append(spawn())


def take_early() -> subprocess.Popen[bytes] | None:
    return _EARLY.pop() if _EARLY else None


def discard_early() -> None:
    while _EARLY:
        proc = _EARLY.pop()
        proc.kill()
        with contextlib.suppress(ValueError, OSError, subprocess.TimeoutExpired):
            proc.communicate(timeout=10)


def render_pdf(html: str, css: str, roots: list[Path]) -> bytes:
    """Lay out `html` with `css`; raise WorkError with WeasyPrint's reason if it cannot.

    `roots` are the template directories, first the one relative URLs resolve against."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts missing
        raise WorkError(f"PDF output needs WeasyPrint and Pango: {exc}") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = _fetcher(roots)
    base = roots[0].resolve().as_uri() + "/" if roots else None
    try:
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
        stylesheet = weasyprint.CSS(string=css, base_url=base, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet], attachments=[])
    except RecursionError:
        raise WorkError("PDF layout failed: the document is nested too deeply") from None
    except BaseException as exc:  # FatalURLFetchingError is not an Exception subclass
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise WorkError(f"PDF layout failed: {type(exc).__name__}: {exc}") from None


def framed(message: bytes) -> bytes:
    """A message with its length first, so the worker need not wait for the pipe to close (a
    process forked meanwhile, a collect worker, may hold it open)."""
    return b"%d\n" % len(message) + message


def received(stream: Any) -> dict[str, Any] | None:
    header = stream.readline()
    if not header.strip():
        return None
    data = stream.read(int(header))
    return dict(json.loads(data.decode("utf-8")))


def serve() -> int:
    """The worker (`python -m briefing.pdfworker --worker`): warm up, say so, lay out one job."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        sys.stderr.write(f"PDF output needs WeasyPrint and Pango: {exc}\n")
        return 3
    warm = received(stdin)
    if warm is None:
        return 0
    stdout.write(b"R")
    stdout.flush()
    if not select.select([stdin], [], [], 0)[0]:  # idle: lay out a page while we wait
        with contextlib.suppress(WorkError):
            render_pdf(warm["html"], warm["css"], [Path(r) for r in warm["roots"]])
    job = received(stdin)
    if job is None:
        return 0
    try:
        pdf = render_pdf(job["html"], job["css"], [Path(r) for r in job["roots"]])
    except WorkError as exc:
        sys.stderr.write(f"{exc}\n")
        return 3
    stdout.write(pdf)
    stdout.flush()
    # the build waits for the end of this pipe, which comes with the process's end: leave now,
    # without tearing down the laid-out document object by object (nothing else is open)
    os._exit(0)


def main() -> int:
    if sys.argv[1:] == ["--worker"]:
        return serve()
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        pdf = render_pdf(job["html"], job["css"], [Path(r) for r in job["roots"]])
    except WorkError as exc:
        sys.stderr.write(f"{exc}\n")
        return 3
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    os._exit(0)  # (as `serve`: the caller reads until this process ends)


def _fetcher(roots: list[Path]) -> Any:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname  # (here: `briefing build` imports this module early)

    from weasyprint.urls import URLFetcher

    allowed = [root.resolve() for root in roots]

    class TemplateFetcher(URLFetcher):
        """`data:` URLs, and `file:` URLs inside the template directories; nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url[:5].lower() == "file:":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in allowed):
                    raise ValueError(f"{url} is outside the template directories")
            return super().fetch(url, headers)

    return TemplateFetcher(allowed_protocols={"data", "file"})


if __name__ == "__main__":
    sys.exit(main())
