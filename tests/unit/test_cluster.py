"""Unit tests of stories/cluster.py: duplicates, joining events, developing stories, summaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from briefing.models import Item, Story
from briefing.stories.cluster import Clustering, StoryParams, dedupe, make_stories
from briefing.stories.summary import UNLINKED, View
from briefing.text.similarity import Vectorizer, centroid, cosine, terms

from .conftest import make_item

KYIV = timezone(timedelta(hours=3))
T0 = datetime(2025, 6, 1, 9, 0, tzinfo=KYIV)
DAY = "2025-06-01"

SWAP_A = make_item(
    "swap-a",
    T0,
    outlet="Alpha Wire",
    title="Ukraine and Russia swap 1,000 prisoners each in largest exchange of the war",
    body=(
        "Ukraine and Russia each released 1,000 prisoners of war on Sunday, completing the "
        "largest exchange since the full-scale invasion. The swap was agreed at direct talks in "
        "Istanbul. Ukrainian officials said the final group of 303 soldiers had crossed the "
        "Belarus border."
    ),
)
SWAP_B = make_item(
    "swap-b",
    T0 + timedelta(hours=1),
    outlet="Bravo News",
    title="Kyiv and Moscow complete 1,000-for-1,000 prisoner exchange agreed in Istanbul",
    body=(
        "The 1,000-for-1,000 prisoner exchange agreed in Istanbul was completed on Sunday when "
        "the last 303 Ukrainian and 303 Russian soldiers were handed over at the Belarus "
        "border, both sides said."
    ),
)
STRIKE = make_item(
    "strike",
    T0 - timedelta(hours=2),
    outlet="Alpha Wire",
    title="Overnight Russian missile strike on Kyiv kills four in Solomianskyi district",
    body=(
        "A Russian ballistic missile struck a residential building in Kyiv's Solomianskyi "
        "district overnight, killing four people and wounding 19, mayor Vitali Klitschko said. "
        "Rescuers searched the rubble until morning."
    ),
)
SANCTIONS = make_item(
    "sanctions",
    T0 + timedelta(hours=4),
    outlet="Charlie Times",
    title="EU ministers adopt 17th sanctions package targeting Russia's shadow fleet",
    body=(
        "European Union foreign ministers adopted a 17th package of sanctions against Russia, "
        "listing almost 200 more tankers of the shadow fleet used to carry Russian oil around "
        "the price cap."
    ),
)
ALL = [SWAP_A, SWAP_B, STRIKE, SANCTIONS]


def vectorizer(*items: Item) -> Vectorizer:
    """Document frequencies over the given items and the four events above, as the store
    would count them."""
    return Vectorizer.from_bags(terms(i) for i in {*ALL, *items})


def cluster(
    items: list[Item],
    params: StoryParams | None = None,
    recorded: dict[str, list[Item]] | None = None,
    recent: dict[str, list[Item]] | None = None,
    origins: dict[str, tuple[datetime, str]] | None = None,
    views: dict[str, View] | None = None,
    day: str = DAY,
) -> Clustering:
    known = [i for group in [*(recorded or {}).values(), *(recent or {}).values()] for i in group]
    return make_stories(
        items,
        recorded or {},
        recent or {},
        origins or {},
        vectorizer(*items, *known),
        day,
        params or StoryParams(),
        views,
    )


def members(stories: list[Story]) -> list[set[str]]:
    return sorted(({i.id for i in s.items} for s in stories), key=sorted)


# --- dedupe ----------------------------------------------------------------------------------


def test_same_outlet_and_title_under_another_url_is_one_unit_earliest_first() -> None:
    later = make_item("b", T0 + timedelta(hours=2), title="Talks in ISTANBUL: day two!")
    first = make_item("a", T0, title="Talks in Istanbul — day two")
    other_outlet = make_item("c", T0, title="Talks in Istanbul - day two", outlet="Bravo News")
    other_title = make_item("d", T0 + timedelta(hours=1), title="Talks in Istanbul: day three")
    groups = dedupe([later, other_title, first, other_outlet])
    assert [[i.id for i in g] for g in groups] == [["a", "b"], ["c"], ["d"]]


def test_the_same_long_text_under_another_address_is_one_unit() -> None:
    body = SWAP_A.body  # over 200 characters
    copy = make_item("copy", T0 + timedelta(hours=3), outlet="Syndicator", title="Swap", body=body)
    spaced = make_item(
        "spaced", T0 + timedelta(hours=4), title="Other", body=body.replace(" ", "\n ")
    )
    groups = dedupe([copy, SWAP_A, spaced])
    assert [[i.id for i in g] for g in groups] == [["swap-a", "copy", "spaced"]]


def test_a_short_shared_text_does_not_make_duplicates() -> None:
    body = "Officials declined to comment."
    a = make_item("a", T0, outlet="Alpha Wire", title="Strike on Kharkiv", body=body)
    b = make_item("b", T0, outlet="Bravo News", title="Talks in Istanbul", body=body)
    assert [[i.id for i in g] for g in dedupe([a, b])] == [["a"], ["b"]]


# --- make_stories ----------------------------------------------------------------------------


def test_two_reports_of_one_event_in_different_words_are_one_story() -> None:
    result = cluster(ALL)
    assert members(result.stories) == [{"sanctions"}, {"strike"}, {"swap-a", "swap-b"}]
    swap = next(s for s in result.stories if len(s.items) == 2)
    assert swap.id == "s-swap-a"  # named after its first item
    assert swap.outlets == ["Alpha Wire", "Bravo News"]
    assert not swap.developing and swap.first_reported == SWAP_A.published
    assert result.assigned == {
        "swap-a": "s-swap-a",
        "swap-b": "s-swap-a",
        "strike": "s-strike",
        "sanctions": "s-sanctions",
    }
    assert set(result.new_stories) == {"s-swap-a", "s-strike", "s-sanctions"}
    # stories in order of first report
    assert [s.id for s in result.stories] == ["s-strike", "s-swap-a", "s-sanctions"]


def test_a_higher_threshold_keeps_the_reports_apart() -> None:
    result = cluster([SWAP_A, SWAP_B], StoryParams(threshold=0.9))
    assert members(result.stories) == [{"swap-a"}, {"swap-b"}]


def test_items_further_apart_than_hours_never_join() -> None:
    late = make_item(
        "swap-late",
        T0 + timedelta(hours=60),
        outlet="Bravo News",
        title=SWAP_B.title,
        body=SWAP_B.body,
    )
    assert members(cluster([SWAP_A, late], StoryParams(hours=48)).stories) == [
        {"swap-a"},
        {"swap-late"},
    ]
    # the same pair joins when the limit allows it: the hours, not the words, kept them apart
    assert members(cluster([SWAP_A, late], StoryParams(hours=72)).stories) == [
        {"swap-a", "swap-late"}
    ]


EARLIER = make_item(
    "swap-old",
    T0 - timedelta(hours=14),
    outlet="Charlie Times",
    title="Russia and Ukraine begin 1,000-for-1,000 prisoner exchange agreed in Istanbul",
    body=(
        "Russia and Ukraine began exchanging 1,000 prisoners of war each, the largest swap "
        "of the war, agreed at direct talks in Istanbul. The first soldiers crossed the "
        "Belarus border on Saturday."
    ),
)


def test_a_new_group_matching_a_recent_story_continues_it_as_developing() -> None:
    origins = {"s-old": (EARLIER.when, "2025-05-31")}
    result = cluster([SWAP_A, STRIKE], recent={"s-old": [EARLIER]}, origins=origins)
    by_id = {s.id: s for s in result.stories}
    assert set(by_id) == {"s-old", "s-strike"}
    continued = by_id["s-old"]
    assert continued.developing
    assert continued.first_reported == EARLIER.when
    assert [i.id for i in continued.items] == ["swap-a"]  # only its new items
    assert result.assigned == {"swap-a": "s-old", "strike": "s-strike"}
    assert set(result.new_stories) == {"s-strike"}  # a continued story is not new
    assert not by_id["s-strike"].developing


def test_a_recent_story_outside_hours_is_not_continued() -> None:
    earlier = replace(EARLIER, published=T0 - timedelta(hours=60))
    origins = {"s-old": (earlier.when, "2025-05-29")}
    apart = cluster([SWAP_A], StoryParams(hours=48), recent={"s-old": [earlier]}, origins=origins)
    assert [(s.id, s.developing) for s in apart.stories] == [("s-swap-a", False)]
    # within a longer limit the same story is continued: the hours kept them apart
    near = cluster([SWAP_A], StoryParams(hours=72), recent={"s-old": [earlier]}, origins=origins)
    assert [(s.id, s.developing) for s in near.stories] == [("s-old", True)]


def test_first_build_records_views_and_a_rebuild_shows_them() -> None:
    first = cluster(ALL)
    swap = next(s for s in first.stories if s.id == "s-swap-a")
    assert first.views["s-swap-a"] == (
        swap.headline,
        [(s.item_id, s.text, s.cut) for s in swap.summary],
    )
    assert set(first.views) == {s.id for s in first.stories}

    recorded = {s.id: s.items for s in first.stories}
    origins = {s.id: (s.first_reported or s.latest, DAY) for s in first.stories}
    view: View = (SWAP_B.title, [("swap-b", "A sentence the first build chose.", False)])
    again = cluster([], recorded=recorded, origins=origins, views={"s-swap-a": view})
    shown = next(s for s in again.stories if s.id == "s-swap-a")
    assert shown.headline == SWAP_B.title
    assert [(s.text, s.item_id, s.url, s.outlet) for s in shown.summary] == [
        ("A sentence the first build chose.", "swap-b", SWAP_B.url, "Bravo News")
    ]
    assert "s-swap-a" not in again.views  # shown as recorded, so nothing new to record
    assert members(again.stories) == members(first.stories)
    assert again.assigned == {} and again.new_stories == {}


def test_a_recorded_view_is_not_applied_to_a_story_that_gained_items() -> None:
    recorded = {"s-swap-a": [SWAP_A]}
    origins = {"s-swap-a": (T0, DAY)}
    view: View = ("Recorded headline", [("swap-a", "Recorded sentence.", False)])
    result = cluster([SWAP_B], recorded=recorded, origins=origins, views={"s-swap-a": view})
    [story] = result.stories
    assert {i.id for i in story.items} == {"swap-a", "swap-b"}
    assert story.headline != "Recorded headline"
    assert result.views["s-swap-a"][0] == story.headline


# --- summaries -------------------------------------------------------------------------------


def test_summary_sentences_are_copied_verbatim_and_linked_to_their_items() -> None:
    result = cluster(ALL)
    by_id = {i.id: i for i in ALL}
    for story in result.stories:
        assert 1 <= len(story.summary) <= 3
        for sentence in story.summary:
            item = by_id[sentence.item_id]
            assert item in story.items
            assert sentence.text in item.body
            assert (sentence.url, sentence.outlet, sentence.cut) == (item.url, item.outlet, False)
    swap = next(s for s in result.stories if s.id == "s-swap-a")
    assert {s.item_id for s in swap.summary} == {"swap-a", "swap-b"}  # both outlets add
    assert swap.summary[0].text == (
        "Ukraine and Russia each released 1,000 prisoners of war on Sunday, completing the "
        "largest exchange since the full-scale invasion."
    )
    assert swap.headline == SWAP_A.title  # the lead's item gives the headline


def test_summary_length_follows_summary_sentences() -> None:
    [story] = cluster([SWAP_A], StoryParams(summary_sentences=1)).stories
    assert [s.text for s in story.summary] == [SWAP_A.body.split(". ")[0] + "."]


def test_summary_drops_the_dateline_of_a_wire_report() -> None:
    wired = make_item(
        "wired",
        T0,
        outlet="Wire",
        title=SWAP_A.title,
        body="KYIV, June 1 (Reuters) - " + SWAP_A.body,
    )
    [story] = cluster([wired]).stories
    assert story.summary[0].text.startswith("Ukraine and Russia each released 1,000 prisoners")
    assert story.summary[0].text in wired.body


def test_a_text_without_a_usable_sentence_gives_its_clipped_start() -> None:
    bullet = "Ukraine and Russia exchange prisoners " * 15  # one line, no stop, 570 characters
    item = make_item("bullet", T0, title="Prisoner exchange", body=bullet.strip())
    [story] = cluster([item]).stories
    [sentence] = story.summary
    assert sentence.cut
    assert item.body.startswith(sentence.text)
    assert 300 < len(sentence.text) <= 400
    assert not sentence.text.endswith(" ")


def test_a_linked_item_leads_over_a_slightly_more_central_unlinked_one() -> None:
    clipping = make_item(
        "clipping",
        T0 + timedelta(minutes=30),
        outlet="Clipping",
        url=None,
        title="Kyiv and Moscow finish 1,000-for-1,000 prisoner swap",
        body=(
            "Ukraine and Russia each released 1,000 prisoners of war on Sunday in an exchange "
            "agreed in Istanbul."
        ),
    )
    items = [SWAP_A, SWAP_B, clipping]
    # the premise: the clipping is the most central item, but by less than UNLINKED
    vectors = vectorizer(*items)
    centre = centroid([vectors.vector(terms(i)) for i in items])
    centrality = {i.id: cosine(vectors.vector(terms(i)), centre) for i in items}
    assert max(centrality, key=centrality.__getitem__) == "clipping"
    assert centrality["clipping"] - centrality["swap-b"] < UNLINKED

    [story] = cluster(items).stories
    assert story.headline == SWAP_B.title
    assert story.summary[0].item_id == "swap-b"
