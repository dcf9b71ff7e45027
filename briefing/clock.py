"""The time the tool believes it is: the wall clock, or SOURCE_DATE_EPOCH when set.

SOURCE_DATE_EPOCH is the reproducible-builds convention; with it, the times a briefing prints
about itself (and the capture times of items collected) are fixed, so golden files compare.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)
