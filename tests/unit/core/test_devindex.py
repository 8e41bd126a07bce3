"""The development index finds every development a report can be (matching by index)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core.devindex import Known
from streams.core.identity import compatible
from streams.core.matching import Report
from streams.core.models import DEVELOPMENT_TYPES, Development, Mention, TrackState

SEEN = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
PLACES = st.none() | st.sampled_from(["Istanbul", "istanbul ", "Riyadh", "Anchorage", " "])
# Days at month and year edges, months, years and a malformed date.
DATES = st.none() | st.sampled_from(
    [
        "2025-02-28",
        "2025-03-01",
        "2025-03-31",
        "2025-04-01",
        "2024-12-31",
        "2025-01-01",
        "2025-03",
        "2025-04",
        "2024-12",
        "2025",
        "2024",
        "2025-02-30",
    ]
)
ORDINALS = st.none() | st.integers(1, 3)
TOPICS = st.lists(st.sampled_from(["embassy_operations", "staffing", "flights", "ukraine"]), max_size=2, unique=True)


def precision(date: str | None) -> str | None:
    return None if date is None else {10: "day", 7: "month", 4: "year"}[len(date)]


developments = st.builds(
    lambda n, type_, place, date, ordinal, topics, guessed: Development(
        id=f"dev-{n}",
        track="t",
        type=type_,
        location=place,
        date=date,
        date_precision=precision(date),  # type: ignore[arg-type]
        ordinal=ordinal,
        topics=tuple(topics),
        actors=(),
        summary="",
        evidence=(),
        sources=(),
        first_seen=SEEN,
        location_guessed=guessed and place is not None,
    ),
    st.integers(0, 10**6),
    st.sampled_from(DEVELOPMENT_TYPES),
    PLACES,
    DATES,
    ORDINALS,
    TOPICS,
    st.booleans(),
)
drafts = st.builds(
    lambda type_, place, date, ordinal, topics, guessed: Report(
        Mention(
            type=type_,
            sentence="",
            location=place,
            date=date,
            date_precision=precision(date),
            ordinal=ordinal,  # type: ignore[arg-type]
            topics=tuple(topics),
        ),
        order=0,
        location_guessed=guessed and place is not None,
    ),
    st.sampled_from(DEVELOPMENT_TYPES),
    PLACES,
    DATES,
    ORDINALS,
    TOPICS,
    st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(developments, max_size=30), drafts)
def test_candidates_hold_every_compatible_development(devs: list[Development], draft: Report) -> None:
    known = Known.of(TrackState("t", developments=tuple(devs)))
    found = known.candidates(draft)
    compatible_ones = [(j, d) for j, d in enumerate(devs) if compatible(draft, d)]
    assert set(compatible_ones) <= set(found)
    assert [j for j, _ in found] == sorted(j for j, _ in found)
    assert all(d.type == draft.type for _, d in found)


@settings(max_examples=200, deadline=None)
@given(st.lists(developments, max_size=30), developments)
def test_candidates_of_another_type_hold_every_compatible_development(
    devs: list[Development], announced: Development
) -> None:
    # An announcement looks for its meeting among the meetings held.
    known = Known.of(TrackState("t", developments=tuple(devs)))
    as_held = Development(**{**{f: getattr(announced, f) for f in announced.__slots__}, "type": "round_held"})
    found = known.candidates(announced, "round_held")
    assert {(j, d) for j, d in enumerate(devs) if compatible(as_held, d)} <= set(found)


def _dev(n: int, place: str | None, date: str | None, ordinal: int | None = None) -> Development:
    return Development(
        f"dev-{n}",
        "t",
        "round_held",
        place,
        date,
        precision(date),
        ordinal,
        (),
        (),
        "",
        (),
        (),
        SEEN,  # type: ignore[arg-type]
    )


def _draft(place: str | None, date: str | None, ordinal: int | None = None) -> Report:
    mention = Mention("round_held", "", place, date, precision(date), ordinal)  # type: ignore[arg-type]
    return Report.of(mention, 0)


def test_candidates_leave_out_other_places_and_months() -> None:
    devs = [
        _dev(0, "Istanbul", "2025-02-27"),
        _dev(1, "Riyadh", "2025-02-27"),
        _dev(2, "Istanbul", "2025-06-10"),
        _dev(3, None, None),
        _dev(4, "Istanbul", None),
        _dev(5, "Istanbul", "2025"),
    ]
    known = Known.of(TrackState("t", developments=tuple(devs)))
    assert [j for j, _ in known.candidates(_draft("Istanbul", "2025-02-28"))] == [0, 3, 4, 5]


def test_candidates_cross_a_month_edge_and_keep_a_numbered_meeting_elsewhere() -> None:
    # A day of slack across the end of February; the second round on the same day in another city
    # is the same round misread (identity.compatible).
    devs = [_dev(0, "Istanbul", "2025-02-28"), _dev(1, "Moscow", "2025-03-01", ordinal=2)]
    known = Known.of(TrackState("t", developments=tuple(devs)))
    query = _draft("Istanbul", "2025-03-01", ordinal=2)
    assert all(compatible(query, d) for d in devs)
    assert [j for j, _ in known.candidates(query)] == [0, 1]
