"""The journal of a track: compact, in bounded records, and known to be whole or cut short."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from streams.core import statestore
from streams.core.models import Alert, Mention, TrackState
from streams.core.state import merge
from streams.core.wire import alert_to_bytes
from streams.journal import (
    PIECE_BYTES,
    IncompleteJournal,
    Journal,
    decode,
    encode,
    journal_key,
    piece_key,
    read,
    records,
    size,
)
from tests.unit.core.test_statestore import BASE, HISTORY, _article, _mentions

RECORD_LIMIT = 64 * 1024


def _store(track: str, journal: Journal, stale: int = 0, store: dict[str, bytes] | None = None) -> dict[str, bytes]:
    store = {} if store is None else store
    statestore.apply(store, records(track, journal, stale))
    return store


def test_a_journal_survives_its_encoding() -> None:
    journal = Journal("a-1", {"t|d|x": "ذهب".encode(), "t|d|y": None}, {"t|a:1": "r", "t|a:2": None}, (("new", b"{}"),))
    assert decode(encode(journal)) == journal
    assert decode(encode(journal.done())) == Journal("a-1")
    with pytest.raises(ValueError):
        decode([b"[1]"])


def test_values_are_stored_as_they_are_not_quoted_inside_json() -> None:
    value = json.dumps({"sentence": 'قال "الوفد"'}, ensure_ascii=False).encode()
    journal = Journal("a-1", {"t|d|x": value}, {}, (("update", value),))
    assert decode(encode(journal)).state["t|d|x"] == value
    # Compressed: far smaller than the values it carries when they repeat.
    repeated = Journal("a-2", {f"t|d|{k}": value * 50 for k in range(20)})
    assert sum(map(len, encode(repeated))) < sum(len(v) for v in repeated.state.values()) / 10


def test_a_format_1_journal_is_still_read() -> None:
    old = {"article": "a-1", "state": {"t|d|x": '{"id":"x"}', "t|d|y": None}, "alerts": [["new", '{"id":"x"}']]}
    store = {journal_key("t"): json.dumps(old).encode()}
    assert size("t", store.get) == 1
    value = b'{"id":"x"}'
    assert read("t", store.get) == Journal("a-1", {"t|d|x": value, "t|d|y": None}, {}, (("new", value),))


def _big(article: str, seed: int) -> Journal:
    # Random text does not compress: the pieces are as large as they may be.
    rng = random.Random(seed)
    state = {f"t|d|{k}": rng.randbytes(40_000).hex().encode() for k in range(6)}
    return Journal(article, state, {}, (("new", b"{}"),))


def test_a_large_journal_is_cut_into_bounded_records_and_read_back_whole() -> None:
    journal = _big("a-1", 1)
    store = _store("t", journal)
    assert size("t", store.get) == len(store) > 3
    assert max(len(k) + len(v) for k, v in store.items()) <= RECORD_LIMIT
    assert max(len(v) for v in store.values()) <= PIECE_BYTES + 100
    assert read("t", store.get) == journal


def test_a_journal_cut_short_is_known_as_such() -> None:
    first = _big("a-1", 1)
    store = _store("t", first)
    n = size("t", store.get)
    # The next journal's head is in and one of its pieces, the others are the first one's.
    second = _big("a-2", 2)
    parts = encode(second)
    store[journal_key("t")] = parts[0]
    store[piece_key("t", 1)] = parts[1]
    with pytest.raises(IncompleteJournal):
        read("t", store.get)
    del store[piece_key("t", n - 1)]
    with pytest.raises(IncompleteJournal):
        read("t", store.get)


def test_a_shorter_journal_deletes_the_pieces_of_the_one_before() -> None:
    store = _store("t", _big("a-1", 1))
    n = size("t", store.get)
    done = Journal("a-1")
    _store("t", done, stale=n, store=store)
    assert store == {journal_key("t"): encode(done)[0]}
    assert read("t", store.get) == done


def test_no_journal_is_none() -> None:
    assert read("t", {}.get) is None and size("t", {}.get) == 0


def _reports(n: int) -> list[Mention]:
    """Article ``n`` reports its own round and agreement and again those of every 7th article
    before it (up to 49 back): each rewrites several developments, and its alerts carry them."""
    return [m for back in range(0, 50, 7) if n >= back for m in _mentions(n - back)]


def test_over_a_long_history_every_journal_record_stays_under_64_kb() -> None:
    """As the worker journals them: each article's state writes and alerts, its journal replacing
    the one before."""
    store: dict[str, bytes] = {}
    stored = statestore.empty("ru-us")
    state = stored.state
    largest = 0
    carried = 0
    for n in range(HISTORY):
        article = _article(n)
        state, alerts = merge(state, article, _reports(n), article.published or BASE, f"s{n}")
        stored, writes = statestore.changes(stored, state)
        journal = Journal(article.id, writes, {}, tuple((a.kind, alert_to_bytes(a)) for a in alerts))
        entries = records("ru-us", journal, size("ru-us", store.get))
        statestore.apply(store, entries)
        largest = max([largest, *(len(k) + len(v) for k, v in entries.items() if v is not None)])
        carried = max(carried, sum(len(v) for v in writes.values() if v) + sum(len(v) for _, v in journal.alerts))
        assert read("ru-us", store.get) == journal
    # What one article wrote grew well past a record's bound; its journal's records did not.
    assert carried > 3 * RECORD_LIMIT
    assert largest <= RECORD_LIMIT


def test_the_journal_of_an_article_that_rewrote_every_development_stays_in_bounded_records() -> None:
    state = TrackState("ru-us")
    for n in range(HISTORY // 4):
        article = _article(n)
        state, _ = merge(state, article, _mentions(n), article.published or BASE, f"s{n}")
    _, writes = statestore.save_all(state)
    alerts = tuple(
        ("update", alert_to_bytes(Alert("update", dataclasses.replace(d, alerted=True)))) for d in state.developments
    )
    journal = Journal("recap", writes, {}, alerts)
    assert sum(len(v) for v in writes.values() if v) + sum(len(v) for _, v in alerts) > 10 * RECORD_LIMIT
    store = _store("ru-us", journal)
    assert max(len(k) + len(v) for k, v in store.items()) <= RECORD_LIMIT
    assert read("ru-us", store.get) == journal
