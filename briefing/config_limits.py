"""The config schema, continued: resource limits that hold whatever the sources send.

Every source is written by strangers, so each stage has a ceiling: bytes and seconds per source
(on the source itself, `max_bytes` and `timeout`), items per source per run (`max_items`), and
here the lengths of an item's fields, the seconds the PDF layout may take and how long a store
that another process holds may be waited for. The defaults suit a daily briefing; a config can
only lower the field lengths (the parsers cut at these ceilings before anything is stored).
"""

from __future__ import annotations

from pydantic import Field

from .clean import MAX_BODY, MAX_TITLE
from .config import _Strict


class LimitsConfig(_Strict):
    title_chars: int = Field(MAX_TITLE, ge=20, le=MAX_TITLE)
    """Longest item title kept, in characters; a longer one is cut at a word and ends in
    ` […]`."""

    body_chars: int = Field(MAX_BODY, ge=100, le=MAX_BODY)
    """Longest item text kept, in characters; a longer one is cut at a word and ends in
    ` […]`."""

    pdf_timeout: float = Field(120, gt=0, le=3600)
    """Seconds the PDF layout may take. A runaway layout is stopped and reported; the other
    formats are still written and the build exits 1."""

    store_timeout: float = Field(30, gt=0, le=600)
    """Seconds to wait for a SQLite store that another process is writing (its busy timeout)
    before the command fails."""
