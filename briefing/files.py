"""Output files: the formats, how a briefing's files are named, and writing them atomically.

Every file appears whole or not at all: each is written to a temporary name in its directory and
flushed to disk, and only when every one of them wrote do the renames happen, so a failure
mid-build leaves the previous good files untouched and no half-written file under a final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Literal, get_args

from .errors import WorkError

Format = Literal["md", "html", "json", "pdf", "email"]
FORMATS: tuple[str, ...] = get_args(Format)
DEFAULT_FORMATS: list[Format] = ["md", "html", "json", "pdf"]
_EXTENSIONS = {"email": "email.html"}  # formats whose file name is not briefing-D.<format>


def file_name(day: date, fmt: str) -> str:
    """`briefing-2025-05-28.md`; the email body is `briefing-2025-05-28.email.html`."""
    return f"briefing-{day.isoformat()}.{_EXTENSIONS.get(fmt, fmt)}"


def output_paths(out_dir: Path, day: date, formats: list[str]) -> dict[str, Path]:
    """Where each format of `day` goes: `<out_dir>/YYYY-MM-DD/briefing-YYYY-MM-DD.<ext>`."""
    folder = out_dir / day.isoformat()
    return {fmt: folder / file_name(day, fmt) for fmt in formats}


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file, then rename them all into place."""
    for folder in {path.parent for path in files}:
        _clear_stale(folder)
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise WorkError(f"cannot write to {path.parent}: {exc.strerror}") from None
            staged.append((tmp, path))
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, 0o644)
            except OSError as exc:
                raise WorkError(f"cannot write {path}: {exc.strerror}") from None
        for tmp, path in staged:
            os.replace(tmp, path)
        staged.clear()
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _clear_stale(folder: Path) -> None:
    """Temporary files a killed run left behind (runs hold the lock, so none is in use): the
    briefings' and the archive's (`.index.html.….tmp`)."""
    if folder.is_dir():
        for stale in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks (built PDFs and model weights can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
