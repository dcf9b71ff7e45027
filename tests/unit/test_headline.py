"""Unit tests of stories/headline.py: the best printed headline heads a story; a headline is
made from text only when no item has one, its dateline stripped and cut at a clause."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.models import Sentence, Story
from briefing.stories.headline import (
    choose_headline,
    is_printed,
    made_headline,
    says_lead,
    unfit,
)
from briefing.text.clean import first_words

from .conftest import make_item

T0 = datetime(2025, 6, 2, 9, tzinfo=UTC)
BODY = (
    "Russia struck a training unit of Ukraine's ground forces with a missile on Sunday, killing "
    "12 soldiers and wounding 60, the army said. The commander offered to resign."
)


def item(item_id: str, title: str = "", body: str = BODY) -> object:
    return make_item(item_id, T0, title=title or first_words(body), body=body)


def test_an_untitled_central_item_yields_to_another_items_printed_headline() -> None:
    untitled = item("a")  # its title is its own first words
    titled = item("b", "Missile strike on training unit kills 12 Ukrainian soldiers")
    assert not is_printed(untitled) and is_printed(titled)
    assert choose_headline([untitled, titled], BODY) == titled.title


@pytest.mark.parametrize(
    "colour",
    [
        "Watch live as Ukraine's parliament meets",
        "LIVE: Russia-Ukraine war, day 1,195",
        "Moscow Calling – June 3",
        "Key points: the day in Ukraine",
        "I love a good underdog story",
        "Opinion: the talks are a trap",
        "Talks took longer than planned…",
    ],
)
def test_a_colour_or_live_title_never_heads_a_story_when_a_factual_one_exists(
    colour: str,
) -> None:
    factual = "Missile strike on training unit kills 12 Ukrainian soldiers"
    assert unfit(colour) is not None and unfit(factual) is None
    central = item("a", colour, body="Colour. " + BODY)
    assert choose_headline([central, item("b", factual)], BODY) == factual


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        (
            "BREAKING: Missile strike on training unit kills 12",
            "Missile strike on training unit kills 12",
        ),
        ("Exclusive | Army weighs a new training rule", "Army weighs a new training rule"),
        ("Breaking the deadlock: allies agree a new training rule", None),  # no flag
        ("Exclusive talks on training open in Geneva", None),
        (  # nor the media the page shows after it
            "Training ground hit by missiles in the north – photos, video",
            "Training ground hit by missiles in the north",
        ),
        (  # an agency's numbered update is a flag too
            "UPDATE 2-Missile strike on training unit kills 12",
            "Missile strike on training unit kills 12",
        ),
        (  # a printed headline ends without a full stop, unless it ends an abbreviation
            "Missile strike on training unit kills 12.",
            "Missile strike on training unit kills 12",
        ),
        ("Army thanks the training teams of the U.S.", None),
        ("Allies will train more pilots — defence minister", None),  # who says it stays
        ("Video shows the missile strike on the training unit", None),
    ],
)
def test_a_sites_flag_is_no_part_of_the_headline(printed: str, shown: str | None) -> None:
    story = [item("a", printed)]
    assert choose_headline(story, BODY) == (shown or printed)


def test_the_more_specific_of_two_printed_headlines_wins() -> None:
    vague = item("a", "Strike causes losses in the army")
    specific = item("b", "Missile kills 12 at Ukrainian training ground in Dnipropetrovsk")
    assert choose_headline([vague, specific], BODY) == specific.title


@pytest.mark.parametrize(
    ("sentence", "headline"),
    [
        (
            "KYIV, June 2 (Reuters) - Russia launched 472 drones at Ukraine overnight.",
            "Russia launched 472 drones at Ukraine overnight",
        ),
        (
            "WASHINGTON, June 2. /TASS/. The US is studying Russia's memorandum.",
            "The US is studying Russia's memorandum",
        ),
        (
            "Moscow: Russia's defence ministry said its troops took two villages in Sumy region.",
            "Russia's defence ministry said its troops took two villages in Sumy region",
        ),
        (  # a long sentence is cut at its lead clause, not mid-way with "…"
            "Russia struck a training unit of Ukraine's ground forces with a missile on Sunday, "
            "killing 12 soldiers and wounding 60 more, the army said in a statement on Monday.",
            "Russia struck a training unit of Ukraine's ground forces with a missile on Sunday",
        ),
        (
            "Washington, Jan 10: The US Treasury announced sanctions on two Russian oil firms.",
            "The US Treasury announced sanctions on two Russian oil firms",
        ),
        (  # the comma before "has" ends the subject's long phrase, not a clause: kept whole
            "The president said that by admitting the use of a new missile against the city of "
            "Dnipro on Thursday, has widened the war for the second time this year and broken "
            "the UN Charter.",
            "The president said that by admitting the use of a new missile against the city of "
            "Dnipro on Thursday, has widened the war for the second time this year and broken "
            "the UN Charter",
        ),
        (  # a long sentence whose first clause is long too: whole clause, not a cut
            "The chancellor says her first aim at the European Council meeting in Brussels on "
            "Thursday is to agree a loan for Ukraine backed by Russia's immobilised assets, "
            "before the summit with the US president that Washington wants to hold next month "
            "in a Gulf capital to discuss a ceasefire and the lifting of some sanctions.",
            "The chancellor says her first aim at the European Council meeting in Brussels on "
            "Thursday is to agree a loan for Ukraine backed by Russia's immobilised assets",
        ),
        (  # never ends inside the attribution that opens the sentence
            "According to the regional governor, Ivan Petrenko, the overnight strike on the port "
            "of Izmail damaged two grain terminals and a fuel depot.",
            "According to the regional governor, Ivan Petrenko, the overnight strike on the port "
            "of Izmail damaged two grain terminals and a fuel depot",
        ),
        (  # nor inside its introductory phrases of time and place: the main clause is kept
            "On Tuesday evening, during a press conference in Brussels, the alliance's secretary "
            "general said the summit would discuss air defence, adding that no date was set.",
            "During a press conference in Brussels, the alliance's secretary general said the "
            "summit would discuss air defence",
        ),
        (  # a date in apposition ("Monday, November 18, from 6:00") is part of the introduction
            "In all regions on Monday, November 18, from 6:00 to 22:00, the grid operator will "
            "cut power for up to eight hours, it said on Sunday.",
            "In all regions on Monday, November 18, from 6:00 to 22:00, the grid operator will "
            "cut power for up to eight hours",
        ),
        (  # a headline does not open with its date
            "On the evening of May 26, Russian drones struck a fuel depot near Odesa.",
            "Russian drones struck a fuel depot near Odesa",
        ),
        (
            "On 2 June 2025, at the talks in Istanbul, the two delegations agreed to hand over "
            "the bodies of fallen soldiers.",
            "At the talks in Istanbul, the two delegations agreed to hand over the bodies of "
            "fallen soldiers",
        ),
        (
            "On Friday, June 6, 2025, the regional governor ordered families with children to "
            "leave three frontline villages.",
            "The regional governor ordered families with children to leave three frontline "
            "villages",
        ),
        (  # nor with the frame a writer puts around the news
            "In a recent development, the defence ministry said its air defences had downed "
            "two cruise missiles over the Kursk region.",
            "The defence ministry said its air defences had downed two cruise missiles over the "
            "Kursk region",
        ),
        (
            "In a major policy shift, the president has allowed Kyiv to strike targets inside "
            "Russia with long-range missiles.",
            "The president has allowed Kyiv to strike targets inside Russia with long-range "
            "missiles",
        ),
        (  # where it was said is no frame: it stays
            "In a statement on Telegram, the governor said two people were injured in the "
            "attack on the port.",
            "In a statement on Telegram, the governor said two people were injured in the "
            "attack on the port",
        ),
        (  # an opening phrase that is not only a date stays
            "On behalf of the government, the minister signed the accord with Kyiv.",
            "On behalf of the government, the minister signed the accord with Kyiv",
        ),
        (  # "such as" and "known as" open no clause
            "Kyiv asked its partners for more modern air defence systems such as Patriot and "
            "IRIS-T batteries and long-range interceptors to shield its energy grid.",
            "Kyiv asked its partners for more modern air defence systems such as Patriot and "
            "IRIS-T batteries and long-range interceptors to shield its energy grid",
        ),
        (  # never cut inside a list: "lifted in the Volyn" would say something else
            "After repairs to two substations, scheduled blackouts were lifted in the Volyn, "
            "Ternopil, Chernivtsi and Lviv regions, the grid operator said on Thursday.",
            "After repairs to two substations, scheduled blackouts were lifted in the Volyn, "
            "Ternopil, Chernivtsi and Lviv regions",
        ),
        (  # a clause that opens with a participle or a relative pronoun is no list item
            "Russian bombers hit the river port of Izmail before dawn on Friday, damaging three "
            "grain terminals and a ferry crossing used by trucks bound for Romania.",
            "Russian bombers hit the river port of Izmail before dawn on Friday",
        ),
        (  # nor before its verb: a subject and its apposition say nothing yet
            "The head of the regional military administration, Serhii Lysak, said Russian forces "
            "shelled the Nikopol district with heavy artillery overnight, wounding two people.",
            "The head of the regional military administration, Serhii Lysak, said Russian forces "
            "shelled the Nikopol district with heavy artillery overnight",
        ),
        (
            "The toll of Tuesday's glide bomb attack on Kupiansk, Kharkiv region, has risen to 6, "
            "including a teenager, police in the region said on Wednesday.",
            "The toll of Tuesday's glide bomb attack on Kupiansk, Kharkiv region, has risen to 6",
        ),
        (  # "injured by": a participle, not the verb
            "The woman injured by the blast at the Kharkiv tram depot, a local teacher, was taken "
            "to hospital on Friday, the city's mayor said.",
            "The woman injured by the blast at the Kharkiv tram depot, a local teacher, was taken "
            "to hospital on Friday",
        ),
        (  # nor inside a quotation
            "The governor is defending the region's new campaign against drunk driving with the "
            "slogan “Drive sober, arrive alive,” which drew ridicule online on Monday.",
            "The governor is defending the region's new campaign against drunk driving with the "
            "slogan “Drive sober, arrive alive”",
        ),
        (  # nor after "said that" before what was said has its verb ("during the talks")
            "The defence minister said that during the meeting in Geneva, both delegations "
            "weighed a wider swap of captives and a plan for handing back remains.",
            "The defence minister said that during the meeting in Geneva, both delegations "
            "weighed a wider swap of captives and a plan for handing back remains",
        ),
        (  # what was said has its verb: the cut stands
            "The foreign ministry said that the delegations met in Geneva for two hours on "
            "Monday, adding that another round could follow within weeks.",
            "The foreign ministry said that the delegations met in Geneva for two hours on Monday",
        ),
        (  # a count opening with "At least" is the subject, not an introductory phrase
            "Oct 3 (UPI) -- At least 9 people were killed and 40 hurt in the south, most of "
            "them in Odesa, after a night of drone and missile attacks on the port and its "
            "power stations that lasted until dawn, regional officials said Monday.",
            "At least 9 people were killed and 40 hurt in the south",
        ),
        (  # nor one opening with "As many as"
            "As many as 40 drones were downed over the Belgorod region overnight, the governor "
            "said, and a power line was cut near the border while debris was cleared from a road.",
            "As many as 40 drones were downed over the Belgorod region overnight, the governor "
            "said",
        ),
        (  # never after a preposition whose clause the cut would leave hanging ("… in")
            "The minister on Monday played down an incident last week in which two drones "
            "crossed into the country's airspace, a local paper reported.",
            "The minister on Monday played down an incident last week in which two drones "
            "crossed into the country's airspace",
        ),
        (  # nor inside a list whose item opens with "the"
            "The foreign minister said on Monday that his country would be glad to host the next "
            "round of talks between Kyiv, the Vatican and Moscow, as he welcomed a delegation "
            "from the Holy See.",
            "The foreign minister said on Monday that his country would be glad to host the next "
            "round of talks between Kyiv, the Vatican and Moscow",
        ),
        (  # a plural after a people's adjective is no verb: "European leaders" says nothing
            "The meeting between the European leaders in Rome, hastily convened by the host "
            "to agree a common line on the talks between Washington and Moscow without them, "
            "ended after three hours on Monday evening.",
            "The meeting between the European leaders in Rome, hastily convened by the host "
            "to agree a common line on the talks between Washington and Moscow without them, "
            "ended",
        ),
        (  # a weekday and the time of day date the event too (written for this test)
            "On Sunday evening, March 2, Russian drones hit a depot in Sumy, causing fires.",
            "Russian drones hit a depot in Sumy, causing fires",
        ),
        (  # a plural subject's verb has no ending: "the allies continue" is a clause
            "The defence minister, speaking after the meeting in Brussels, said that the "
            "allies continue to look for air defence systems for Ukraine, including through a "
            "new fund that lets them buy equipment together, according to his office.",
            "The defence minister, speaking after the meeting in Brussels, said that the "
            "allies continue to look for air defence systems for Ukraine",
        ),
        (  # a clause that ends as it begins to quote says nothing yet: the whole sentence
            "A joint statement issued in Geneva an hour later said: “The delegations agreed "
            "to meet again next week.”",
            "A joint statement issued in Geneva an hour later said: “The delegations agreed "
            "to meet again next week”",
        ),
        (  # a dateline with the year ("ODESA, March 3, 2025 –")
            "ODESA, March 3, 2025 – Grain shipments from the port rose in February as convoys "
            "resumed.",
            "Grain shipments from the port rose in February as convoys resumed",
        ),
        (  # where the words are not English the verb test cannot tell: the clause is cut
            "Російські війська вночі атакували Одесу ударними дронами, пошкодивши портову "
            "інфраструктуру та кілька житлових будинків у центрі міста, повідомили у міській раді.",
            "Російські війська вночі атакували Одесу ударними дронами",
        ),
    ],
)
def test_a_made_headline_loses_its_dateline_and_keeps_its_lead_clause(
    sentence: str, headline: str
) -> None:
    assert made_headline(sentence) == headline


def test_with_no_printed_headline_one_is_made_from_the_lead() -> None:
    assert choose_headline([item("a"), item("b")], BODY.split(". ")[0] + ".") == (
        "Russia struck a training unit of Ukraine's ground forces with a missile on Sunday"
    )


LONG_POST = (
    "Volunteers in Kharkiv finished repairing the last damaged school before the new term. They "
    "replaced 300 windows, rebuilt two gyms and painted every classroom, working through three "
    "air raid alerts in a single week while the city's utilities restored the heating network "
    "for the district."
)


def test_an_overlong_title_yields_to_a_printed_headline_of_normal_length() -> None:
    post = item("a", LONG_POST, body="")
    titled = item("b", "Kharkiv volunteers reopen the last damaged school", body="")
    assert unfit(post.title) == "long"
    assert choose_headline([post, titled], None) == titled.title


def test_an_overlong_title_alone_heads_its_story_by_its_first_sentence() -> None:
    post = item("a", LONG_POST, body="")
    assert choose_headline([post], None) == (
        "Volunteers in Kharkiv finished repairing the last damaged school before the new term"
    )
    quote = "Mayor Oleh Tereshko told a news conference: “" + " ".join(["word"] * 45) + "”"
    quoted = item("q", quote + " " + LONG_POST, body="")
    assert choose_headline([quoted], None) == "Mayor Oleh Tereshko told a news conference"


def _story(headline: str, lead: str, cut: bool = False) -> Story:
    second = Sentence("The commander offered to resign.", "a", None, "Alpha Wire")
    return Story("s", headline, [], [Sentence(lead, "a", None, "Alpha Wire", cut), second])


@pytest.mark.parametrize(
    ("lead", "headline", "said"),
    [
        (  # made from the whole sentence, its opening date dropped: printed once
            "On the morning of June 1, Russia struck a training unit with a missile.",
            "Russia struck a training unit with a missile",
            True,
        ),
        (  # a frame dropped
            "In a recent development, the navy said it had sunk a landing ship.",
            "The navy said it had sunk a landing ship",
            True,
        ),
        (  # cut to its lead clause: the rest of the sentence says more
            "Russia struck a training unit with a missile, killing 12 soldiers and wounding 60.",
            "Russia struck a training unit with a missile",
            False,
        ),
        (  # a short title the sentence happens to end with: the sentence says more
            "Negotiators confirmed on Monday in Geneva that the talks resume.",
            "Talks resume",
            False,
        ),
    ],
)
def test_a_headline_that_says_the_whole_lead_sentence_leaves_it_out_of_the_printed_summary(
    lead: str, headline: str, said: bool
) -> None:
    story = _story(headline, lead)
    assert says_lead(story) is said
    story.lead_in_headline = said
    shown = [s.text for s in story.shown_summary]
    assert shown == ([] if said else [lead]) + ["The commander offered to resign."]
    assert len(story.summary) == 2  # (the JSON keeps both)


def test_a_lead_sentence_cut_short_is_never_taken_as_said() -> None:
    lead = "Russia struck a training unit with a missile"
    assert not says_lead(_story(lead, lead, cut=True))
    assert says_lead(_story(lead, lead + "."))


def test_a_headline_is_made_from_a_sentences_first_thousand_characters() -> None:
    """A "sentence" longer than 1,000 characters (a hostile feed's, or a text with no stops) is
    no news lead: its first words head the story, cut, and the rest is never read for clause
    ends (reading a 40,000-character one so took seconds)."""
    word = "Constantinopolitanisches" * 2  # 48 letters
    sprawling = " ".join([word] * 30) + ", and the talks went on for hours."
    made = made_headline(sprawling)
    assert made.endswith(" …") and len(made.split()) < 16
    endless = "Envoys met in Istanbul" + ", the Aa Bb Cc" * 2_800
    assert endless.startswith(made_headline(endless).removesuffix(" …"))
