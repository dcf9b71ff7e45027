"""Sentences: where a text's sentences end, its first one, and datelines before them.

Summaries and made-up titles are copied from items sentence by sentence, so there is one rule
for where a sentence ends: terminal punctuation (and the closing quotes or brackets after it),
then space, then a capital, a digit or an opening quote — except
- inside a quotation (a stop in `“We are ready.” he said` ends the quoted words, not the
  sentence, unless the closing quote comes with it);
- after an abbreviation (`Mr.`, `Gen.`, `Jan.`, `No.`, `vs.`), an initial (`Donald J. Trump`)
  or a dotted short form such as `U.S.` when the next word does not open a sentence;
- inside a number (`3.5`, no space follows).
A line break always ends a sentence (a paragraph or a bullet).
"""

from __future__ import annotations

import re
import string

FIRST_SENTENCE_WORDS = 20  # a title made from a first sentence is cut here, marked " …"

_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[A-Z0-9А-ЯІЇЄҐ])")
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st gen lt col maj capt sgt cpl adm cmdr gov sen rep pres amb rev fr hon
    jr sr mt ft no nos vs etc approx est dept univ inc ltd corp co bros jan feb mar apr jun jul
    aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun fig ed eds vol op art
    """.split()  # noqa: SIM905
)
# words after which a dotted short form ("U.S.") ends its sentence: they open sentences
_OPENERS = frozenset(
    """
    the a an he she it they we i you this that these those there his her its their our in on
    at but and so yet however meanwhile earlier later after before when while as if since
    """.split()  # noqa: SIM905
)
_DOTTED = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # U.S. U.K. e.g. a.m.
_LETTERS = string.ascii_letters  # the letters of an abbreviation or an initial
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]?(\w+)")
_OPEN_DOUBLE = "“«"
_CLOSE_DOUBLE = "”»"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
_CURLY_DOUBLE = re.compile("[“«”»]")
_DASHES = r"[-—–―]"
_AGENCY = r"(?:RIA Novosti|TASS|Interfax|Xinhua|IANS|ANI|UNN|Ukrinform|KUNA|EFE|dpa|AFP|AP|Reuters)"
_CITY = r"[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|de|da|do|del|di|la|el))*"  # Rio de Janeiro
_DATELINE = re.compile(
    # KYIV, May 28 (Reuters) - | WASHINGTON (AP) — | PUGLIA, Italy ― | MOSCOW, Nov 19 - TASS. |
    # LVIV, Oct 3: | LVIV (Reuters): | BERLIN (Oct 3): | RIGA, Latvia, October 3. |
    # ODESA, March 3, 2025 –
    rf"^(?:(?=[A-Z .'’-]*[A-Z]{{3}})[A-Z][A-Z .,'’-]{{2,40}}"
    rf"(?:,\s*[A-Z][a-z]+(?=,))?"
    rf"(?:,\s*[A-Z][a-z]+\.? \d{{1,2}}(?:,?\s*\d{{4}})?|,\s*[A-Z][a-z]+)?\s*"
    rf"(?:\([^)]{{2,30}}\))?\s*(?:{_DASHES}+(?:\s*{_AGENCY}\.(?=\s|$))?|:(?=\s+[A-Z])|"
    r"(?<=\d)\.(?=\s+[A-Z]))"
    # WASHINGTON, June 2. /TASS/.
    r"|[A-Z][A-Za-z .'’-]{2,40},\s*[A-Z][a-z]+\.?\s+\d{1,2}\.?\s*/[A-Z][A-Za-z-]{1,20}/\.?"
    # (AP) — | (LONDON) -- | (MENAFN- Kuwait News Agency (KUNA))
    rf"|\((?:[A-Z][A-Za-z]*[-\s]*){{1,3}}\)\s*{_DASHES}*"
    r"|\(MENAFN-[^()]*(?:\([^()]*\)[^()]*)*\)"
    # Washington, Jan 10: | New Delhi, Nov 21 (IANS) - | Istanbul, Mar 29 (EFE).- |
    # São Paulo, Oct. 3, (dpa/GNA) – | Vilnius (Lithuania), Oct. 3 (ANSA/AP) – |
    # Odesa, Oct 3 The mayor said … (no stop at all)
    rf"|{_CITY}(?:\s*\([^)]{{2,30}}\))?,\s*{_MONTH}\.?\s+\d{{1,2}},?\s*(?:\([^)]{{2,30}}\))?\.?\s*"
    r"(?:[:—–―-]+|(?<=\s)(?=[A-Z]))"
    # Oct 3 (UPI) -- | October 3, 2025 — (after the city: "GDANSK, Poland – October 3, …")
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:,?\s*\d{{4}})?\s*(?:\([^)]{{2,30}}\))?\s*{_DASHES}+"
    # МОСКВА, 9 окт — РИА Новости. | КИЕВ, 10 октября. /ТАСС/. (Russian and Ukrainian agencies)
    r"|(?=[А-ЯЁІЇЄҐ .'’-]*[А-ЯЁІЇЄҐ]{3})[А-ЯЁІЇЄҐ][А-ЯЁІЇЄҐ .'’-]{2,40},\s*\d{1,2}\s+"
    r"[а-яёіїєґ]{3,9}\.?\s*(?:[—–-]+(?:\s*[А-ЯЁІЇЄҐA-Z][\w .-]{1,30}?\.(?=\s|$))?|/[^/]{2,20}/\.?)"
    # Moscow: | Washington — | WASHINGTON: | NEW DELHI: (CNA, The Straits Times, Indian papers)
    r"|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?::|\s+[—―])(?=\s+[A-Z])"
    r"|(?=[A-Z .'’-]*[A-Z]{3})[A-Z][A-Z .'’-]{2,40}:(?=\s+[A-Z]))\s*"
)
_SAYING = (
    r"(?:(?:has|have|had|was|were)\s+)?(?:(?:also|already|finally|now|then)\s+)?"
    r"(?:said|says|wrote|writes|posted|posts|added|stated|told\s+\w+(?:\s+\w+)?|commented|"
    r"responded|reacted|replied|tweeted|spoke|weighed in|made a statement|issued a statement)"
    r"(?:\s+(?:on|in|to|about)\s+(?:[\w'’]+\s+){0,5}[\w'’]+)?\s*[.:]$"
)
_SAID_ALONE = re.compile(r"^\s*(?:[\w'’.-]+\s+){1,4}" + _SAYING, re.I)  # "Peskov responded."
SAID_ALONE_WORDS = 17  # the most words _SAID_ALONE can match: 4 + 1 + 1 + 3 + 1 + 6 + a lone "."
# "X publicly commented on his phone call with Y for the first time.", "X addressed the
# citizens and commented on the attack this morning, November 21.": what about, never what
_COMMENTED_ON = re.compile(
    r"^\s*(?:[\w'’.-]+\s+){1,8}?(?:(?:has|have|had)\s+)?(?:(?:also|already|finally|now|then|"
    r"publicly|first)\s+)?(?:(?P<commented>commented)\s+on|(?:reacted|responded)\s+to)\s+"
    r"[^,;:!?\"“”«»]*?(?:,\s*(?:on\s+)?[\w ]{1,20})?\s*\.$",
    re.I,
)
_NEGATED = re.compile(r"n['’]t\b|\b(?:not|never|neither|nor|no)\b", re.I)
_MEANS = re.compile(r"\b(?:with|by)\b", re.I)  # "responded to the strike with 90 missiles"
_SAID_AFTER = re.compile(r"^\s*" + _SAYING, re.I)  # ", now a deputy chairman, | wrote on X."


def sentences(text: str, limit: int | None = None) -> list[str]:
    """The text's sentences, line by line (the first `limit` of them)."""
    out: list[str] = []
    for para in text.splitlines():
        out.extend(s for s in _split(para) if s)
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def _split(para: str) -> list[str]:
    found: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(para):
        end = match.end(2)  # the sentence keeps its closing quotes and brackets
        if _ends_here(para, start, match):
            found.append(para[start:end].strip())
            start = match.end()
    found.append(para[start:].strip())
    return found


TAIL = 64  # how far back from a stop the word before it is looked for


def _ends_here(para: str, start: int, match: re.Match[str]) -> bool:
    """Whether the stop `match` ends the sentence begun at `start` (see the module docstring).
    The word before the stop is looked for near it, not from the sentence's start: on a long
    paragraph every stop would read the whole sentence again."""
    if not balanced(para[start : match.end(2)]):
        return False  # a quotation is still open: its stop is not the sentence's
    if match.group(1) != ".":
        return True  # ! ? … and runs of them
    cut = max(start, match.start(1) - TAIL)
    before = para[cut : match.start(1) + 1]  # up to the stop
    dotted, (at, token) = _dotted(before), _word_before(before)
    if cut > start and (dotted == 0 or (token and not at)):
        before = para[start : match.start(1) + 1]  # what is before the stop is longer
        dotted, (at, token) = _dotted(before), _word_before(before)
    if dotted is not None:
        next_word = _NEXT_WORD.match(para, match.end())
        return next_word is not None and next_word.group(1).casefold() in _OPENERS
    if not token:
        return True  # after a digit, a closing bracket, …
    if len(token) == 1 and token.isupper():
        return False  # an initial
    return token.casefold() not in _ABBREVIATIONS


def _dotted(before: str) -> int | None:
    """Where the dotted short form ("U.S.") that `before` ends with starts, if it ends with
    one (the regular expression runs only where the last letter has a stop before it)."""
    if before[-3:-2] != ".":
        return None
    found = _DOTTED.search(before)
    return None if found is None else found.start()


def _word_before(before: str) -> tuple[int, str]:
    """The letters just before the stop `before` ends with, and where they start ("" if none)."""
    stem = before[:-1]
    at = len(stem.rstrip(_LETTERS))
    return at, stem[at:]


def balanced(text: str) -> bool:
    """Whether every double quotation opened in `text` is closed (straight quotes pair up)."""
    if not _CURLY_DOUBLE.search(text):
        return text.count('"') % 2 == 0
    depth = 0
    for char in text:
        if char in _OPEN_DOUBLE:
            depth += 1
        elif char in _CLOSE_DOUBLE:
            depth = max(0, depth - 1)
    return depth == 0 and text.count('"') % 2 == 0


# "The rescuers reported this on Telegram.", "This was announced by the ministry."
_REPORTED_THIS = re.compile(
    r"(?i)\b(?:report(?:ed|s)|announce[ds]|state[ds]|wr(?:ote|ites)|post(?:ed|s)|confirm(?:ed|s)|"
    r"said|says|note[ds]|share[ds])\s+(?:this|these)(?:\s+(?:information|news|data))?\s*"
    r"(?:[.;]|,\s+(?:referring|citing|quoting|according)\b|"
    r"(?:on|in|at|via|to|by|during|after|from|with)\b)"
    r"|^(?:according to [^,]{1,60},\s+)?(?:this|that) (?:was|is|has been) "
    r"(?:reported|announced|stated|confirmed)\b"
)
# a wire's boilerplate: "Reuters could not immediately verify the report.", "The ministry did
# not immediately respond to a request for comment.", "There was no immediate comment from Moscow."
_BOILERPLATE = re.compile(
    r"(?i)^(?:[\w'’.()-]+\s+){1,6}(?:could|can|was|were)\s+(?:not|unable\s+to)\s+"
    r"(?:immediately\s+|independently\s+)*(?:verify|confirm)\b[^.;:!?,\d]{0,60}\.$"
    r"|^(?:[\w'’.()-]+\s+){1,6}(?:did\s+not|didn['’]t)\s+immediately\s+(?:respond|reply|comment)"
    r"\b[^.;:!?,\d]{0,60}\.$"
    r"|^there\s+was\s+no\s+immediate\s+(?:comment|response|reaction)\b[^.;:!?,\d]{0,60}\.$"
)
# "It was reported by the city's rescue service on local radio."
_IT_WAS_REPORTED = re.compile(r"(?i)^it was (?:reported|announced|stated|confirmed) by\b")
# "Source: the regional governor on Telegram", "That's according to the mayor, who …"
_SOURCE_ONLY = re.compile(r"(?i)^(?:sources?\s*:|that['’]s according to\b)")


def attributes_only(sentence: str) -> bool:
    """A sentence that only says where the news came from ("This was reported on a local radio
    station by the region's spokesman.", "Source: …", "That's according to the mayor, who
    posted it first.", "It was reported by the city's spokesman."): the names in it are the
    report's sources, not its event."""
    folded = sentence.casefold()
    if folded.startswith(("source", "that")) and _SOURCE_ONLY.match(sentence):
        return True
    if folded.startswith("it was ") and _IT_WAS_REPORTED.match(sentence):
        return " that " not in folded  # ("It was reported by X that …" tells what)
    # (each way of saying so needs "this", "these" or "that")
    return ("this" in folded or "these" in folded or "that" in folded) and bool(
        _REPORTED_THIS.search(sentence)
    )


def is_dateline(sentence: str) -> bool:
    """A "sentence" that is only a dateline ("MOSCOW, Nov 19 - RIA Novosti.")."""
    rest = _DATELINE.sub("", sentence, count=1)
    return rest != sentence and not rest.strip(" .")


def points_elsewhere(sentence: str) -> bool:
    """A sentence that only says who spoke and where ("Medvedev, deputy chairman of the
    Security Council, wrote on X.", "Peskov made a statement on the matter."), whose words are
    elsewhere, that only says someone commented on something ("X commented on the attack."),
    or that reports "this" ("Rescuers reported this on Telegram."): on its own in a summary it
    tells the reader nothing. A report that names its source ("Russia launched 40
    drones, the air force said.") is not one."""
    if any(q in sentence for q in '"“”«»'):
        return False
    if any(w in sentence for w in ("immediate", "verify", "confirm")) and _BOILERPLATE.match(
        sentence
    ):
        return True
    # (each pattern is tried only where the words it needs are there)
    if len(sentence.split()) <= SAID_ALONE_WORDS and _SAID_ALONE.match(sentence):
        return True
    folded = sentence.casefold()
    about = (
        _COMMENTED_ON.match(sentence)
        if any(w in folded for w in ("commented", "reacted", "responded"))
        else None
    )
    if (
        about
        and not _NEGATED.search(sentence)
        and (about.group("commented") or not _MEANS.search(sentence))
    ):
        return True
    # (its first half needs "this" or "these"; its second opens with "this " or "that ")
    if (
        "this" in folded or "these" in folded or folded.startswith(("that", "it was "))
    ) and attributes_only(sentence):
        return True
    head, _, last = sentence.rpartition(",")
    return bool(head) and len(head.split(",")[0].split()) <= 4 and bool(_SAID_AFTER.match(last))


def first_sentence(text: str) -> str:
    """The first sentence on one line, at most FIRST_SENTENCE_WORDS words (then " …")."""
    text = " ".join(text.split()[:200])
    words = (sentences(text) or [""])[0].split()
    cut = len(words) > FIRST_SENTENCE_WORDS
    return " ".join(words[:FIRST_SENTENCE_WORDS]) + (" …" if cut else "")


_PARN = r"\((?:[^()]|\([^()]*\))*\)"
_FDASH = r"(?:--|[-–—:])"
_MONTH_WORD = r"(?:[A-Z][a-z]{2,8}\.?)"
_DAYM = rf"(?:\d{{1,2}}\s+{_MONTH_WORD}|{_MONTH_WORD}\s+\d{{1,2}})(?:,?\s*\d{{4}})?"
# "(MENAFN- X (Y))", "KYIV, Nov 21 (Reuters) -", "RIO DE JANEIRO (Sputnik) -", "BERLIN —",
# "Washington, Nov 21 (IANS)", "November 21, Baku -", "Washington — ": who filed it, where
# and on which day, not the event
_FILED = [
    re.compile(rf"^\s*{_PARN}\s*{_FDASH}?\s*"),
    re.compile(rf"^\s*[A-Z][A-Z .'’-]{{1,40}}(?:,\s*{_DAYM})?,?\s*(?:{_PARN})?\s*{_FDASH}\s*"),
    re.compile(rf"^\s*[A-Z][\w.'’ ]{{1,30}},\s*{_DAYM},?\s*(?:{_PARN})?\s*{_FDASH}?\s*"),
    re.compile(rf"^\s*{_DAYM},\s*[A-Z][\w.'’ ]{{1,30}}\s*{_FDASH}\s*"),
    re.compile(r"^\s*[A-Z][\w.'’]+(?: [A-Z][\w.'’]+){0,3}\s+[—–]\s+"),
]


def undateline(text: str) -> str:
    """The text without the dateline and source tags it starts with."""
    for _ in range(3):
        before = text
        for pattern in _FILED:
            rest = pattern.sub("", text, count=1)
            if rest != text and len(rest) > 20 and rest[:1].isupper():
                text = rest
        if text == before:
            break
    # (and the forms a sentence may open with: "MOSCOW, June 1. /TASS/.")
    return strip_dateline(text)


def strip_dateline(sentence: str) -> str:
    """'KYIV, May 28 (Reuters) - Russia said…' -> 'Russia said…' (still a verbatim substring)."""
    for _ in range(3):  # "(MENAFN- KUNA) BRUSSELS, Nov 19 (KUNA) -- …" has two
        rest = _DATELINE.sub("", sentence, count=1)
        if rest == sentence or len(rest) <= 20 or not rest[:1].isupper():
            break
        if sentence[: len(sentence) - len(rest)].rstrip().endswith(":") and _SPEECH.match(rest):
            break  # "Peskov: We are ready…" is someone speaking, not a dateline
        sentence = rest
    return sentence


_SPEECH = re.compile(r"(?:I|We|Our|My|Us)\b")
