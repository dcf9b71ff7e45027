"""PDF: the briefing's HTML laid out by WeasyPrint with the print stylesheet.

WeasyPrint is imported here only, so `briefing --help` and Markdown-only builds stay fast. Its
fetcher serves `data:` URLs and files inside the template directories (a logo or font a template
author put there, found relative to them) and nothing else: rendering never reads another local
file or contacts an address, whatever a feed managed to put into the HTML.

WeasyPrint cannot be interrupted from inside (a thread cannot be stopped, and it may hold the
GIL in a long layout), so a build lays the PDF out in a child process that is killed when it
overruns `limits.pdf_timeout`: a runaway layout costs that many seconds, never the whole build.
The child is forked while this process runs no other thread (cheap); otherwise (the scheduler
runs cycles in threads) it is a fresh interpreter, because forking a threaded process can copy a
lock some other thread holds.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from ..errors import WorkError

log = logging.getLogger("briefing")


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


class PdfTimeout(WorkError):
    """The layout overran its wall-clock limit and was stopped."""


def render_pdf_within(html: str, css: str, roots: list[Path], seconds: float) -> bytes:
    """render_pdf() in a child process, stopped after `seconds`; raise WorkError (PdfTimeout
    when it overran) with a one-line reason."""
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
    """The same in a new interpreter (`python -m briefing.render.pdf`): the job travels as JSON on
    stdin, the PDF comes back on stdout, a one-line reason on stderr."""
    job = json.dumps({"html": html, "css": css, "roots": [str(r) for r in roots]})
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing.render.pdf"],
        env={**os.environ, "PYTHONPATH": path},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = proc.communicate(job.encode("utf-8"), timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise PdfTimeout(_overran(seconds)) from None
    if proc.returncode != 0 or not out.startswith(b"%PDF"):
        lines = err.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"the renderer died (exit {proc.returncode})"
        raise WorkError(reason if reason.startswith("PDF") else f"PDF layout failed: {reason}")
    return out


def _main() -> int:
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        pdf = render_pdf(job["html"], job["css"], [Path(r) for r in job["roots"]])
    except WorkError as exc:
        sys.stderr.write(f"{exc}\n")
        return 3
    sys.stdout.buffer.write(pdf)
    return 0


def _fetcher(roots: list[Path]) -> Any:
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
    sys.exit(_main())
