"""Untrusted markup to plain text: every feed and page field passes through here before storage.

Stored text is plain (no tags, no entities, no control or invisible formatting characters), so
renderers only ever escape; they never have to sanitise.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

MAX_TITLE = 500
MAX_BODY = 20_000
TRUNCATED = " […]"

_BLOCK = re.compile(
    r"<\s*(/?\s*(p|div|br|li|ul|ol|h[1-6]|blockquote|section|article|tr|table|figure|"
    r"figcaption|pre|hr)\b)",
    re.I,
)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
# Bidi overrides/isolates and zero-width characters can disguise text; drop them all.
_INVISIBLE = dict.fromkeys(
    [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF, 0x00AD], None
)


def html_to_text(markup: str | None, limit: int = MAX_BODY) -> str:
    """Plain text with paragraph breaks kept as blank lines."""
    if not markup:
        return ""
    text = markup
    for _ in range(3):  # entity-encoded tags ("&lt;script&gt;") get a second pass, and a third
        if "<" not in text and "&" not in text:
            break
        marked = _BLOCK.sub(lambda m: "\n\n<" + m.group(1), text)
        stripped = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"})
        text = html.unescape(stripped)
        if not _TAG.search(text):
            break
    return plain(text, limit, keep_paragraphs=True)


def plain(text: str | None, limit: int, keep_paragraphs: bool = False) -> str:
    """Normalise untrusted plain text: NFC, no control/invisible characters, tidy spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    if keep_paragraphs:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
        text = "\n\n".join(p for p in paras if p)
    else:
        text = " ".join(text.split())
    return truncate(text, limit)


def truncate(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut, so a reader sees text was dropped."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(TRUNCATED)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + TRUNCATED


def title_text(markup: str | None) -> str:
    """A one-line title from a field that may hold markup."""
    return truncate(" ".join(html_to_text(markup, MAX_TITLE * 4).split()), MAX_TITLE)
