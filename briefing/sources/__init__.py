"""Sources: the source registry and the built-in types (`feed`, `page`, `clipping`), the HTTP
client they share, and reading a source's documents.

Importing this package registers the built-in types (schemas.py); what reads each type's
documents, and the libraries it needs (feedparser, lxml, trafilatura), load only when a document
of that type is parsed.
"""

from .documents import Fetched, read_documents
from .registry import SOURCE_TYPES, Document, ParseContext, Parsed, SourceConfig, SourceFailure
from .schemas import ClippingSource, FeedSource, PageSource

__all__ = [
    "SOURCE_TYPES",
    "ClippingSource",
    "Document",
    "FeedSource",
    "Fetched",
    "PageSource",
    "ParseContext",
    "Parsed",
    "SourceConfig",
    "SourceFailure",
    "read_documents",
]
