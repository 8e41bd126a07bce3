"""The JSON codec of the track state round-trips exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core.models import DEVELOPMENT_TYPES, TOPICS, AgendaEntry, Development, Evidence, TrackState
from streams.core.statecodec import StateDecodeError, decode_state, encode_state

texts = st.text(max_size=30)
times = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
evidence = st.builds(Evidence, texts, st.none() | texts, texts, texts)
developments = st.builds(
    Development,
    id=texts,
    track=texts,
    type=st.sampled_from(DEVELOPMENT_TYPES),
    location=st.none() | texts,
    date=st.none() | st.sampled_from(["2025-02-27", "2025-04", "2025"]),
    date_precision=st.none() | st.sampled_from(["day", "month", "year"]),
    ordinal=st.none() | st.integers(0, 50),
    topics=st.lists(st.sampled_from(TOPICS), max_size=4).map(tuple),
    actors=st.lists(texts, max_size=3).map(tuple),
    summary=texts,
    evidence=st.lists(evidence, max_size=3).map(tuple),
    sources=st.lists(texts, max_size=3).map(tuple),
    first_seen=times,
    background=st.booleans(),
    tentative=st.booleans(),
    story_ids=st.lists(texts, max_size=2).map(tuple),
    confidence=st.floats(0, 1),
    last_seen=st.none() | times,
    earliest_report=st.none() | times,
    latest_report=st.none() | times,
    alerted=st.booleans(),
    location_guessed=st.booleans(),
)
entries = st.builds(
    AgendaEntry,
    status=st.sampled_from(["discussed", "proposed", "agreed", "implemented", "stalled"]),
    at=times,
    development_id=st.none() | texts,
)
states = st.builds(
    TrackState,
    track=texts,
    developments=st.lists(developments, max_size=3).map(tuple),
    agenda=st.lists(st.tuples(st.sampled_from(TOPICS), st.lists(entries, max_size=3).map(tuple)), max_size=3).map(
        tuple
    ),
    seen=st.lists(st.tuples(texts, times), max_size=3).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(states)
def test_round_trip_is_exact(state: TrackState) -> None:
    assert decode_state(encode_state(state)) == state


def test_datetimes_are_iso_utc() -> None:
    at = dt.datetime(2025, 2, 27, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    state = TrackState("ru-us", seen=(("a", at),))
    text = encode_state(state)
    assert '"2025-02-27T07:30:00Z"' in text
    assert decode_state(text).seen[0][1] == at


@pytest.mark.parametrize("text", ["", "[]", "{}", '{"v": 99}', '{"v": 1, "track": "x"}', "not json"])
def test_bad_text_raises_a_decode_error(text: str) -> None:
    with pytest.raises(StateDecodeError):
        decode_state(text)


def test_a_state_written_before_guessed_places_reads_as_stated() -> None:
    dev = Development(
        "d", "ru-us", "agreement", "Riyadh", None, None, None, (), (), "", (), (), dt.datetime(2025, 1, 1)
    )
    text = encode_state(TrackState("ru-us", developments=(dev,))).replace(',"location_guessed":false', "")
    assert "location_guessed" not in text
    assert decode_state(text).developments[0].location_guessed is False
