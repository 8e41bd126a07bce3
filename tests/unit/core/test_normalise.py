"""Normalisation: Arabic letter folding, digits, الـ before numbers, clitics, skeletons."""

from __future__ import annotations

import pytest

from streams.core.normalise import clitic_forms, normalise, skeleton, tokens


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("إسطنبول", "اسطنبول"),
        ("أميركا", "اميركا"),
        ("آذار", "اذار"),
        ("جولة ثانية", "جوله ثانيه"),
        ("الأولى", "الاولي"),
        ("مُحادثاتٌ", "محادثات"),
        ("جـــولة", "جوله"),
        ("٢٧ شباط", "27 شباط"),
        ("۲۷ فوریه", "27 فوريه"),
        ("Talks  in\nIstanbul", "talks in istanbul"),
        ("Ещё", "еще"),
    ],
)
def test_normalise_folds(raw: str, folded: str) -> None:
    assert normalise(raw) == folded


def test_al_tatweel_before_number_is_split() -> None:
    assert normalise("في الـ18 من شباط") == "في ال 18 من شباط"
    assert normalise("في الـ 27 من شباط") == "في ال 27 من شباط"


def test_conjunction_glued_to_number_is_split() -> None:
    assert tokens("27 فبراير و10 أبريل") == ["27", "فبراير", "و", "10", "ابريل"]


def test_alef_maqsura_stays_ya_not_alef() -> None:
    # Libraries that fold ى into ا would turn على into علا.
    assert normalise("على") == "علي"


def test_hamza_below_is_not_turned_into_bare_hamza() -> None:
    assert "ء" not in normalise("إسطنبول")


def test_clitic_forms_strip_prefixes() -> None:
    forms = clitic_forms("والولايات")
    assert "الولايات" in forms
    assert clitic_forms("بإسطنبول".replace("إ", "ا"))[1] == "اسطنبول"


def test_clitic_forms_leave_latin_alone() -> None:
    assert clitic_forms("washington") == ("washington",)


def test_short_remainders_are_not_produced() -> None:
    assert "لا" not in clitic_forms("فلا", min_length=3)


@pytest.mark.parametrize("name", ["دارتشييف", "دارشيف", "دارشييف", "دارتشيف"])
def test_darchiev_spellings_share_a_skeleton(name: str) -> None:
    assert skeleton(normalise(name)) == "درشف"


def test_skeleton_keeps_distinct_names_apart() -> None:
    assert skeleton("تركيز") != skeleton("تركيا")
