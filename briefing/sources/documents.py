"""Where a source's documents come from: the files its `path:` matches, or its fetched `url:`."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .registry import Document, SourceConfig, SourceFailure

if TYPE_CHECKING:  # httpx loads only for a source that fetches
    import httpx

MAX_FILES = 5_000
NO_FILE = "no file matches"  # a `path:` that names nothing: the config is what to fix


@dataclass
class Fetched:
    """A source's documents, or word that its URL has not changed since the last run."""

    docs: list[Document]
    not_modified: bool = False
    validators: tuple[str | None, str | None] | None = None  # (ETag, Last-Modified) to keep


def read_documents(
    source: SourceConfig,
    base_dir: Path,
    client: httpx.Client | None,
    validators: tuple[str | None, str | None] = (None, None),
) -> Fetched:
    """Fetch `url:` (a conditional GET with the validators kept from the last run), or read the
    files `path:` matches (relative to `base_dir`, the config file's folder)."""
    if source.fetches_url():
        return _fetch(source, client, validators)
    path = Path(os.path.expanduser(source.path or ""))
    pattern = str(path if path.is_absolute() else base_dir / path)
    matches = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
    files = [Path(m) for m in matches if Path(m).is_file()]
    if not files:
        raise SourceFailure(f"{NO_FILE} {source.path}")
    docs = []
    for file in files[:MAX_FILES]:
        try:
            stat = file.stat()
            if stat.st_size > source.max_bytes:
                raise SourceFailure(f"{file} is larger than {source.max_bytes} bytes")
            modified = datetime.fromtimestamp(stat.st_mtime, UTC)
            docs.append(Document(str(file), file.read_bytes(), modified=modified))
        except OSError as exc:
            raise SourceFailure(f"cannot read {file}: {exc.strerror}") from None
    return Fetched(docs)


def _fetch(
    source: SourceConfig,
    client: httpx.Client | None,
    validators: tuple[str | None, str | None],
) -> Fetched:
    if client is None or source.url is None:
        raise SourceFailure("no HTTP client available")
    from .http import FetchError, fetch

    try:
        resp = fetch(
            client,
            source.url,
            allow_private=source.allow_private,
            etag=validators[0],
            last_modified=validators[1],
            max_bytes=source.max_bytes,
            deadline=source.timeout,
        )
    except FetchError as exc:
        raise SourceFailure(str(exc)) from None
    kept = (resp.etag, resp.last_modified)
    if resp.status == 304:
        return Fetched([], not_modified=True, validators=kept)
    doc = Document(source.url, resp.content, url=resp.url, content_type=resp.content_type)
    return Fetched([doc], validators=kept)
