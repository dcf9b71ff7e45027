"""Feed entries into items: plain text, checked links, and an id for every distinct entry.

An item's id is its canonical address (fragment dropped), so the same article collected twice,
or from two feeds, is one item. Feeds where several entries share one address are kept whole:
a blog's daily page whose posts differ only by `#fragment`, or a linked post and a sponsor post
pointing at the same article. Entries that share an address within a document are told apart
by their fragment and guid (or title and time), which depend on the entry alone, so each keeps
its id from run to run; entries that agree on all of these are the same entry twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..models import Item
from ..text.clean import first_words, html_to_text, plain, title_text
from ..text.identity import canonical_url, item_id, safe_url

EMPTY = "empty entry (no title or text)"  # the refusal of an entry with nothing to show


@dataclass(frozen=True)
class Entry:
    """One entry as its feed states it (fields may hold markup), before it becomes an item."""

    link: str | None
    title: str | None
    body: str | None
    published: datetime | None
    date_only: bool = False
    guid: str | None = None
    lang: str | None = None
    outlet: str | None = None  # the outlet an aggregator names for it (RSS and Atom <source>)


def entry_items(
    entries: list[Entry], source: str, outlet: str, captured: datetime, bases: list[str | None]
) -> tuple[list[Item], list[str]]:
    """The entries' items, and one refusal reason per entry that holds nothing. Relative links
    resolve against the first absolute address in `bases` (the document's own address, the
    feed's home page)."""
    base = next((b for b in bases if b and safe_url(b)), None)
    links = [absolute(e.link, base) for e in entries]
    addresses = Counter(canonical_url(link) for link in links if link)
    items: list[Item] = []
    refused: list[str] = []
    for entry, link in zip(entries, links, strict=True):
        shared = link is not None and addresses[canonical_url(link)] > 1
        item = entry_item(
            source,
            title_text(_str(entry.outlet)) or outlet,
            link,
            entry.title,
            entry.body,
            entry.published,
            captured,
            entry.lang,
            entry.date_only,
            salt=_salt(entry, link) if shared else "",
        )
        if item is None:
            refused.append(EMPTY)
        else:
            items.append(item)
    return items, refused


def absolute(link: str | None, base: str | None) -> str | None:
    """`link` as an absolute http(s) address, resolved against `base` when it is relative."""
    if not link or not link.strip():
        return None
    link = link.strip()
    if base and not urlsplit(link).scheme:
        link = urljoin(base, link)
    return safe_url(link)


def _salt(entry: Entry, link: str | None) -> str:
    """What tells apart entries that share one address: the link's fragment and the guid, else
    the title and time."""
    fragment = urlsplit(link).fragment if link else ""
    parts = [p for p in (fragment, entry.guid) if p]
    if not parts:
        stamp = entry.published.isoformat() if entry.published else ""
        parts = [title_text(_str(entry.title)), stamp]
    return "#".join(parts)


def entry_item(
    source: str,
    outlet: str,
    link: Any,
    title: Any,
    body: Any,
    published: datetime | None,
    captured: datetime,
    lang: Any = None,
    date_only: bool = False,
    salt: str = "",
) -> Item | None:
    """One entry as an item: markup reduced to plain text, the link kept only if http(s), a
    title made from the first words when the entry has none; None when it holds nothing.
    A title loses the " - Outlet" it ends with (an aggregator's, or an outlet's own); a text
    that only repeats the title (and the outlet's name) is no text.

    `briefing eval` makes its labelled items here too, so it measures what collection stores."""
    text = html_to_text(_str(body))
    headline = title_text(_str(title))
    if not headline and not text:
        return None
    headline = _without_outlet(headline, outlet)
    if headline and _only_title(text, headline, outlet):
        text = ""
    url = safe_url(_str(link))
    headline = headline or first_words(text)
    return Item(
        id=item_id(url, outlet, headline, published, salt=salt),
        source=source,
        outlet=outlet,
        url=url,
        title=headline,
        body=text,
        published=published,
        captured=captured,
        lang=plain(_str(lang), 20) or None,
        date_only=date_only and published is not None,
    )


_SEPARATORS = (" - ", " – ", " — ", " | ")


def _without_outlet(headline: str, outlet: str) -> str:
    """An aggregator's "Headline - Outlet" as "Headline" (kept whole if little would be left)."""
    for separator in _SEPARATORS:
        head, found, tail = headline.rpartition(separator)
        if found and tail.strip().casefold() == outlet.casefold() and len(head.split()) >= 3:
            return head.strip()
    return headline


def _only_title(text: str, headline: str, outlet: str) -> bool:
    """A description that is only the title, perhaps followed by the outlet's name (as
    aggregators write them): it says nothing the headline does not."""
    if len(text) > 2 * (len(headline) + len(outlet)) + 20:
        return False  # (most texts: longer than a title and a name, however spaced)
    rest = " ".join(text.split()).casefold()
    for separator in _SEPARATORS:  # "Headline - Outlet" over a text that is "Headline"
        head, found, tail = headline.rpartition(separator)
        if found and len(tail.split()) <= 5 and rest == " ".join(head.split()).casefold():
            return True
    title = " ".join(headline.split()).casefold()
    if not rest.startswith(title):
        return False
    rest = rest[len(title) :].strip(" -–—|·")
    return not rest or rest == outlet.casefold()


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
