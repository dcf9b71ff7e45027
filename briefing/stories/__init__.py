"""Stories: the day's window of items, the topic gate, one story per event (clustering and
summaries in the items' own words), sections by keyword rules or embeddings, and composing the
Briefing."""

from .cluster import StoryParams, make_stories
from .compose import compose
from .sections import Classifier, GateDecision, Match, TermSet, TopicGate
from .window import Selection, day_window, select_items

__all__ = [
    "Classifier",
    "GateDecision",
    "Match",
    "Selection",
    "StoryParams",
    "TermSet",
    "TopicGate",
    "compose",
    "day_window",
    "make_stories",
    "select_items",
]
