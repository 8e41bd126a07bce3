"""Sentence splitting keeps the reading of a run-on page bounded (no punctuation, no line breaks)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core import sentences as sentences_module
from streams.core.dedup import DedupIndex
from streams.core.detector import default_detector
from streams.core.models import TrackState
from streams.core.pipeline import process
from streams.core.sentences import MAX_SENTENCE, sentences, split_text

from .builders import make_article

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _run_on(size: int) -> str:
    """The seeds' words without punctuation or line breaks, repeated to ``size`` characters."""
    words = re.sub(r"[^\w\s]", " ", " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    text = " ".join(words.split())
    return (text + " ") * (size // (len(text) + 1)) + text[: size % (len(text) + 1)]


def test_a_run_on_line_is_cut_at_spaces_into_bounded_pieces_that_keep_every_word() -> None:
    text = _run_on(200_000)
    pieces = split_text(text)
    assert len(pieces) >= 200_000 // MAX_SENTENCE
    assert all(0 < len(p) <= MAX_SENTENCE for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_a_line_without_spaces_is_cut_too() -> None:
    pieces = split_text("x" * 5_500)
    assert [len(p) for p in pieces] == [MAX_SENTENCE] * 5 + [500]


def test_sentences_of_ordinary_length_are_not_cut() -> None:
    long_one = "word " * 190 + "end."
    assert split_text(f"{long_one} Next one.\nU.S. officials met. Mr. Lavrov spoke.") == [
        long_one,
        "Next one.",
        "U.S. officials met.",
        "Mr. Lavrov spoke.",
    ]


def test_a_chain_of_abbreviations_ends_within_the_bound() -> None:
    pieces = split_text("A. " * 100_000)
    assert all(len(p) <= MAX_SENTENCE for p in pieces)
    assert sum(p.count("A.") for p in pieces) == 100_000


def test_a_one_megabyte_run_on_article_is_read_like_its_text() -> None:
    text = _run_on(1_000_000)
    article = make_article(text, article_id="run-on")
    detector = default_detector()
    assert detector.assign(article) == "ru-us"
    outcome = process(TrackState("ru-us"), DedupIndex({}), article, NOW, detector)
    assert outcome.duplicate is None
    assert outcome.mentions, "the seeds' developments are still read without their punctuation"
    assert {"round_held", "agreement"} <= {m.type for m in outcome.mentions}
    assert len(sentences("", text)) > 1_000_000 // MAX_SENTENCE


def test_a_full_stop_glued_to_the_next_arabic_sentence_ends_a_sentence() -> None:
    text = (
        'وقال إن المحادثات كانت "مثمرة للغاية".وستعقد القمة في نوفمبر.وأضاف أن اللقاء تم في يونيو 2019.ومن المتوقع ذلك'
    )
    assert split_text(text) == [
        'وقال إن المحادثات كانت "مثمرة للغاية".',
        "وستعقد القمة في نوفمبر.",
        "وأضاف أن اللقاء تم في يونيو 2019.",
        "ومن المتوقع ذلك",
    ]


def test_dotted_arabic_initials_stay_in_one_sentence() -> None:
    assert split_text("نقلت أ.ف.ب عن مصدر أن الجولة انتهت.") == ["نقلت أ.ف.ب عن مصدر أن الجولة انتهت."]


# The patterns as they were before they were made faster: the fast ones must split the same.
_END_AS_WRITTEN = re.compile(r"(?<=[.!?؟…])[\"'”»)\]]*\s+|(?:(?<=\w\w[.!?؟…])|(?<=[\"”»)][.!?؟…]))(?=[\u0621-\u064a])")
_SPLIT_ALPHABET = "ab Mr.Sept etcгул.!?؟…\"'”»)] \n\tبيو1،,"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_SPLIT_ALPHABET, max_size=40))
def test_the_sentence_end_pattern_splits_where_the_two_alternatives_did(text: str) -> None:
    assert sentences_module._END.split(text) == _END_AS_WRITTEN.split(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_SPLIT_ALPHABET, max_size=40))
def test_an_abbreviation_is_found_in_the_tail_as_in_the_whole_piece(text: str) -> None:
    assert sentences_module._abbreviated(text) == (sentences_module._ABBREVIATION.search(text) is not None)


def test_split_text_keeps_abbreviations_and_splits_arabic_glued_sentences() -> None:
    text = "Mr. Lavrov met U.S. officials in Sept. last year. They talked.وقال الوزير إن المحادثات جرت."
    assert split_text(text) == [
        "Mr. Lavrov met U.S. officials in Sept. last year.",
        "They talked.",
        "وقال الوزير إن المحادثات جرت.",
    ]
