"""The tables' bulk restore: records applied as Faust's own restore applies them."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from streams.app import create_app
from streams.restore import BulkStore
from streams.settings import Settings
from streams.tables import declare_tables


def test_changelog_records_are_applied_in_order_with_deletions(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    app = create_app(settings)
    table = declare_tables(app, settings).track_state
    store = table.data
    assert isinstance(store, BulkStore)

    def record(key: str, value: bytes | None) -> Any:
        raw_key = app.serializers.dumps_key(str, key, serializer=table.key_serializer)
        return SimpleNamespace(key=raw_key, value=value)

    tp = TP(table.changelog_topic.get_topic_name(), 2)
    applied = store.apply_records(
        tp, [record("t|a", b"1"), record("t|b", b"2"), record("t|a", None), record("t|c", b"3"), record("t|b", b"4")]
    )
    assert applied == 5
    assert dict(store.data) == {"t|b": b"4", "t|c": b"3"}
    assert table.get("t|b") == b"4" and table.get("t|a") is None
    # Kept as Faust keeps them: which partition a key came from (dropped when it is revoked).
    assert store._key_partition == {"t|b": 2, "t|c": 2}
    assert store.persisted_offset(tp) is None
