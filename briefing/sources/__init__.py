"""Sources: the source registry and the built-in types (`feed`, `page`, `clipping`), the HTTP
client they share, and reading a source's documents.

Importing this package registers the built-in types; heavy libraries (feedparser, trafilatura)
load only when a document of that type is parsed.
"""

from . import clipping, feeds, pages  # noqa: F401  (each registers its source type)
from .documents import Fetched, read_documents
from .registry import SOURCE_TYPES, Document, ParseContext, Parsed, SourceConfig, SourceFailure

__all__ = [
    "SOURCE_TYPES",
    "Document",
    "Fetched",
    "ParseContext",
    "Parsed",
    "SourceConfig",
    "SourceFailure",
    "read_documents",
]
