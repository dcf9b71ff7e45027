"""Kinds of event a report's opening tells at once, whatever it names: a market moving, a
person leaving or taking a post.

Such an event follows another and is told with its words ("Oil jumps after new sanctions",
"Brigade commander quits over the bombing"), and reports of that other event often
mention it further down; but it is a development of its own, and a desk reads it as its own
story. So a report is marked only by its opening (its title, and the first sentence where it
reads that far), where it says what it is about.
"""

from __future__ import annotations

import re

from .places import OPENING_CHARS

# the verbs of a market moving ("jumps", "slipped", "eases")
_MOVES = (
    r"ris(?:e|es|ing)|rose|jump|climb|fall|fell|slump|surg|soar|tumbl|drop|gain|slid|plung|rall|"
    r"edg|sink|sank|spik|dip|extend|retreat|rebound|declin|slip|eas(?:e|es|ed|ing)\b"
)
# "Oil prices jump …", "Brent climbs …", "the rouble fell …": a lead about a market moving
_MARKET = re.compile(
    r"\b(?:prices?|futures|shares|stocks?|markets?|crude|brent|wti|bonds?|yields?|rouble|ruble|"
    r"hryvnia|currency|index|indices|traders|investors)\W+(?:\w+\W+){0,3}?"
    rf"(?:{_MOVES}|hit|firm(?:s|ed)?\b|(?:mov|trad|end|settl|clos)\w*\s+(?:\S+\s+)?"
    r"(?:lower|higher))\w*"
    # "Oil rises …", "oil slips": the commodity itself, only right before its verb ("oil depot
    # hit", "oil firms" are no market)
    rf"|\boil\s+(?:{_MOVES})",
    re.IGNORECASE,
)
# "… commander resigns", "… steps down", "… was sacked", "Zelensky appoints …": someone leaves or
# takes a post. Only a verb the sentence says of someone counts: "Sacked minister found dead"
# tells a death; "fired" says missiles as often, and "dismissed" alone claims
_PERSONNEL = re.compile(
    r"\b(?:resign(?:s|ed|ing)?|(?:submit|tender|announce|hand)(?:s|ed|ing)? (?:in )?(?:his|her|"
    r"their) resignation|(?:steps?|stepped|stepping) down|quits|sacks|ousts|appoints|(?:was|is|"
    r"were|are|has been|have been|had been|gets|got) (?:sacked|ousted|dismissed|relieved of|"
    r"appointed))\b",
    re.IGNORECASE,
)
# "… hours after he resigned", "the general, who resigned last year": a clause about something else
_SUBORDINATE = re.compile(r"\b(?:after|since|before|following|when|who|which|that)\s+(?:\w+\s+)?$")
_POSTS = ("resign", "down", "quits", "sack", "oust", "dismiss", "relieved", "appoint")


def market(text: str) -> bool:
    """A market moving: the reaction to an event, not the event."""
    return _MARKET.search(text) is not None


def personnel(text: str) -> bool:
    """Someone leaving or taking a post, said in the main clause: "found dead hours after he
    resigned" tells a death."""
    folded = text.casefold()
    if not any(w in folded for w in _POSTS):
        return False
    return any(
        _SUBORDINATE.search(folded, max(0, found.start() - 40), found.start()) is None
        for found in _PERSONNEL.finditer(folded[:OPENING_CHARS])
    )
