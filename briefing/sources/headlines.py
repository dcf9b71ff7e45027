"""Headlines glued to their first sentence, as plain-text captures of live blogs deliver them.

A post's headline is glued to its first sentence ("Homes burn near Moscow after drone strikes
These images show ..."). The body starts at the first word b (3 <= b <= 25) that is not inside a
quotation opened in the headline, does not itself end a sentence ("Ukraine?"), and either
- follows a word ending in "?" or "!" and starts with a capital, digit or quote; or
- starts with a capital, and the word before it does not end in , : ; or a dash and is not a
  possessive ("Ukraine's Nato"), a number ("2 June"), a lone scare-quoted word ("'impossible'
  Belarus location") or a link word (preposition, article, conjunction, auxiliary). If that word
  is capitalised too, b is inside a run of capitals and qualifies only as the run's second word
  after a link word, whose object ends the headline ("happening in Ukraine | Vladimir Putin's
  aide", "talks with Merz | Ukrainian president") or when it is "The", "A", "This", "He"...
  ("Odesa's Harbour Park | The vote"); else the body starts before the run ("sources say |
  President Vladimir Putin's ...").
With no such word, the title is the first sentence (at most 20 words) and the body the whole
text. Nothing is lost: the body is always the rest of the text, paragraphs kept.
"""

from __future__ import annotations

import re

from ..text.sentences import first_sentence

HEADLINE_WORDS = (3, 25)  # where a glued headline may end
_OPEN_QUOTES = "'‘\"“«"
_CLOSE_QUOTES = "'’\"”»"
_LINK_TEXT = (  # prepositions, particles, articles, determiners, conjunctions, auxiliaries
    "in of to for with on at by from about after near between over against into onto upon under"
    " across amid amidst among around before behind beyond despite during toward towards through"
    " throughout until within without via per like out up off down since versus vs inside"
    " outside along past the a an its his her their our your my this these those and or but nor"
    " as than that which who whose if because while when where whether is are was were be been"
    " being will would could can may might must should shall has have had not no"
)
_LINK_WORDS = frozenset(_LINK_TEXT.split())
_OPENERS = frozenset(("the", "a", "an", "this", "these", "those", "it", "he", "she", "they", "we"))


def split_headline(text: str) -> tuple[str, str]:
    """(headline, body) of a post whose headline is glued to its first sentence."""
    spans = [m.span() for m in re.finditer(r"\S+", text[:20_000])]
    words = [text[a:b] for a, b in spans]
    cut = headline_boundary(words)
    if cut is None:
        return first_sentence(text), text
    return text[: spans[cut - 1][1]], text[spans[cut][0] :]


def headline_boundary(words: list[str]) -> int | None:
    """Index of the body's first word, by the rule in the module docstring; None if none fits."""
    quoted = _open_quotes(words)
    low, high = HEADLINE_WORDS
    for b in range(low, min(len(words), high + 1)):
        prev, cur = words[b - 1], words[b]
        if quoted[b - 1] or _core(cur).endswith(("?", "!", ".")):
            continue
        if _core(prev).endswith(("?", "!")):
            if _is_capital(cur) or cur.lstrip(_OPEN_QUOTES)[:1].isdigit():
                return b
            continue
        if not _is_capital(cur) or not _may_end_headline(prev):
            continue
        if _is_capital(prev):
            before = words[b - 2] if b >= 2 else ""
            after_link = _bare(before) in _LINK_WORDS and not _core(before).endswith((",", ":"))
            if after_link or _bare(cur) in _OPENERS:
                return b
            continue
        return b
    return None


def _may_end_headline(word: str) -> bool:
    core = _core(word)
    return not (
        core.endswith((",", ":", ";", "-", "–", "—"))
        or core.endswith(("'s", "’s", "s'", "s’"))
        or _is_scare_quote(word)
        or word.lstrip(_OPEN_QUOTES + "(£$€")[:1].isdigit()
        or _bare(word) in _LINK_WORDS
    )


def _open_quotes(words: list[str]) -> list[bool]:
    """Whether a quotation is still open after each word."""
    state, out = False, []
    for word in words:
        head, tail = word.lstrip("(["), word.rstrip(".,;:!?)]")
        opened = not state and head[:1] in _OPEN_QUOTES
        state = state or opened
        if state and tail[-1:] in _CLOSE_QUOTES and (len(tail) > 1 or not opened):
            state = False
        out.append(state)
    return out


def _is_scare_quote(word: str) -> bool:
    core = word.strip("()[].,;:!?")
    return len(core) > 2 and core[0] in _OPEN_QUOTES and core[-1] in _CLOSE_QUOTES


def _core(word: str) -> str:
    return word.rstrip(_CLOSE_QUOTES + ")]")


def _bare(word: str) -> str:
    return word.strip(_OPEN_QUOTES + _CLOSE_QUOTES + "()[].,;:!?").casefold()


def _is_capital(word: str) -> bool:
    core = word.lstrip("([" + _OPEN_QUOTES)
    return bool(core) and core[0].isupper()
