"""Digests: items that sum up many events instead of reporting one.

Live pages and newsletters publish key points, recaps, "latest developments" and "what we know"
posts, and a clipping of a live page gives its key-point bullets and its recap as items of
their own. Such an item shares words with every event it lists, so it must not glue their
stories together, nor lend its words to the section of the story it joins.

A digest is told by what news pages call it (a title such as "… — key points", "What we know
so far", "Catch up: …"), by a body that says it sums up ("If you're just joining us, here is
what has happened so far"), or by a body that is a list: three or more short lines that are
not sentences, such as bullets. Its *parts* are its lines or, in running text, its sentences.
"""

from __future__ import annotations

import re

from .sentences import sentences

_DIGEST_NAMES = (
    r"key (?:points|events|developments|takeaways|moments)|latest (?:developments|updates|news)"
    r"|(?:the )?latest|live updates|what we know(?: so far)?|everything we know|what happened"
    r"(?: so far)?|recap|round-?up|summary|in brief|at a glance|as it happened|catch(?:ing)? up"
    r"|highlights|need to know|main points|today's news"
    r"|(?:morning|evening|daily|weekly) (?:briefing|brief|digest|update)|week in review|newsletter"
)
# "… — key points", "… | Latest developments", "Key points: …", "What we know so far"
_TITLE = re.compile(
    rf"(?:^|[—–|:]\s*|\s-\s)(?:{_DIGEST_NAMES})\s*[.!]?$|^(?:{_DIGEST_NAMES})\s*(?:[:—–|]|$)",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(r"(?i)^[\w' ]{3,40} calling\s*[–—-]|\bday\s+\d{1,4}\s+of\b")
_RECAP = re.compile(
    r"just joining us|(?:here(?:'s| is| are)|these are) (?:the |what |our )?(?:latest|key|main)"
    r"|what (?:has )?happened so far|what you need to know|a (?:quick )?(?:recap|round-?up)",
    re.IGNORECASE,
)
_RECAP_WORDS = ("joining", "here", "these are", "happened", "need to know", "recap", "round")
_BULLET = re.compile(r"^\s*(?:[•·▪◦*‣●■–-]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"(?:[.!?…][\"'”’]*|[)\]])$")  # a sentence, or a caption's credit
LIST_LINES = 3  # a body of at least this many short, unpunctuated lines is a list
SHORT_LINE = 40  # words


# every name above holds one of these (so does the newsletter pattern): most titles need no regex
_TITLE_WORDS = (
    "key", "latest", "live", "what", "everything", "recap", "round", "summary", "brief",
    "glance", "happened", "catch", "highlights", "need", "main", "today", "digest", "update",
    "review", "newsletter", "calling", "day",
)  # fmt: skip


def is_digest_title(title: str) -> bool:
    """A title that names a digest ("… — key points", "Morning briefing", "Moscow Calling –
    June 3")."""
    folded = title.casefold()
    if not any(word in folded for word in _TITLE_WORDS):
        return False
    return bool(_TITLE.search(title.strip()) or _NEWSLETTER.search(title))


def is_digest(title: str, body: str) -> bool:
    """A key-points, recap or latest-developments item, by its title, an opening that says it
    sums up, or a body that is a list."""
    if is_digest_title(title):
        return True
    opening = body[:300]
    folded = opening.casefold()  # (a recap names one of these: most bodies need no regex)
    if any(word in folded for word in _RECAP_WORDS) and _RECAP.search(opening):
        return True
    lines = _lines(body)
    listed = [line for line in lines if _is_list_line(line)]
    return len(listed) >= LIST_LINES and len(listed) * 2 > len(lines)


def digest_parts(body: str) -> list[str]:
    """What a digest sums up, one part per event: its lines, or the sentences of a body that
    is one paragraph."""
    lines = _lines(body)
    if len(lines) > 1:
        return lines
    return sentences(body)


def _lines(body: str) -> list[str]:
    return [line.strip() for line in body.splitlines() if line.strip()]


def _is_list_line(line: str) -> bool:
    if _BULLET.match(line):
        return True
    return len(line.split()) <= SHORT_LINE and not _SENTENCE_END.search(line)
