"""Unit tests of text/similarity.py (stems, words, TF-IDF vectors) and text/sentences.py."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime

import pytest

from briefing.text.clean import FIRST_WORDS, MAX_TITLE, first_words
from briefing.text.sentences import (
    FIRST_SENTENCE_WORDS,
    first_sentence,
    sentences,
    strip_dateline,
)
from briefing.text.similarity import (
    STOPWORDS,
    Vectorizer,
    centroid,
    cosine,
    stem,
    terms,
    words,
)

from .conftest import make_item

NOON = datetime(2025, 5, 28, 12, 0, tzinfo=UTC)


def norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


# --- similarity.py ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Talks", "talk"),
        ("Sanctions.", "sanction"),
        ("Russia's", "russia"),
        ("Ukraine’s", "ukraine"),
        ("countries", "country"),
        ("1,000", "1000"),
        ("press", "press"),  # -ss is not a plural
        ("status", "status"),  # nor -us
        ("analysis", "analysis"),  # nor -is
        ("gas", "gas"),  # short words keep their -s
        ("ties", "ties"),  # and their -ies
    ],
)
def test_stem_folds_case_possessives_and_plurals(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_words_are_stemmed_and_drop_stopwords_and_single_characters() -> None:
    text = "The EU said it will impose sanctions on Russia's oil, 7 tankers and a 17th package"
    assert words(text) == ["eu", "impose", "sanction", "russia", "oil", "tanker", "17th", "package"]
    assert not set(words("said the report on Monday, according to news")) - STOPWORDS


def test_terms_weigh_title_words_twice_and_read_only_the_lead_of_the_body() -> None:
    item = make_item(
        "t1",
        NOON,
        title="Ceasefire talks in Istanbul",
        body="Istanbul hosted delegations. " + "filler " * 20 + "Zaporizhzhia",
    )
    bag = terms(item)
    assert bag["ceasefire"] == 2 and bag["talk"] == 2
    assert bag["istanbul"] == 3  # twice from the title, once from the body
    assert bag["zaporizhzhia"] == 1
    assert "zaporizhzhia" not in terms(item, lead_words=10)


def test_idf_weighs_rare_terms_above_common_ones() -> None:
    bags = [Counter(["war", "kyiv"]), Counter(["war", "istanbul"]), Counter(["war"])]
    vectorizer = Vectorizer.from_bags(bags)
    assert vectorizer.n == 3
    assert vectorizer.df == {"war": 3, "kyiv": 1, "istanbul": 1}
    assert vectorizer.idf("war") == pytest.approx(0.05)  # in every document: almost nothing
    assert vectorizer.idf("kyiv") == pytest.approx(math.log(4 / 2) + 0.05)
    assert vectorizer.idf("unseen") > vectorizer.idf("kyiv") > vectorizer.idf("war")


def test_vectors_are_unit_length_and_led_by_their_rare_terms() -> None:
    vectorizer = Vectorizer(100, {"war": 90, "rosneft": 2})
    vector = vectorizer.vector(Counter({"war": 3, "rosneft": 1}))
    assert norm(vector) == pytest.approx(1.0)
    assert vector["rosneft"] > vector["war"]
    assert vectorizer.vector(Counter()) == {}


def test_cosine_is_one_for_the_same_vector_zero_for_disjoint_and_symmetric() -> None:
    vectorizer = Vectorizer(10, {"a": 1, "b": 5, "c": 2})
    a = vectorizer.vector(Counter({"a": 2, "b": 1}))
    b = vectorizer.vector(Counter({"b": 1, "c": 1, "d": 1}))
    assert cosine(a, a) == pytest.approx(1.0)
    assert cosine(a, vectorizer.vector(Counter({"x": 1}))) == 0.0
    assert 0.0 < cosine(a, b) < 1.0
    assert cosine(a, b) == pytest.approx(cosine(b, a))


def test_centroid_is_a_unit_vector_between_its_members() -> None:
    a = {"kyiv": 1.0}
    b = {"istanbul": 1.0}
    centre = centroid([a, b])
    assert norm(centre) == pytest.approx(1.0)
    assert centre == pytest.approx({"kyiv": math.sqrt(0.5), "istanbul": math.sqrt(0.5)})
    assert cosine(centre, a) > cosine(a, b)
    assert centroid([]) == {}


# --- sentences.py ----------------------------------------------------------------------------


def test_sentences_end_at_punctuation_before_a_capital_and_at_line_breaks() -> None:
    text = (
        "Talks resumed. The delegations met in Istanbul! Officials in the U.S. expect more.\n"
        "It rose 3.5 percent. e.g. the talks went on.\n"
        "Bullet without a stop\n"
        "Київ мовчить. Москва теж."
    )
    assert sentences(text) == [
        "Talks resumed.",
        "The delegations met in Istanbul!",
        "Officials in the U.S. expect more.",  # a lower-case word follows: no end
        "It rose 3.5 percent. e.g. the talks went on.",
        "Bullet without a stop",
        "Київ мовчить.",
        "Москва теж.",
    ]
    assert sentences("") == []


def test_sentences_keep_the_closing_quote_after_the_stop() -> None:
    text = "Zelensky said: “We are ready to talk.” The Kremlin declined."
    assert sentences(text) == ["Zelensky said: “We are ready to talk.”", "The Kremlin declined."]


def test_first_sentence_is_one_line_and_cut_after_its_word_limit() -> None:
    assert first_sentence("Talks  resumed\nin Istanbul.  The delegations met.") == (
        "Talks resumed in Istanbul."
    )
    long = " ".join(f"w{i}" for i in range(30)) + ". Next one."
    cut = first_sentence(long)
    assert cut.endswith(" …")
    assert cut.removesuffix(" …").split() == [f"w{i}" for i in range(FIRST_SENTENCE_WORDS)]


@pytest.mark.parametrize(
    "dateline",
    [
        "KYIV, May 28 (Reuters) - ",
        "KYIV (AP) — ",
        "WASHINGTON - ",
        "NEW YORK, June 1 – ",
        "(LONDON) -- ",
        "VILNIUS, Lithuania ― ",
        "Rio de Janeiro, Nov. 19, (dpa/GNA) – ",
        "Ankara, Mar 29 (EFE).- ",
        "(MENAFN- Some News Agency (SNA)) BRUSSELS, Nov 19 (SNA) -- ",  # two, one after the other
        "MOSCOW, Nov 19 - RIA Novosti. ",
        "Washington — ",
        "New Delhi ― ",
        "WASHINGTON: ",  # CNA, The Straits Times
        "NEW DELHI: ",
        # forms met on real pages of 2025 (the datelines only; the sentence is ours)
        "LVIV, Oct 3: ",
        "LVIV (Reuters): ",
        "BERLIN (Oct 3): ",
        "HALIFAX, Canada: ",
        "RIGA, Latvia, October 3. ",
        "Odesa, Oct 3 ",  # no stop at all
        "Vilnius (Lithuania), Oct. 3 (ANSA/AP) – ",
        "Oct 3 (UPI) -- ",  # the city left out
        "GDANSK, Poland – October 3, 2025 — ",
        "The Hague, Oct 3: ",
    ],
)
def test_strip_dateline_leaves_the_sentence_as_a_verbatim_tail(dateline: str) -> None:
    rest = "Russia said it would send a delegation to Istanbul on Monday."
    assert strip_dateline(dateline + rest) == rest


@pytest.mark.parametrize(
    "sentence",
    [
        "KYIV - Short one.",  # what is left is too short to stand alone
        "KYIV - russia said it would send a delegation to Istanbul on Monday.",  # no capital
        "Russia said it would send a delegation to Istanbul on Monday.",  # no dateline
        "EU - Russia trade fell again in the first quarter, the statistics office said.",
        "Peskov: We are ready to continue the talks in Istanbul next week.",  # speech
        "FTC: We may earn a commission when you buy through links on this page.",
        "DOI: 10.1007/978-3-319-09575-2 gives the study this article cites.",  # no capital
        "May 5 was the day the talks began, both delegations said on Monday.",
        "Moscow, Kyiv and Minsk all said so on Monday, according to their ministries.",
        "Kyiv, Ukraine's capital, was hit overnight by a swarm of drones.",
    ],
)
def test_strip_dateline_keeps_sentences_it_cannot_safely_shorten(sentence: str) -> None:
    assert strip_dateline(sentence) == sentence


def test_first_words_makes_a_short_title_and_marks_the_cut() -> None:
    assert (
        first_words("Ceasefire  talks resume\nin Istanbul") == "Ceasefire talks resume in Istanbul"
    )
    many = " ".join(f"w{i}" for i in range(30))
    title = first_words(many)
    assert title == " ".join(f"w{i}" for i in range(FIRST_WORDS)) + " …"
    one_long_word = first_words("x" * 2 * MAX_TITLE)
    assert len(one_long_word) == MAX_TITLE
    assert one_long_word.endswith(" […]")
