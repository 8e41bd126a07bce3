"""The worker's dedup store: the index decides as over a plain dict, persisting two records at most."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, MutableMapping

from streams.core.dedup import DedupIndex, Verdict
from streams.core.dedupstore import PersistedStore
from tests.unit.core.test_dedup import NOW, edit_words, make, seed_text

HORIZON = dt.timedelta(days=2)


class CountingStore(MutableMapping[str, str]):
    """A dict that counts the writes and deletes it receives (what a changelog would)."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}
        self.writes = 0

    def __getitem__(self, key: str) -> str:
        return self.data[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.writes += 1
        self.data[key] = value

    def __delitem__(self, key: str) -> None:
        self.writes += 1
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.data))

    def __len__(self) -> int:
        return len(self.data)


def _stream(n: int) -> Iterator[tuple[dt.datetime, str, str | None, str]]:
    """New articles, reprints, exact copies under new URLs, short texts; an hour apart in bursts."""
    rnd = random.Random(5)
    texts: list[str] = []
    for i in range(n):
        when = NOW + dt.timedelta(minutes=20 * i)
        kind = rnd.random()
        if texts and kind < 0.2:
            yield when, edit_words(rnd.choice(texts), 0.05, seed=i), f"https://r.example/{i}", f"R{i % 7}"
        elif texts and kind < 0.3:
            yield when, rnd.choice(texts), f"https://x.example/{i}", f"X{i % 5}"
        elif kind < 0.35:
            yield when, f"خبر قصير رقم {i % 9} عن المحادثات", None, "S"
        else:
            words = seed_text(i % 5).split()
            rnd.shuffle(words)
            text = " ".join(words[:300])
            texts.append(text)
            yield when, text, f"https://n.example/{i}", f"N{i % 11}"


def _verdict(v: Verdict) -> tuple[object, ...]:
    return (v.duplicate, v.story_id, v.matched, v.redelivered)


def test_the_index_decides_the_same_before_and_after_every_reload() -> None:
    plain = DedupIndex({}, horizon=HORIZON)
    backing = CountingStore()
    store = PersistedStore(backing)
    for i, (when, text, url, source) in enumerate(_stream(600)):
        article = make(text, url, source)
        expected = plain.check(article, when)
        before = backing.writes
        got = DedupIndex(store, horizon=HORIZON).check(article, when)
        store.flush()
        assert _verdict(got) == _verdict(expected), i
        # A new article writes its record; a reprint its record and its story; a copy its story.
        assert backing.writes - before <= 2
        if i % 24 == 23:
            assert DedupIndex(store, horizon=HORIZON).evict(when) == plain.evict(when)
            store.flush()
        if i % 50 == 49:
            # As a worker's table restores them from the changelog: bytes.
            backing.data = {k: v.encode() if isinstance(v, str) else v for k, v in backing.data.items()}
            store = PersistedStore(backing)
            assert DedupIndex(store, horizon=HORIZON).size() == plain.size()
    again = DedupIndex(store, horizon=HORIZON)
    article = make(seed_text(0), "https://n.example/0", "N0")
    assert _verdict(again.check(article, NOW)) == _verdict(plain.check(article, NOW))


def test_a_store_written_entry_by_entry_is_read_as_it_is() -> None:
    old: dict[str, str] = {}
    first = make(seed_text(1), "https://a.example/1", "A")
    DedupIndex(old).check(first, NOW)
    store = PersistedStore(CountingStore())
    store.backing.update(old)
    store = PersistedStore(store.backing)
    verdict = DedupIndex(store).check(make(seed_text(1), "https://b.example/1", "B"), NOW)
    assert verdict.duplicate == "exact" and verdict.matched == first.id


def test_values_an_earlier_version_stored_as_json_strings_are_read() -> None:
    old: dict[str, str] = {}
    first = make(seed_text(2), "https://a.example/2", "A")
    DedupIndex(old).check(first, NOW)
    backing = CountingStore()
    # Faust's JSON codec of the table of str the index had before, as its changelog restores it.
    backing.data = {key: json.dumps(value).encode() for key, value in old.items()}
    store = PersistedStore(backing)
    verdict = DedupIndex(store).check(make(seed_text(2), "https://b.example/2", "B"), NOW)
    assert verdict.duplicate == "exact" and verdict.matched == first.id
