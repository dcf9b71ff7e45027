"""The delivery-target registry: what every target shares, and how one is added.

A target type is one module and one registration: a `TargetConfig` subclass whose `type` key is
a literal, whose fields are its config keys, and whose methods say what the run ledger tracks
(`ledger_id`, `keys`), which formats it needs built, and how it sends, registered with
`@TARGET_TYPES.register`. The config schema, the runner and the error messages learn every
target from here.

The ledger tracks each key (an email recipient, a directory, a webhook) on its own, so a failure
for one recipient never resends to the others. Every failure is a DeliveryError that says
whether trying again later can help (`retryable`): the ledger keeps those pending and marks the
others failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..models import Briefing
from ..registry import Registry, Strict


@dataclass
class Package:
    """A built briefing as delivery sees it: its files by format and what they say."""

    day: date
    title: str
    files: dict[str, Path]  # format -> built file
    briefing: Briefing


class DeliveryError(Exception):
    """A delivery that did not happen; `retryable` says whether a later attempt can succeed."""

    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class TargetConfig(Strict):
    """A delivery target; a registered subclass adds `type` and its own keys."""

    type: str
    """The target type (`email`, `directory`, `webhook`, or another registered one)."""

    def ledger_id(self) -> str:
        """What identifies this target in the run ledger (stable when the list is reordered)."""
        raise NotImplementedError

    def ledger_keys(self) -> list[str]:
        """What the ledger tracks separately (one key per email recipient, say)."""
        return [self.type]

    def needs_formats(self) -> list[str]:
        """Formats that must be built before this target can be sent."""
        return []

    def send(self, key: str, package: Package, base_dir: Path) -> str:
        """Deliver `package` to `key`; return a short note for the ledger, or raise
        DeliveryError. `base_dir` is the config file's folder, for relative paths."""
        raise NotImplementedError(f"delivery target {self.type!r} cannot send")

    def deliver(self, key: str, package: Package, base_dir: Path) -> str:
        """`send`, for a key this target has."""
        if key not in self.ledger_keys():
            raise DeliveryError(f"{key!r} is not a recipient of this {self.type} target", False)
        return self.send(key, package, base_dir)


TARGET_TYPES: Registry[TargetConfig] = Registry("delivery target", TargetConfig)


def read_built(package: Package, fmt: str) -> bytes:
    """The bytes of one built format, or a DeliveryError saying it is missing."""
    path = package.files.get(fmt)
    if path is None:
        raise DeliveryError(f"the {fmt} file was not built for {package.day}", False)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DeliveryError(f"cannot read {path}: {exc.strerror}", False) from None
