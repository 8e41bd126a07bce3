from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.files import FileMessage, Rejected, read_inputs
from streams.core.wire import article_from_bytes

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def messages(paths: list[Path], **kw: object) -> list[FileMessage]:
    found, rejected = read_inputs(paths, **kw)  # type: ignore[arg-type]
    assert rejected == []
    return found


def test_a_directory_is_read_in_name_order_and_txt_ids_are_file_names() -> None:
    ids = [article_from_bytes(m.payload).id for m in messages([SEEDS])]
    assert ids == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_jsonl_lines_are_kept_raw_even_when_bad(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"source": "s", "text": "t"}) + "\nnot json\n\n")
    payloads = [m.payload for m in messages([f])]
    assert payloads[1] == b"not json" and len(payloads) == 2


def test_paths_keep_the_given_order(tmp_path: Path) -> None:
    a, b = tmp_path / "b.json", tmp_path / "a.json"
    a.write_text(json.dumps({"id": "first", "source": "s", "text": "t"}))
    b.write_text(json.dumps({"id": "second", "source": "s", "text": "t"}))
    assert [article_from_bytes(m.payload).id for m in messages([a, b])] == ["first", "second"]


def test_each_bad_input_is_rejected_with_a_reason_and_the_rest_is_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Talks were held in Istanbul.", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    huge.write_text("x" * 200, encoding="utf-8")
    lines = tmp_path / "many.jsonl"
    lines.write_text(
        json.dumps({"source": "s", "text": "t"}) + "\n" + json.dumps({"source": "s", "text": "y" * 300}) + "\n"
    )
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK\x03\x04")
    feed = tmp_path / "page.xml"
    feed.write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    paths = [good, binary, tmp_path / "missing.txt", latin, empty, huge, lines, odd, feed]
    found, rejected = read_inputs(paths, max_bytes=150, feed_reader=lambda data, name: [])
    assert [m.origin for m in found] == [str(good), f"{lines}:1"]
    assert [(Path(r.origin.split(":")[0]).name, r.reason) for r in rejected] == [
        ("missing.txt", "missing"),
        ("photo.txt", "not_text"),
        ("latin.txt", "not_text"),
        ("empty.txt", "empty"),
        ("huge.txt", "too_large"),
        ("many.jsonl", "too_large"),
        ("notes.docx", "unknown_type"),
        ("page.xml", "not_a_feed"),
    ]
    assert all(isinstance(r, Rejected) and r.detail for r in rejected)


def test_without_a_rejection_list_a_missing_path_is_still_reported(tmp_path: Path) -> None:
    found, rejected = read_inputs([tmp_path / "nope"])
    assert found == [] and [r.reason for r in rejected] == ["missing"]
    with pytest.raises(AssertionError):
        messages([tmp_path / "nope"])


async def test_the_files_source_follows_the_connector_lifecycle(tmp_path: Path) -> None:
    from connectors.files import FilesSource

    good = tmp_path / "a.txt"
    good.write_text("Talks were held.", encoding="utf-8")
    delivered: list[str] = []

    async def sink(origin: str, payload: bytes) -> None:
        delivered.append(article_from_bytes(payload).id)

    source = FilesSource([good, tmp_path / "missing.txt"], sink)
    await source.start()
    assert [r.reason for r in source.rejected] == ["missing"]
    await source.run()
    await source.run()  # what was delivered is not delivered again
    await source.stop()
    await source.stop()
    assert delivered == ["a.txt"] and source.delivered == 1
