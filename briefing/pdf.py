"""PDF: the briefing's HTML laid out by WeasyPrint with the print stylesheet.

WeasyPrint is imported here only, so `briefing --help` and Markdown-only builds stay fast. Its
fetcher is limited to `data:` URLs: rendering never reads a local file or contacts an address,
whatever a feed managed to put into the HTML.
"""

from __future__ import annotations

import logging

from .errors import WorkError

log = logging.getLogger("briefing")


def render_pdf(html: str, css: str) -> bytes:
    """Lay out `html` with `css`; raise WorkError with WeasyPrint's reason if it cannot."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts missing
        raise WorkError(f"PDF output needs WeasyPrint and Pango: {exc}") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols={"data"})
    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
        stylesheet = weasyprint.CSS(string=css, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet], attachments=[])
    except RecursionError:
        raise WorkError("PDF layout failed: the document is nested too deeply") from None
    except BaseException as exc:  # FatalURLFetchingError is not an Exception subclass
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise WorkError(f"PDF layout failed: {type(exc).__name__}: {exc}") from None
