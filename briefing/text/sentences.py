"""Sentences: where a text's sentences end, its first one, and datelines before them.

Summaries and made-up titles are copied from items sentence by sentence, so there is one rule
for where a sentence ends: terminal punctuation (closing quotes and brackets may follow), then
space, then a capital or digit; a line break always ends one.
"""

from __future__ import annotations

import re

from .clean import MAX_TITLE, truncate

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9А-ЯІЇЄҐ])")
_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'’-]{2,40}(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\s*(?:\([^)]{2,30}\))?\s*[-—–]+\s*"
)
FIRST_SENTENCE_WORDS = 20  # a title made from a first sentence is cut here, marked " …"
FIRST_WORDS = 14  # a title made from the start of a text


def sentences(text: str) -> list[str]:
    """Sentences at terminal punctuation followed by a capital, line by line (a line break —
    a paragraph or a bullet — always ends a sentence)."""
    out: list[str] = []
    for para in text.splitlines():
        out.extend(s.strip() for s in _SENTENCE_END.split(para) if s.strip())
    return out


def first_sentence(text: str) -> str:
    """The first sentence on one line, at most FIRST_SENTENCE_WORDS words (then " …")."""
    text = " ".join(text.split()[:200])
    match = _SENTENCE_END.search(text)
    words = (text[: match.start()] if match else text).split()
    cut = len(words) > FIRST_SENTENCE_WORDS
    return " ".join(words[:FIRST_SENTENCE_WORDS]) + (" …" if cut else "")


def strip_dateline(sentence: str) -> str:
    """'KYIV, May 28 (Reuters) - Russia said…' -> 'Russia said…' (still a verbatim substring)."""
    rest = _DATELINE.sub("", sentence, count=1)
    return rest if len(rest) > 20 and rest[:1].isupper() else sentence


def first_words(text: str) -> str:
    """A title from the start of a text: FIRST_WORDS words, and never longer than a title."""
    words = text.split()
    more = " …" if len(words) > FIRST_WORDS else ""
    return truncate(" ".join(words[:FIRST_WORDS]) + more, MAX_TITLE)
