"""Dense days, continued: two events of one kind in two regions on one night stay apart even
when each report mentions the other event further down; a fact box about one of them joins its
own story; a commander's resignation after a strike is a story of its own. Every text here is
written for these tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from briefing.models import Item
from briefing.quality.labels import load_labels
from briefing.stories.cluster import StoryParams, make_stories
from briefing.stories.events import facts, relate
from briefing.text.facts import read_facts
from briefing.text.places import regions
from briefing.text.similarity import Vectorizer, terms

from conftest import ROOT


def _item(key: str, outlet: str, title: str, body: str) -> Item:
    stamp = datetime.fromisoformat("2025-06-01T12:00+03:00")
    return Item(key, "test", outlet, f"https://{key}.example/", title, body, stamp, stamp)


def _stories(items: list[Item], background: list[Item]) -> list[set[str]]:
    params = StoryParams()
    vectorizer = Vectorizer.from_bags(terms(i, params.lead_words) for i in items + background)
    result = make_stories(items, {}, {}, {}, vectorizer, "2025-06-01", params)
    return sorted(({i.id for i in s.items} for s in result.stories), key=sorted)


@pytest.fixture(scope="module")
def background() -> list[Item]:
    return [lab.item for lab in load_labels(ROOT / "samples" / "stories.jsonl", ZoneInfo("UTC"))]


BRYANSK = [
    _item(
        "b1",
        "Alpha",
        "Road bridge falls onto passenger train in Bryansk region, seven dead",
        "A road bridge fell onto a passenger train in Russia's Bryansk region late on Saturday, "
        "killing seven people and injuring dozens, the regional governor said. The train was "
        "travelling from Klimovo to Moscow when the span came down near the village of "
        "Vygonichi.",
    ),
    _item(
        "b2",
        "Bravo",
        "Seven killed as bridge collapses on train near Vygonichi",
        "Seven people were killed when a collapsing road bridge crushed carriages of the "
        "Klimovo-Moscow passenger train in the Bryansk region, Russian investigators said on "
        "Sunday. Railway officials blamed interference with traffic.",
    ),
]
KURSK = [
    _item(
        "k1",
        "Charlie",
        "Railway bridge gives way under freight train in Kursk region",
        "A railway bridge gave way under a freight train in Russia's Kursk region overnight, "
        "sending the locomotive onto the road below, acting governor Alexander Khinshtein said. "
        "The collapse came hours after a bridge fell onto a passenger train in the neighbouring "
        "Bryansk region.",
    ),
    _item(
        "k2",
        "Delta",
        "Freight locomotive derails as bridge collapses in Zheleznogorsk district",
        "A locomotive and empty wagons of a freight train derailed when a bridge collapsed in "
        "the Zheleznogorsk district of the Kursk region, Khinshtein said on Sunday. It was the "
        "second bridge to fall onto a railway in the border regions within a day, after the "
        "deadly collapse in Bryansk.",
    ),
]


def test_two_bridges_falling_in_two_regions_the_same_night_are_two_stories(
    background: list[Item],
) -> None:
    assert _stories(BRYANSK + KURSK, background) == [{"b1", "b2"}, {"k1", "k2"}]
    # each Kursk report names Bryansk further down: names alone cannot tell them apart
    k1, b1 = facts(KURSK[0]), facts(BRYANSK[0])
    assert "bryans" in k1.mentions
    assert relate(k1, b1, lambda term: 1.0).conflict == "regions Kursk / Bryansk"


def test_a_fact_box_about_one_collapse_joins_its_own_story(background: list[Item]) -> None:
    box = _item(
        "f1",
        "Echo",
        "",
        "MOSCOW, June 1. /ECHO/. A passenger train came off the rails when a road bridge fell "
        "in the Vygonichsky district of the Bryansk region. Seven people died.\n\n"
        "Echo has put together the main facts about the incident.\n\n"
        "What happened\n\n"
        "- The locomotive and several wagons derailed when the bridge collapsed overnight.\n\n"
        "- The locomotive fell onto the road below, the acting governor said.\n\n"
        "- Wagons derailed as the bridge collapsed in the border region overnight.\n\n"
        "Victims\n\n"
        "- Seven people died and dozens were taken to hospital.",
    )
    assert _stories([*BRYANSK, *KURSK, box], background) == [{"b1", "b2", "f1"}, {"k1", "k2"}]


def test_a_commanders_resignation_after_a_strike_is_its_own_story(
    background: list[Item],
) -> None:
    strike = [
        _item(
            "s1",
            "Alpha",
            "Missile strike on army training ground kills 12 soldiers",
            "A Russian missile struck a training ground of Ukraine's land forces on Sunday, "
            "killing 12 soldiers and wounding about 60, the army said. Hours later the land "
            "forces commander, Mykhailo Drapatyi, said he would step aside.",
        ),
        _item(
            "s2",
            "Bravo",
            "Twelve soldiers killed as Russian missile hits training unit",
            "Twelve Ukrainian soldiers were killed and dozens wounded when a Russian missile hit "
            "the location of a land forces training unit on Sunday morning, the command said, "
            "promising an inquiry into why troops had gathered in the open.",
        ),
    ]
    resigns = _item(
        "r1",
        "Charlie",
        "Land forces commander resigns after strike on training ground",
        "The commander of Ukraine's land forces, Mykhailo Drapatyi, resigned on Sunday after a "
        'Russian missile strike on a training ground killed 12 of his soldiers. "I have decided '
        'to hand in my resignation," he wrote, saying the young men should have lived.',
    )
    assert _stories([*strike, resigns], background) == [{"r1"}, {"s1", "s2"}]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("A bridge fell onto a train in Russia's Bryansk region overnight.", ["Bryansk"]),
        ("Trains stopped in Russia's Bryansk & Kursk Regions on Sunday.", ["Bryansk", "Kursk"]),
        ("Drones hit the Kharkiv, Sumy and Chernihiv oblasts.", ["Kharkiv", "Sumy", "Chernihiv"]),
        ("Shelling hit the Zeleznogorsk District of the Kursk Region.", ["Kursk"]),
        ("Strikes on the region of Odesa went on.", ["Odesa"]),
        ("The region's governor said a bridge fell.", []),
    ],
)
def test_the_regions_an_opening_gives(text: str, found: list[str]) -> None:
    assert regions(text) == found


def test_an_agency_dateline_is_no_part_of_the_lead() -> None:
    read = read_facts(
        "",
        "KURSK, June 1. /ECHO/. A railway bridge gave way under a freight train in the Kursk "
        "region. The locomotive fell onto the road.",
        date(2025, 6, 1),
    )
    assert read.regions == {"kursk"}
    assert "KURSK" not in [n.shown for n in read.names]


def test_a_weight_converted_with_other_rounding_is_no_other_event() -> None:
    day = date(2025, 6, 3)
    a = read_facts(
        "",
        "Agents packed 1,100 kilograms (2,420 pounds) of explosives under the bridge's piers, "
        "the security service said.",
        day,
    )
    b = read_facts(
        "",
        "The service said 1,100 kilograms (about 2,425 pounds) of TNT went off under the "
        "bridge's piers at dawn.",
        day,
    )
    assert relate(a, b, lambda term: 1.0).conflict is None


def test_sums_of_money_still_tell_two_decisions_apart() -> None:
    day = date(2025, 6, 3)
    a = read_facts(
        "", "Washington announced 275 million dollars in new military aid on Tuesday.", day
    )
    b = read_facts(
        "", "Washington said it would forgive 4.7 billion dollars of loans on Tuesday.", day
    )
    assert relate(a, b, lambda term: 1.0).conflict == "counts 275 / 4.7 dollar"
