"""Counted nouns for people to read: "1 story", "2 stories", "1 source", "0 items"."""

from __future__ import annotations

_IRREGULAR = {"story": "stories", "entry": "entries", "more story": "more stories"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, in the plural unless `count` is 1 (`many` names an irregular plural;
    the common ones of our messages are known)."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or _IRREGULAR.get(word) or word + 's'}"
