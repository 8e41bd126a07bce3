from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.files import iter_messages
from streams.core.errors import ConfigError
from streams.core.wire import article_from_bytes

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def test_a_directory_is_read_in_name_order_and_txt_ids_are_file_names() -> None:
    messages = list(iter_messages([SEEDS]))
    ids = [article_from_bytes(m.payload).id for m in messages]
    assert ids == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_jsonl_lines_are_kept_raw_even_when_bad(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"source": "s", "text": "t"}) + "\nnot json\n\n")
    payloads = [m.payload for m in iter_messages([f])]
    assert payloads[1] == b"not json" and len(payloads) == 2


def test_paths_keep_the_given_order(tmp_path: Path) -> None:
    a, b = tmp_path / "b.json", tmp_path / "a.json"
    a.write_text(json.dumps({"id": "first", "source": "s", "text": "t"}))
    b.write_text(json.dumps({"id": "second", "source": "s", "text": "t"}))
    assert [article_from_bytes(m.payload).id for m in iter_messages([a, b])] == ["first", "second"]


def test_a_missing_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        list(iter_messages([tmp_path / "nope"]))
