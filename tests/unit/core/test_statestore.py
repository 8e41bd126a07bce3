"""The track state as table entries: exact round trips, small records, writes only of what changed."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import assume, given, settings

from streams.core import statestore
from streams.core.models import Article, Mention, TrackState
from streams.core.state import MAX_DEVELOPMENTS, merge
from streams.core.statecodec import encode_state
from tests.unit.core.test_statecodec import states

BASE = dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC)
# A long Arabic sentence: evidence is capped at 300 characters, two bytes each in UTF-8.
SENTENCE = "انعقدت جولة جديدة من المحادثات بين الوفدين الروسي والأمريكي في إسطنبول " * 6
HISTORY = 1200
PLACES = ("Istanbul", "Riyadh", "Moscow", "Washington", "Anchorage", "Geneva", "Doha")


def _unique(state: TrackState) -> bool:
    """Whether ``state`` could come from merge: ids, agenda topics and seen entries are unique."""
    ids = [d.id for d in state.developments]
    topics = [t for t, _ in state.agenda]
    return len(ids) == len(set(ids)) and len(topics) == len(set(topics)) and len(state.seen) == len(set(state.seen))


def _load(store: dict[str, bytes], track: str) -> statestore.Stored:
    return statestore.load(track, store.get)


@settings(max_examples=200, deadline=None)
@given(states)
def test_every_entry_written_reads_back_the_same_state(state: TrackState) -> None:
    assume(_unique(state))
    store: dict[str, bytes] = {}
    _, writes = statestore.save_all(state)
    statestore.apply(store, writes)
    assert _load(store, state.track).state == state


@settings(max_examples=100, deadline=None)
@given(states, states)
def test_changes_from_one_state_to_another_read_back_the_second(first: TrackState, second: TrackState) -> None:
    second = TrackState(first.track, second.developments, second.agenda, second.seen)
    assume(_unique(first) and _unique(second))
    store: dict[str, bytes] = {}
    stored, writes = statestore.save_all(first)
    statestore.apply(store, writes)
    _, writes = statestore.changes(stored, second)
    statestore.apply(store, writes)
    assert _load(store, first.track).state == second


def test_nothing_stored_is_an_empty_state() -> None:
    assert statestore.load("ru-us", {}.get).state == TrackState("ru-us")


def test_a_format_1_blob_is_read_and_replaced_by_entries() -> None:
    state = _history(40)
    # As the table of JSON strings held it: the encoded state, JSON-quoted once more.
    store = {"ru-us": json.dumps(encode_state(state)).encode()}
    stored = _load(store, "ru-us")
    assert stored.state == state and stored.legacy
    _, writes = statestore.changes(stored, state)
    statestore.apply(store, writes)
    assert json.loads(store["ru-us"])["v"] == statestore.FORMAT_VERSION
    assert _load(store, "ru-us").state == state


def _article(n: int) -> Article:
    published = BASE + dt.timedelta(hours=6 * n, minutes=30)
    return Article(
        f"https://outlet-{n % 97}.example/news/{n}",
        f"outlet-{n % 97}",
        f"https://outlet-{n % 97}.example/news/{n}",
        "",
        published,
        None,
        "ar",
        "",
        "test",
    )


def _day(n: int) -> str:
    return (BASE + dt.timedelta(days=n // 4)).date().isoformat()


def _mentions(n: int) -> list[Mention]:
    """A new dated round and agreement every article, and later reports of earlier rounds."""
    place = PLACES[n % len(PLACES)]
    found = [
        Mention("round_held", f"{SENTENCE} {n}", location=place, date=_day(n)),
        Mention("agreement", f"{SENTENCE} agreed {n}", location=place, date=_day(n), topics=("visas", "banking")),
    ]
    for lag in range(7, 36, 7):
        if n >= lag:
            earlier = n - lag
            found.append(
                Mention(
                    "round_held",
                    f"{SENTENCE} {earlier} recalled in {n}",
                    location=PLACES[earlier % len(PLACES)],
                    date=_day(earlier),
                )
            )
    return found


def _history(articles: int) -> TrackState:
    state = TrackState("ru-us")
    for n in range(articles):
        state, _ = merge(state, _article(n), _mentions(n), _article(n).published or BASE, f"s{n}")
    return state


def test_a_long_history_keeps_every_record_small_and_writes_only_what_changed() -> None:
    store: dict[str, bytes] = {}
    stored = statestore.empty("ru-us")
    state = stored.state
    largest = 0
    written: list[int] = []
    for n in range(HISTORY):
        article = _article(n)
        state, _ = merge(state, article, _mentions(n), article.published or BASE, f"s{n}")
        stored, writes = statestore.changes(stored, state)
        statestore.apply(store, writes)
        largest = max([largest, *(len(v) for v in writes.values() if v is not None)])
        written.append(sum(len(k) + len(v or b"") for k, v in writes.items()))
        if n % 500 == 499:
            assert _load(store, "ru-us").state == state
    assert len(state.developments) == MAX_DEVELOPMENTS
    # As one blob, all of it was rewritten by almost every article.
    whole = len(encode_state(state).encode())
    assert whole > 500_000
    assert largest <= 64 * 1024
    # An article rewrites the developments it reports (six here), not the state.
    assert sum(written[-500:]) / 500 <= whole / 10
    assert _load(store, "ru-us").state == state


def test_an_unchanged_state_writes_nothing() -> None:
    stored, _ = statestore.save_all(_history(20))
    again, writes = statestore.changes(stored, stored.state)
    assert writes == {} and again.stamp == stored.stamp


def test_a_first_save_writes_the_index_even_of_a_state_with_only_seen_articles() -> None:
    state = TrackState("ru-us", seen=(("a1", BASE),))
    store: dict[str, bytes] = {}
    _, writes = statestore.changes(statestore.empty("ru-us"), state)
    statestore.apply(store, writes)
    assert _load(store, "ru-us").state == state
