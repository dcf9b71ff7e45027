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
# Long enough for whole articles: 99.6 % of the articles in the public corpora measured by
# benchmarks/realworld.py (trafilatura's and htmldate's evaluation pages, the article-extraction
# benchmark) are shorter; 20,000 cut 2.9 % of them.
MAX_BODY = 40_000
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
# Other "other" characters (Unicode category C) but newline and tab: controls, the remaining
# format characters, surrogates, private use and noncharacters. Unassigned code points pass.
_OTHER = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u2028\u2029\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f"
    "\U000f0000-\U0010ffff]"
)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _assigned(match: re.Match[str]) -> str:
    return " " if unicodedata.category(match.group())[0] == "C" else match.group()


def html_to_text(markup: str | None, limit: int = MAX_BODY) -> str:
    """Plain text with paragraph breaks kept as blank lines."""
    if not markup:
        return ""
    # a JSON "\ud800" escape: nh3 cannot hold it
    text = markup if markup.isascii() else _SURROGATE.sub("\ufffd", markup)
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
    if text.isascii():  # already NFC, and holds no invisible or unassigned character
        text = _OTHER.sub(" ", text)
    else:
        text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
        text = _OTHER.sub(" ", text)
        # unassigned code points, checked one by one (rare, and only these)
        text = _NON_ASCII.sub(_assigned, text)
    if keep_paragraphs:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
        text = "\n\n".join(p for p in paras if p)
    else:
        text = " ".join(text.split())
    return truncate(text, limit)


def truncate(text: str, limit: int) -> str:
    """Cut at a paragraph boundary (else a word) and mark the cut, so a reader sees text was
    dropped and what is kept ends where a paragraph does."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(TRUNCATED)]
    para = cut.rfind("\n\n")
    space = cut.rfind(" ")
    if para > limit // 2:
        cut = cut[:para]
    elif space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + TRUNCATED


def title_text(markup: str | None) -> str:
    """A one-line title from a field that may hold markup."""
    return truncate(" ".join(html_to_text(markup, MAX_TITLE * 4).split()), MAX_TITLE)
