"""Stories: duplicates collapse, one event from several outlets is one story, distinct events
stay apart, summaries are copied, and stories continue across days without changing the past."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT

# (outlet, url, title, published, text) — written for these tests
ITEMS = [
    (
        "Alpha Wire",
        "https://alpha.example/swap?utm_source=rss",
        "Ukraine and Russia swap 1,000 prisoners each in largest exchange of the war",
        "2025-06-01T09:00:00+03:00",
        (
            "Ukraine and Russia each released 1,000 prisoners of war on Sunday, completing the "
            "largest exchange since the full-scale invasion. The swap was agreed at direct "
            "talks in Istanbul. Ukrainian officials said the final group of 303 soldiers had "
            "crossed the Belarus border."
        ),
    ),
    (
        "Bravo News",
        "https://bravo.example/news/prisoner-exchange-complete",
        "Kyiv and Moscow complete 1,000-for-1,000 prisoner exchange agreed in Istanbul",
        "2025-06-01T10:30:00+03:00",
        (
            "The 1,000-for-1,000 prisoner exchange agreed in Istanbul was completed on Sunday "
            "when the last 303 Ukrainian and 303 Russian soldiers were handed over at the "
            "Belarus border, both sides said."
        ),
    ),
    (
        "Charlie Times",
        "https://charlie.example/world/final-303-soldiers-return",
        "Largest prisoner swap of the war ends as final 303 soldiers return home",
        "2025-06-01T11:00:00+03:00",
        (
            "The final 303 soldiers returned home on Sunday as Ukraine and Russia finished the "
            "1,000-for-1,000 exchange of prisoners of war, the largest of the conflict, which "
            "was agreed during talks in Istanbul."
        ),
    ),
    (
        "Alpha Wire",
        "https://alpha.example/kyiv-strike-solomianskyi",
        "Overnight Russian missile strike on Kyiv kills four in Solomianskyi district",
        "2025-06-01T07:10:00+03:00",
        (
            "A Russian ballistic missile struck a residential building in Kyiv's Solomianskyi "
            "district overnight, killing four people and wounding 19, mayor Vitali Klitschko "
            "said. Rescuers searched the rubble until morning."
        ),
    ),
    (
        "Bravo News",
        "https://bravo.example/news/eu-17th-package",
        "EU ministers adopt 17th sanctions package targeting Russia's shadow fleet",
        "2025-06-01T13:00:00+03:00",
        (
            "European Union foreign ministers adopted a 17th package of sanctions against "
            "Russia, listing almost 200 more tankers of the shadow fleet used to carry Russian "
            "oil around the price cap."
        ),
    ),
    (
        "Charlie Times",
        "https://charlie.example/world/us-sanctions-rosneft-lukoil",
        "US Treasury sanctions Rosneft and Lukoil, Russia's largest oil companies",
        "2025-06-01T18:00:00+03:00",
        (
            "The US Treasury imposed sanctions on Rosneft and Lukoil, Russia's two largest oil "
            "companies, freezing their American assets and threatening secondary penalties on "
            "banks that handle their trade."
        ),
    ),
    (
        "Alpha Wire",
        "https://alpha.example/istanbul-talks-open",
        "Russian and Ukrainian delegations meet in Istanbul for direct peace talks",
        "2025-06-01T15:00:00+03:00",
        (
            "Russian and Ukrainian delegations met at Ciragan Palace in Istanbul for a second "
            "round of direct peace talks, with Turkish foreign minister Hakan Fidan opening the"
            " session. Vladimir Medinsky led the Russian side and Rustem Umerov the Ukrainian "
            "side."
        ),
    ),
    (
        "Bravo News",
        "https://bravo.example/news/swap-duplicate-url",
        "Kyiv and Moscow complete 1,000-for-1,000 prisoner exchange agreed in Istanbul",
        "2025-06-01T10:45:00+03:00",
        (
            "Republished copy of the exchange report under a second address, same outlet and "
            "same headline."
        ),
    ),
    (
        "Delta Daily",
        "https://delta.example/syndicated/eu-package",
        "EU adopts new sanctions package",
        "2025-06-01T13:30:00+03:00",
        (
            "European Union foreign ministers adopted a 17th package of sanctions against "
            "Russia, listing almost 200 more tankers of the shadow fleet used to carry Russian "
            "oil around the price cap."
        ),
    ),
    (
        "Bravo News",
        "https://bravo.example/news/kyiv-darnytskyi-drones",
        "Drones and missiles hit Kyiv's Darnytskyi district on second night of attacks",
        "2025-06-02T06:40:00+03:00",
        (
            "Russian drones and cruise missiles hit the Darnytskyi district of Kyiv overnight, "
            "setting a warehouse on fire and killing two security guards, the city military "
            "administration said."
        ),
    ),
    (
        "Charlie Times",
        "https://charlie.example/world/alaska-summit",
        "Trump and Putin to meet for summit in Alaska on 15 August",
        "2025-06-02T20:00:00+03:00",
        (
            "Donald Trump said he would meet Vladimir Putin for a summit in Anchorage, Alaska, "
            "on 15 August, the first meeting of the two leaders since the war began, to discuss"
            " ending the fighting."
        ),
    ),
    (
        "Alpha Wire",
        "https://alpha.example/istanbul-talks-day-two",
        "Istanbul peace talks end after second day with Medinsky and Umerov trading memorandums",
        "2025-06-02T17:00:00+03:00",
        (
            "Direct peace talks between Russian and Ukrainian delegations in Istanbul ended "
            "after a second day at Ciragan Palace, with Vladimir Medinsky and Rustem Umerov "
            "exchanging memorandums, Turkish foreign minister Hakan Fidan said."
        ),
    ),
]
DAY1, DAY2 = "2025-06-01", "2025-06-02"
SECTIONS = [{"id": "all", "title": "All", "catch_all": True}]


def write_feeds(folder: Path, day: str) -> None:
    """One JSON Feed per outlet and day, so the outlet is the feed's title."""
    by_outlet: dict[str, list[dict]] = {}
    for outlet, url, title, published, text in ITEMS:
        if published.startswith(day):
            item = {
                "id": url,
                "url": url,
                "title": title,
                "date_published": published,
                "content_text": text,
            }
            by_outlet.setdefault(outlet, []).append(item)
    for outlet, items in by_outlet.items():
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": outlet, "items": items}
        name = outlet.lower().replace(" ", "-")
        (folder / f"{name}-{day}.json").write_text(json.dumps(feed), encoding="utf-8")


@pytest.fixture
def setup(write_config, tmp_path: Path):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    config = write_config(
        {
            "timezone": "Europe/Kyiv",
            "topic": {},
            "sections": SECTIONS,
            "sources": [{"name": "wires", "type": "feed", "path": str(feeds / "*.json")}],
        }
    )
    return feeds, config


def stories_of(tmp_path: Path, day: str) -> list[dict]:
    data = json.loads((tmp_path / "out" / day / f"briefing-{day}.json").read_text("utf-8"))
    return [s for sec in data["sections"] for s in sec["stories"]]


def find(stories: list[dict], words: str) -> dict:
    (story,) = [s for s in stories if any(words in i["title"] for i in s["items"])]
    return story


def test_one_event_is_one_story_and_distinct_events_stay_apart(cli, setup, tmp_path) -> None:
    feeds, config = setup
    write_feeds(feeds, DAY1)
    code, _, err = cli("build", "--config", str(config), "--date", DAY1, "--format", "json,md")
    assert (code, err) == (0, "")
    stories = stories_of(tmp_path, DAY1)
    swap = find(stories, "1,000 prisoners each")
    outlets = {i["outlet"] for i in swap["items"]}
    assert outlets == {"Alpha Wire", "Bravo News", "Charlie Times"}
    # the same outlet's second copy under another address is in the story, not a story of its own
    assert sum(1 for i in swap["items"] if i["outlet"] == "Bravo News") == 2
    # identical text under another outlet's address joins the EU package story
    eu = find(stories, "17th sanctions package")
    assert {i["outlet"] for i in eu["items"]} == {"Bravo News", "Delta Daily"}
    us = find(stories, "Rosneft and Lukoil")
    strike = find(stories, "Solomianskyi")
    talks = find(stories, "delegations meet in Istanbul")
    assert len({swap["id"], eu["id"], us["id"], strike["id"], talks["id"]}) == 5
    assert len(stories) == 5
    md = (tmp_path / "out" / DAY1 / f"briefing-{DAY1}.md").read_text("utf-8")
    assert md.count("### ") == 5


def test_summaries_are_verbatim_sentences_linked_to_their_items(cli, setup, tmp_path) -> None:
    feeds, config = setup
    write_feeds(feeds, DAY1)
    assert cli("build", "--config", str(config), "--date", DAY1, "--format", "json")[0] == 0
    texts = {url.split("?")[0]: text for _, url, _, _, text in ITEMS}
    for story in stories_of(tmp_path, DAY1):
        assert 1 <= len(story["sentences"]) <= 3
        urls = {i["id"]: i["url"] for i in story["items"]}
        for sentence in story["sentences"]:
            assert sentence["url"] == urls[sentence["item"]]
            assert sentence["text"] in texts[sentence["url"].split("?")[0]]


def test_stories_continue_across_days_and_the_past_does_not_change(cli, setup, tmp_path) -> None:
    feeds, config = setup
    write_feeds(feeds, DAY1)
    assert cli("build", "--config", str(config), "--date", DAY1)[0] == 0
    day1 = {
        f: (tmp_path / "out" / DAY1 / f"briefing-{DAY1}.{f}").read_bytes()
        for f in ("md", "html", "json")
    }

    write_feeds(feeds, DAY2)
    assert cli("build", "--config", str(config), "--date", DAY2)[0] == 0
    stories = stories_of(tmp_path, DAY2)
    talks = find(stories, "second day")
    assert talks["developing"] is True
    assert talks["first_reported"].startswith(DAY1)
    assert [i["title"] for i in talks["items"]] == [
        "Istanbul peace talks end after second day with Medinsky and Umerov trading memorandums"
    ]  # only the new item
    assert find(stories_of(tmp_path, DAY1), "delegations meet in Istanbul")["id"] == talks["id"]
    strike = find(stories, "Darnytskyi")
    alaska = find(stories, "Alaska")
    assert strike["developing"] is False and alaska["developing"] is False
    assert len(stories) == 3  # nothing from day one is shown again
    md = (tmp_path / "out" / DAY2 / f"briefing-{DAY2}.md").read_text("utf-8")
    assert "developing, first reported 1 Jun 2025" in md

    # day one rebuilt after day two was collected: exactly what its first build gave
    assert cli("build", "--config", str(config), "--date", DAY1)[0] == 0
    again = {
        f: (tmp_path / "out" / DAY1 / f"briefing-{DAY1}.{f}").read_bytes()
        for f in ("md", "html", "json")
    }
    assert again == day1


def test_sample_labels_match_the_sample_feeds_and_clustering_meets_the_target(cli) -> None:
    labels = [
        json.loads(line) for line in (ROOT / "samples" / "stories.jsonl").open(encoding="utf-8")
    ]
    feeds = "".join(
        p.read_text("utf-8")
        for p in (ROOT / "samples").glob("*.*")
        if p.suffix in (".xml", ".json") and p.name != "labels.json"
    )
    for label in labels:
        assert label["url"] in feeds
    code, out, err = cli(
        "eval",
        "stories",
        "--labels",
        str(ROOT / "samples" / "stories.jsonl"),
        "--config",
        str(ROOT / "config.yaml"),
    )
    assert (code, err) == (0, "")
    pairwise_f1 = float(out.split("pairwise:")[1].split("F1")[1].split()[0])
    assert pairwise_f1 >= 0.9


def test_summaries_of_the_sample_days_hold_whole_sentences(cli, write_config, tmp_path) -> None:
    """Every summary sentence of every sample day closes its quotations and ends like a
    sentence (or is marked cut); none only says who spoke ("…, he wrote on X.")."""
    from briefing.text.sentences import balanced, points_elsewhere

    config = write_config()
    sentences = []
    for day in range(24, 32):
        date = f"2025-05-{day}"
        code, _, err = cli("build", "--config", str(config), "--date", date, "--format", "json")
        assert code == 0, err
        for story in stories_of(tmp_path, date):
            sentences += story["sentences"]
    assert len(sentences) > 50
    for sentence in sentences:
        text = sentence["text"]
        assert balanced(text), text
        assert sentence["cut"] or text.rstrip("\"'”’)]").endswith((".", "!", "?", "…")), text
        assert not points_elsewhere(text), text
