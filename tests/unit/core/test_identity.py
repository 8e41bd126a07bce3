"""Development identity: compatibility of reports and stable ids."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core.identity import (
    compatible,
    date_span,
    dates_compatible,
    development_id,
    identity_key,
    related,
    retyped,
    same_meeting,
    topics_compatible,
)
from streams.core.models import Mention

from .state_builders import dev


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (None, "2025-02-27", True),
        ("2025-02-27", "2025-02-27", True),
        ("2025-02-27", "2025-02-28", True),  # a day of slack: time zones, "yesterday"
        ("2025-02-27", "2025-04-10", False),
        ("2025-02", "2025-02-27", True),
        ("2025-03", "2025-02-27", False),
        ("2025", "2025-04-10", True),
        ("2025-02", "2025-03-01", False),
        ("garbage", "2025-04-10", True),
    ],
)
def test_dates_compatible(a: str | None, b: str | None, expected: bool) -> None:
    assert dates_compatible(a, b) is expected
    assert dates_compatible(b, a) is expected


def test_date_span_of_a_month_ends_on_its_last_day() -> None:
    span = date_span("2024-02")
    assert span is not None and span.last.day == 29 and span.precision == "month"
    december = date_span("2025-12")
    assert december is not None and december.last.isoformat() == "2025-12-31"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((), ("banking",), True),
        (("banking",), ("banking", "visas"), True),
        (("mission_funding", "embassy_operations"), ("diplomatic_property", "embassy_operations"), False),
        (("mission_funding", "visas"), ("visas", "banking"), True),
        (("black_sea",), ("banking",), False),
        (("embassy_operations",), ("staffing", "ukraine"), False),
    ],
)
def test_topics_compatible(a: tuple[str, ...], b: tuple[str, ...], expected: bool) -> None:
    assert topics_compatible(a, b) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # With place or date agreeing, an umbrella-only subject fits what lies under its umbrella.
        (("embassy_operations",), ("staffing", "ukraine"), True),
        (("embassy_operations",), ("black_sea", "energy_infrastructure"), False),
        (("ukraine",), ("black_sea", "energy_infrastructure"), True),
        (("mission_funding",), ("banking",), False),
    ],
)
def test_loose_topics_compatible(a: tuple[str, ...], b: tuple[str, ...], expected: bool) -> None:
    assert topics_compatible(a, b, loose=True) is expected


def test_an_umbrella_subject_needs_an_agreeing_place_or_date() -> None:
    riyadh = Mention("agreement", "s", location="Riyadh", topics=("embassy_operations",))
    banking = Mention("agreement", "s", topics=("banking",))
    staffing = Mention("agreement", "s", location="Riyadh", date="2025-02-18", topics=("staffing",))
    assert not compatible(riyadh, banking)
    assert compatible(riyadh, staffing)


def test_compatibility_of_rounds() -> None:
    r1 = Mention("round_held", "s", location="Istanbul", date="2025-02-27", ordinal=1)
    r2 = Mention("round_held", "s", location="Istanbul", date="2025-04-10", ordinal=2)
    vague = Mention("round_held", "s", location="Istanbul")
    assert not compatible(r1, r2)
    assert compatible(vague, r1) and compatible(vague, r2)
    assert not compatible(vague, Mention("round_held", "s", location="Riyadh"))
    assert not compatible(vague, Mention("round_announced", "s", location="Istanbul"))
    assert compatible(vague, Mention("round_held", "s", location=" istanbul "))


def test_proposals_ignore_the_place() -> None:
    a = Mention("proposal", "s", location="Riyadh", topics=("direct_flights",))
    b = Mention("proposal", "s", location="Istanbul", topics=("direct_flights",))
    assert compatible(a, b)


def test_related_needs_a_shared_value() -> None:
    second = Mention("round_held", "s", ordinal=2, topics=("visas",))
    riyadh = Mention("round_held", "s", location="Riyadh", topics=("ukraine",))
    assert compatible(second, riyadh) and not related(second, riyadh)
    # Topics of rounds are the paragraph's, not the round's: sharing them proves nothing.
    assert not related(second, Mention("round_held", "s", location="Istanbul", topics=("visas",)))
    assert related(second, Mention("round_held", "s", location="Istanbul", ordinal=2))
    assert related(second, Mention("round_held", "s", topics=("banking",)))
    funding = Mention("agreement", "s", topics=("mission_funding",))
    assert related(funding, Mention("agreement", "s", location="Istanbul", topics=("mission_funding",)))


def test_identity_key_leaves_out_what_reports_omit() -> None:
    dated = Mention("round_held", "s", location="Istanbul", date="2025-04-10", ordinal=2)
    undated = Mention("round_held", "s", location="Istanbul", ordinal=2)
    assert identity_key("ru-us", dated) == identity_key("ru-us", undated)
    assert identity_key("ru-us", dated) != identity_key("other", dated)
    day = Mention("summit_held", "s", location="Anchorage", date="2025-08-15")
    month = Mention("summit_held", "s", location="Anchorage", date="2025-08")
    assert identity_key("ru-us", day) == identity_key("ru-us", month)


def test_development_id_is_salted_on_collision() -> None:
    first = development_id("k", set())
    assert first == development_id("k", set())
    second = development_id("k", {first})
    assert second != first and second.startswith("dev-")


def test_announcements_in_one_article_need_only_be_compatible() -> None:
    budapest = Mention("summit_announced", "s", location="Budapest")
    second = Mention("summit_announced", "s", ordinal=2)
    assert related(budapest, second)


def test_a_numbered_round_survives_one_misread_field() -> None:
    round2 = Mention("round_held", "s", location="Istanbul", date="2025-04-10", ordinal=2)
    wrong_year = Mention("round_held", "s", location="Istanbul", date="2024-04-10", ordinal=2)
    wrong_city = Mention("round_held", "s", location="Washington", date="2025-04-10", ordinal=2)
    both_wrong = Mention("round_held", "s", location="Washington", date="2024-04-10", ordinal=2)
    other_series = Mention("round_held", "s", location="Riyadh", ordinal=2)
    assert compatible(round2, wrong_year) and compatible(round2, wrong_city)
    assert not compatible(round2, both_wrong)
    assert not compatible(round2, other_series)
    assert not compatible(round2, Mention("round_held", "s", location="Istanbul", date="2024-04-10", ordinal=1))


def test_a_numbered_announced_round_moves_but_stays_one() -> None:
    moscow = Mention("round_announced", "s", location="Moscow", ordinal=3)
    washington = Mention("round_announced", "s", location="Washington", ordinal=3, date="2025-06-01")
    assert compatible(moscow, washington)
    elsewhere_later = Mention("round_announced", "s", location="Istanbul", ordinal=3, date="2025-09-01")
    assert not compatible(washington, elsewhere_later)
    rescheduled = Mention("round_announced", "s", location="Washington", ordinal=3, date="2025-07-01")
    assert compatible(washington, rescheduled)


_PLACES = st.sampled_from([None, "Istanbul", "istanbul ", "Riyadh"])
_DATES = st.sampled_from([None, "2025-02-27", "2025-02-28", "2025-02", "2025", "2025-04-10"])
_ORDINALS = st.sampled_from([None, 1, 2])
_TOPICS = st.lists(st.sampled_from(["banking", "visas", "embassy_operations", "ukraine", "black_sea"]), max_size=3)
_TYPES = st.sampled_from(["round_announced", "round_held", "summit_announced", "summit_held", "agreement", "proposal"])


@settings(max_examples=400, deadline=None)
@given(_TYPES, _TYPES, _PLACES, _PLACES, _DATES, _DATES, _ORDINALS, _ORDINALS, _TOPICS, _TOPICS, st.booleans())
def test_an_item_retyped_compares_as_a_copy_of_it_with_that_type(
    type_a: Any,
    type_b: Any,
    place_a: str | None,
    place_b: str | None,
    date_a: str | None,
    date_b: str | None,
    ordinal_a: int | None,
    ordinal_b: int | None,
    topics_a: list[str],
    topics_b: list[str],
    guessed: bool,
) -> None:
    a = dataclasses.replace(
        dev("a", type_a, location=place_a, date=date_a, ordinal=ordinal_a, topics=tuple(topics_a)),
        location_guessed=guessed and place_a is not None,
    )
    b = dev("b", type_b, location=place_b, date=date_b, ordinal=ordinal_b, topics=tuple(topics_b))
    copy, view = dataclasses.replace(a, type=type_b), retyped(a, type_b)
    assert compatible(view, b) == compatible(copy, b)
    assert compatible(b, view) == compatible(b, copy)
    assert same_meeting(view, b) == same_meeting(copy, b)


def test_proposals_on_different_days_are_two_unless_they_share_a_subject() -> None:
    def offer(date: str, *topics: str) -> Mention:
        return Mention("proposal", "s", date=date, date_precision="day", topics=topics)

    # "proposed a meeting of the presidents" in May, "proposed truces" in July: two proposals
    assert not compatible(offer("2025-05-16", "follow_up_meeting"), offer("2025-07-23"))
    # the offer to restore direct flights, told again at a later meeting: one proposal
    assert compatible(offer("2025-02-27", "direct_flights"), offer("2025-04-10", "direct_flights"))
    # undated, or on the same day: as before
    assert compatible(offer("2025-05-16"), Mention("proposal", "s"))
