"""PDF: the briefing's HTML laid out by WeasyPrint with the print stylesheet.

WeasyPrint is imported here only, so `briefing --help` and Markdown-only builds stay fast. Its
fetcher serves `data:` URLs and files inside the template directories (a logo or font a template
author put there, found relative to them) and nothing else: rendering never reads another local
file or contacts an address, whatever a feed managed to put into the HTML.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .errors import WorkError

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


def _fetcher(roots: list[Path]) -> Any:
    from weasyprint.urls import URLFetcher

    allowed = [root.resolve() for root in roots]

    class TemplateFetcher(URLFetcher):  # type: ignore[misc]
        """`data:` URLs, and `file:` URLs inside the template directories; nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url[:5].lower() == "file:":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in allowed):
                    raise ValueError(f"{url} is outside the template directories")
            return super().fetch(url, headers)

    return TemplateFetcher(allowed_protocols={"data", "file"})
