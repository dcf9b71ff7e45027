"""Untrusted markup to plain text: every feed and page field passes through here before storage.

Stored text is plain (no tags, no entities, no control or invisible formatting characters), so
renderers only ever escape; they never have to sanitise.
"""

from __future__ import annotations

import html
import html.entities
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
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
# Other "other" characters (Unicode category C) but newline and tab in the BMP: controls, the
# remaining format characters, surrogates, private use and noncharacters. (Those above U+FFFF,
# rare, are left to `plain`'s look-up: a class of the BMP alone is a table, read 5x as fast.)
_OTHER = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u2028\u2029\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff]"
)
_ASCII_OTHER = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # _OTHER's ASCII characters
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
        marked = _BLOCK.sub("\n\n<\\1", text)
        easy = _easy_text(marked)
        if easy is None:
            stripped = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"})
            easy = html.unescape(stripped)
        text = easy
        if not _TAG.search(text):
            break
    return plain(text, limit, keep_paragraphs=True)


# tags an HTML parser reads as nothing but a tag, wherever they stand (no raw text, no table,
# no newline dropped after them, no foreign content), with quoted attributes or none
_EASY_TAG = (
    r"</?(?:a|abbr|address|article|aside|b|bdi|bdo|big|blockquote|br|center|cite|code|data|dd|"
    r"del|dfn|div|dl|dt|em|figcaption|figure|font|footer|h[1-6]|header|hgroup|hr|i|img|ins|kbd|"
    r"li|main|mark|nav|ol|p|q|rp|rt|ruby|s|samp|section|small|span|strike|strong|sub|summary|"
    r"sup|time|tt|u|ul|var|wbr)"
    r"(?:[ \t\n\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*"  # attributes: name="value", 'value' or none
    r"""(?:[ \t\n\f]*=[ \t\n\f]*(?:"[^"<>&]*"|'[^'<>&]*'))?)*[ \t\n\f]*/?>"""
)
_EASY_TAGS = re.compile(_EASY_TAG, re.I)
_REFERENCE = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"
_EASY = re.compile(
    rf"(?:[^<&\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]++|{_EASY_TAG}|{_REFERENCE})*+", re.I
)
_REFERENCES = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));")
_NAMED = frozenset(html.entities.name2codepoint) | {"apos"}  # one character each
ORDINARY = ((9, 10), (0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF))


def ordinary_references(text: str, ordinary: tuple[tuple[int, int], ...] = ORDINARY) -> bool:
    """Whether every `&` in `text` starts a character reference to a known name or to a code
    point in one of the `ordinary` ranges: what every HTML reader decodes to one character."""
    found = 0
    for match in _REFERENCES.finditer(text):
        found += 1
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in _NAMED:
                return False
            continue
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not any(low <= code <= high for low, high in ordinary):
            return False
    return found == text.count("&")  # (each reference holds one `&`)


def _easy_text(marked: str) -> str | None:
    """What nh3 and unescaping make of markup that holds only text, ordinary character
    references and simple tags: the text, tags dropped, references decoded (None for any
    other markup, which goes the long way). tests/test_fast_paths.py holds it to nh3."""
    if not _EASY.fullmatch(marked):
        return None
    text = _EASY_TAGS.sub("", marked) if "<" in marked else marked
    if "&" not in text:
        return text
    return html.unescape(text) if ordinary_references(text) else None


def plain(text: str | None, limit: int, keep_paragraphs: bool = False) -> str:
    """Normalise untrusted plain text: NFC, no control/invisible characters, tidy spaces."""
    if not text:
        return ""
    if text.isascii():  # already NFC, and holds no invisible or unassigned character
        text = _ASCII_OTHER.sub(" ", text)
    else:
        text = _OTHER.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))
        # what is left of category C (unassigned code points, those above U+FFFF): the
        # text's characters but spaces are all printable unless it holds one (rare); only
        # then is each looked up (for every one, a 2,000-character Ukrainian text took 0.6 ms)
        if not "".join(text.split()).isprintable():
            text = _NON_ASCII.sub(_assigned, text)
    if keep_paragraphs:  # each line a paragraph; blank lines are none
        text = "\n\n".join(filter(None, [" ".join(line.split()) for line in text.split("\n")]))
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


FIRST_WORDS = 14  # a title made from the start of a text


def first_words(text: str) -> str:
    """A title from the start of a text: FIRST_WORDS words, and never longer than a title."""
    words = text.split()
    more = " …" if len(words) > FIRST_WORDS else ""
    return truncate(" ".join(words[:FIRST_WORDS]) + more, MAX_TITLE)


def title_text(markup: str | None) -> str:
    """A one-line title from a field that may hold markup."""
    if (
        markup is not None
        and markup.isascii()
        and len(markup) <= MAX_TITLE * 4
        and not _NOT_PLAIN_TITLE.search(markup)
    ):  # plain ASCII on one line: what the long way leaves of it, said fast
        return truncate(" ".join(markup.split()), MAX_TITLE)
    return truncate(" ".join(html_to_text(markup, MAX_TITLE * 4).split()), MAX_TITLE)


_NOT_PLAIN_TITLE = re.compile("[\x00-\x08\x0a-\x1f\x7f<&]")  # markup, a newline, a control
