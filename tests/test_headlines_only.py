"""Headline-only items (feeds that give a title and no text): two headlines alike in one word
are not one event, while headlines of one event, worded apart, still join; a headline alone
finds its section. Every headline here is written for these tests."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from briefing.config import load_config
from briefing.models import Item, Sentence, Story
from briefing.quality.labels import load_labels
from briefing.stories import Classifier
from briefing.stories.also import gives_headline, other_headlines
from briefing.stories.cluster import ONE_WORD, StoryParams, compare, make_stories
from briefing.stories.events import NAMES
from briefing.text.similarity import ItemVectors, Vectorizer, cosine, evidence, terms

from conftest import ROOT

HEADLINES = {
    # one event, two wordings
    "eu1": ("Alpha", "EU leaders agree to open membership talks with Ukraine"),
    "eu2": ("Bravo", "Ukraine's EU membership talks to open next month, leaders decide"),
    # alike in "Moldova" only
    "mol1": ("Charlie", "Kremlin warns Moldova over Transnistria"),
    "mol2": ("Hotel", "Moldova switches off Russian TV channels"),
    # one event, two wordings
    "ship1": ("Delta", "Turkish customs hold Russian freighter laden with Ukrainian wheat"),
    "ship2": ("Echo", "Russian freighter with Ukrainian wheat held at a Turkish port"),
    # alike in "troops" only
    "t1": ("Foxtrot", "Russian troops deserting in droves, officials say"),
    "t2": ("Golf", "Ukrainian troops get new rifles"),
}


def _item(key: str) -> Item:
    outlet, title = HEADLINES[key]
    stamp = datetime.fromisoformat("2025-06-03T12:00+03:00")
    return Item(key, "test", outlet, f"https://{key}.example/", title, "", stamp, stamp)


@pytest.fixture(scope="module")
def background() -> list[Item]:
    return [lab.item for lab in load_labels(ROOT / "samples" / "stories.jsonl", ZoneInfo("UTC"))]


def _vectors(items: list[Item], background: list[Item]) -> ItemVectors:
    params = StoryParams()
    bags = (terms(i, params.lead_words) for i in items + background)
    return ItemVectors(Vectorizer.from_bags(bags), params.lead_words)


def test_headlines_alike_in_one_word_are_two_stories(background: list[Item]) -> None:
    items = [_item(key) for key in HEADLINES]
    vec = _vectors(items, background)
    by_key = {i.id: i for i in items}
    threshold = StoryParams().threshold
    for a, b in (("mol1", "mol2"), ("t1", "t2")):
        # their cosine alone would join them: one shared word carries it
        assert cosine(vec.of(by_key[a]), vec.of(by_key[b])) >= threshold
        assert compare(by_key[a], by_key[b], vec).one_word in {"moldova", "troop"}
    result = make_stories(items, {}, {}, {}, vec.vectorizer, "2025-06-03", StoryParams())
    stories = sorted(sorted(i.id for i in s.items) for s in result.stories)
    assert stories == [["eu1", "eu2"], ["mol1"], ["mol2"], ["ship1", "ship2"], ["t1"], ["t2"]]


def test_headlines_naming_different_people_can_still_be_one_event(background: list[Item]) -> None:
    """A title names one or two people: that one headline never names whom the other leads
    with says little, so it is no conflict of names (two texts that never name each other's
    people still are one: test_dense.py)."""
    stamp = datetime.fromisoformat("2025-06-03T12:00+03:00")
    titles = {
        "n1": "NATO's ready reserve will grow to 300,000 soldiers, Rutte announces",
        "n2": "NATO expands its ready reserve to 300,000 citing the Moscow threat",
    }
    items = [
        Item(k, "test", k, f"https://{k}.example/", t, "", stamp, stamp) for k, t in titles.items()
    ]
    vec = _vectors(items, background)
    pair = compare(items[0], items[1], vec)
    assert pair.relation.conflict is None and pair.similarity >= StoryParams().threshold
    with_text = [replace(i, body=f"{i.title}, officials said on Tuesday.") for i in items]
    vec = _vectors(with_text, background)
    assert compare(with_text[0], with_text[1], vec).relation.conflict == NAMES
    result = make_stories(
        items, {}, {}, {}, _vectors(items, background).vectorizer, "2025-06-03", StoryParams()
    )
    assert [sorted(i.id for i in s.items) for s in result.stories] == [["n1", "n2"]]


def test_evidence_caps_only_a_word_that_stands_alone() -> None:
    one = {"eu": 0.6, "gas": 0.8}
    other = {"eu": 0.5, "talks": 0.866}
    assert evidence(one, other, ONE_WORD) == (0.0, "eu")  # nothing else shared
    many = {"grain": 0.5, "ship": 0.5, "turkey": 0.5, "russian": 0.5}
    same = {"grain": 0.5, "ship": 0.5, "customs": 0.5, "russian": 0.5}
    sim, word = evidence(many, same, ONE_WORD)
    assert word == "" and sim == pytest.approx(cosine(many, same))
    # the strongest word is capped at the next one where the rest is below ONE_WORD
    lead = {"troop": 0.9, "russian": 0.1, "x": 0.42}
    rest = {"troop": 0.5, "russian": 0.2, "y": 0.84}
    sim, word = evidence(lead, rest, ONE_WORD)
    assert word == "troop" and sim == pytest.approx(0.02 + 0.02)


def test_explain_with_names_the_one_word(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], write_config
) -> None:
    entries = "".join(
        f"<item><title>{title}</title><link>https://{key}.example/</link>"
        "<pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate></item>"
        for key, (_, title) in HEADLINES.items()
    )
    feed = tmp_path / "titles.rss"
    feed.write_text(f"<rss version='2.0'><channel><title>t</title>{entries}</channel></rss>")
    source = {"name": "titles", "type": "feed", "path": str(feed)}
    config = str(write_config({"sources": [source], "database": f"sqlite:///{tmp_path}/b.db"}))
    assert cli("collect", "--config", config)[0] == 0
    day = ["--config", config, "--date", "2025-06-03"]
    code, out, err = cli("explain", *day, "Kremlin warns", "--with", "Moldova switches")
    assert (code, err) == (0, "")
    assert "(alike in 'moldova' alone: counted as the next word)" in out
    assert "not joined" in out
    code, out, _ = cli("explain", *day, "Turkish customs hold", "--with", "Russian freighter with")
    assert code == 0 and "alike in" not in out and "joined: both in story s-" in out


@pytest.mark.parametrize(
    ("title", "section"),
    [
        ("Norway hands Kyiv three more MLRS launchers", "battlefield"),
        ("Partisans blow up a railway bridge in occupied Melitopol", "battlefield"),
        ("Second carmaker to exit Russia this month", "sanctions"),
        ("Moscow edges towards a debt default as grace period ends", "sanctions"),
        ("Warsaw expels 45 Russian diplomats", "negotiations"),
        ("Kyiv cuts ties with a state that recognised the occupied regions", "negotiations"),
    ],
)
def test_a_headline_alone_finds_its_section(title: str, section: str) -> None:
    """A title-only item is placed by the words headlines use, not left to Other."""
    config = load_config(ROOT / "config.yaml")
    stamp = datetime.fromisoformat("2025-06-03T12:00+03:00")
    item = Item("h", "test", "Outlet", "https://h.example/", title, "", stamp, stamp)
    story = Story("s", title, [item])
    Classifier(config).assign(story)
    assert story.section == section


def _titled(key: str, outlet: str, title: str) -> Item:
    stamp = datetime.fromisoformat("2025-06-03T12:00+03:00")
    return Item(key, "test", outlet, f"https://{key}.example/", title, "", stamp, stamp)


def test_a_story_of_headlines_shows_the_other_reports_headlines() -> None:
    """Without a summary, the headlines that say what the story's own does not are shown, the
    one saying most first; a reworded copy, a digest's title and a second copy are not."""
    items = [
        _titled("a", "Alpha", "Russian missile strike on Odesa port kills four, governor says"),
        _titled("b", "Bravo", "Missile strike on Odesa port kills four, governor says"),
        _titled("c", "Charlie", "Grain terminal and warehouses burn after Odesa port is hit"),
        _titled("d", "Delta", "Odesa strike: key points"),
        _titled("e", "Echo", "Grain terminal and warehouses burn after Odesa port is hit"),
        _titled("f", "Foxtrot", "Zelensky asks allies for more air defence after Odesa attack"),
    ]
    story = Story("s", items[0].title, items)
    shown = other_headlines(story)
    assert [(s.text, s.outlet, s.url) for s in shown] == [
        (items[5].title, "Foxtrot", "https://f.example/"),
        (items[2].title, "Charlie", "https://c.example/"),
    ]
    post = (
        "Port workers say the grain terminal fire is out. Crews worked through the night to "
        "contain it, and the harbour master said ships would be allowed to dock again from "
        "Thursday morning once the damage to the berths has been surveyed by engineers and the "
        "insurers have been told"
    )
    posted = replace(story, items=[*items[:2], _titled("p", "Papa", post)])
    assert [s.text for s in other_headlines(posted)] == [
        "Port workers say the grain terminal fire is out"
    ]  # (over 40 words: a post's first lines, shortened as a headline would be)
    told = replace(story, summary=[Sentence("Four people were killed.", "a", None, "Alpha")])
    assert other_headlines(told) == []
    quoted = _titled("q", "Quebec", 'Envoy: "The talks will resume in June. Both sides agreed."')
    assert gives_headline(quoted, 'Envoy: "The talks will resume in June"')  # cut, stop dropped
    assert not gives_headline(quoted, "Envoy: talks resume")


def test_the_other_headlines_are_printed_in_every_format(cli, write_config, tmp_path) -> None:
    """A headline-only feed whose reports of one strike are worded apart: each format shows
    the other headline under the story's own, escaped for its format."""
    entries = [
        ("a", "Russian missile strike on Odesa port kills four & injures ten, governor says"),
        ("b", "Russian missiles hit Odesa port: grain terminal & warehouses burn, four killed"),
    ]
    others = [  # the day's other news, so that what the two share is rare
        "Kremlin says Istanbul talks may resume next week",
        "EU prepares new sanctions on Russian banks",
        "NATO ministers discuss air defence for Ukraine in Brussels",
        "Ukraine and Russia swap prisoners of war in UAE-brokered exchange",
    ]
    sources = []
    for key, titles in [("a", [entries[0][1]]), ("b", [entries[1][1]]), ("c", others)]:
        rss = "".join(
            f"<item><title>{html.escape(title)}</title><link>https://{key}.example/{n}</link>"
            "<pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate></item>"
            for n, title in enumerate(titles)
        )
        feed = tmp_path / f"{key}.xml"
        feed.write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{key}</title>{rss}'
            "</channel></rss>",
            "utf-8",
        )
        sources.append({"name": key, "type": "feed", "path": str(feed), "outlet": key.upper()})
    config = write_config({"sources": sources})
    code, _, err = cli(
        "build",
        "--config",
        str(config),
        "--date",
        "2025-06-03",
        "--format",
        "md,html,json,email,pdf",
    )
    assert code == 0, err
    out = tmp_path / "out" / "2025-06-03"
    data = json.loads((out / "briefing-2025-06-03.json").read_text("utf-8"))
    [story] = [s for sec in data["sections"] for s in sec["stories"] if len(s["items"]) > 1]
    assert len(story["items"]) == 2 and story["summary"] == ""
    [other] = story["also"]
    assert {story["headline"], other["text"]} == {title for _, title in entries}
    assert other["url"] == f"https://{'a' if other['text'] == entries[0][1] else 'b'}.example/0"
    assert "&" in other["text"]  # (escaped in HTML, below)
    page = (out / "briefing-2025-06-03.html").read_text("utf-8")
    assert f'<li>{html.escape(other["text"], quote=False)} <a class="cite"' in page
    markdown = (out / "briefing-2025-06-03.md").read_text("utf-8")
    assert f"- {other['text']} (" in markdown.replace("\\", "")
    email = (out / "briefing-2025-06-03.email.html").read_text("utf-8")
    assert f"<li>{html.escape(other['text'], quote=False)} <a href=" in email
    text = " ".join(
        page.extract_text() for page in PdfReader(out / "briefing-2025-06-03.pdf").pages
    )
    assert " ".join(other["text"].split()[:5]) in " ".join(text.split())


def test_a_headline_made_from_a_whole_sentence_is_not_printed_again(
    cli, write_config, tmp_path
) -> None:
    """An untitled post (a channel's feed) is headed by its first sentence, without its opening
    date; the readers' formats start its summary at the next sentence, and the JSON keeps both."""
    lead = "On 3 June, air defence shot down 40 drones over the Kharkiv & Sumy regions."
    said = "Air defence shot down 40 drones over the Kharkiv & Sumy regions"
    rest = "Firefighters put out a blaze at a grain warehouse hit before dawn, officials said."
    posts = [
        f"{lead} {rest}",
        "The Kremlin said on Tuesday that talks in Istanbul may resume next week.",
        "EU ministers prepared new sanctions on Russian banks and oil traders.",
    ]
    rss = "".join(
        f"<item><description>{html.escape(text)}</description>"
        f"<link>https://channel.example/{n}</link>"
        "<pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate></item>"
        for n, text in enumerate(posts)
    )
    feed = tmp_path / "channel.xml"
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>{rss}</channel></rss>',
        "utf-8",
    )
    config = write_config({"sources": [{"name": "c", "type": "feed", "path": str(feed)}]})
    formats = "md,html,json,email,pdf"
    code, _, err = cli(
        "build", "--config", str(config), "--date", "2025-06-03", "--format", formats
    )
    assert code == 0, err
    out = tmp_path / "out" / "2025-06-03"
    data = json.loads((out / "briefing-2025-06-03.json").read_text("utf-8"))
    [story] = [s for sec in data["sections"] for s in sec["stories"] if "drones" in s["headline"]]
    assert story["headline"] == said
    assert [s["text"] for s in story["sentences"]] == [lead, rest]  # (all of it, for programs)
    markdown = (out / "briefing-2025-06-03.md").read_text("utf-8").replace("\\", "")
    page = (out / "briefing-2025-06-03.html").read_text("utf-8")
    email = (out / "briefing-2025-06-03.email.html").read_text("utf-8")
    for text, escape in [(markdown, str), (page, html.escape), (email, html.escape)]:
        assert text.count(escape("40 drones over the Kharkiv & Sumy")) == 2  # heading, key point
        assert escape(rest) in text and "On 3 June" not in text
    pdf = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(out / "briefing-2025-06-03.pdf").pages
    )
    assert pdf.count("40 drones over the") == 2 and " ".join(rest.split()[:6]) in pdf
