"""Dense days, continued: two events of one kind in two regions on one night stay apart even
when each report mentions the other event further down; a fact box about one of them joins its
own story; a commander's resignation after a strike is a story of its own. Every text here is
written for these tests."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import yaml

from briefing.models import Item
from briefing.quality.labels import load_labels
from briefing.stories.cluster import SAME_REGION, StoryParams, compare, make_stories
from briefing.stories.events import facts, relate
from briefing.text.facts import read_facts
from briefing.text.kinds import personnel
from briefing.text.places import regions
from briefing.text.similarity import ItemVectors, Vectorizer, terms

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


# Two fuel depots set on fire by drones on one night, in two regions (written for this test)
VORONEZH = [
    _item(
        "v1",
        "Alpha",
        "Drones set fuel depot ablaze near Liski in Voronezh region",
        "Ukrainian drones set a fuel depot near the town of Liski in the Voronezh region on "
        "fire before dawn on Sunday, governor Alexander Gusev said, and three storage tanks "
        "burned for hours. Nobody was hurt, according to Gusev.",
    ),
    _item(
        "v2",
        "Bravo",
        "Liski oil terminal burns after overnight drone raid",
        "Firefighters spent the morning putting out a blaze at the Liski oil terminal, Gusev "
        "wrote on Telegram, after a drone raid on the Voronezh region; rail traffic past the "
        "terminal was halted.",
    ),
]
TAMBOV = [
    _item(
        "t1",
        "Charlie",
        "Drone strike sparks fire at Kotovsk fuel storage in Tambov region",
        "Fuel tanks at a storage site in Kotovsk in the Tambov region caught fire after a drone "
        "strike overnight, acting governor Yevgeny Pervyshov said. It was the second depot "
        "hit that night, after the one near Liski in Voronezh.",
    ),
    _item(
        "t2",
        "Delta",
        "Kotovsk depot blaze put out, Tambov governor says",
        "The blaze at the Kotovsk fuel storage site in the Tambov region was put out by noon, "
        "Pervyshov said on Sunday. He called it the second such drone attack of the night, "
        "after the Liski depot in Voronezh burned.",
    ),
]


def test_two_depots_burning_in_two_regions_the_same_night_are_two_stories(
    background: list[Item],
) -> None:
    assert _stories(VORONEZH + TAMBOV, background) == [{"t1", "t2"}, {"v1", "v2"}]
    # each Tambov report names Voronezh and Liski further down: names cannot tell them apart
    t1, v1 = facts(TAMBOV[0]), facts(VORONEZH[0])
    assert "vorone" in t1.mentions
    assert relate(t1, v1, lambda term: 1.0).conflict == "regions Tambov / Voronezh"


def test_a_fact_box_about_one_fire_joins_its_own_story(background: list[Item]) -> None:
    box = _item(
        "f1",
        "Echo",
        "",
        "VORONEZH, June 1. /ECHO/. Drones hit a fuel depot near Liski in the Voronezh region "
        "before dawn. Three tanks burned.\n\n"
        "Echo has gathered what is known so far.\n\n"
        "The attack\n\n"
        "- A drone strike overnight sparked a fire at the fuel storage site.\n\n"
        "- The blaze at the storage site was put out, the acting governor said.\n\n"
        "- It was the second depot hit that night in the border area.\n\n"
        "Damage\n\n"
        "- Three storage tanks burned and rail traffic was halted.",
    )
    assert _stories([*VORONEZH, *TAMBOV, box], background) == [
        {"f1", "v1", "v2"},
        {"t1", "t2"},
    ]


def test_a_commanders_resignation_after_a_strike_is_its_own_story(
    background: list[Item],
) -> None:
    strike = [
        _item(
            "s1",
            "Alpha",
            "Glide bombs hit reserve brigade's drill field, nine soldiers dead",
            "Russian glide bombs hit a drill field of a reserve brigade in the Chernihiv region "
            "on Sunday, killing nine soldiers and wounding 30, the general staff said. By "
            "evening the brigade's commander, Colonel Petro Hnatenko, said he would step aside.",
        ),
        _item(
            "s2",
            "Bravo",
            "Nine soldiers killed as bombs strike drill field",
            "Nine Ukrainian soldiers died and dozens were wounded when glide bombs struck a "
            "reserve brigade's drill field in the Chernihiv region on Sunday morning, the general "
            "staff said, promising to find out why the unit was formed up in the open. Its "
            "commander, Colonel Petro Hnatenko, later offered to go.",
        ),
    ]
    resigns = _item(
        "r1",
        "Charlie",
        "Brigade commander quits over deadly bombing of drill field",
        "Colonel Petro Hnatenko, who led the reserve brigade, resigned on Sunday after glide "
        "bombs killed nine of his Ukrainian soldiers on a drill field in the Chernihiv region. "
        '"I take responsibility," he wrote, adding that the men were about to finish training.',
    )
    assert _stories([*strike, resigns], background) == [{"r1"}, {"s1", "s2"}]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Drones set a depot ablaze in Russia's southern Voronezh region.", ["Voronezh"]),
        ("Power cuts hit the Poltava & Sumy Regions on Sunday.", ["Poltava", "Sumy"]),
        ("Drones hit the Kharkiv, Sumy and Chernihiv oblasts.", ["Kharkiv", "Sumy", "Chernihiv"]),
        ("A fire broke out in the Kotovsk District of the Tambov Region.", ["Tambov"]),
        ("Strikes on the region of Odesa went on.", ["Odesa"]),
        ("The region's chief said the depot burned.", []),
        ("Blackouts hit most regions of Ukraine overnight.", []),  # a country
    ],
)
def test_the_regions_an_opening_gives(text: str, found: list[str]) -> None:
    assert regions(text) == found


def test_an_agency_dateline_is_no_part_of_the_lead() -> None:
    read = read_facts(
        "",
        "TAMBOV, June 1. /ECHO/. A drone strike set a fuel storage site in the Tambov region "
        "on fire. The blaze was put out by noon.",
        date(2025, 6, 1),
    )
    assert read.regions == {"tambov"}
    assert "TAMBOV" not in [n.shown for n in read.names]


def test_a_weight_converted_with_other_rounding_is_no_other_event() -> None:
    day = date(2025, 6, 3)
    a = read_facts(
        "",
        "Divers fixed 800 kilograms (1,764 pounds) of charges to the pier of the ferry dock, "
        "the service said.",
        day,
    )
    b = read_facts(
        "",
        "Some 800 kilograms (roughly 1,760 pounds) of charges went off at the ferry dock's pier "
        "at sunrise, according to the service.",
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


@pytest.mark.parametrize(
    ("opening", "post"),
    [
        ("Brigade commander quits over deadly bombing of drill field", True),
        ("The colonel, who led the brigade since spring, has resigned after the strike.", True),
        ("Kyiv appoints a new air force chief after the losses", True),
        ("The deputy minister was dismissed on Monday, the cabinet said.", True),
        ("Sacked deputy minister discovered dead at home on Monday", False),
        ("Former governor found dead days after he resigned", False),
        ("Officials said an experimental rocket had been fired on the plant", False),
        ("The Kremlin dismissed the report as a fabrication", False),
    ],
)
def test_an_opening_tells_a_post_left_or_taken_only_in_its_main_clause(
    opening: str, post: bool
) -> None:
    assert personnel(opening) is post


def test_a_follow_up_the_next_day_naming_the_same_region_continues_the_story(
    background: list[Item],
) -> None:
    """Written another way, a day later: what it shares with the story's reports is little
    more than where, which a follow-up restates as it restates when and how many."""
    stamp = datetime.fromisoformat("2025-06-02T11:00+03:00")
    later = Item(
        "u1",
        "test",
        "Golf",
        "https://u1.example/",
        "Investigators inspect burned tanks in Voronezh region",
        "Investigators on Monday examined the damage at the fuel depot in the Voronezh region "
        "hit by drones, and the regional government promised compensation to nearby households.",
        stamp,
        stamp,
    )
    params = StoryParams()
    vectorizer = Vectorizer.from_bags(
        terms(i, params.lead_words) for i in [*VORONEZH, later, *background]
    )
    result = make_stories([later], {}, {"s-v": VORONEZH}, {}, vectorizer, "2025-06-02", params)
    assert result.assigned == {"u1": "s-v"}
    assert relate(facts(later), facts(VORONEZH[0]), lambda term: 1.0).agrees


@pytest.mark.parametrize(
    ("one", "other", "apart"),
    [
        ("Zaporizhzhia", "Zaporozhye", False),  # one region as Kyiv and as Moscow spell it
        ("Mykolaiv", "Nikolayev", False),
        ("Kyiv", "Kiev", False),
        ("Luhansk", "Lugansk", False),
        ("Kharkiv", "Kherson", True),
        ("Kursk", "Bryansk", True),
    ],
)
def test_a_region_spelt_two_ways_is_one_region(one: str, other: str, apart: bool) -> None:
    day = date(2025, 6, 3)
    a = read_facts(
        "", f"Drones hit a power plant in the {one} region overnight, officials said.", day
    )
    b = read_facts("", f"A drone strike damaged a power plant in the {other} region.", day)
    assert (relate(a, b, lambda term: 1.0).conflict == f"regions {one} / {other}") is apart


# One ballistic strike on the capital, as two outlets report it (written for this test): one
# spells the city as Kyiv and names its mayor, the other spells it Kiev and gives the hour in GMT
KYIV_STRIKE = [
    _item(
        "k1",
        "Echo",
        "Ballistic missile strike on Kyiv kills one, mayor says",
        "A ballistic missile strike on Kyiv killed one person early on Wednesday, mayor Vitali "
        "Klitschko said, and fires broke out in two districts of the capital.",
    ),
    _item(
        "k2",
        "Foxtrot",
        "One dead as ballistic missiles hit Kiev before dawn",
        "Ballistic missiles hit Kiev at about 0230 GMT on Wednesday, killing one person and "
        "starting fires in two districts, Ukrainian officials said.",
    ),
]


@pytest.mark.parametrize(("one", "other"), [("Kyiv", "Kiev"), ("Kharkiv", "Kharkov")])
def test_a_name_spelt_two_ways_is_one_name(one: str, other: str) -> None:
    day = date(2025, 2, 12)
    a = read_facts("", f"A missile hit {one} overnight, Ihor Terekhov said.", day)
    b = read_facts("", f"Missiles struck {other} before dawn, local officials said.", day)
    assert a.mentions_name(b.names[0].key) and b.mentions_name(a.names[0].key)
    assert not a.mentions_name(read_facts("", "Drones hit Kherson overnight.", day).names[0].key)


def test_one_strike_reported_with_either_spelling_of_its_city_is_one_story(
    background: list[Item],
) -> None:
    relation = relate(facts(KYIV_STRIKE[0]), facts(KYIV_STRIKE[1]), lambda term: 1.0)
    assert relation.conflict is None
    assert "GMT" not in relation.apart[1]  # an hour's time zone names nothing
    assert _stories(KYIV_STRIKE, background) == [{"k1", "k2"}]


# One strike on a bus station, as two outlets report it (written for this test): the second
# names its source, a radio station and a spokesman, in a sentence of its own
BUS_STATION = [
    _item(
        "b1",
        "Golf",
        "",
        "Russian guided bombs hit the main bus depot of Kherson on Sunday, wounding at least "
        "20 people, the regional governor said. Rescue work at the site has ended.",
    ),
    _item(
        "b2",
        "Hotel",
        "",
        "Sunday's Russian attack on Kherson wrecked the main bus depot and damaged a teaching "
        "hospital of the Kherson State Agrarian and Economic University. According to Pivden "
        "Media, this was reported on Vilna Khvylia Radio by a spokesman of the Southern "
        "Military Administration, Mykhailo Ostapenko.",
    ),
]


def test_a_sentence_naming_the_reports_source_names_no_part_of_its_event(
    background: list[Item],
) -> None:
    sourced = facts(BUS_STATION[1])
    assert {"Vilna", "Khvylia", "Radio", "Mykhailo", "Ostapenko"}.isdisjoint(
        n.shown for n in sourced.names
    )
    assert _stories(BUS_STATION, background) == [{"b1", "b2"}]


def test_two_clock_times_of_one_strike_are_no_two_counts() -> None:
    day = date(2025, 2, 12)
    a = read_facts("", "Missiles hit the capital at 0230 GMT, killing two, officials said.", day)
    b = read_facts("", "Missiles hit the capital at 0300 GMT and 5 a.m., the mayor said.", day)
    assert relate(a, b, lambda term: 1.0).conflict is None


def test_two_reports_opening_in_the_same_region_count_a_little_more_alike(
    background: list[Item],
) -> None:
    """One strike told in other words: alike in little but where it happened, which both
    openings give; a report of something else in that region stays apart."""
    depot = _item(
        "p1",
        "Alpha",
        "Drone hits bus depot in the Poltava region, two wounded",
        "A Russian drone set a bus depot in the Poltava region on fire overnight, wounding two "
        "drivers and burning four buses, the regional governor said on Sunday.",
    )
    company = _item(
        "p2",
        "Bravo",
        "Poltava region: transport company hit in night attack",
        "Emergency crews worked until morning at a transport company hit during the night "
        "attack on the Poltava region; the head of the regional military administration "
        "reported two people injured and several vehicles destroyed.",
    )
    heating = _item(
        "p3",
        "Charlie",
        "Poltava region opens heating points ahead of winter",
        "Schools and libraries across the Poltava region will serve as 300 heating points "
        "where residents can warm up and charge phones during power cuts this winter.",
    )
    assert _stories([depot, company, heating], background) == [{"p1", "p2"}, {"p3"}]
    params = StoryParams()
    vectorizer = Vectorizer.from_bags(
        terms(i, params.lead_words) for i in [depot, company, heating, *background]
    )
    pair = compare(depot, company, ItemVectors(vectorizer, params.lead_words))
    assert pair.relation.same_region and pair.similarity >= params.threshold
    assert pair.similarity - SAME_REGION < params.threshold  # alone, the words fall short


def test_explain_with_names_the_region_both_open_in(tmp_path, cli, write_config) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Regional desk",
        "items": [
            {
                "id": key,
                "url": f"https://{key}.example/",
                "title": title,
                "content_text": text,
                "date_published": "2025-05-28T09:00:00+03:00",
            }
            for key, title, text in (
                (
                    "p1",
                    "Drone hits bus depot in the Poltava region, two wounded",
                    "A Russian drone set a bus depot in the Poltava region on fire overnight, "
                    "wounding two drivers and burning four buses, the regional governor said.",
                ),
                (
                    "p2",
                    "Poltava region: transport company hit in night attack",
                    "Emergency crews worked until morning at a transport company hit during the "
                    "night attack on the Poltava region; two people were injured.",
                ),
            )
        ],
    }
    path = tmp_path / "regional.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    config = write_config()
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["sources"].append({"name": "regional", "type": "feed", "path": str(path)})
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert cli("collect", "--config", str(config))[0] == 0
    day = ["--config", str(config), "--date", "2025-05-28"]
    code, out, err = cli("explain", *day, "Drone hits bus depot", "--with", "transport company")
    assert (code, err) == (0, "")
    assert "both open in: Poltava" in out
