"""The other headlines of a story told by headlines alone: its reports carry no text, so it has
no summary, and under its headline come the other reports' headlines that say what it does
not: a reader then sees each event it holds, even one that clustering should have kept apart.
"""

from __future__ import annotations

from ..models import Item, Sentence, Story
from ..text.digest import is_digest_title
from ..text.identity import normal_title
from ..text.similarity import words
from .headline import shortened, unfit, unflagged

OTHER_HEADLINES = 5  # at most this many of the other reports' headlines are shown...
NEW_WORDS = 0.3  # ...each with at least this share of its words not said above it


def gives_headline(item: Item, headline: str) -> bool:
    """The item's title is the story's headline, whole or cut (word by word: a cut headline
    loses the title's last words, and may end without its full stop)."""
    head = normal_title(headline)
    return bool(head) and normal_title(unflagged(item.title)).startswith(head)


def other_headlines(story: Story) -> list[Sentence]:
    """The headlines of a summary-less story's other reports (a story whose only summary
    sentence is its headline has none shown) that say most that is not said above them (its
    headline, the ones already chosen), in that order; a post's first lines given as a title
    are shortened as a headline would be."""
    if story.shown_summary or len(story.items) < 2:
        return []
    said = set(words(story.headline))
    heads = {normal_title(story.headline)}
    left = []
    for item in story.items:
        key = normal_title(item.title)
        if item.title and key not in heads and not gives_headline(item, story.headline):
            if is_digest_title(item.title):
                continue
            heads.add(key)
            left.append(item)
    chosen: list[Sentence] = []
    while left and len(chosen) < OTHER_HEADLINES:
        best = max(left, key=lambda i: (_new_share(i.title, said), -left.index(i)))
        if _new_share(best.title, said) < NEW_WORDS:
            break
        left.remove(best)
        said.update(words(best.title))
        shown = shortened(best.title) if unfit(best.title) == "long" else unflagged(best.title)
        chosen.append(Sentence(shown, best.id, best.url, best.outlet))
    return chosen


def _new_share(title: str, said: set[str]) -> float:
    found = set(words(title))
    return len(found - said) / len(found) if found else 0.0
