"""Live-page digests (key points, recaps, "latest developments") are not glue: they join at most
the one story they are mostly about, or stand alone, and their words never choose a story's
section. Every text here is written for these tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.models import Item, Story
from briefing.stories import Classifier
from briefing.stories.cluster import StoryParams, make_stories
from briefing.text.digest import digest_parts, is_digest
from briefing.text.similarity import Vectorizer, terms

from conftest import ROOT

KYIV = timezone(timedelta(hours=3))
T0 = datetime(2025, 6, 3, 9, 0, tzinfo=KYIV)


def _item(key: str, outlet: str, title: str, body: str, hours: float = 0) -> Item:
    when = T0 + timedelta(hours=hours)
    return Item(key, "test", outlet, f"https://{key}.example/", title, body, when, when)


PORT = [
    _item(
        "port-1",
        "Alpha Wire",
        "Drones set grain warehouse ablaze in Izmail port",
        "A Russian drone attack on the Danube port of Izmail overnight set a grain warehouse on "
        "fire, regional governor Oleh Kiper said. Firefighters put out the blaze by morning.",
    ),
    _item(
        "port-2",
        "Bravo News",
        "Izmail grain terminal burns after overnight drone raid",
        "Drones struck the grain terminal in Izmail during the night, Oleh Kiper said on "
        "Telegram; the warehouse fire was put out and no one was hurt.",
        1,
    ),
]
TALKS = [
    _item(
        "talks-1",
        "Charlie Times",
        "Negotiators meet in Geneva for technical talks on a ceasefire",
        "Delegations of Ukraine and Russia met in Geneva for technical talks on monitoring a "
        "ceasefire, the Swiss foreign ministry said.",
        2,
    ),
    _item(
        "talks-2",
        "Delta Post",
        "Geneva talks on ceasefire monitoring end without a deal",
        "The technical talks in Geneva on how a ceasefire would be monitored ended without "
        "agreement, Swiss mediators said, but the delegations will meet again.",
        3,
    ),
]
FUND = [
    _item(
        "fund-1",
        "Alpha Wire",
        "Norway to pay for long-range drones built in Ukraine",
        "Norway will finance the production of long-range strike drones by Ukrainian "
        "manufacturers, its defence minister said, adding weapons and ammunition to its aid.",
        4,
    ),
    _item(
        "fund-2",
        "Echo Daily",
        "Oslo funds Ukrainian-made long-range strike drones",
        "The Norwegian government will pay Ukrainian factories to build long-range drones and "
        "missiles, the defence ministry in Oslo announced.",
        5,
    ),
]


def _stories(items: list[Item]) -> list[set[str]]:
    params = StoryParams()
    vectorizer = Vectorizer.from_bags(terms(i, params.lead_words) for i in items)
    result = make_stories(items, {}, {}, {}, vectorizer, "2025-06-03", params)
    return sorted(({i.id for i in s.items} for s in result.stories), key=sorted)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Ukraine talks — key points", "Delegations met in Geneva."),
        ("Russia-Ukraine war: latest developments", "Delegations met in Geneva."),
        ("What we know so far", "Delegations met in Geneva."),
        ("Key points: the day in Ukraine", "Delegations met in Geneva."),
        ("Live page", "If you're just joining us, here is what has happened so far today."),
        ("The day", "Talks in Geneva end\n\nDrones hit Izmail port\n\nNorway funds drones"),
        ("The day", "• Talks in Geneva end.\n• Drones hit Izmail port.\n• Norway funds drones."),
    ],
)
def test_digests_are_told_by_their_title_an_opening_that_sums_up_or_a_list(
    title: str, body: str
) -> None:
    assert is_digest(title, body)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (PORT[0].title, PORT[0].body),
        ("Ukraine war latest: drones hit Izmail", "Drones hit Izmail port overnight."),
        ("Points of contention remain in Geneva", "Delegations met in Geneva.\nThey talked."),
        ("Photo", "Firefighters at the port.\nThe warehouse (AP Photo/A. Person)\nClick here"),
    ],
)
def test_reports_are_not_digests(title: str, body: str) -> None:
    assert not is_digest(title, body)


def test_a_digests_parts_are_its_lines_or_its_sentences() -> None:
    assert digest_parts("Talks end\nDrones hit port") == ["Talks end", "Drones hit port"]
    assert digest_parts("Talks ended. Drones hit the port.") == [
        "Talks ended.",
        "Drones hit the port.",
    ]


KEY_POINTS_PORT = _item(
    "kp-port",
    "Live Desk",
    "Drones hit Izmail as Geneva talks end — key points",
    "Russian drones set a grain warehouse in Izmail port on fire overnight\n\n"
    "Governor Oleh Kiper says the Izmail warehouse fire is out\n\n"
    "Technical talks on a ceasefire in Geneva end without a deal",
    6,
)
KEY_POINTS_ALL = _item(
    "kp-all",
    "Live Desk",
    "The day in Ukraine — key points",
    "Drones set a grain warehouse in Izmail port on fire\n\n"
    "Ceasefire talks in Geneva end without a deal\n\n"
    "Norway will pay for long-range drones built in Ukraine",
    7,
)


def test_key_points_join_the_one_story_they_are_mostly_about() -> None:
    stories = _stories([*PORT, *TALKS, KEY_POINTS_PORT])
    assert stories == [{"kp-port", "port-1", "port-2"}, {"talks-1", "talks-2"}]


def test_key_points_about_many_stories_stand_alone_and_glue_none() -> None:
    stories = _stories([*PORT, *TALKS, *FUND, KEY_POINTS_ALL])
    assert stories == [
        {"fund-1", "fund-2"},
        {"kp-all"},
        {"port-1", "port-2"},
        {"talks-1", "talks-2"},
    ]


TERMS = _item(
    "terms",
    "Foxtrot Press",
    "Full text of the ceasefire terms handed over in Geneva",
    "The delegations in Geneva exchanged written ceasefire terms. The document reads:\n\n"
    "1. Both armies stop firing along the line of contact.\n\n"
    "2. Heavy artillery is pulled back fifteen kilometres.\n\n"
    "3. Observers patrol a strip on either side.\n\n"
    "4. Violations are reported within a day.\n\n"
    "5. Prisoners are exchanged all for all.\n\n"
    "6. Civilians may cross at four points.",
    6,
)


def test_a_documents_clauses_under_a_title_naming_a_story_join_that_story() -> None:
    """Most clauses match no report; the title names the talks, and the clauses that match
    any report match theirs."""
    assert is_digest(TERMS.title, TERMS.body)
    assert _stories([*PORT, *TALKS, TERMS]) == [
        {"port-1", "port-2"},
        {"talks-1", "talks-2", "terms"},
    ]
    untitled = replace(TERMS, id="untitled", title="The day — key points")
    assert {"untitled"} in _stories([*PORT, *TALKS, untitled])


def test_a_live_pages_key_points_do_not_move_a_storys_section() -> None:
    """A weapons story that a live page's key points joined, full of talks vocabulary, stays
    in the battlefield section of the shipped config: the key points' words would place it
    in negotiations."""
    classifier = Classifier(load_config(ROOT / "config.yaml"))
    key_points = _item(
        "kp",
        "Live Desk",
        "Peace talks resume in Istanbul as Norway funds drones — key points",
        "Russia and Ukraine agree to a new round of direct peace talks in Istanbul\n\n"
        "Negotiators hope to agree a ceasefire and a prisoner exchange at the talks\n\n"
        "Norway will pay for long-range drones built in Ukraine",
        6,
    )
    story = Story("s-fund", FUND[0].title, [FUND[0], key_points])
    classifier.assign(story)
    assert story.section == "battlefield"
    scores = classifier.scores(story)
    assert scores["negotiations"] == 0
    # the key points alone are placed by their own words
    digest_only = Story("s-kp", key_points.title, [key_points])
    classifier.assign(digest_only)
    assert digest_only.section == "negotiations"


def test_the_sample_days_weapons_story_is_not_pulled_into_negotiations(
    cli: Callable[..., tuple[int, str, str]], write_config: Callable[..., Path]
) -> None:
    config = str(write_config())
    assert cli("collect", "--config", config)[0] == 0
    code, out, err = cli("explain", "--config", config, "--date", "2025-05-28", "Berlin pledges")
    assert (code, err) == (0, "")
    assert "section: battlefield" in out
    code, out, _ = cli("explain", "--config", config, "--date", "2025-05-28", "— key points")
    assert "section: battlefield" in out  # it joined the Berlin story, and did not move it
