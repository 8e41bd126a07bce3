"""The persisted per-feed state: round trip, atomic writes, bounds, corruption."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from connectors.feedstate import MAX_KEY_CHARS, FeedStateStore, state_key
from streams.core.errors import ConfigError


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "state.json"
    store = FeedStateStore(path)
    store.load()
    store.mark_seen("a", "guid:1")
    store.mark_seen("a", "guid:2")
    store.set_validators("a", "http://a.example/f", '"etag-1"', "Tue, 10 Jun 2025 04:00:00 GMT")
    store.save()
    again = FeedStateStore(path)
    again.load()
    assert again.is_seen("a", "guid:1") and again.is_seen("a", "guid:2")
    assert not again.is_seen("a", "guid:3") and not again.is_seen("b", "guid:1")
    assert again.validators("a", "http://a.example/f") == ('"etag-1"', "Tue, 10 Jun 2025 04:00:00 GMT")
    # Validators belong to a URL: a feed moved to another URL starts unconditional.
    assert again.validators("a", "http://a.example/other") == (None, None)
    assert json.loads(path.read_text())["version"] == 1


def test_save_writes_only_changes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    store = FeedStateStore(path)
    store.save()
    assert not path.exists()  # nothing changed, nothing written
    store.mark_seen("a", "k")
    assert store.dirty
    store.save()
    assert not store.dirty
    assert os.listdir(tmp_path) == ["state.json"]


def test_a_missing_file_is_an_empty_state(tmp_path: Path) -> None:
    store = FeedStateStore(tmp_path / "none.json")
    store.load()
    assert store.feeds() == []


@pytest.mark.parametrize("content", [b"{not json", b'{"version": 99}', b'{"version":1,"feeds":{"a":{"seen":[1]}}}'])
def test_a_corrupt_file_is_set_aside(tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    store = FeedStateStore(path)
    store.load()
    assert store.feeds() == []
    assert "starting fresh" in caplog.text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("state.json.corrupt-")]


def test_trim_keeps_the_current_items_and_the_newest_others(tmp_path: Path) -> None:
    store = FeedStateStore(tmp_path / "s.json", keep=3)
    for key in ("old1", "old2", "cur1", "old3", "old4", "cur2"):
        store.mark_seen("f", key)
    store.trim("f", ["cur1", "cur2"])
    kept = [k for k in ("old1", "old2", "cur1", "old3", "old4", "cur2") if store.is_seen("f", k)]
    assert kept == ["cur1", "old4", "cur2"]
    # Items the feed still lists are never forgotten, even past the bound.
    store.trim("f", ["cur1", "cur2", "old4", "new"])
    assert store.is_seen("f", "old4") and store.is_seen("f", "cur1")


def test_long_keys_are_stored_as_digests(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = FeedStateStore(path)
    key = "guid:" + "x" * 10_000
    store.mark_seen("f", key)
    store.save()
    assert len(path.read_bytes()) < 1000
    assert state_key(key).startswith("sha256:") and len(state_key("short")) < MAX_KEY_CHARS
    again = FeedStateStore(path)
    again.load()
    assert again.is_seen("f", key)


def test_an_unwritable_directory_is_a_config_error_and_stays_dirty(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = FeedStateStore(blocker / "state.json")
    store.mark_seen("f", "k")
    with pytest.raises(ConfigError, match="cannot be written"):
        store.save()
    assert store.dirty


def test_keep_must_be_positive() -> None:
    with pytest.raises(ConfigError):
        FeedStateStore(None, keep=0)


def test_memory_only_store_never_writes(tmp_path: Path) -> None:
    store = FeedStateStore(None)
    store.load()
    store.mark_seen("f", "k")
    store.save()
    assert store.is_seen("f", "k")
