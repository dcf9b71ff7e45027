"""Dense days: distinct events of one kind on one day stay apart (two cities struck, two rounds
of talks, two swaps), reworded reports of one event still join, and `eval stories --dense`
builds a labelled set as one day. Every text here is written for these tests."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.models import Item
from briefing.quality.labels import load_labels
from briefing.stories.cluster import StoryParams, compare, make_stories
from briefing.stories.events import NAMED, facts, relate
from briefing.text.similarity import ItemVectors, Vectorizer, terms

from conftest import ROOT, repo_config


def _item(key: str, outlet: str, title: str, body: str, when: str = "2025-06-03T12:00") -> Item:
    stamp = datetime.fromisoformat(when + "+03:00")
    return Item(key, "test", outlet, f"https://{key}.example/", title, body, stamp, stamp)


@pytest.fixture(scope="module")
def background() -> list[Item]:
    """The sample corpus stands for the store: word rarity is counted over it too."""
    return [lab.item for lab in load_labels(ROOT / "samples" / "stories.jsonl", ZoneInfo("UTC"))]


def _stories(items: list[Item], background: list[Item]) -> list[set[str]]:
    params = StoryParams()
    vectorizer = Vectorizer.from_bags(terms(i, params.lead_words) for i in items + background)
    result = make_stories(items, {}, {}, {}, vectorizer, "2025-06-03", params)
    return sorted(({i.id for i in s.items} for s in result.stories), key=sorted)


def test_two_cities_struck_the_same_night_are_two_stories(background: list[Item]) -> None:
    items = [
        _item(
            "a1",
            "Alpha",
            "Russian missiles hit apartment block in Kharkiv, four killed",
            (
                "Russian missiles struck a nine-storey apartment block in Kharkiv overnight, "
                "killing four people and wounding 20, governor Oleh Syniehubov said."
            ),
        ),
        _item(
            "a2",
            "Bravo",
            "Kharkiv: four dead after overnight missile strike on housing",
            (
                "Four people died when a missile hit a residential building in Kharkiv during "
                "the night, Syniehubov said; rescuers are still searching the rubble."
            ),
        ),
        _item(
            "b1",
            "Charlie",
            "Russian missiles hit apartment block in Kherson, three killed",
            (
                "Russian missiles struck a five-storey apartment block in Kherson overnight, "
                "killing three people and wounding 11, governor Oleksandr Prokudin said."
            ),
        ),
        _item(
            "b2",
            "Delta",
            "Kherson: three dead after overnight missile strike on housing",
            (
                "Three people died when a missile hit a residential building in Kherson during "
                "the night, Prokudin said; rescuers are still searching the rubble."
            ),
        ),
    ]
    assert _stories(items, background) == [{"a1", "a2"}, {"b1", "b2"}]


def test_two_rounds_of_talks_on_different_dates_stay_apart(background: list[Item]) -> None:
    items = [
        _item(
            "r1",
            "Alpha",
            "Delegations meet in Istanbul for direct talks",
            (
                "Russian and Ukrainian delegations met in Istanbul on 16 May for their first "
                "direct talks in three years, with Turkish mediators at the table."
            ),
        ),
        _item(
            "r2",
            "Bravo",
            "Istanbul talks end after under two hours",
            (
                "The direct talks in Istanbul on May 16 ended after less than two hours without a "
                "ceasefire, Turkish officials said, but with a deal on a prisoner exchange."
            ),
        ),
        _item(
            "r3",
            "Charlie",
            "Delegations meet again in Istanbul for direct talks",
            (
                "Russian and Ukrainian delegations met in Istanbul on 2 June for another round of "
                "direct talks, with Turkish mediators at the table."
            ),
        ),
        _item(
            "r4",
            "Delta",
            "New Istanbul talks end after about an hour",
            (
                "The direct talks in Istanbul on June 2 ended after about an hour without a "
                "ceasefire, Turkish officials said, but with a deal on a prisoner exchange."
            ),
        ),
    ]
    assert _stories(items, background) == [{"r1", "r2"}, {"r3", "r4"}]


def test_two_swaps_of_different_size_stay_apart(background: list[Item]) -> None:
    items = [
        _item(
            "s1",
            "Alpha",
            "Ukraine and Russia swap 390 prisoners of war",
            (
                "Ukraine and Russia exchanged 390 prisoners each, the coordination headquarters "
                "said; the soldiers came home through the Belarus border."
            ),
        ),
        _item(
            "s2",
            "Bravo",
            "Prisoner exchange brings 390 soldiers home",
            (
                "Some 390 Ukrainian soldiers returned from captivity in an exchange with Russia, "
                "officials said, after crossing from Belarus."
            ),
        ),
        _item(
            "s3",
            "Charlie",
            "Ukraine and Russia swap 84 prisoners of war",
            (
                "Ukraine and Russia exchanged 84 prisoners each, the coordination headquarters "
                "said; the soldiers came home through the Belarus border."
            ),
        ),
        _item(
            "s4",
            "Delta",
            "Prisoner exchange brings 84 soldiers home",
            (
                "Some 84 Ukrainian soldiers returned from captivity in an exchange with Russia, "
                "officials said, after crossing from Belarus."
            ),
        ),
    ]
    assert _stories(items, background) == [{"s1", "s2"}, {"s3", "s4"}]


def test_reworded_reports_of_one_event_still_join(background: list[Item]) -> None:
    items = [
        _item(
            "w1",
            "Alpha",
            "Drone attack sets Izmail port warehouse on fire",
            (
                "A Russian drone attack on Izmail overnight set a grain warehouse in the port on "
                "fire, governor Viacheslav Chaus said. No one was hurt."
            ),
        ),
        _item(
            "w2",
            "Bravo",
            "Port of Izmail hit by drones overnight, grain warehouse burns",
            (
                "Drones struck the port of Izmail on 3 June, setting fire to a warehouse storing "
                "grain, Viacheslav Chaus, head of the regional administration, said on Telegram."
            ),
        ),
        _item(
            "w3",
            "Charlie",
            "Fire at Izmail grain warehouse after Russian drone strike",
            (
                "Firefighters put out a blaze at a grain warehouse in the port of Izmail after a "
                "night drone attack, Chaus said on Tuesday; there were no casualties."
            ),
        ),
    ]
    assert _stories(items, background) == [{"w1", "w2", "w3"}]


def test_facts_of_the_lead_names_dates_and_counts() -> None:
    item = _item(
        "x",
        "Kyiv Ledger (Reuters)",
        "Strike on Chernihiv kills 11",
        (
            "KYIV, June 2 (Reuters) - A ballistic missile hit a block in Chernihiv on "
            "1 June, acting mayor Ivan Fedorov said, and 390 prisoners were swapped."
        ),
        when="2025-06-02T09:00",
    )
    sig = facts(item)
    names = {name.term for name in sig.names}
    assert {"chernihiv", "ivan", "fedorov"} <= names
    assert not names & {"kyiv", "reuter", "mayor"}  # dateline, outlet, title
    assert sig.dates == {date(2025, 6, 1)}  # the dateline's day is the filing day
    assert ("prisoner", 390.0) in sig.counts
    assert all(noun != "kill" for noun, _ in sig.counts)  # tolls grow, they are no conflict


def test_a_fact_one_report_leaves_out_is_no_conflict() -> None:
    told = _item(
        "t1", "Alpha", "Strike on Chernihiv", "Missiles hit Chernihiv on 1 June, officials said."
    )
    untold = _item(
        "t2", "Bravo", "Chernihiv struck", "Missiles hit Chernihiv overnight, officials said."
    )
    later = _item(
        "t3", "Charlie", "Strike on Chernihiv", "Missiles hit Chernihiv on 2 June, officials said."
    )
    assert relate(facts(told), facts(untold), lambda _: 1.0).conflict is None
    assert "dates" in (relate(facts(told), facts(later), lambda _: 1.0).conflict or "")


@pytest.mark.parametrize("dense", [False, True])
def test_eval_stories_dense_builds_one_day(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], dense: bool
) -> None:
    rows = [json.loads(line) for line in (ROOT / "samples" / "stories.jsonl").open()]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(row) + "\n" for row in rows[:30]))
    args = ["eval", "stories", "--labels", str(labels), "--config", str(ROOT / "config.yaml")]
    code, out, err = cli(*args, *(["--dense"] if dense else []))
    assert code == 0, err
    days = int(out.split(" over ")[1].split()[0])
    assert (days == 1) if dense else (days > 1)


def test_explain_with_says_why_two_items_are_one_story(cli, write_config) -> None:
    config = str(write_config())
    day = ["--config", config, "--date", "2025-05-28"]
    assert cli("collect", "--config", config)[0] == 0
    code, out, err = cli("explain", *day, "Berlin pledges", "--with", "Germany to fund")
    assert (code, err) == (0, "")
    assert "names both mention: Berlin" in out and "Merz" in out
    assert "conflict: none" in out
    assert "words: cosine 0." in out and "threshold 0.12" in out
    assert "joined: both in story s-" in out
    code, out, _ = cli("explain", *day, "Berlin pledges", "--with", "Senate backers")
    assert code == 0
    assert "not joined: A in story s-" in out and "mean similarity" in out
    code, out, _ = cli("explain", *day, "Kyiv wants to see", "--with", "Trump gives himself")
    assert code == 0
    assert "elsewhere: B leads with names the other almost never mentions (Trump" in out
    cosine, counted = re.search(r"cosine ([\d.]+); clustering counts ([\d.]+)", out).groups()
    assert float(counted) == pytest.approx(float(cosine) / 2, abs=0.001)
    code, _, err = cli("explain", *day, "Berlin pledges", "--with", "Lavrov")
    assert code == 2 and "items match 'Lavrov'" in err
    code, _, err = cli("explain", *day, "--with", "Lavrov")
    assert code == 2 and "--with needs ITEM" in err


def test_an_event_and_the_markets_reaction_to_it_stay_apart(background: list[Item]) -> None:
    items = [
        _item(
            "m1",
            "Alpha",
            "US sanctions Russian oil majors Rosneft and Lukoil",
            "The US Treasury imposed sanctions on Rosneft and Lukoil on Wednesday, Russia's two "
            "largest oil companies, to cut the Kremlin's revenue from crude exports, Treasury "
            "Secretary Scott Bessent said.",
            when="2025-06-04T20:00",
        ),
        _item(
            "m2",
            "Bravo",
            "Washington blacklists Rosneft and Lukoil in new Russia sanctions",
            "The Treasury Department added Rosneft and Lukoil to its sanctions list on "
            "Wednesday, freezing their US assets and barring Americans from dealing with them, "
            "Scott Bessent said.",
            when="2025-06-04T21:00",
        ),
        _item(
            "m3",
            "Charlie",
            "Oil prices jump 5% after US sanctions on Rosneft and Lukoil",
            "Brent crude futures rose more than 5% to $65 a barrel on Thursday as traders bet "
            "that US sanctions on Rosneft and Lukoil would squeeze Russian supply to India.",
            when="2025-06-05T09:00",
        ),
        _item(
            "m4",
            "Delta",
            "Brent climbs as traders weigh hit to Russian supply from sanctions",
            "Oil prices climbed on Thursday, with Brent up 5% at $65 a barrel, after the United "
            "States sanctioned Rosneft and Lukoil, and refiners in India said they would cut "
            "purchases of Russian crude.",
            when="2025-06-05T10:00",
        ),
    ]
    assert _stories(items, background) == [{"m1", "m2"}, {"m3", "m4"}]


def test_a_reaction_by_someone_the_event_never_names_is_its_own_story(
    background: list[Item],
) -> None:
    decision = [
        _item(
            "d1",
            "Alpha",
            "Germany approves delivery of Taurus missiles to Ukraine",
            "Germany's government approved the delivery of Taurus cruise missiles to Ukraine on "
            "Tuesday, Chancellor Friedrich Merz told the Bundestag.",
        ),
        _item(
            "d2",
            "Bravo",
            "Merz gives green light for Taurus deliveries to Kyiv",
            "Chancellor Friedrich Merz said on Tuesday that Berlin would send Taurus cruise "
            "missiles to Ukraine, ending months of debate in his coalition.",
        ),
    ]
    reaction = _item(
        "r1",
        "Charlie",
        "Medvedev slams German decision to send Taurus missiles to Ukraine",
        "Dmitry Medvedev slammed the decision to deliver Taurus cruise missiles to Ukraine on "
        "Tuesday, calling the missiles a direct escalation by Germany against Russia.",
    )
    assert _stories([*decision, reaction], background) == [{"d1", "d2"}, {"r1"}]


def test_an_answer_to_someones_claim_is_its_own_story(background: list[Item]) -> None:
    """A rebuttal names the claim it answers, and whose it was: it is a story of its own, as
    a reaction is, even where the claim's reports name who rebuts it ("Kyiv did not
    comment"). Two reports of the claim join, and so do two reports of the rebuttal."""
    claim = [
        _item(
            "c1",
            "Alpha",
            "Russia says its troops have taken the town of Siversk",
            "Its forces have taken full control of Siversk in the Donetsk region after weeks "
            "of fighting, Russia's military said on Tuesday. Kyiv did not comment.",
        ),
        _item(
            "c2",
            "Bravo",
            "Moscow claims capture of Siversk after weeks of fighting",
            "Russian forces have captured Siversk, the defence ministry in Moscow said on "
            "Tuesday, calling it an important step in the Donetsk region. There was no word "
            "from Kyiv.",
        ),
    ]
    answer = [
        _item(
            "a1",
            "Charlie",
            "Kyiv rejects Moscow's claims about Siversk as propaganda",
            "Ukraine's general staff on Wednesday dismissed Russia's claims that its forces had "
            "taken full control of Siversk, saying its units still hold their positions in the "
            "town and repelled 14 assaults overnight.",
            when="2025-06-03T15:00",
        ),
        _item(
            "a2",
            "Delta",
            "Kyiv denies Russian claims on Siversk, says 14 assaults repelled",
            "Ukraine's military on Wednesday denied Moscow's statement: its units still hold "
            "their positions, the general staff said, after repelling 14 assaults overnight, "
            "and the claim was propaganda ahead of the Geneva talks.",
            when="2025-06-03T16:00",
        ),
    ]
    assert facts(answer[0]).answers and not facts(claim[0]).answers
    weight = Vectorizer.from_bags(terms(i) for i in [*claim, *answer, *background]).idf
    assert relate(facts(answer[0]), facts(claim[0]), weight).reaction
    assert not relate(facts(answer[0]), facts(answer[1]), weight).reaction
    assert _stories([*claim, *answer], background) == [{"a1", "a2"}, {"c1", "c2"}]


def test_a_report_leading_with_names_the_other_never_mentions_is_its_own_story(
    background: list[Item],
) -> None:
    """Putin's address on the missile he fired at Dnipro names the Storm Shadow strike it
    answers: what the two share is background, so the address keeps half its similarity."""
    strike = [
        _item(
            "e1",
            "Alpha",
            "Ukraine strikes the Kursk region with UK-made Storm Shadows",
            "Kyiv's forces launched Storm Shadow cruise missiles, supplied by Britain, against "
            "military sites inside the Kursk region on Wednesday, London officials said. One of "
            "them hit a command post near Marino.",
        ),
        _item(
            "e2",
            "Bravo",
            "Russia says it downed two Storm Shadow missiles over Kursk region",
            "Russia's defence ministry said on Wednesday that its air defences shot down two "
            "British Storm Shadow cruise missiles that Ukraine had fired at the Kursk region.",
        ),
    ]
    address = _item(
        "p1",
        "Charlie",
        "Putin says Russia hit Dnipro with new Oreshnik missile",
        "Vladimir Putin said in a televised address on Thursday that Russia had struck Dnipro "
        "with a new medium-range ballistic missile called Oreshnik. The Kremlin leader described "
        "the strike as a test in combat conditions. He said it was a reply to the Storm Shadow "
        "and ATACMS missiles fired at Russia this week, and warned that Russia could strike the "
        "countries whose weapons were used.",
        when="2025-06-03T20:00",
    )
    assert _stories([*strike, address], background) == [{"e1", "e2"}, {"p1"}]
    weight = Vectorizer.from_bags(terms(i) for i in [*strike, address, *background]).idf
    assert relate(facts(strike[0]), facts(address), weight).elsewhere
    assert not relate(facts(strike[0]), facts(strike[1]), weight).elsewhere
    # one name is too few to tell: a lead that names only where a summit met still joins
    summit = _item(
        "s1",
        "Delta",
        "Ninety states end two-day peace summit",
        "Delegations of over ninety countries closed a two-day peace summit in Switzerland on "
        "Sunday. Most backed the territorial integrity of the country at war and future peace "
        "talks. Ukraine called the Buergenstock meeting a first step; Russia was not invited.",
    )
    resort = _item(
        "s2",
        "Echo",
        "Peace summit backs Ukraine's territorial integrity and future talks with Russia",
        "Leaders at the Swiss resort of Buergenstock backed Ukraine's territorial integrity on "
        "Sunday and said talks with Russia would be needed to end the war.",
    )
    assert [n.shown for n in facts(summit).names if n.key not in facts(resort).mentions] == [
        "Switzerland"
    ]
    assert not relate(facts(summit), facts(resort), weight).elsewhere
    assert _stories([summit, resort], background) == [{"s1", "s2"}]


def test_facts_of_a_lead_say_who_reacts_and_whether_a_market_moves() -> None:
    slams = facts(_item("x", "Alpha", "Medvedev slams Taurus decision", "Berlin approved it."))
    assert [n.shown for n in slams.speaker] == ["Medvedev"]
    declines = facts(
        _item("y", "Bravo", "Zelensky does not confirm use of new missiles", "He spoke in Kyiv.")
    )
    assert [n.shown for n in declines.speaker] == ["Zelensky"]
    waits = facts(_item("z", "Bravo", "Kremlin has not yet received a reply", "Peskov spoke."))
    assert waits.speaker == ()  # a fact, not a reaction
    subordinate = facts(
        _item(
            "s",
            "Echo",
            "",
            "The president has authorised strikes with long-range missiles. Although Washington "
            "has not publicly confirmed the decision, allies welcomed it on Monday.",
        )
    )
    assert subordinate.speaker == ()  # "Although X has not confirmed…" leads with no reaction
    assert facts(_item("o", "Delta", "Oil prices jump 5% after sanctions", "Brent rose.")).market
    for title in (  # other words a market moves in
        "Oil prices slip as leaders plan a summit",
        "Brent moves lower as talks near",
        "Crude eases after the call",
        "Rouble firms against the dollar",
        "Oil futures settle higher on supply fears",
        "Oil rises on a shorter deadline for Russia",
    ):
        assert facts(_item("q", "Delta", title, "Traders reacted.")).market, title
    for title in ("Oil depot hit by drones", "Oil firms quit Russia", "Oil refinery burns"):
        assert not facts(_item("q", "Delta", title, "Officials said so.")).market, title
    assert not facts(_item("p", "Delta", "US sanctions oil majors", "Prices rose.")).market


@pytest.mark.parametrize("dense", [False, True])
def test_eval_sections_dense_builds_one_day(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], dense: bool
) -> None:
    args = ["eval", "sections", "--labels", str(ROOT / "samples" / "stories.jsonl")]
    code, out, err = cli(*args, "--config", str(ROOT / "config.yaml"), *(["--dense"] * dense))
    assert code == 0, err
    assert "sections: macro-F1" in out


def test_explain_with_an_item_of_an_earlier_briefing(cli, write_config) -> None:
    config = str(write_config())
    for day in ("2025-05-25", "2025-05-26"):
        assert cli("build", "--config", config, "--date", day, "--format", "json")[0] == 0
    code, out, err = cli(
        "explain", "--config", config, "--date", "2025-05-26", "Third night", "--with", "record 367"
    )
    assert (code, err) == (0, "")
    assert "(an earlier briefing's)" in out
    assert "mean continuing similarity (against the link threshold)" in out


def test_eval_stories_counts_the_events_a_reader_cannot_see(tmp_path: Path, cli) -> None:
    """Every report labelled as an event of its own: those a story's headline and summary do
    not draw on are hidden events, and --errors lists them."""
    rows = [json.loads(line) for line in (ROOT / "samples" / "stories.jsonl").open()]
    labels = tmp_path / "labels.jsonl"
    args = ["eval", "stories", "--labels", str(labels), "--config", str(ROOT / "config.yaml")]
    labels.write_text("".join(json.dumps(row) + "\n" for row in rows))
    code, out, _ = cli(*args)
    assert code == 0 and "events hidden: 0 of " in out
    for n, row in enumerate(rows):
        row["story"] = f"own-{n}"
    labels.write_text("".join(json.dumps(row) + "\n" for row in rows))
    code, out, _ = cli(*args, "--errors")
    hidden = int(out.split("events hidden: ")[1].split()[0])
    listed = [line.split()[1] for line in out.splitlines() if line.startswith("  hidden ")]
    assert code == 0 and hidden >= 1 and len(listed) == hidden


_SCHOOF_CALL = [
    (
        "Alpha",
        "Schoof defends his phone call with Putin",
        "On Monday, Dutch Prime Minister Dick Schoof defended his hour-long phone call with "
        "Vladimir Putin in The Hague, saying the Kremlin leader had shown no sign of wanting to "
        "end the war in Ukraine. NATO's Mark Rutte had been told beforehand.",
    ),
    (
        "Bravo",
        "Dutch leader Schoof says Putin call showed no change",
        "Speaking in The Hague, Dutch Prime Minister Dick Schoof said his telephone "
        "conversation with Vladimir Putin revealed no shift in the Kremlin's stance on "
        "Ukraine, and rejected criticism of the call from NATO allies.",
    ),
]
_SCHOOF_JETS = (
    "Charlie",
    "Schoof rules out F-35 jets for Ukraine",
    "On Tuesday, Dutch premier Dick Schoof ruled out sending F-35 fighter jets to Ukraine, "
    "telling parliament in The Hague that Vladimir Putin and the Kremlin would take it as a "
    "step towards war with NATO, as Mark Rutte had warned.",
)


def test_a_later_report_alike_in_names_only_does_not_continue_the_story(
    background: list[Item],
) -> None:
    """The prime minister's call to Putin, then a day later his refusal to send jets: the same
    people, another action, so a new story; a follow-up that retells the call continues it."""
    call = [
        _item(f"c{n}", *texts, f"2025-06-02T1{2 + n}:00") for n, texts in enumerate(_SCHOOF_CALL)
    ]
    jets = _item("r1", *_SCHOOF_JETS)
    retold = _item(
        "f1",
        "Delta",
        "Schoof questioned over Putin phone call",
        (
            "A day after his phone call with Vladimir Putin, Dutch Prime Minister Dick Schoof "
            "faced questions in The Hague about the conversation, which he said showed no "
            "change in the Kremlin's stance on Ukraine."
        ),
    )
    params = StoryParams()
    every = [*call, jets, retold, *background]
    vectorizer = Vectorizer.from_bags(terms(i, params.lead_words) for i in every)
    vec = ItemVectors(vectorizer, params.lead_words)
    pair = compare(jets, call[0], vec)
    assert pair.named > NAMED and pair.continuing == pytest.approx(pair.cosine / 2)
    assert compare(retold, call[0], vec).named < NAMED
    # (on one day the two would join each other: what clustering within a day does)
    for item, continues in ((jets, False), (retold, True)):
        result = make_stories([item], {}, {"s-call": call}, {}, vectorizer, "2025-06-03", params)
        assert (result.assigned[item.id] == "s-call") is continues


def test_explain_says_a_later_report_is_alike_in_names_only(
    cli, write_config, tmp_path: Path
) -> None:
    """The Schoof reports above as two days of feeds beside the samples' sources."""
    days = {
        "c": ("Mon, 02 Jun 2025 09:00:00 GMT", _SCHOOF_CALL),
        "r": ("Tue, 03 Jun 2025 09:00:00 GMT", [_SCHOOF_JETS]),
    }
    sources = repo_config()["sources"]
    for source in sources:
        if "path" in source:
            source["path"] = str(ROOT / source["path"])
    for key, (stamp, texts) in days.items():
        for n, (outlet, title, body) in enumerate(texts):
            feed = tmp_path / f"{key}{n}.xml"
            feed.write_text(
                '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                f"<title>{title}</title><description>{body}</description>"
                f"<link>https://{key}{n}.example/</link><pubDate>{stamp}</pubDate>"
                "</item></channel></rss>",
                "utf-8",
            )
            sources.append(
                {"name": f"{key}{n}", "type": "feed", "path": str(feed), "outlet": outlet}
            )
    config = str(write_config({"sources": sources}))
    assert cli("build", "--config", config, "--date", "2025-06-02", "--format", "json")[0] == 0
    code, out, err = cli(
        "explain", "--config", config, "--date", "2025-06-03", "rules out", "--with", "defends"
    )
    assert (code, err) == (0, "")
    assert "alike in names only: the names they lead with make" in out
    assert "so continuing counts half" in out


def test_reports_in_russian_and_ukrainian_join_their_own_events(background: list[Item]) -> None:
    """Inflected words meet by their stems ("Житомирщині", "Житомирщину"), and the languages'
    little words ("на", "що") are no shared vocabulary: a call and a strike stay apart."""
    call = [
        _item(
            "r1",
            "Alpha",
            "Путин и Трамп провели телефонный разговор",
            "Президенты России и США Владимир Путин и Дональд Трамп во вторник провели "
            "телефонный разговор, который длился больше двух часов, сообщил помощник президента "
            "Юрий Ушаков.",
        ),
        _item(
            "r2",
            "Bravo",
            "Ушаков рассказал о разговоре Путина и Трампа",
            "Телефонный разговор Владимира Путина и Дональда Трампа длился более двух часов и "
            "был откровенным, заявил журналистам Юрий Ушаков во вторник.",
        ),
    ]
    strike = [
        _item(
            "u1",
            "Charlie",
            "Росія вдарила дронами по Житомирщині",
            "Під час нічної атаки безпілотників у Житомирській області зруйновано склад, двоє "
            "людей поранені, повідомила обласна адміністрація.",
        ),
        _item(
            "u2",
            "Delta",
            "Дрони атакували Житомирщину вночі",
            "Уночі російські безпілотники атакували Житомирську область: пошкоджено склад, "
            "поранено двох людей, повідомив голова ОВА.",
        ),
    ]
    assert _stories(call + strike, background) == [{"r1", "r2"}, {"u1", "u2"}]
