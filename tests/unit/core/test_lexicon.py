"""Lexicons are data: loading, phrase syntax, clitics, skeletons, and building from given files."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from streams.core.extract import build_extractor
from streams.core.lexicon import (
    LEXICON_FILES,
    PhraseMatcher,
    build_lexicon,
    countries,
    default_lexicon,
    parse_phrase,
    read_files,
)
from streams.core.models import Article
from streams.core.normalise import tokens
from streams.core.trackconfig import parse_tracks_toml


def files() -> dict[str, dict[str, Any]]:
    return {
        name: json.loads(resources.files("streams").joinpath("lexicons", name).read_text(encoding="utf-8"))
        for name in LEXICON_FILES
    }


def found(text: str, category: str) -> list[str]:
    toks = tokens(text)
    return [m.value for m in default_lexicon().matcher.find(toks) if m.category == category]


def test_default_lexicon_is_cached() -> None:
    assert default_lexicon() is default_lexicon()


def test_every_lexicon_file_is_valid_json_with_an_about() -> None:
    for name, data in files().items():
        assert "about" in data, name


def test_phrase_syntax() -> None:
    words = parse_phrase("توصل* ~ =اتفاق")
    assert [(w.text, w.prefix, w.exact, w.gap) for w in words] == [
        ("توصل", True, False, False),
        ("", False, False, True),
        ("اتفاق", False, True, False),
    ]


@pytest.mark.parametrize("spelling", ["دارتشييف", "دارشيف", "دارشييف", "Darchiev", "Дарчиева"])
def test_darchiev_in_every_spelling(spelling: str) -> None:
    assert found(f"قال {spelling} إن", "person") == ["Alexander Darchiev"]


@pytest.mark.parametrize("text", ["في إسطنبول", "في اسطنبول", "بإسطنبول", "وإسطنبول", "in Istanbul", "в Стамбуле"])
def test_istanbul_with_clitics_and_cases(text: str) -> None:
    assert found(text, "city") == ["Istanbul"]


def test_american_both_spellings() -> None:
    assert found("الخارجية الأمريكية والأميركية", "country") == ["United States", "United States"]


def test_no_fuzzy_false_friends() -> None:
    assert found("تركيز المحادثات بين القوتين", "country") == []
    assert found("تركيز المحادثات بين القوتين", "person") == []


def test_exact_word_is_not_read_through_a_clitic() -> None:
    # بروس (Bruce) must not be read as ب + روس (Russians).
    assert "Russia" not in found("تامي بروس", "country")


def test_gap_stays_inside_its_clause() -> None:
    lexicon = default_lexicon()
    toks = tokens("توصل الجانبان إلى اتفاق")
    assert any(m.category == "agreement" for m in lexicon.matcher.find(toks, [0, 0, 0, 0]))
    assert not any(m.category == "agreement" for m in lexicon.matcher.find(toks, [0, 0, 1, 1]))


def test_empty_matcher_finds_nothing() -> None:
    assert PhraseMatcher([]).find(["a", "b"]) == []


def test_a_spelling_is_a_data_change() -> None:
    data = copy.deepcopy(files())
    toks = tokens("في إسلامبول")
    assert [m.value for m in default_lexicon().matcher.find(toks) if m.category == "city"] == []
    data["places.json"]["cities"]["Istanbul"]["names"]["ar"].append("إسلامبول")
    lexicon = build_lexicon(data)
    assert [m.value for m in lexicon.matcher.find(toks) if m.category == "city"] == ["Istanbul"]


def test_a_language_is_a_data_change() -> None:
    data = copy.deepcopy(files())
    data["triggers.json"]["round"]["tr"] = ["görüşme*"]
    data["triggers.json"]["held"]["tr"] = ["yapıldı"]
    data["places.json"]["cities"]["Istanbul"]["names"]["tr"] = ["istanbul*"]
    data["places.json"]["countries"]["Russia"]["names"]["tr"] = ["rusya"]
    data["places.json"]["countries"]["United States"]["names"]["tr"] = ["abd"]
    extractor = build_extractor(build_lexicon(data))
    article = Article("t", "s", None, "", None, None, "tr", "Rusya ve ABD görüşmesi İstanbulda yapıldı.", "c")
    [mention] = extractor.extract(article)
    assert (mention.type, mention.location) == ("round_held", "Istanbul")


def test_day_words_are_a_data_change() -> None:
    data = copy.deepcopy(files())
    # a colloquial spelling of "the twenty-seventh"
    data["dates.json"]["day_words"]["ar"]["السبعه والعشرين"] = 27
    extractor = build_extractor(build_lexicon(data))
    text = "عقدت الجولة الأولى من المحادثات الروسية الأمريكية في إسطنبول في السبعة والعشرين من فبراير 2025."
    article = Article("t", "s", None, "", None, None, "ar", text, "c")
    [mention] = extractor.extract(article)
    assert mention.date == "2025-02-27"


def test_a_lexicon_without_day_words_still_loads() -> None:
    data = copy.deepcopy(files())
    del data["dates.json"]["day_words"]
    assert build_lexicon(data).day_words == {}


def test_prisoner_exchange_words_are_data() -> None:
    data = copy.deepcopy(files())
    data["triggers.json"]["swap"]["tr"] = ["takas"]
    data["places.json"]["countries"]["Russia"]["names"]["tr"] = ["rusya"]
    data["places.json"]["countries"]["United States"]["names"]["tr"] = ["abd"]
    extractor = build_extractor(build_lexicon(data))
    article = Article("t", "s", None, "", None, None, "tr", "Rusya ve ABD takas yaptı.", "c")
    [mention] = extractor.extract(article)
    assert (mention.type, mention.topics) == ("agreement", ("prisoner_exchange",))


def test_a_tracks_file_spelling_of_a_known_leader_is_that_leader() -> None:
    text = (
        '[[tracks]]\nid = "cn-us"\nname = "China - United States"\nsides = [["China"], ["United States"]]\n'
        '[tracks.people]\n"United States" = ["دونالد ترامب", "Scott Bessent"]\n'
    )
    lexicon = build_lexicon(read_files(), parse_tracks_toml(text, countries()))
    assert lexicon.people["دونالد ترامب"].leader
    assert not lexicon.people["Scott Bessent"].leader


@pytest.mark.parametrize(
    "text",
    ["وقعت إثيوبيا مذكرة تفاهم مع أرض الصومال أمس.", "Ethiopia signed a memorandum of understanding with Somaliland."],
)
def test_somaliland_is_not_somalia(text: str) -> None:
    from streams.core.detector import detector_for

    toml = '[[tracks]]\nid = "et-so"\nname = "Ethiopia - Somalia"\nsides = [["Ethiopia"], ["Somalia"]]\n'
    detector = detector_for(parse_tracks_toml(toml, countries()))
    article = Article("s", "test", None, "", dt.datetime(2024, 1, 2, tzinfo=dt.UTC), None, None, text, "test")
    assert [m.type for m in detector.extract(article, "et-so")] == []


def test_matches_shared_between_sentences_are_the_values_found_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    from streams.core import lexicon as lexicon_module

    entries = [
        lexicon_module.Entry("city", "Istanbul", parse_phrase("اسطنبول")),
        lexicon_module.Entry("held", "", parse_phrase("عقدت ~ محادثات")),
    ]
    matcher = PhraseMatcher(entries)
    first = matcher.find(tokens("عقدت في اسطنبول محادثات"))
    again = PhraseMatcher(entries).find(tokens("عقدت في اسطنبول محادثات"))
    assert (
        first
        == again
        == [
            lexicon_module.Match("held", "", 0, 4),
            lexicon_module.Match("city", "Istanbul", 2, 3),
        ]
    )
    # Another sentence with the city at the same place gets the same value, with its own clitic.
    assert matcher.find(tokens("وصلوا الى باسطنبول")) == [lexicon_module.Match("city", "Istanbul", 2, 3, "ب")]
    # A full table of shared matches starts afresh: what is found does not change.
    monkeypatch.setattr(lexicon_module, "CACHE_SIZE", 1)
    for text in ("عقدت في اسطنبول محادثات", "اسطنبول", "في اسطنبول"):
        assert matcher._find(tokens(text), None) == PhraseMatcher(entries)._find(tokens(text), None)
    assert len(matcher._matches) <= 1
