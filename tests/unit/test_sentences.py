"""Unit tests of text/sentences.py: where sentences end around quotations, abbreviations,
initials and numbers, and which sentences only point at words said elsewhere."""

from __future__ import annotations

import pytest

from briefing.text.sentences import (
    balanced,
    first_sentence,
    is_dateline,
    points_elsewhere,
    sentences,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the closing quote stays with its sentence
            'He warned of "the end of the talks." Then he left.',
            ['He warned of "the end of the talks."', "Then he left."],
        ),
        (  # a stop inside a quotation does not end the sentence
            "“We will not accept this. Never,” the minister said. Kyiv disagreed.",
            ["“We will not accept this. Never,” the minister said.", "Kyiv disagreed."],
        ),
        (
            "Gen. Petrenko met Mr. Novak and Dr. Ivanova on Jan. 5. They spoke for an hour.",
            ["Gen. Petrenko met Mr. Novak and Dr. Ivanova on Jan. 5.", "They spoke for an hour."],
        ),
        (  # initials
            "Donald J. Trump and J. D. Vance spoke. The call was short.",
            ["Donald J. Trump and J. D. Vance spoke.", "The call was short."],
        ),
        (  # a dotted short form inside a sentence, and ending one
            "The U.S. envoy arrived. Talks were held in the U.S. The date was set.",
            ["The U.S. envoy arrived.", "Talks were held in the U.S.", "The date was set."],
        ),
        (  # decimals and percentages
            "Inflation reached 10.5% in May. The rate is 3.25 points higher.",
            ["Inflation reached 10.5% in May.", "The rate is 3.25 points higher."],
        ),
        (
            "Will the truce hold? Nobody knows! Perhaps… Time will tell.",
            ["Will the truce hold?", "Nobody knows!", "Perhaps…", "Time will tell."],
        ),
        (  # a line break always ends a sentence
            "Key points\nDrones hit the port. Two ships burned",
            ["Key points", "Drones hit the port.", "Two ships burned"],
        ),
    ],
)
def test_sentences_split_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_stop_at_the_limit() -> None:
    assert sentences("One is here. Two is here. Three is here.", 2) == [
        "One is here.",
        "Two is here.",
    ]


def test_first_sentence_keeps_initials_and_abbreviations() -> None:
    assert first_sentence("Gen. A. Syrsky visited Kharkiv. He met troops.") == (
        "Gen. A. Syrsky visited Kharkiv."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "yes" twice.', True),
        ("“Never,” she said.", True),
        ('It would lead to "the downfall.', False),
        ("“We are ready, he said.", False),
    ],
)
def test_balanced_quotations(text: str, expected: bool) -> None:
    assert balanced(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "Medvedev, now deputy chairman of the Security Council, wrote on X.",
        "Peskov made a statement on the matter.",
        "The Kremlin has responded.",
        "The minister told reporters.",
        "The regional rescue service reported this on Telegram, according to the agency.",
        "This was announced by the ministry of defence on Monday.",
        "That was reported by the regional administration.",
        "The chancellor publicly commented on his phone call with the Kremlin for the first time.",
        "The president addressed the nation and commented on the attack on the city this "
        "morning, November 21.",
        "The foreign minister has reacted to the latest statement from Moscow.",
        "THE EMERGENCY SERVICE REPORTED THESE ON TELEGRAM.",
        "According to the agency, this was reported on the radio by the region's spokesman.",
        "That's according to the city's mayor, who posted it first.",
        # (written for this test, as the rest)
        "The agency reports this, referring to the governor's post on Telegram.",
        "The spokesman said this during the meeting, a correspondent at the scene wrote.",
        "It was reported by a spokesman for the city's rescue service on local radio.",
        "The president wrote in a post late on Friday.",
        "The agency could not immediately verify the report.",  # a wire's boilerplate
        "The ministry did not immediately respond to a request for comment.",
        "There was no immediate comment from the Kremlin.",
    ],
)
def test_sentences_that_only_say_who_spoke(text: str) -> None:
    assert points_elsewhere(text)


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 40 drones overnight, the air force said.",
        "The Kremlin said the talks would resume on Monday in Istanbul.",
        "Zelensky, speaking in Kyiv, said Ukraine was ready for a ceasefire.",
        '"We are ready," the minister wrote on X.',
        "The governor reported this morning that six people were killed in the strike.",
        "Officials said this was the largest attack on the capital since August.",
        "Russia responded to the strike with a barrage of 90 missiles and drones.",
        "Ukrainian officials haven't commented on the scope of the operation near the town.",
        "The minister commented on the talks, saying Kyiv was ready for a ceasefire.",
        "The ministry confirmed this, adding that three soldiers were wounded.",
        "It was reported by the governor that four people were hurt in the strike.",
        "Officials could not confirm the toll, which rose to 12 by noon.",
        "Kyiv did not immediately confirm the strike on the refinery near Samara.",
    ],
)
def test_sentences_that_carry_news_are_not_pointers(text: str) -> None:
    assert not points_elsewhere(text)


def test_a_dateline_alone_is_no_sentence() -> None:
    assert is_dateline("MOSCOW, Nov 19 - RIA Novosti.")
    assert is_dateline("KYIV (AP) —")
    assert not is_dateline("KYIV (AP) — Russia attacked the capital with drones overnight.")
    assert not is_dateline("Russia attacked the capital with drones overnight.")
    assert is_dateline("МОСКВА, 9 окт — РИА Новости.")  # an agency's dateline in Russian
    assert is_dateline("КИЕВ, 10 октября. /ТАСС/.")
    assert not is_dateline("МОСКВА, 9 окт — Кремль ответил на заявление министра.")
