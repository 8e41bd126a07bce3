"""Track assignment: ru-us articles in, other tracks' news out."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.core.detector import assign_track
from streams.core.models import Article

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def art(text: str, title: str = "") -> Article:
    return Article("t", "test", None, title, None, None, None, text, "test")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_every_seed_is_ru_us(path: Path) -> None:
    assert assign_track(art(path.read_text(encoding="utf-8"))) == "ru-us"


@pytest.mark.parametrize(
    "text",
    [
        "عقدت روسيا والولايات المتحدة جولة جديدة من المحادثات في إسطنبول.",
        "Russian and American diplomats met in Istanbul to discuss embassy operations.",
        "Дарчиев и Коултер провели консультации в Стамбуле.",
        "ترامب وبوتين يلتقيان في ألاسكا.",
    ],
)
def test_ru_us_articles(text: str) -> None:
    assert assign_track(art(text)) == "ru-us"


@pytest.mark.parametrize(
    "text",
    [
        "عقد وفدا روسيا وأوكرانيا جولة ثانية من المفاوضات المباشرة في إسطنبول. وقال ميدينسكي إن الجانبين "
        "اتفقا على تبادل الأسرى. وقال عمروف إن أوكرانيا قدمت مذكرة إلى روسيا.",
        "اجتمع وزير الخارجية الأمريكي روبيو مع نظيره التركي فيدان في أنقرة. وبحثت تركيا والولايات المتحدة "
        "التعاون الدفاعي.",
        "فاز غلطة سراي على فنربخشة في ديربي إسطنبول.",
        "Ukraine's forces repelled Russian attacks near Pokrovsk, Kyiv said. Russia launched drones at Ukraine.",
    ],
)
def test_other_news_has_no_track(text: str) -> None:
    assert assign_track(art(text)) is None


def test_scores_explain_the_decision() -> None:
    from streams.core.detector import default_detector

    [score] = default_detector().assigner.scores(
        art("عقد وفدا روسيا وأوكرانيا مفاوضات في إسطنبول.", "روسيا وأوكرانيا في إسطنبول")
    )
    assert (score.track, score.pairs, score.outside_pairs) == ("ru-us", 0, 3)


def test_a_side_named_as_a_place_still_pairs() -> None:
    text = "Seven months after Riyadh, the U.S. embassy in Moscow still runs on a skeleton staff."
    assert assign_track(art(text)) == "ru-us"


def test_us_turkey_meeting_about_russia_ukraine_talks_is_not_ru_us() -> None:
    text = (
        "التقى وزير الخارجية الأمريكي ماركو روبيو نظيره التركي هاكان فيدان في أنطاليا، وبحثا ترتيبات "
        "المفاوضات الروسية الأوكرانية المرتقبة في إسطنبول.\nواتفق الوزيران على مواصلة التنسيق بين أنقرة وواشنطن."
    )
    assert assign_track(art(text, "روبيو وفيدان يبحثان ترتيبات محادثات إسطنبول")) is None


def test_a_track_is_a_data_change() -> None:
    from streams.core.detector import detector_for
    from streams.core.lexicon import countries
    from streams.core.trackconfig import parse_tracks_toml

    toml = """
[[tracks]]
id = "ru-ua"
sides = [["Russia"], ["UA"]]
"""
    detector = detector_for(parse_tracks_toml(toml, countries()))
    assert detector.assign(art("عقد وفدا روسيا وأوكرانيا جولة ثانية من المفاوضات في إسطنبول.")) == "ru-ua"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An outside minister speaks of talks "between" the two sides: the talks are theirs.
        (
            "Kenya's foreign minister said the next round of talks between Egypt and Ethiopia will be held in Doha.",
            "eg-et",
        ),
        ("قال وزير الخارجية الكيني إن الجولة المقبلة من المحادثات بين مصر وإثيوبيا ستعقد في الدوحة.", "eg-et"),
        # A meeting "between" the two sides and a third party is not the pair's alone.
        ("Kenya said a meeting between Egypt, Ethiopia and Sudan will be held in Doha.", None),
        # Without "between", an outside minister with the two sides stays mixed.
        ("Kenya's foreign minister said officials of Egypt and Ethiopia will meet in Doha.", None),
    ],
)
def test_talks_between_the_two_sides_belong_to_them_whoever_speaks(text: str, expected: str | None) -> None:
    from streams.core.detector import detector_for
    from streams.core.lexicon import countries
    from streams.core.trackconfig import parse_tracks_toml

    toml = '[[tracks]]\nid = "eg-et"\nsides = [["Egypt"], ["Ethiopia"]]\n'
    assert detector_for(parse_tracks_toml(toml, countries())).assign(art(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Another pair's ceasefire: the track's keywords alone do not make it the track's news.
        (
            "Thailand and Cambodia agreed a ceasefire. The ceasefire took effect at midnight, its monitors said. "
            "The ceasefire monitors met.",
            None,
        ),
        # Both sides named somewhere: the keywords count.
        ("The ceasefire between Pakistan and Afghanistan held overnight. The ceasefire monitors met in Doha.", "pk-af"),
    ],
)
def test_keywords_count_only_where_both_sides_are_named(text: str, expected: str | None) -> None:
    from streams.core.detector import detector_for
    from streams.core.lexicon import countries
    from streams.core.trackconfig import parse_tracks_toml

    toml = """
[[tracks]]
id = "pk-af"
sides = [["Pakistan"], ["Afghanistan"]]
[tracks.keywords]
en = ["ceasefire", "ceasefire monitors"]
"""
    detector = detector_for(parse_tracks_toml(toml, countries()))
    assert detector.assign(art(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Iran and the European powers held nuclear talks in Istanbul, the first since the US strikes.",
        "عقدت إيران والترويكا الأوروبية محادثات نووية في إسطنبول، هي الأولى منذ الضربات الأمريكية.",
        "Araghchi met Europe's foreign ministers in Geneva; Washington was not invited.",
    ],
)
def test_talks_with_the_european_three_are_not_a_pair_track(text: str) -> None:
    from streams.core.detector import detector_for
    from streams.core.lexicon import countries
    from streams.core.trackconfig import parse_tracks_toml

    toml = """
[[tracks]]
id = "ir-us"
sides = [["Iran"], ["United States"]]
[tracks.people]
"Iran" = ["Abbas Araghchi", "Araghchi"]
"""
    detector = detector_for(parse_tracks_toml(toml, countries()))
    assert detector.assign(art(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Ukraine only as what the talks are about: a Russia–US meeting, not the Russia–Ukraine track's.
        ("دميترييف يصل إلى ميامي لإجراء محادثات بشأن التسوية الأوكرانية.", None),
        ("Dmitriev arrived in Miami for talks on the settlement in Ukraine.", None),
        # Both sides as the parties: theirs.
        ("عقد وفدا روسيا وأوكرانيا جولة ثانية من المفاوضات بشأن التسوية في إسطنبول.", "ru-ua"),
    ],
)
def test_a_country_named_only_as_the_subject_of_talks_is_no_side(text: str, expected: str | None) -> None:
    from streams.core.detector import detector_for
    from streams.core.lexicon import countries
    from streams.core.trackconfig import parse_tracks_toml

    toml = '[[tracks]]\nid = "ru-ua"\nsides = [["Russia"], ["Ukraine"]]\n'
    assert detector_for(parse_tracks_toml(toml, countries())).assign(art(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "انتهت في الخرطوم الجولة الأولى من المحادثات بين القاهرة وأديس أبابا أمس السبت.",
        "The first round of talks between Cairo and Addis Ababa ended in Khartoum on Saturday.",
    ],
)
def test_a_configured_sides_capitals_stand_for_them(text: str) -> None:
    from streams.core.detector import detector_for
    from streams.core.lexicon import countries
    from streams.core.trackconfig import parse_tracks_toml

    toml = '[[tracks]]\nid = "eg-et"\nsides = [["Egypt"], ["Ethiopia"]]\n'
    detector = detector_for(parse_tracks_toml(toml, countries()))
    assert detector.assign(art(text)) == "eg-et"
    assert [m.type for m in detector.extract(art(text), "eg-et")] == ["round_held"]
