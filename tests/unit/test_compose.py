"""Unit tests of stories/compose.py and models.py: sections, ranking, key developments, counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from briefing import __version__
from briefing.models import (
    Briefing,
    Item,
    Section,
    Sentence,
    SourceReport,
    Story,
    story_rank,
)
from briefing.stories.compose import compose
from briefing.stories.sections import Classifier

from .conftest import make_config, make_item

DAY = date(2025, 5, 28)
T0 = datetime(2025, 5, 28, 8, 0, tzinfo=UTC)
WINDOW = (datetime(2025, 5, 28, tzinfo=UTC), datetime(2025, 5, 29, tzinfo=UTC))
GENERATED = datetime(2025, 5, 29, 7, 0, tzinfo=UTC)
SOURCES: list[dict[str, Any]] = [
    {"name": "alpha", "type": "feed", "path": "a.xml", "outlet": "Alpha Wire"},
    {"name": "bravo", "type": "feed", "path": "b.xml"},
    {"name": "quiet", "type": "feed", "path": "q.xml", "outlet": "Quiet Post"},
]
SECTIONS: list[dict[str, Any]] = [
    {"id": "talks", "title": "Negotiations", "description": "Who met whom.", "max_stories": 2},
    {"id": "sanctions", "title": "Sanctions"},
]


def story(story_id: str, section: str, *outlets: str, hours: float = 0) -> Story:
    """A story with one item per outlet, the last published `hours` after T0."""
    items = [
        make_item(
            f"{story_id}-{n}",
            T0 + timedelta(hours=hours - n),
            outlet=outlet,
            source="alpha" if outlet == "Alpha Wire" else "bravo",
        )
        for n, outlet in enumerate(outlets)
    ]
    return Story(id=story_id, headline=story_id, items=items, section=section)


def build(
    tmp_path: Path,
    stories: list[Story],
    sections: list[dict[str, Any]] = SECTIONS,
    catch_all: str = "other",
    dropped: int = 0,
    statuses: dict[str, tuple[str, str]] | None = None,
) -> Briefing:
    config = make_config(tmp_path, title="Desk", sources=SOURCES, sections=sections)
    return compose(config, DAY, WINDOW, stories, dropped, statuses or {}, catch_all, GENERATED)


def ids(stories: list[Story]) -> list[str]:
    return [s.id for s in stories]


def test_sections_follow_the_config_and_an_implicit_catch_all_comes_last(tmp_path: Path) -> None:
    briefing = build(tmp_path, [story("s1", "sanctions", "Alpha Wire"), story("s2", "other", "X")])
    assert [(s.id, s.title) for s in briefing.sections] == [
        ("talks", "Negotiations"),
        ("sanctions", "Sanctions"),
        ("other", "Other developments"),
    ]
    assert briefing.sections[0].description == "Who met whom."
    assert [ids(s.stories) for s in briefing.sections] == [[], ["s1"], ["s2"]]
    assert briefing.section_title("sanctions") == "Sanctions"
    assert briefing.section_title("unknown") == "unknown"


def test_a_configured_catch_all_adds_no_section(tmp_path: Path) -> None:
    sections = [*SECTIONS, {"id": "misc", "title": "Everything else", "catch_all": True}]
    briefing = build(tmp_path, [story("s1", "misc", "X")], sections=sections, catch_all="misc")
    assert [s.id for s in briefing.sections] == ["talks", "sanctions", "misc"]
    assert ids(briefing.sections[2].stories) == ["s1"]


def test_the_implicit_catch_all_takes_an_id_no_section_has(tmp_path: Path) -> None:
    sections = [{"id": i, "title": i.title()} for i in ("other", "unsorted", "other-1")]
    config = make_config(tmp_path, sections=sections)
    classifier = Classifier(config)
    assert classifier.catch_all == "other-2"
    unplaced = story("s1", "", "X")
    classifier.assign(unplaced)
    briefing = compose(config, DAY, WINDOW, [unplaced], 0, {}, classifier.catch_all, GENERATED)
    assert [(s.id, s.title) for s in briefing.sections][-1] == ("other-2", "Other developments")
    assert ids(briefing.sections[-1].stories) == ["s1"]


def test_story_rank_puts_most_outlets_first_then_most_recent_then_id() -> None:
    wide = story("d-wide", "talks", "A", "B", "C", hours=0)
    recent = story("c-recent", "talks", "A", hours=5)
    older_b = story("b-older", "talks", "A", hours=1)
    older_a = story("a-older", "talks", "B", hours=1)
    ranked = sorted([older_b, recent, older_a, wide], key=story_rank)
    assert ids(ranked) == ["d-wide", "c-recent", "a-older", "b-older"]


def test_stories_are_ranked_in_their_section_and_max_stories_hides_the_rest(
    tmp_path: Path,
) -> None:
    talks = [
        story("t-one", "talks", "A", hours=1),
        story("t-three", "talks", "A", "B", "C"),
        story("t-recent", "talks", "A", hours=9),
        story("t-two", "talks", "A", "B"),
    ]
    briefing = build(tmp_path, talks)
    section = briefing.sections[0]
    assert ids(section.stories) == ["t-three", "t-two", "t-recent", "t-one"]  # JSON keeps all
    assert section.max_stories == 2
    assert ids(section.visible) == ["t-three", "t-two"]
    assert section.more == 2
    unlimited = briefing.sections[1]
    assert unlimited.max_stories is None and unlimited.more == 0


def test_key_developments_are_the_top_five_visible_stories(tmp_path: Path) -> None:
    stories = [
        story("hidden", "talks", "A", "B", "C", "D"),  # third in a section that shows two
        story("t1", "talks", "A", "B", "C", "D", "E", "F"),
        story("t2", "talks", "A", "B", "C", "D", "E"),
        story("s1", "sanctions", "A", "B", "C"),
        story("s2", "sanctions", "A", "B"),
        story("s3", "sanctions", "A", hours=3),
        story("o1", "other", "A", hours=2),
        story("o2", "other", "A", hours=1),
    ]
    briefing = build(tmp_path, stories)
    assert ids(briefing.key_developments) == ["t1", "t2", "s1", "s2", "s3"]


def test_a_sections_priority_changes_the_order_of_key_developments(tmp_path: Path) -> None:
    stories = [
        story("t1", "talks", "A", "B", "C"),
        story("s1", "sanctions", "A", "B"),
    ]
    assert ids(build(tmp_path, stories).key_developments) == ["t1", "s1"]
    weighted = [{**SECTIONS[0]}, {**SECTIONS[1], "priority": 2}]
    assert ids(build(tmp_path, stories, sections=weighted).key_developments) == ["s1", "t1"]
    muted = [{**SECTIONS[0], "priority": 0}, SECTIONS[1]]
    assert ids(build(tmp_path, stories, sections=muted).key_developments) == ["s1"]


def test_key_developments_never_tell_one_event_twice(tmp_path: Path) -> None:
    first = story("t1", "talks", "A", "B", "C")
    first.headline = "Delegations arrive in Istanbul for second round of direct talks"
    again = story("t2", "talks", "D", "E")
    again.headline = "Second round of direct talks: delegations arrive in Istanbul"
    other = story("s1", "sanctions", "A")
    other.headline = "EU prepares 18th sanctions package"
    assert ids(build(tmp_path, [first, again, other]).key_developments) == ["t1", "s1"]


def test_a_story_in_another_script_than_most_is_no_key_development(tmp_path: Path) -> None:
    """Reports of one event in Russian and in English share too few words to be one story;
    the one in the day's less common script stays in its section, out of the top list."""
    call = story("t1", "talks", "A", "B")
    call.headline = "Trump and Putin hold a long phone call"
    russian = story("t2", "talks", "C", "D", "E")
    russian.headline = "Путин и Трамп провели телефонный разговор"
    levy = story("s1", "sanctions", "A")
    levy.headline = "EU prepares 18th sanctions package"
    briefing = build(tmp_path, [call, russian, levy])
    assert ids(briefing.key_developments) == ["t1", "s1"]
    assert "t2" in [s.id for sec in briefing.sections for s in sec.stories]
    # where most of the day is in Cyrillic, the English story is the other script
    more = [story(f"r{n}", "sanctions", "F") for n in range(3)]
    for n, made in enumerate(more):
        made.headline = f"ЕС готовит {18 + n}-й пакет санкций"
    assert "t1" not in ids(build(tmp_path, [call, russian, *more]).key_developments)


def test_a_short_report_a_chosen_story_already_tells_is_not_listed_again(
    tmp_path: Path,
) -> None:
    def told(story_id: str, section: str, outlets: list[str], *sentences: str) -> Story:
        made = story(story_id, section, *outlets)
        made.headline = sentences[0]
        made.summary = [Sentence(s, f"{story_id}-0", None, outlets[0]) for s in sentences]
        return made

    strike = told(
        "b1",
        "talks",
        ["A", "B", "C"],
        "Russian barrage of missiles and drones hits power plants in six regions",
        "Power plants in six regions were hit by a Russian barrage overnight, officials said.",
        "Two workers were hurt at a plant near Lviv, the grid operator said.",
    )
    local = told("b2", "talks", ["D"], "Barrage hits power plants; workers hurt near Lviv")
    sumy = told("b3", "sanctions", ["E"], "Ballistic missile destroys a school gym in Sumy")
    chosen = build(tmp_path, [strike, local, sumy]).key_developments
    assert ids(chosen) == ["b1", "b3"]  # the local report of the same attack is not listed again
    assert [s.id for sec in build(tmp_path, [strike, local]).sections for s in sec.stories] == [
        "b1",
        "b2",
    ]  # it stays in its section


def test_a_story_of_digests_alone_is_no_key_development(tmp_path: Path) -> None:
    def recaps(second_title: str, second_body: str) -> Story:
        made = story("t1", "talks", "A", "B")
        first, second = made.items
        made.items = [
            replace(first, title="War in Ukraine — key points"),
            replace(second, title=second_title, body=second_body),
        ]
        return made

    event = story("s1", "sanctions", "C")
    event.headline = "EU adopts its 17th sanctions package"
    joining = "If you are just joining us, here is what has happened so far."
    briefing = build(tmp_path, [recaps("What we know so far", joining), event])
    assert ids(briefing.key_developments) == ["s1"]  # two outlets' recaps sum up, report nothing
    assert ids(briefing.sections[0].stories) == ["t1"]  # still in its section
    reported = recaps("Delegations meet in Istanbul", "The two delegations met on Monday.")
    assert ids(build(tmp_path, [reported, event]).key_developments) == ["t1", "s1"]


def test_a_continued_story_weighs_less_than_a_new_one(tmp_path: Path) -> None:
    continued = story("t1", "talks", "A", "B", "C")
    continued.developing = True
    new = story("s1", "sanctions", "A", "B", "C", hours=-1)
    assert ids(build(tmp_path, [continued, new]).key_developments) == ["s1", "t1"]


def test_counts_cover_every_story_including_hidden_ones(tmp_path: Path) -> None:
    stories = [
        story("t1", "talks", "Alpha Wire", "Bravo News"),
        story("t2", "talks", "Alpha Wire"),
        story("t3", "talks", "Charlie Times", hours=-2),  # hidden by max_stories
        story("s1", "sanctions", "Bravo News"),
    ]
    briefing = build(tmp_path, stories, dropped=7)
    assert (briefing.item_count, briefing.story_count, briefing.outlet_count) == (5, 4, 3)
    assert briefing.dropped == 7
    assert (briefing.date, briefing.title, briefing.timezone) == (DAY, "Desk", "UTC")
    assert (briefing.window_start, briefing.window_end) == WINDOW
    assert briefing.generated_at == GENERATED
    assert briefing.version == __version__


def test_the_sources_note_has_one_line_per_configured_source(tmp_path: Path) -> None:
    stories = [
        story("t1", "talks", "Alpha Wire", "Bravo News"),
        story("s1", "sanctions", "Alpha Wire"),
    ]
    merged = SourceReport("alpha", "feed", "ok", fetched=3, new=2, merged=1)
    statuses = {
        "alpha": (merged.status, merged.note()),
        "bravo": ("failed", ""),
        "gone": ("ok", ""),  # no longer configured: not listed
    }
    briefing = build(tmp_path, stories, statuses=statuses)
    lines = [(s.name, s.outlet, s.items, s.status, s.note) for s in briefing.sources]
    assert lines == [
        ("alpha", "Alpha Wire", 2, "ok", "1 merged as duplicates"),
        ("bravo", "", 1, "failed", ""),
        ("quiet", "Quiet Post", 0, "not collected", ""),
    ]


@pytest.mark.parametrize("max_stories", [1, 3])
def test_visible_and_more_add_up(max_stories: int) -> None:
    stories = [story(f"s{n}", "x", "A", hours=n) for n in range(3)]
    section = Section("x", "X", stories=stories, max_stories=max_stories)
    assert len(section.visible) == min(max_stories, 3)
    assert len(section.visible) + section.more == 3


def test_outlets_and_links_prefer_the_headline_item_and_a_link() -> None:
    items: list[Item] = [
        make_item("a1", T0, outlet="Alpha Wire", url=None, title="Other title"),
        make_item("b1", T0, outlet="Bravo News", title="Headline"),
        make_item("a2", T0 + timedelta(hours=1), outlet="Alpha Wire", title="Later"),
    ]
    shown = Story(id="s", headline="Headline", items=items)
    assert shown.outlets == ["Alpha Wire", "Bravo News"]
    assert shown.latest == T0 + timedelta(hours=1)
    assert shown.links == [
        ("Bravo News", "https://bravo.example/b1"),
        ("Alpha Wire", "https://alpha.example/a2"),
    ]


def test_the_json_is_the_data_indented_with_one_story_per_line(tmp_path: Path) -> None:
    """Programs read the JSON whole: it is briefing_data exactly. People find a story by its
    line: every level is indented as json.dumps(indent=2) would, except that each story is one
    line, and a headline's own newline or brace never breaks that."""
    import json

    from briefing.render import briefing_data, render_json

    stories = [story("s-1", "talks", "Alpha Wire", "B"), story("s-2", "sanctions", "C")]
    stories[0].headline = 'Line one\n  "stories": [{ }]\nline two'
    briefing = build(tmp_path, stories)
    text = render_json(briefing)
    data = briefing_data(briefing)
    assert json.loads(text) == data
    story_lines = [line for line in text.splitlines() if line.startswith('        {"id": "s-')]
    assert [json.loads(line.rstrip(","))["id"] for line in story_lines] == ["s-1", "s-2"]
    without = {**data, "sections": [{**s, "stories": []} for s in data["sections"]]}
    briefing.sections = [replace(s, stories=[]) for s in briefing.sections]
    assert render_json(briefing) == json.dumps(without, ensure_ascii=False, indent=2) + "\n"
