"""The store: items, sources' state, word statistics, briefing records and the run ledger, in a
SQLite file or a PostgreSQL database, with numbered migrations."""

from .copy import CopyReport, copy_store
from .engine import check_driver, db_reason, mask_url, open_engine
from .items import Store
from .ledger import FAILED, PENDING, SENT, Ledger, LedgerBuild

__all__ = [
    "FAILED",
    "PENDING",
    "SENT",
    "CopyReport",
    "Ledger",
    "LedgerBuild",
    "Store",
    "check_driver",
    "copy_store",
    "db_reason",
    "mask_url",
    "open_engine",
]
