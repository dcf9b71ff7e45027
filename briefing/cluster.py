"""Cluster: items that are the same article become one story, summarised in their own words.

This first version merges exact duplicates only: the same outlet with the same normalised
title, or identical text under different addresses (same canonical URL already shares an id).
"""

from __future__ import annotations

import hashlib
import re

from .clean import truncate
from .identity import normal_title
from .models import Item, Sentence, Story

SUMMARY_SENTENCES = 2
SUMMARY_CHARS = 420
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9А-ЯІЇЄҐ])")


def cluster(items: list[Item]) -> list[Story]:
    """Group duplicates; return stories ordered by first report, then id."""
    groups: list[list[Item]] = []
    by_key: dict[str, int] = {}
    for item in sorted(items, key=lambda i: (i.when, i.id)):
        keys = [f"t|{item.outlet.casefold()}|{normal_title(item.title)}"]
        body = " ".join(item.body.split()).casefold()
        if len(body) >= 200:
            keys.append("b|" + hashlib.sha256(body.encode()).hexdigest())
        index = next((by_key[k] for k in keys if k in by_key), None)
        if index is None:
            index = len(groups)
            groups.append([])
        groups[index].append(item)
        for key in keys:
            by_key.setdefault(key, index)
    return [_story(group) for group in groups]


def _story(group: list[Item]) -> Story:
    lead = group[0]
    return Story(
        id="s-" + lead.id[:16],
        headline=lead.title,
        items=group,
        summary=summarise(lead),
        first_reported=lead.when,
    )


def sentences(text: str) -> list[str]:
    """Split plain text into sentences at terminal punctuation followed by a capital."""
    out: list[str] = []
    for para in text.split("\n\n"):
        out.extend(s.strip() for s in _SENTENCE_END.split(para) if s.strip())
    return out


def summarise(item: Item) -> list[Sentence]:
    """The item's leading sentences, copied verbatim and linked to it; nothing is generated."""
    picked: list[Sentence] = []
    used = 0
    for text in sentences(item.body):
        text = truncate(text, SUMMARY_CHARS)
        if picked and used + len(text) > SUMMARY_CHARS:
            break
        picked.append(Sentence(text=text, item_id=item.id, url=item.url, outlet=item.outlet))
        used += len(text)
        if len(picked) >= SUMMARY_SENTENCES:
            break
    return picked
