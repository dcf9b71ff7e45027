"""Kinds of event a report's opening tells at once, whatever it names: a market moving, a
person leaving or taking a post.

Such an event follows another and is told with its words ("Oil jumps after new sanctions",
"Commander resigns after strike that killed 12"), and reports of that other event often
mention it further down; but it is a development of its own, and a desk reads it as its own
story. So a report is marked only by its opening (its title, and the first sentence where it
reads that far), where it says what it is about.
"""

from __future__ import annotations

import re

# "Oil prices jump …", "Brent climbs …", "the rouble fell …": a lead about a market moving
_MARKET = re.compile(
    r"\b(?:prices?|futures|shares|stocks?|markets?|crude|brent|wti|bonds?|yields?|rouble|ruble|"
    r"hryvnia|currency|index|indices|traders|investors)\W+(?:\w+\W+){0,3}?"
    r"(?:ris(?:e|es|ing)|rose|jump|climb|fall|fell|slump|surg|soar|tumbl|drop|gain|slid|plung|"
    r"rall|edg|sink|sank|spik|dip|extend|hit|retreat|rebound)\w*",
    re.IGNORECASE,
)
# "… commander resigns", "… steps down", "… was sacked", "… appointed as": someone leaves or
# takes a post ("fired" and "dismissed" say other things as often: missiles, claims)
_PERSONNEL = re.compile(
    r"\b(?:resign(?:s|ed|ing|ation)?|(?:steps?|stepped|stepping) down|quits|sacked|ousted|"
    r"relieved of|appoint(?:s|ed)?)\b",
    re.IGNORECASE,
)

_POSTS = ("resign", "down", "quits", "sacked", "ousted", "relieved", "appoint")


def market(text: str) -> bool:
    """A market moving: the reaction to an event, not the event."""
    return _MARKET.search(text) is not None


def personnel(text: str) -> bool:
    """Someone leaving or taking a post."""
    folded = text.casefold()
    return any(w in folded for w in _POSTS) and _PERSONNEL.search(text) is not None
