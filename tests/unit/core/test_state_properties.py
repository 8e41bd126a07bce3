"""Properties of merge over random streams of mentions."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core import state as state_module
from streams.core.models import DEVELOPMENT_TYPES, TOPICS, Article, Development, Evidence, Mention, TrackState
from streams.core.state import MAX_DEVELOPMENTS, MAX_EVIDENCE, merge
from streams.core.statecodec import decode_state, encode_state

from . import state_builders as builders

BASE = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)

mentions = st.builds(
    Mention,
    type=st.sampled_from(DEVELOPMENT_TYPES),
    sentence=st.sampled_from(["s1", "s2", "s3"]),
    location=st.none() | st.sampled_from(["Istanbul", "Riyadh", "Anchorage"]),
    date=st.none() | st.sampled_from(["2025-02-18", "2025-02-27", "2025-04-10", "2025-04"]),
    ordinal=st.none() | st.integers(1, 3),
    topics=st.lists(st.sampled_from(TOPICS), max_size=3, unique=True).map(tuple),
    tentative=st.booleans(),
    new_round=st.booleans(),
)
articles = st.lists(
    st.tuples(st.integers(0, 60), st.sampled_from(["tass", "reuters", "aa"]), st.lists(mentions, max_size=4)),
    max_size=8,
)


def replay(stream: list[tuple[int, str, list[Mention]]]) -> tuple[TrackState, list[str]]:
    state = TrackState("ru-us")
    new_ids: list[str] = []
    for n, (day, source, found) in enumerate(stream):
        when = BASE + dt.timedelta(days=day)
        art = Article(f"a{n}", source, None, "", when, None, "ar", "", "files")
        state, alerts = merge(state, art, found, when, f"s{n}")
        new_ids += [a.id for a in alerts if a.kind == "new"]
        again, repeated = merge(state, art, found, when, f"s{n}")
        assert again == state and repeated == ()  # redelivery is a no-op
    return state, new_ids


@settings(max_examples=150, deadline=None)
@given(articles)
def test_each_development_alerts_new_at_most_once_and_lives_in_the_state(
    stream: list[tuple[int, str, list[Mention]]],
) -> None:
    state, new_ids = replay(stream)
    assert len(new_ids) == len(set(new_ids))
    ids = [d.id for d in state.developments]
    assert len(ids) == len(set(ids))
    alerted = {d.id for d in state.developments if d.alerted}
    assert alerted == set(new_ids) & {d.id for d in state.developments}
    assert not any(d.alerted and d.tentative for d in state.developments)
    assert len(state.developments) <= MAX_DEVELOPMENTS
    assert all(len(d.evidence) <= MAX_EVIDENCE for d in state.developments)
    assert decode_state(encode_state(state)) == state


@settings(max_examples=100, deadline=None)
@given(articles)
def test_replay_is_deterministic(stream: list[tuple[int, str, list[Mention]]]) -> None:
    assert replay(stream) == replay(stream)


@settings(max_examples=100, deadline=None)
@given(st.permutations(["2025-02-18", "2025-02-27", "2025-04-10"]))
def test_fully_specified_developments_get_the_same_ids_in_any_order(dates: list[str]) -> None:
    places = {"2025-02-18": "Riyadh", "2025-02-27": "Istanbul", "2025-04-10": "Istanbul"}
    ordinals = {"2025-02-18": None, "2025-02-27": 1, "2025-04-10": 2}
    stream = [
        (30 + n, "tass", [Mention("round_held", "s", location=places[d], date=d, ordinal=ordinals[d])])
        for n, d in enumerate(dates)
    ]
    state, _ = replay(stream)
    by_date = {d.date: d.id for d in state.developments}
    reference, _ = replay(sorted(stream, key=lambda item: item[2][0].date or ""))
    assert by_date == {d.date: d.id for d in reference.developments}


def _evict_by_sorting(developments: list[Development], now: dt.datetime) -> tuple[Development, ...]:
    """:func:`evict` as it was written first (a full sort for the evidence cap): the reference."""
    limit = now - state_module.HORIZON
    kept = [d for d in developments if (d.last_seen or d.first_seen) >= limit]
    if len(kept) > MAX_DEVELOPMENTS:
        stalest = sorted(range(len(kept)), key=lambda i: (kept[i].last_seen or kept[i].first_seen, i))
        drop = set(stalest[: len(kept) - MAX_DEVELOPMENTS])
        kept = [d for i, d in enumerate(kept) if i not in drop]
    total = sum(len(d.evidence) for d in kept)
    if total > state_module.MAX_TOTAL_EVIDENCE:
        for i in sorted(range(len(kept)), key=lambda i: (kept[i].last_seen or kept[i].first_seen, i)):
            if total <= state_module.MAX_TOTAL_EVIDENCE:
                break
            if len(kept[i].evidence) > state_module.MIN_EVIDENCE:
                total -= len(kept[i].evidence) - state_module.MIN_EVIDENCE
                kept[i] = dataclasses.replace(kept[i], evidence=kept[i].evidence[: state_module.MIN_EVIDENCE])
    return tuple(kept)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(5, MAX_EVIDENCE), st.booleans()),
        min_size=100,  # enough evidence to pass the cap
        max_size=MAX_DEVELOPMENTS + 20,
    )
)
def test_evict_cuts_the_same_evidence_as_a_full_sort(specs: list[tuple[int, int, bool]]) -> None:
    # Few distinct days: many developments share a last-seen time, and the order among them counts.
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    developments = []
    for k, (days, evidence, seen) in enumerate(specs):
        base = builders.dev(f"d{k}", "round_held", last_seen=now - dt.timedelta(days=days * 15))
        if not seen:
            base = dataclasses.replace(base, last_seen=None, first_seen=now - dt.timedelta(days=days * 15))
        pieces = tuple(Evidence(f"a{k}-{n}", None, "TASS", "Talks were held.") for n in range(evidence))
        developments.append(dataclasses.replace(base, evidence=pieces))
    assert state_module.evict(developments, now) == _evict_by_sorting(developments, now)
