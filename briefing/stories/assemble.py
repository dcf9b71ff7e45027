"""A day's stories from the store: the window's items, through the topic gate, clustered
against the day's recorded stories and the recent days' ones, the result recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..config import Config
from ..models import Item, Story
from ..store import Store
from ..text.similarity import ItemVectors, Vectorizer, terms
from .also import other_headlines
from .cluster import StoryParams, make_stories
from .events import reading_ahead
from .headline import says_lead
from .sections import TopicGate
from .window import Selection, select_items


def assemble(
    store: Store, config: Config, day: date, record: bool = True
) -> tuple[Selection, list[Story], int]:
    """The day's items, through the topic gate, into stories (recorded unless `record` is
    False, which `explain` uses to look without changing what a later build will do); also
    how many items the gate dropped."""
    chosen = select_items(store, config, day)
    kept, dropped = gate(config, chosen.items)
    stories = _stories(store, config, day, chosen, kept, {i.id for i in dropped}, record)
    return chosen, stories, len(dropped)


def gate(config: Config, items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Items that pass the topic gate, and those it drops."""
    topic = TopicGate(config)
    kept: list[Item] = []
    dropped: list[Item] = []
    for item in items:
        (kept if topic.decide(item).passed else dropped).append(item)
    return kept, dropped


@dataclass
class Context:
    """What a day's clustering compares its new items with, and how."""

    params: StoryParams
    recent: dict[str, list[Item]]  # stories of the earlier briefings within the lookback
    vectorizer: Vectorizer

    def vectors(self) -> ItemVectors:
        return ItemVectors(self.vectorizer, self.params.lead_words)


def context(store: Store, config: Config, day: date, kept: list[Item]) -> Context:
    """The parameters, the recent stories and the word statistics clustering `day` uses."""
    params = StoryParams(**config.stories.model_dump())
    recent = store.story_members(day - timedelta(days=params.lookback_days), day)
    everyone = [*kept, *(i for items in recent.values() for i in items)]
    vocabulary = {t for i in everyone for t in terms(i, params.lead_words)}
    return Context(params, recent, Vectorizer(*store.term_stats(vocabulary)))


def _stories(
    store: Store,
    config: Config,
    day: date,
    chosen: Selection,
    kept: list[Item],
    dropped: set[str],
    record: bool = True,
) -> list[Story]:
    """Cluster the day's new items against its recorded and recent stories; record the result."""
    recorded: dict[str, list[Item]] = {}
    new_items: list[Item] = []
    for item in kept:
        story_id = chosen.recorded.get(item.id)
        if story_id:
            recorded.setdefault(story_id, []).append(item)
        else:
            new_items.append(item)
    # a large day's facts are read in a second process meanwhile (digests too: telling them
    # apart would hold the child back longer than their facts take); clustering takes them in
    with reading_ahead(new_items):
        ctx = context(store, config, day, kept)
        origins = store.story_origins([*recorded, *ctx.recent])
        views = store.story_views(day)
        result = make_stories(
            new_items,
            recorded,
            ctx.recent,
            origins,
            ctx.vectorizer,
            day.isoformat(),
            ctx.params,
            views,
        )
    for story in result.stories:
        story.lead_in_headline = says_lead(story)
        story.also = other_headlines(story)
    assigned = {**result.assigned, **{i: "" for i in dropped if i not in chosen.recorded}}
    if record:
        store.record_briefing(day, assigned, result.new_stories, {}, result.views)
    return result.stories
