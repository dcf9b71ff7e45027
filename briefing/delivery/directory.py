"""The `directory` target: the chosen formats copied into a folder (a synced share),
atomically, so a reader of the share never sees half a file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from ..errors import WorkError
from ..files import Format, file_name, write_all
from .registry import TARGET_TYPES, DeliveryError, Package, TargetConfig, read_built


@TARGET_TYPES.register
class DirectoryTarget(TargetConfig):
    type: Literal["directory"]
    """`directory`: copy files into a folder (a synced share), atomically."""

    path: str
    """The folder (relative to the config file)."""

    formats: list[Format] = ["pdf"]
    """Which of the built files to copy."""

    def ledger_id(self) -> str:
        return f"directory:{self.path}"

    def needs_formats(self) -> list[str]:
        return list(self.formats)

    def send(self, key: str, package: Package, base_dir: Path) -> str:
        return _copy_to_directory(self, package, base_dir)


def _copy_to_directory(target: DirectoryTarget, package: Package, base_dir: Path) -> str:
    folder = Path(os.path.expanduser(target.path))
    folder = folder if folder.is_absolute() else base_dir / folder
    missing = [f for f in target.formats if f not in package.files]
    if missing:
        raise DeliveryError(
            f"directory {folder}: not built for {package.day}: {', '.join(missing)}", False
        )
    files = {}
    for fmt in dict.fromkeys(target.formats):
        files[folder / file_name(package.day, fmt)] = read_built(package, fmt)
    try:
        write_all(files)  # each file under a temp name in the folder, fsynced, then renamed
    except WorkError as exc:  # a share that is not mounted now may be later
        raise DeliveryError(f"directory: {exc}", True) from None
    count = len(files)
    return f"copied {count} file{'s' if count != 1 else ''} to {folder}"
