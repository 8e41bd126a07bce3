"""The table views of the shell: a track's prefix, and writes held until the journal is in
(the journal itself: test_journal.py)."""

from __future__ import annotations

import pytest

from streams.tables import Deferred, PrefixedStore


def test_deferred_writes_reach_the_table_only_when_taken_but_are_read_at_once() -> None:
    table = {"t|a:1": "one", "t|a:2": "two"}
    held = Deferred(table)
    view = PrefixedStore(held, "t")
    view["a:3"] = "three"
    del view["a:1"]
    assert table == {"t|a:1": "one", "t|a:2": "two"}
    assert view.get("a:3") == "three" and "a:1" not in view and view.get("a:1") is None
    assert sorted(view) == ["a:2", "a:3"]
    with pytest.raises(KeyError):
        del view["a:9"]
    assert held.take() == {"t|a:3": "three", "t|a:1": None}
    assert held.take() == {}
