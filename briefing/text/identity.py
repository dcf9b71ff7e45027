"""Canonical URLs and stable item ids, so the same article collected twice is one item."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref|ref_src|"
    r"cmpid|ocid|smid|at_medium|at_campaign|spm|rss|guccounter)$",
    re.I,
)
_UNPRINTABLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.", re.I)
_AMP = re.compile(r"(/amp/?|\.amp|/amp\.html)$", re.I)
# an address canonical_url leaves as it is (but for its scheme): lower-case host, no port,
# query or fragment, a path of plain characters
_PLAIN_URL = re.compile(
    r"https?://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?\Z"
)


@functools.lru_cache(maxsize=65_536)  # a feed's links are checked several times each
def safe_url(url: str | None) -> str | None:
    """Keep only absolute http(s) links; anything else (javascript:, file:, data:) is dropped."""
    if not url:
        return None
    if len(url) <= 2000 and _PLAIN_URL.match(url):  # what _safe leaves as it is: say so fast
        return url
    return _safe(url)


def _safe(url: str) -> str | None:
    url = _UNPRINTABLE.sub("", url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url[:2000]


@functools.lru_cache(maxsize=65_536)
def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment, tracking parameters, AMP/mobile variants or
    trailing slash: two spellings of one article's address become one string."""
    if url is not None and len(url) <= 2000:  # most links are canonical already: say so fast
        plain = _PLAIN_URL.match(url)
        if plain and not _MOBILE_HOST.match(plain.group(1)):
            path = plain.group(2) or "/"
            if "//" not in path and (path == "/" or path[-1] != "/") and not _AMP.search(path):
                return "https://" + plain.group(1) + path
    return _canonical(url)


def _canonical(url: str | None) -> str | None:
    url = safe_url(url)
    if url is None:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = _MOBILE_HOST.sub("", host)
    if parts.port and not (
        (parts.scheme.lower() == "http" and parts.port == 80)
        or (parts.scheme.lower() == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    path = re.sub(r"/+", "/", parts.path or "/")
    path = _AMP.sub("", path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k) and k.lower() != "amp"
    ]
    query.sort()
    return urlunsplit(("https", host, path, urlencode(query), ""))


def without_tracking(url: str | None) -> str | None:
    """The link without tracking parameters (`utm_*`, `fbclid`, …), otherwise as given: what
    a briefing prints, so a reader's click is not reported back."""
    if not url or "?" not in url:
        return url
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))


def normal_title(title: str) -> str:
    """Title reduced to lower-case words, for 'same outlet, same title' comparisons."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


def item_id(
    url: str | None, outlet: str, title: str, published: datetime | None, salt: str = ""
) -> str:
    """Stable id: the canonical URL when there is one, else outlet + title + publication time.

    `salt` tells apart several items that share one page address (posts of a live blog)."""
    canon = canonical_url(url)
    if canon:
        basis = "u|" + canon + ("#" + salt if salt else "")
    else:
        stamp = published.isoformat() if published else ""
        basis = "h|" + "|".join((outlet.casefold(), normal_title(title), stamp, salt))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]
