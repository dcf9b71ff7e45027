"""A page's headline without its site name.

Pages put their site's name in every title they state — `<title>`, `og:title`,
`twitter:title`, JSON-LD `headline` — before or after the headline, behind a separator
(`|`, `–`, `—`, `-`, `·`, `:`, `»`, `::`, `•`): "Talks resume in Istanbul | Example News".
The name is dropped when the piece behind the first or the last separator is the site: its
`og:site_name`, its JSON-LD publisher, its `application-name`, the text of its links to the home
page (the logo), or its host ("example.org", "example"). A title whose piece before or after a
separator is exactly the page's `<h1>`, and at least half of it, is cut to that piece. A
headline that merely contains a dash or a colon ("Kyiv - Moscow talks", "Ukraine: what we
know") keeps it, since no piece of it is a site name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SEP = re.compile(r"\s+(?:[|–—·:»«›‹•]|::|-{1,2})\s+|(?<=\w):\s+")
_KEY = re.compile(r"\W+")
_HOST_PARTS = {"www", "m", "amp", "mobile", "news", "blog", "blogs"}


def _key(text: str) -> str:
    """Letters and digits only, without case or accents ("Nestlé Family" is "nestlefamily")."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return _KEY.sub("", "".join(c for c in text if not unicodedata.combining(c)))


def site_keys(names: Iterable[str | None], host: str | None) -> set[str]:
    """What a site's name looks like once case, spaces and punctuation are gone."""
    keys = {_key(n) for n in names if n}
    labels = [x for x in (host or "").lower().split(".") if x and x not in _HOST_PARTS]
    if labels:
        keys.add(_key(".".join(labels)))  # "sportsnet.ca"
    if len(labels) >= 2:  # "sportsnet" of sportsnet.ca, "example" of www.example.co.uk
        second_level = len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3
        keys.add(_key(labels[-3] if second_level else labels[-2]))
    return {k for k in keys if len(k) >= 3}


def is_site(piece: str, keys: set[str]) -> bool:
    """The piece names the site: the same letters; or one name begins the other, the shorter at
    least two thirds of it (a site "Investment Watch" on investmentwatchblog.com); or a short
    piece of at most four words begins with the name ("Gregory Szorc's Digital Home" on
    gregoryszorc.com, "DVGW e.V." on dvgw.de)."""
    key = _key(piece)
    if not key:
        return False
    for site in keys:
        short, long = sorted((key, site), key=len)
        if key == site or (long.startswith(short) and len(short) * 3 >= len(long) * 2):
            return True
        words = [w for w in piece.split() if _key(w)]
        if len(site) >= 4 and key.startswith(site) and len(words) <= 4:
            return True
    return False


def strip_site(title: str, keys: set[str], headlines: Iterable[str] = ()) -> str:
    """`title` without a leading or trailing site name (unless all of it names the site); cut
    to the page's own headline (its first <h1> that is not the site's name) when a piece before
    or after a separator is exactly that headline and at least half the title, so that a
    kicker goes ("Covid-19: Can the spread be controlled?") but a section name never becomes
    the title."""
    for _ in range(3):  # "Site » Blog » Headline"
        seps = list(_SEP.finditer(title))
        if not seps:
            break
        last, first = seps[-1], seps[0]
        before, after = title[: last.start()].strip(), title[first.end() :].strip()
        if is_site(title[last.end() :], keys) and before and _key(before) not in keys:
            title = before
        elif is_site(title[: first.start()], keys) and after and _key(after) not in keys:
            title = after
        else:
            break
    head = next((_key(h) for h in headlines if h and not is_site(h, keys)), "")
    if head and _key(title) != head:
        for sep in _SEP.finditer(title):
            for piece in (title[: sep.start()], title[sep.end() :]):
                if _key(piece) == head and len(piece) * 2 >= len(title) - len(sep.group()):
                    return piece.strip()
    return title
