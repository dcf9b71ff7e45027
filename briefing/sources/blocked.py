"""Pages that are not the page asked for: bot-protection challenges, "access denied", consent
walls and error pages served with a 200 status ("soft 404s").

Each rule pairs a signal no real article has with a tiny amount of visible text (what a
browser would show in the body, without scripts, styles, noscript and templates): a real
article has hundreds of words around any "please enable JavaScript" notice or cookie banner;
these pages have a sentence or two.

- **Challenge pages** of the common bot-protection services, told by their own markers:
  Incapsula (Imperva), Cloudflare ("Just a moment...", its challenge platform), Google's
  Project Shield, Sucuri, DataDome, PerimeterX, DDoS-Guard, Reblaze, Akamai ("Reference #").
- **Generic challenges**: a tiny page asking to enable JavaScript or cookies, to prove one is
  human, or saying "checking your browser".
- **Access denied and error pages**: a title (or the first heading) that is an HTTP status or
  its words — "403 Forbidden", "Access denied", "404", "Page not found" and its translations —
  on a page with little text.
- **Consent walls**: a tiny page that is all about cookies and consent.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .htmlpage import markup_of, title_of

TINY = 1_000  # visible characters of a service's challenge page (real articles have more)
BARE = 600  # ... of a page whose only signal is its wording (a generic challenge, a consent wall)
SMALL = 3_000  # ... of an error page, which keeps the site's navigation and footer
_HIDDEN = frozenset({"script", "style", "noscript", "template", "title"})

_VENDORS = (  # (marker in the page's markup, the service), matched case-insensitively
    ("_incapsula_resource", "Incapsula"),
    ("incapsula incident id", "Incapsula"),
    ("/cdn-cgi/challenge-platform/", "Cloudflare"),
    ("cf-browser-verification", "Cloudflare"),
    ("cf_chl_", "Cloudflare"),
    ("attention required! | cloudflare", "Cloudflare"),
    ("project shield", "Project Shield"),
    ("sucuri website firewall", "Sucuri"),
    ("captcha-delivery.com", "DataDome"),
    ("px-captcha", "PerimeterX"),
    ("ddos-guard", "DDoS-Guard"),
    ("window.rbzns", "Reblaze"),
    ("errors.edgesuite.net", "Akamai"),
)
_CHALLENGE = re.compile(
    r"\b(?:(?:please\s+)?(?:enable|turn\s+on|activate)\s+(?:your\s+)?(?:javascript|js|cookies)|"
    r"javascript\s+(?:is\s+)?(?:disabled|required)|checking\s+(?:if\s+the\s+site\s+connection\s+"
    r"is\s+secure|your\s+browser)|verify(?:ing)?\s+(?:that\s+)?you\s+are\s+(?:a\s+)?human|"
    r"are\s+you\s+a\s+robot|press\s+(?:&|and)\s+hold|just\s+a\s+moment\.\.\.|"
    r"request\s+unsuccessful|javascript\s+aktivieren|activez\s+javascript)",
    re.I,
)
_ERROR_TITLE = re.compile(
    r"\W*(?:(?:http\s+)?error\s*:?\s*)?(?:[45]\d\d\b\W*)?(?:error\s*)?(?:"
    r"access\s+denied|forbidden|unauthori[sz]ed|not\s+found|page\s+not\s+found|"
    r"file\s+not\s+found|page\s+(?:is\s+)?unavailable|service\s+unavailable|bad\s+gateway|"
    r"internal\s+server\s+error|seite\s+nicht\s+gefunden|page\s+introuvable|"
    r"p[áa]gina\s+no\s+encontrada|pagina\s+non\s+trovata|strona\s+nie\s+znaleziona|"
    r"страница\s+не\s+найдена|сторінку\s+не\s+знайдено)?\W*",
    re.I,
)
_CONSENT = re.compile(
    r"\b(?:cookies?|consent|einwilligung|zustimm\w*|privacy|datenschutz|accept\s+all|"
    r"reject\s+all|alle\s+akzeptieren|manage\s+(?:your\s+)?(?:choices|preferences|options)|"
    r"partners|before\s+you\s+continue|personali[sz]ed\s+ads)\b",
    re.I,
)
_SEPARATOR = re.compile(r"\s+[|–—·:»-]\s+")


def visible_text(root: Any, limit: int) -> str:
    """The text a browser shows in the body, up to about `limit` characters."""
    body = root.find("body")
    if body is None:
        return ""
    parts: list[str] = []
    size = hidden = 0
    for event, el in etree.iterwalk(body, events=("start", "end")):
        invisible = el.tag in _HIDDEN or not isinstance(el.tag, str)
        if event == "start":
            hidden += invisible
            chunk = el.text if hidden == 0 else None
        else:
            hidden -= invisible
            chunk = el.tail if hidden == 0 and el is not body else None
        if chunk and chunk.strip():
            parts.append(" ".join(chunk.split()))
            size += len(parts[-1]) + 1
            if size > limit:
                break
    return " ".join(parts)


def block_reason(root: Any, markup: bytes, errors_only: bool = False) -> str | None:
    """Why this page is a challenge, access-denied, error or consent page; None for a page.
    `errors_only`: judge only by an error title (the page states an article in its metadata,
    which challenge and consent pages never do)."""
    shown = visible_text(root, SMALL)
    if len(shown) > SMALL:
        return None
    title = title_of(markup_of(root.find(".//title")))
    if len(shown) <= TINY and not errors_only:
        head = markup[:300_000].lower()
        for marker, vendor in _VENDORS:
            if marker.encode() in head:
                return f"challenge page ({vendor})"
    if len(shown) <= BARE and not errors_only:
        if _CHALLENGE.search(shown) or _CHALLENGE.search(title):
            return "challenge page (asks to enable JavaScript or prove a human visits)"
        if len({m.group().lower() for m in _CONSENT.finditer(shown)}) >= 3:
            return "consent wall"
    heading = title_of(markup_of(root.find(".//h1")))
    for text in (title, heading):
        pieces = [p for p in _SEPARATOR.split(text) if p.strip()]
        for piece in pieces[:1] + pieces[-1:]:
            if re.search(r"\w", piece) and _ERROR_TITLE.fullmatch(piece):
                return f"error page ({' '.join(piece.split())[:60]})"
    return None
