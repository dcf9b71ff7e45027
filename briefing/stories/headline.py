"""A story's headline: the best printed headline among its items, in an outlet's own words.

Printed headlines are preferred to titles made from an item's first words; among them the one
that is complete, specific (names, places, numbers) and close to what the story's items share
wins. A live-stream, digest, opinion or first-person title never heads a story when a factual
one exists. Only when no item has a printed headline is one made from text: the lead clause of
the story's most central sentence, its dateline and agency tag stripped, cut at a clause or a
word — still every word from a source, nothing generated.
"""

from __future__ import annotations

import re

from ..models import Item, Story
from ..text.digest import is_digest_title
from ..text.kinds import people_adjective
from ..text.sentences import balanced, sentences, strip_dateline

HEADLINE_WORDS = 16  # a made headline longer than this is cut at a clause...
WHOLE_WORDS = 40  # ...or, failing one, is whole up to this length: complete beats cut
MIN_CLAUSE_WORDS = 6
# a headline is made from a sentence's first words: a longer "sentence" is no news lead, and
# reading all of it for clause ends would cost the square of its length (a hostile feed's)
MADE_CHARS = 1000

_LIVE = re.compile(
    r"(?i)^(?:live|watch|listen)\b|\b(?:live(?:\s+updates?|\s+blog|stream)?|as it happened)\s*"
    r"(?:[:|–—-]|$)|\bwatch live\b|\blive\s*:"
)
_OPINION = re.compile(
    r"(?i)^(?:opinion|comment|commentary|editorial|column|letters?|podcast|video|photos?|"
    r"in pictures|quiz)\s*[:|–—-]|^(?:i|i'm|i've|we|my|our)\b"
)
# where a clause may end: punctuation, or before a word that opens a subordinate clause
_CLAUSE_END = re.compile(  # a comma before an auxiliary closes a subject, not a clause
    r"(?:,(?!\s+(?:has|have|had|is|are|was|were|will|would|can|could|should|may|might|must|"
    r"does|did|do)\b)|[;:])\s|\s[–—-]\s|(?<!known)(?<!such)(?<!well)(?<!same)(?<!soon)"
    r"(?<!\bso)(?<!\bfar)\s(?=(?:after|as|because|but|amid|although|since|while|when|where|which|who|"
    r"despite|following|saying|adding)\s)"
)
# "… a joint statement said:" — a clause that ends as it starts to quote says nothing yet
_SAYS = re.compile(
    r"\b(?:said|says|say|stated|states|wrote|writes|added|adds|announced|announces|declared|"
    r"noted|told\s+\w+)\s*$",
    re.IGNORECASE,
)
# a comma inside a list ("blackouts were lifted in the Volyn, Ternopil and Lviv regions"):
# cut there, a headline would say less than its sentence, or something else
_ITEM = r"(?:[\w'’.-]+\s+){0,2}[\w'’.-]+"  # one to three words...
_OPENS = (
    r"(?:which|who|whom|whose|where|when|while|but|then|a|an|the|its|their|his|her|with|from|"
    r"to|in|on|at|by|for|as|after|before|amid|despite|[a-z]+ing)\b"
)  # ...the first opening no clause, phrase or description (", which", ", with", ", killing")
_LIST_GOES_ON = re.compile(
    rf",\s+(?:and|or)\s+(?!{_OPENS}){_ITEM}(?:[,.;:]|$)"  # "…, testing, and scaling"
    rf"|,\s+(?!{_OPENS})(?:{_ITEM},\s+)*{_ITEM},?\s+(?:and|or)\s"
    # "between Kyiv, the Vatican and Moscow": a named item may open with "the"
    rf"|,\s+the\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,2}},?\s+(?:and|or)\s"
)
# a word a clause cannot end on: "an incident in | which drones …" is cut before "in", or not
_DANGLING = frozenset(
    """
    in of on at by for with from to during under after before through among between into
    onto over upon within without against about
    """.split()  # noqa: SIM905
)
# auxiliaries and irregular pasts a news sentence's verb is often one of
_VERBS = frozenset(
    """
    is are was were be been am has have had will would can could may might must shall should
    does do did says say said tells told struck hit met took made gave sent won lost left began
    came went became shot fell rose held kept brought built caught fought found heard knew led
    meant paid ran saw sold spoke spent stood thought threw wrote drove flew grew broke chose
    hid let put set cut spread beat hurt sank swept withdrew overran got
    """.split()  # noqa: SIM905
)
# a plural subject's verb has no ending ("the allies continue", "leaders agree")
_PLAIN_VERBS = frozenset(
    """
    continue agree meet call say plan want seek urge warn vow hope expect begin remain reject
    accept discuss demand consider fear face need insist believe claim deny condemn welcome
    support oppose announce launch attack strike push press prepare refuse
    """.split()  # noqa: SIM905
)
_FLAG = re.compile(
    r"^\s*(?:breaking(?:\s+news)?|just\s+in|exclusive|update[d]?(?:\s*\d+)?|urgent|"
    r"developing(?:\s+story)?|"
    r"flash)\s*[:|–—-]\s*",
    re.IGNORECASE,
)
# "… after the drone attack – photos", "… – photo, video": what the page shows besides the news
_MEDIA = re.compile(
    r"\s+[-–—|]\s+(?:photos?|videos?|gallery|watch)(?:\s*(?:,|and|&)\s*(?:photos?|videos?))*"
    r"\s*$",
    re.IGNORECASE,
)
_PRINTED_STOP = re.compile(r"(?<=[a-z0-9])\.$")  # a headline ends without one ("the U.S." keeps it)
_CLAUSE_TAIL = re.compile(r"[,;:]+([\"'”’)\]]*)$")  # "…arrive alive,”" ends "…arrive alive”"
_SPECIFIC = re.compile(r"\d|^[A-ZА-ЯІЇЄҐ]")
# words that open an introductory phrase ("According to X,", "On 18 November, during Y,"): a
# headline never ends inside one, before its sentence's main clause has said anything
_INTRO = frozenset(
    """
    according after against ahead amid amidst as at because before besides by despite during
    earlier following for from here however if in last late later meanwhile moreover on once
    over overnight separately since speaking citing commenting responding asked this through
    today tonight under until upon while when with within without yesterday
    """.split()  # noqa: SIM905
)
_DATE_WORD = re.compile(
    r"(?i)(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day$)"
)
MAIN_WORDS = 4  # words of the main clause a made headline holds at least
# a count that opens with a word that may open an introductory phrase ("At least nine people…",
# "As many as 40 drones…", "Over 100 missiles…"): the subject, not an introduction
_QUANTITY = re.compile(
    r"(?i)[\"'“‘(]?(?:at\s+(?:least|most)|as\s+(?:many|much|few)\s+as|(?:over|under)(?=\s+\d))\s"
)
_THAT = re.compile(r"\bthat\s")  # what is said after it must have its verb in a headline
# after these a word ending in "s" is a plural ("during the talks"), not a verb ("he says")
_NOUN_BEFORE = frozenset(
    """
    the a an of in on at for with during from to by its their his her our these those
    """.split()  # noqa: SIM905
)
_OPENING_DATE = re.compile(
    r"(?i)^(?:(?:early|late)\s+)?on\s+(?:the\s+(?:morning|afternoon|evening|night)\s+of\s+)?"
    r"([^,]{1,40}),\s+(?=\S)"
)
_DATE_APPOSITION = re.compile(r"([^,]{1,30}),\s+(?=\S)")
# "In a recent development,", "In a major policy shift,", "In the latest escalation,": a frame
# the writer puts around the news, which says nothing a headline needs
_FRAMING = re.compile(
    r"(?i)^in\s+(?:a|an|the|another)\s+(?:[\w-]+\s+){0,3}?(?:developments?|move|shift|"
    r"escalation|turn|twist|step|reversal|u-turn|setback|breakthrough|blow|boost)"
    r"(?:\s+of\s+events)?,\s+(?=\S)"
)
_FINAL_STOP = re.compile(r"[.!]+([\"'”’)\]]*)$")
# "On Sunday evening, March 2,": the time of day dates the event too
_DATE_FILLERS = frozenset(
    {"the", "of", "st", "nd", "rd", "th", "morning", "afternoon", "evening", "night"}
)


def is_printed(item: Item) -> bool:
    """Whether the item's title is a headline its outlet printed, not one made from the first
    words or sentence of its text (such a title is the start of the text itself)."""
    title = item.title.removesuffix(" …").strip()
    return bool(title) and not _fold(item.body).startswith(_fold(title))


def unfit(title: str) -> str | None:
    """Why a printed title should not head a story, or None."""
    if title.endswith(("…", "...")):
        return "cut"
    if len(title.split()) > WHOLE_WORDS:
        return "long"  # a post's first lines given as its title (a channel's feed)
    if _LIVE.search(title):
        return "live"
    if is_digest_title(title):
        return "digest"
    if _OPINION.search(title):
        return "opinion"
    return None


def choose_headline(ranked: list[Item], lead: str | None) -> str:
    """The headline of a story whose items are `ranked` most central first; `lead` is the
    story's lead sentence (its summary's first), from which a headline is made when no item has
    a printed one fit to head it."""
    printed = [item for item in ranked if is_printed(item)]
    fit = [item for item in printed if unfit(item.title) is None]
    if fit:
        return unflagged(max(fit, key=lambda i: _worth(i.title, ranked.index(i))).title)
    if lead:
        return made_headline(lead)
    if printed:
        title = printed[0].title
        return shortened(title) if unfit(title) == "long" else title
    first = next((s for s in sentences(ranked[0].body, 1)), "")
    return made_headline(first) if first else ranked[0].title


def unflagged(title: str) -> str:
    """A printed headline without the flag a site puts before it ("BREAKING: ", "JUST IN -",
    "EXCLUSIVE | ") or the media it marks after it (" – photos"): a briefing is all
    news of the day, and neither is part of what happened."""
    rest = _PRINTED_STOP.sub("", _MEDIA.sub("", _FLAG.sub("", title, count=1)))
    if len(rest.split()) < MIN_CLAUSE_WORDS - 2:
        return title
    return rest[:1].upper() + rest[1:]


def shortened(title: str) -> str:
    """A headline from an overlong title (a post's first lines), never cut: its first
    sentence, else that sentence's lead clause, else what it says before it quotes someone
    ("X claims Y: “…”"), else the first sentence however long."""
    first = _without_stop(sentences(title, 1)[0])
    if len(first.split()) <= WHOLE_WORDS:
        return first
    made = made_headline(first)
    if not made.endswith(" …"):
        return made
    said, colon, _ = first.partition(": ")
    return said if colon and len(said.split()) >= MIN_CLAUSE_WORDS else first


def _worth(title: str, rank: int) -> float:
    """How good a headline `title` is: central (its item's rank), specific and of a length a
    desk would print."""
    words = title.split()
    specific = sum(1 for w in words[1:] if _SPECIFIC.search(w))
    score = -0.25 * rank + min(specific, 4) * 0.1
    if len(words) < 5:
        score -= 0.3
    elif len(words) > 20:
        score -= 0.2
    if title.rstrip().endswith("?"):
        score -= 0.15
    return score


def made_headline(sentence: str) -> str:
    """A headline made from a sentence: its dateline and agency tag stripped, its final stop
    dropped, and if it is long, its lead clause (or its first words, marked " …")."""
    text = _without_frame(_without_date(strip_dateline(sentence[:MADE_CHARS]).strip()))
    whole = len(sentence) <= MADE_CHARS
    text = _without_stop(text) if whole else text
    words = text.split()
    if len(words) <= HEADLINE_WORDS and whole:
        return text
    main = _main_clause(text)
    ends = [m.start() for m in _CLAUSE_END.finditer(text, main)]
    ends = [
        end
        for end in ends
        if len(text[main:end].split()) >= MAIN_WORDS
        and not _LIST_GOES_ON.match(text, end)
        and balanced(text[:end])  # never inside a quotation
        and text[:end].rsplit(maxsplit=1)[-1].casefold() not in _DANGLING
        and not (text[end : end + 1] == ":" and _SAYS.search(text[:end]))
        and _says_something(text[main:end])
        and _says_something(_THAT.split(text[main:end])[-1])  # "X said that during the meeting,"
    ]
    for end in reversed(ends):
        clause = _CLAUSE_TAIL.sub(r"\1", text[:end].rstrip())
        if MIN_CLAUSE_WORDS <= len(clause.split()) <= HEADLINE_WORDS:
            return clause
    for end in ends:  # else the shortest complete lead clause
        clause = _CLAUSE_TAIL.sub(r"\1", text[:end].rstrip())
        if MIN_CLAUSE_WORDS <= len(clause.split()) <= WHOLE_WORDS:
            return clause
    if len(words) <= WHOLE_WORDS and whole:
        return text
    return " ".join(words[: HEADLINE_WORDS - 2]) + " …"


def _without_stop(text: str) -> str:
    """A headline ends without a full stop (one inside a closing quote goes too)."""
    return _FINAL_STOP.sub(r"\1", text).strip()


def _says_something(clause: str) -> bool:
    """Whether a clause has a verb, as far as its English words tell: cut before its verb, a
    sentence leaves only its subject ("The head of the regional administration, Serhii Lysak")."""
    words = [raw.strip(".,;:!?\"'“”‘’()") for raw in clause.split()]
    lower = [w for w in words if w.islower()]
    if sum(w.isascii() for w in lower) * 2 < len(lower):
        return True  # not English: its words cannot tell
    for before, word, after in zip(["", *words], words, [*words[1:], ""], strict=False):
        if not word.islower() or after == "by":
            continue  # "people killed by the attack": a participle, no verb
        if word in _VERBS or (len(word) > 3 and word.endswith("ed")):
            return True
        if word in _PLAIN_VERBS and len(before) > 3 and before.endswith("s") and before.islower():
            return True  # "participants continue"
        if (
            len(word) > 3
            and word.endswith("s")
            and not word.endswith(("ss", "us", "is"))
            and before.casefold() not in _NOUN_BEFORE
            and not people_adjective(before)  # "European leaders", "French officials"
        ):
            return True  # "says", "launches" (or a plural: it may be a verb, it is not cut)
    return False


def _without_date(text: str) -> str:
    """The sentence without an opening phrase that only dates it ("On 18 November 2024,", "On
    the morning of November 17,"): a headline does not open with its date."""
    found = _OPENING_DATE.match(text)
    if found is None or not _only_date(found[1]):
        return text
    rest = text[found.end() :]
    while (more := _DATE_APPOSITION.match(rest)) and _only_date(more[1]):
        rest = rest[more.end() :]  # "On Monday, November 18, …"
    return _opening_dropped(text, rest)


def _without_frame(text: str) -> str:
    """The sentence without an opening frame ("In a recent development, …")."""
    found = _FRAMING.match(text)
    return _opening_dropped(text, text[found.end() :] if found else "")


def _opening_dropped(text: str, rest: str) -> str:
    """`rest`, the sentence after its opening phrase, capitalised; the whole `text` when too
    little of a main clause would be left."""
    if len(rest.split()) < MAIN_WORDS:
        return text
    return rest[0].upper() + rest[1:]


def _only_date(phrase: str) -> bool:
    return all(_DATE_WORD.match(w) or w.casefold() in _DATE_FILLERS for w in phrase.split())


def _main_clause(text: str) -> int:
    """Where the sentence's main clause starts: after its introductory phrases, each ended by a
    comma ("On 18 November 2024, during a Security Council briefing, US Ambassador …"); a
    phrase that only adds a date ("Monday, November 18, from 6:00") belongs to them."""
    start = 0
    while True:
        first = text[start:].split(maxsplit=1)[:1]
        word = first[0].strip("\"'“‘(") if first else ""
        if not word or not (word.casefold() in _INTRO or _DATE_WORD.match(word)):
            return start
        if _QUANTITY.match(text, start):
            return start  # "At least nine people died, …" counts, it introduces nothing
        comma = text.find(", ", start)
        if comma < 0:
            return start
        start = comma + 2


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def says_lead(story: Story) -> bool:
    """Whether the headline says all the summary's first sentence says: a headline made from
    the whole sentence (only an opening date or frame, a dateline or agency tag dropped), or a
    title that is that sentence. Readers' formats then start the summary at its second
    sentence rather than print the same words twice; a headline cut to the sentence's lead
    clause leaves the rest unsaid, so that sentence stays."""
    if not story.summary or story.summary[0].cut:
        return False
    lead = story.summary[0].text
    head, words = _fold(story.headline).split(), _fold(lead).split()
    if not head or words[len(words) - len(head) :] != head:
        return False
    return head == words or _fold(made_headline(lead)).split() == head
