"""Tracks files: the schema a user writes, and one clear line for each mistake."""

from __future__ import annotations

import pytest

from streams.core.lexicon import countries
from streams.core.trackconfig import TrackFileError, parse_tracks_toml

GOOD = """
[[tracks]]
id = "am-az"
name = "Armenia - Azerbaijan"
sides = [["Armenia"], ["AZ"]]
[tracks.people]
"Armenia" = ["Nikol Pashinyan", "نيكول باشينيان", "Никол Пашинян"]
[tracks.keywords]
en = ["peace treaty"]
"""


def parse(text: str) -> object:
    return parse_tracks_toml(text, countries(), "t.toml")


def test_a_good_file_resolves_names_and_codes() -> None:
    tracks = parse_tracks_toml(GOOD, countries(), "t.toml")
    (track,) = tracks.tracks
    assert track.id == "am-az" and track.name == "Armenia - Azerbaijan"
    assert track.sides == (frozenset({"Armenia"}), frozenset({"Azerbaijan"}))
    assert track.people == (("Armenia", ("Nikol Pashinyan", "نيكول باشينيان", "Никол Пашинян")),)
    assert track.keywords == (("en", ("peace treaty",)),)


def test_a_side_may_hold_several_countries_and_iso_names() -> None:
    text = '[[tracks]]\nid = "x"\nsides = [["Russia", "Belarus"], ["United States of America", "GBR"]]\n'
    (track,) = parse_tracks_toml(text, countries(), "t.toml").tracks
    assert track.sides == (frozenset({"Russia", "Belarus"}), frozenset({"United States", "United Kingdom"}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[tracks]\nid=1", "t.toml: not TOML"),
        ('colour = "red"\n', "t.toml: unknown key 'colour'"),
        ("", "t.toml: no [[tracks]] table"),
        ('[[tracks]]\nid = "x"\nsides = [["Armenia"], ["Azerbaijan"]]\nparty = 1\n', "unknown key 'party'"),
        ('[[tracks]]\nid = "X Y"\nsides = [["Armenia"], ["Azerbaijan"]]\n', "id must match [a-z0-9-]+"),
        (
            '[[tracks]]\nid = "x"\nsides = [["Armenai"], ["Azerbaijan"]]\n',
            "unknown country 'Armenai'; did you mean 'Armenia'",
        ),
        ('[[tracks]]\nid = "x"\nsides = [["Armenia"]]\n', "sides must list exactly two sides, got 1"),
        ('[[tracks]]\nid = "x"\nsides = [["A"], ["B"], ["C"]]\n', "sides must list exactly two sides, got 3"),
        ('[[tracks]]\nid = "x"\nsides = [["Armenia"], ["Armenia"]]\n', "'Armenia' is on both sides"),
        (
            '[[tracks]]\nid = "x"\nsides = [["Armenia"], ["Azerbaijan"]]\n'
            '[[tracks]]\nid = "x"\nsides = [["Russia"], ["Ukraine"]]\n',
            "duplicate track id 'x'",
        ),
        (
            '[[tracks]]\nid = "x"\nsides = [["Armenia"], ["Azerbaijan"]]\n[tracks.people]\n"Turkey" = ["Erdogan"]\n',
            "people listed for 'Turkey', which is not on a side",
        ),
        (
            '[[tracks]]\nid = "x"\nsides = [["Armenia"], ["Azerbaijan"]]\n[tracks.keywords]\nen = "peace"\n',
            "keywords of 'en' must be a list of phrases",
        ),
        ('[[tracks]]\nid = "x"\nsides = [["Iran"], ["US"]]\nmediators = "Oman"\n', "mediators must be a list"),
        ('[[tracks]]\nid = "x"\nsides = [["Iran"], ["US"]]\ntopics = ["sanctions"]\n', "unknown topic 'sanctions'"),
        ('[[tracks]]\nid = "x"\nsides = [["Iran"], ["US"]]\ntopics = "banking"\n', "topics must be a list"),
        ('[[tracks]]\nid = "x"\nsides = [["Iran"], ["US"]]\nmediators = ["Omman"]\n', "unknown country 'Omman'"),
        ('[[tracks]]\nid = "x"\nsides = [["Iran"], ["US"]]\nmediators = ["Iran"]\n', "mediator 'Iran' is also on"),
        (
            '[[tracks]]\nid = "x"\nsides = [["Iran"], ["US"]]\n[tracks.people]\n'
            '"Iran" = ["Araghchi"]\nmediators = ["Oman"]\n',
            "'mediators' is inside [tracks.people]; write it before the [tracks.people] line",
        ),
        (
            '[[tracks]]\nid = "x"\nsides = [["Israel"], ["Hamas"]]\n',
            "unknown country 'Hamas'",
        ),
        (
            '[[tracks]]\nid = "x"\nsides = [["Israel"], ["Hamas"]]\n[tracks.parties]\n"Hamas" = []\n',
            "the names of 'Hamas' must be a non-empty list of names",
        ),
        (
            '[[tracks]]\nid = "x"\nsides = [["Israel"], ["Qatar"]]\n[tracks.parties]\n"Qatar" = ["Doha"]\n',
            "'Qatar' is the country 'Qatar'; name it in sides directly",
        ),
        (
            '[[tracks]]\nid = "x"\nsides = [["Israel"], ["Lebanon"]]\n[tracks.places]\n"Naqoura" = ["الناقورة"]\n',
            "places: 'Naqoura' must be { country = \"...\", names = [...] }",
        ),
        (
            '[[tracks]]\nid = "x"\nsides = [["Israel"], ["Lebanon"]]\n[tracks.places]\n'
            '"Naqoura" = { country = "Lebanonn", names = [] }\n',
            "places: 'Naqoura': unknown country 'Lebanonn'",
        ),
    ],
)
def test_each_mistake_is_one_clear_line(text: str, expected: str) -> None:
    with pytest.raises(TrackFileError) as info:
        parse(text)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert message.startswith("t.toml")


def test_the_capitals_of_a_tracks_sides_stand_for_their_governments() -> None:
    import datetime as dt

    from streams.core.detector import detector_for
    from streams.core.models import Article

    text = '[[tracks]]\nid = "cn-us"\nsides = [["China"], ["United States"]]\n'
    detector = detector_for(parse_tracks_toml(text, countries(), "t.toml"))
    assert detector.lexicon.cities["Beijing"].metonym  # a hand-listed city, not only GeoNames'
    article = Article(
        "x", "s", None, "", dt.datetime(2025, 6, 11, tzinfo=dt.UTC), None, "en",
        "Chinese and US officials held talks on Tuesday, after Washington accused Beijing of delays.", "t",
    )  # fmt: skip
    (talks,) = detector.extract(article, "cn-us")
    assert (talks.type, talks.location) == ("round_held", None)


def test_mediators_are_countries_of_neither_side() -> None:
    (track,) = parse('[[tracks]]\nid = "ir-us"\nsides = [["Iran"], ["US"]]\nmediators = ["Oman", "QA"]\n').tracks
    assert track.mediators == frozenset({"Oman", "Qatar"})


def test_a_track_reads_only_its_own_agenda_topics() -> None:
    import datetime as dt

    from streams.core.detector import detector_for
    from streams.core.models import GENERIC_TOPICS, Article

    text = '[[tracks]]\nid = "ir-us"\nsides = [["Iran"], ["US"]]\n'
    (plain,) = parse(text).tracks
    assert plain.topics == GENERIC_TOPICS
    (listed,) = parse(text + 'topics = ["banking", "prisoner_exchange"]\n').tracks
    assert listed.topics == frozenset({"banking", "prisoner_exchange"})
    article = Article(
        "x", "s", None, "", dt.datetime(2025, 6, 11, tzinfo=dt.UTC), None, "en",
        "Iran and the United States agreed in Muscat on Tuesday to unfreeze banking channels.", "t",
    )  # fmt: skip
    for extra, expected in (("", ()), ('topics = ["banking"]\n', ("banking",))):
        detector = detector_for(parse_tracks_toml(text + extra, countries()))
        (deal,) = detector.extract(article, "ir-us")
        assert (deal.type, deal.topics) == ("agreement", expected)


def test_a_side_that_is_no_country_is_declared_with_its_names() -> None:
    import datetime as dt

    from streams.core.detector import detector_for
    from streams.core.models import Article

    text = (
        '[[tracks]]\nid = "il-hm"\nsides = [["Israel"], ["Hamas"]]\nmediators = ["Qatar", "Egypt"]\n'
        '[tracks.parties]\n"Hamas" = ["حماس", "ХАМАС"]\n[tracks.people]\n"Hamas" = ["خليل الحية"]\n'
    )
    (track,) = parse(text).tracks
    assert track.sides == (frozenset({"Israel"}), frozenset({"Hamas"}))
    assert track.parties == (("Hamas", ("حماس", "ХАМАС")),)
    detector = detector_for(parse_tracks_toml(text, countries(), "t.toml"))

    def read(body: str) -> list[tuple[str, str | None]]:
        article = Article("x", "s", None, "", dt.datetime(2025, 10, 6, tzinfo=dt.UTC), None, "ar", body, "t")
        return [(m.type, m.location) for m in detector.extract(article, "il-hm")]

    # the party's own name, with a clitic, and one of its people pair it with the other side
    assert read("انطلقت في شرم الشيخ المفاوضات غير المباشرة بين إسرائيل وحماس، اليوم الاثنين.") == [
        ("round_held", "Sharm el-Sheikh")
    ]
    assert (
        detector.assign(
            Article(
                "y",
                "s",
                None,
                "",
                None,
                None,
                "ar",
                "وفد حماس برئاسة خليل الحية يصل إلى القاهرة لبحث اتفاق مع إسرائيل.",
                "t",
            )
        )
        == "il-hm"
    )


def test_a_venue_the_places_lack_is_declared_with_its_country_and_names() -> None:
    import datetime as dt

    from streams.core.detector import detector_for
    from streams.core.models import Article

    text = (
        '[[tracks]]\nid = "lb-il"\nsides = [["Lebanon"], ["Israel"]]\nmediators = ["United States", "France"]\n'
        '[tracks.places]\n"Naqoura" = { country = "LB", names = ["الناقورة", "Накура"] }\n'
    )
    (track,) = parse(text).tracks
    assert track.places == (("Naqoura", "Lebanon", ("الناقورة", "Накура")),)
    detector = detector_for(parse_tracks_toml(text, countries(), "t.toml"))
    body = "عقد الوفدان اللبناني والإسرائيلي اليوم الأربعاء اجتماعا في الناقورة."
    article = Article("x", "s", None, "", dt.datetime(2025, 12, 3, 12, tzinfo=dt.UTC), None, "ar", body, "t")
    assert [(m.type, m.location) for m in detector.extract(article, "lb-il")] == [("round_held", "Naqoura")]
