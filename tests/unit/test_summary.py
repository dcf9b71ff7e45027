"""Unit tests of stories/summary.py and facts.py: a summary carries the facts once, in whole
sentences that stand on their own, and shows a figure outlets give differently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefing.models import Item
from briefing.stories.sentence_facts import tolls, without_heading
from briefing.stories.summary import make_story, summarise
from briefing.text.similarity import ItemVectors, Vectorizer, centroid, terms

from .conftest import make_item

T0 = datetime(2025, 6, 1, 9, tzinfo=UTC)


def story_of(*items: Item) -> list[str]:
    vectors = ItemVectors(Vectorizer.from_bags(terms(i) for i in items), 100)
    story = make_story("s-1", list(items), T0, False, vectors, 4)
    return [s.text for s in story.summary]


def report(n: int, outlet: str, body: str, title: str = "") -> Item:
    title = title or f"Missile strike on training ground, report {n}"
    return make_item(f"i{n}", T0 + timedelta(minutes=n), title=title, body=body, outlet=outlet)


def test_a_summary_gives_a_toll_once_however_it_is_worded() -> None:
    summary = story_of(
        report(
            1,
            "Alpha Wire",
            "A Russian missile hit a training ground of the ground forces on Sunday, killing 12 "
            "soldiers and wounding 60, the army said. The commander of the unit offered to "
            "resign on Monday.",
        ),
        report(
            2,
            "Bravo News",
            "Twelve servicemen died and 60 were injured when the missile struck the training "
            "ground, officials said. Investigators are examining why troops had gathered there.",
        ),
        report(
            3,
            "Charlie Times",
            "The strike left 12 soldiers dead and 60 wounded at the training ground, according "
            "to the ground forces. Relatives gathered outside the regional hospital on Monday.",
        ),
    )
    tolls = [s for s in summary if "60" in s]
    assert len(tolls) == 1, summary
    assert any("resign" in s or "Investigators" in s or "Relatives" in s for s in summary)


def test_label_fragments_and_sentences_that_lean_on_nothing_stay_out() -> None:
    summary = story_of(
        report(
            1,
            "Alpha Wire",
            "Drones struck the port of Izmail overnight, damaging two grain terminals, the "
            "regional governor said. Details: three warehouses burned until the morning. "
            "The video was posted on Facebook by the governor's office.",
        ),
        report(
            2,
            "Bravo News",
            "Read also: Ukraine reports record grain exports in May despite the attacks. "
            "Grain traders said shipments from the Danube ports would resume within days.",
        ),
    )
    assert not any(s.startswith(("Details:", "Read also:", "The video")) for s in summary)
    assert any("Grain traders" in s for s in summary)


def test_run_in_headings_and_lone_datelines_leave_the_summary() -> None:
    """An article written in sections ("Time and Location: …") gives its sentences without
    their headings; a dateline alone is no sentence."""
    summary = story_of(
        report(
            1,
            "Alpha Wire",
            "Ukraine fired six long-range missiles at a depot in Bryansk region overnight. "
            "Time and Location: The strike hit an arsenal near the border early on Tuesday. "
            "Missile Interception: Russia said five of the six missiles were shot down.",
        ),
        report(
            2,
            "Bravo News",
            "MOSCOW, Nov 19 - RIA Novosti. Peskov: Moscow will respond to the strike on the "
            "Bryansk depot in a way it finds fitting.",
        ),
    )
    assert any(s.startswith("The strike hit an arsenal") for s in summary), summary
    assert not any(s.startswith(("Time and", "Missile Interception", "MOSCOW")) for s in summary)


def test_a_digest_alone_opens_with_a_sentence_not_its_heading() -> None:
    """A roundup standing alone (its list lines are no summary sentences) does not open with
    its heading ("What you need to know")."""
    roundup = report(
        1,
        "Alpha Wire",
        "What you need to know\n"
        "- Children ordered to leave a frontline town\n"
        "- Fires at two fuel depots across the border\n"
        "- A port and a power plant damaged in the south\n"
        "- Talks on a prisoner exchange resume next week\n"
        "This is our roundup of the war's events on Thursday, October 9.",
        title="Ukraine: children ordered to leave frontline town",
    )
    assert story_of(roundup) == ["This is our roundup of the war's events on Thursday, October 9."]


def test_one_run_in_colon_is_no_heading() -> None:
    sentence = "Shelling: Two people died when shells hit the market on Tuesday morning."
    assert without_heading(sentence, sentence + " Rescuers worked all day.") == sentence
    sections = sentence + " Response: The governor declared a day of mourning in the region."
    assert without_heading(sentence, sections) == sentence.removeprefix("Shelling: ")


def test_outlets_that_disagree_on_a_toll_are_both_shown() -> None:
    vectors_items = (
        report(
            1,
            "Alpha Wire",
            "A Russian glide bomb hit a residential block in Sumy on Tuesday and killed 3 people, "
            "the regional administration said.",
            title="Glide bomb hits Sumy residential block",
        ),
        report(
            2,
            "Bravo News",
            "Russian forces dropped a glide bomb on an apartment block in Sumy on Tuesday, "
            "killing 4 people, local officials said.",
            title="Russian glide bomb strike on Sumy apartments",
        ),
    )
    summary = story_of(*vectors_items)
    assert any("killed 3" in s for s in summary) and any("killing 4" in s for s in summary)


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        (
            "Ten residents have been confirmed dead, with 55 others hurt.",
            {"killed": "10", "hurt": "55"},
        ),
        ("Eight residents died and 18 were wounded in the blast.", {"killed": "8", "hurt": "18"}),
        ("The strike killed 12 soldiers and wounded 1,200 more.", {"killed": "12", "hurt": "1200"}),
        (
            "The death toll from Tuesday's drone attack on Konotop has risen to 11.",
            {"killed": "11"},
        ),
        ("In Kharkiv the number of wounded has increased to 30.", {"hurt": "30"}),
        ("Three police officers were wounded.", {"hurt": "3"}),
        ("Nine people, including two rescuers, were killed in the second strike.", {"killed": "9"}),
        ("Five hours later, 1,200 people were evacuated by rail.", {}),  # no toll
        ("The drone injured 7-year-old Olena and her mother.", {}),  # an age
        ("One of the drones hit a school; nobody was hurt.", {}),
    ],
)
def test_tolls_are_read_in_words_and_figures(sentence: str, found: dict[str, str]) -> None:
    assert tolls(sentence) == found


def test_a_disputed_toll_is_shown_once_more_not_for_every_outlet() -> None:
    """A one-sentence summary giving 8 killed and 18 injured, three other outlets with 9, 11,
    and 10 killed and 55 injured: the sentence that differs in both counts is added, and no
    more (a third figure adds a sentence, not news)."""
    lead = "A missile hit the port of Odesa on Monday; it killed 8 people and injured 18."
    differs = "By evening the port authority counted ten dead in Odesa and 55 others injured."
    ranked = [
        report(1, "Alpha Wire", lead, title="Missiles strike Odesa port"),
        report(2, "Bravo News", "Missiles hit Odesa on Monday, killing at least nine civilians."),
        report(3, "Delta Post", "Russian missiles hit Odesa port, killing 11 people, police said."),
        report(4, "Charlie Times", differs, title="Ten killed in Odesa port missile attack"),
    ]
    vectors = ItemVectors(Vectorizer.from_bags(terms(i) for i in ranked), 100)
    centre = centroid([vectors.of(i) for i in ranked])
    summary = [s.text for s in summarise(ranked, centre, vectors, 1)]
    assert summary == [lead, differs]


def test_a_teaser_that_names_and_counts_nothing_does_not_lead() -> None:
    teaser = report(
        1,
        "Alpha Wire",
        "A great deal rides on this visit. The special envoy arrived in Kyiv on Wednesday for "
        "talks with President Zelensky about a ceasefire.",
        title="Envoy in Kyiv",
    )
    assert story_of(teaser)[0].startswith("The special envoy arrived in Kyiv")
    plain = report(
        2,
        "Alpha Wire",
        "Russia launched a wave of drones at Odesa overnight. The port's grain terminals "
        "were hit, the governor said.",
        title="Drones hit Odesa",
    )
    assert story_of(plain)[0].startswith("Russia launched a wave of drones")  # a name leads


def test_sentences_of_one_report_keep_the_reports_order() -> None:
    """Chosen by relevance, the report's third sentence (the figures) would come before its
    second; printed as one excerpt they read in the writer's order."""
    body = (
        "Russian drones attacked the Odesa region overnight, the regional governor said. "
        "Firefighters worked through the morning near the river terminal. "
        "The port authority said 14 drones hit grain silos and two cargo cranes at Izmail port. "
        "Shipping resumed in the afternoon under escort."
    )
    summary = story_of(report(1, "Alpha Wire", body, "Drones hit grain silos at Izmail port"))
    firefighters = next(i for i, s in enumerate(summary) if s.startswith("Firefighters"))
    figures = next(i for i, s in enumerate(summary) if s.startswith("The port authority"))
    assert summary[0].startswith("Russian drones attacked")
    assert firefighters < figures, summary


@pytest.mark.parametrize(
    ("body", "title", "lead"),
    [
        (  # "Some of them target…" leans on a count the sentence before it gave
            "Some of them are shipping firms that moved Russian crude past the price cap. "
            "Washington on Friday blacklisted 300 more companies and people in Russia. "
            "The measures also cover banks and suppliers of the arms industry.",
            "US blacklists 300 more Russian firms",
            "Washington on Friday",
        ),
        (  # a quotation whose speaker the next sentence names
            "“Four people were killed and nine wounded. Two of them are in hospital.” "
            "Vitaliy Maletskyi, the city's mayor, said on Telegram. "
            "A glide bomb hit a covered market in Kremenchuk at midday on Saturday, city "
            "officials said.",
            "Glide bomb hits Kremenchuk market",
            "A glide bomb hit",
        ),
    ],
)
def test_a_sentence_that_cannot_stand_first_does_not_lead(body: str, title: str, lead: str) -> None:
    summary = story_of(report(1, "Alpha Wire", body, title))
    assert summary[0].startswith(lead), summary


def test_according_to_him_needs_the_sentence_that_names_him() -> None:
    body = (
        "Shelling killed three people and wounded eight in Zaporizhzhia region on Sunday. "
        "Ivan Fedorov, the regional governor, said on Telegram. "
        "According to him, Huliaipole, Orikhiv and Stepnohirsk were shelled through the night. "
        "Two schools and a water pumping station were damaged in the region's towns."
    )
    summary = story_of(report(1, "Alpha Wire", body, "Shelling kills three in Zaporizhzhia"))
    assert not any(s.startswith("According to him") for s in summary), summary
