"""Kinds of event a report's opening tells at once, whatever it names: a market moving, a
person leaving or taking a post; whose words an opening answers ("dismissed X's claim"); and
who a headline names only as its speaker ("…, Trump's envoy says", "Poland's Tusk:").

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


# what someone said, as another's report names it ("the envoy's proposal", "claims by Moscow")
_SAYINGS = (
    r"(?:claims?|suggestions?|statements?|remarks?|comments?|assertions?|accusations?|"
    r"allegations?|assurances?|words)"
)
_SAID = re.compile(rf"\b{_SAYINGS}\b")
_STEMS = (  # what every one of them starts with ("words" aside)
    *("claim", "suggestion", "statement", "remark", "comment", "assertion", "accusation"),
    *("allegation", "assurance", "words"),
)
_WHO = r"((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*)"  # "Foreign Minister Andrii Sybiha"
# the name whose words they are, before them ("… brushed aside Orban's assertion", "… on
# Lavrov's grain corridor remarks"; not a sentence's first words: "Lavrov's remarks were …" is
# the remarks' own report) or after them ("… hit back at comments by Prime Minister Fico");
# or a people's name before them ("… calls Hungarian claims about the pipeline false")
_OWNER = re.compile(rf"(?<=[a-z,:;] ){_WHO}['’]s?\s+(?:[\w-]+\s+){{0,3}}?$")
_BY = re.compile(rf"\s+(?:made\s+)?by\s+(?:the\s+)?{_WHO}")
_BEFORE_WORDS = re.compile(r"(?<=[a-z,:;] )([A-Z][a-z]+)\s+$")  # a capitalised word before them
_PLURAL = frozenset(["claims", "statements", "remarks", "comments", "accusations", "allegations"])
_REACH = 80  # characters before the words where their owner is looked for


def answered(opening: str) -> list[str]:
    """Whose words an opening answers, by the last word of each name ("Fico" of "comments by
    Prime Minister Robert Fico"): a report that leads with a response to someone's
    claim is a story of its own beside the claim's, as a reaction is."""
    opening = opening[:OPENING_CHARS]
    found: list[str] = []
    if not any(stem in opening for stem in _STEMS):
        return found  # (most openings name no one's words: found faster than by the pattern)
    for said in _SAID.finditer(opening):
        before = opening[max(0, said.start() - _REACH) : said.start()]
        owner = _OWNER.search(before) or _BY.match(opening, said.end())
        if owner is None and said.group() in _PLURAL:
            people = _BEFORE_WORDS.search(before)
            owner = people if people is not None and people_adjective(people.group(1)) else None
        if owner is not None:
            found.append(owner.group(1).split()[-1])
    return found


# a people's adjective ("Russian", "Polish", "American"), never a country's name ("Iran")
_PEOPLE_ENDINGS = ("ian", "ean", "ish", "ese", "ican")
_PEOPLES = frozenset(
    """
    german french dutch greek czech swiss israeli iraqi saudi thai
    """.split()  # noqa: SIM905
)


def people_adjective(word: str) -> bool:
    """A capitalised word that names a people, not a place or a person: "Russian claims" are
    Russia's, "French officials" a plural noun's subject."""
    return word[:1].isupper() and (word.endswith(_PEOPLE_ENDINGS) or word.casefold() in _PEOPLES)


# Who speaks is not what the news is about. A headline's closing attribution ("…, a US envoy
# says", "…, says Donald Trump") names a speaker, not its subject; so does a country
# or body that only qualifies an official ("Poland's Tusk:", "Polish foreign minister", "the
# Polish leader says"): an ally's leader speaking is not the ally's own defence happening.
_SAYS = r"(?i:says|said|warns|warned|tells|told|claims|claimed|insists|admits|confirms)"
_ATTRIBUTION = re.compile(
    rf",\s*(?:(?P<before>[^,]{{2,60}}?)\s+{_SAYS}|{_SAYS}\s+(?P<after>[A-Z][^,]{{1,60}}))\s*$"
)
_POST = (
    r"(?:(?:[Pp]rime|[Ff]oreign|[Dd]efen[cs]e|[Dd]eputy)\s+)?(?:[Mm]inisters?|[Pp]residents?|"
    r"[Pp]remier|PM|[Ll]eaders?|[Aa]mbassadors?|[Ss]pokes(?:man|woman|person))\b"
)
# what follows a name that only qualifies an official (the name's own case is kept: "Poland's
# airspace:" is news of Poland's)
QUALIFIES = rf"(?:['’]s)?\s+{_POST}|['’]s\s+(?-i:[A-Z])[\w-]*(?:\s*:|\s+{_SAYS}\b)"


def attribution(title: str) -> tuple[str, str]:
    """A headline without its closing attribution, and the speaker that names."""
    found = _ATTRIBUTION.search(title)
    if found is None:
        return title, ""
    return title[: found.start()], found.group("before") or found.group("after")
