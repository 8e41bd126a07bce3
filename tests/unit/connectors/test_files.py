from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.files import FileMessage, Rejected, in_time_order, read_inputs
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
    # Both undated: they go by id (their order is tested below).
    assert sorted(m.origin for m in found) == sorted([str(good), f"{lines}:1"])
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


def _line(ident: str, published: str | None) -> bytes:
    return json.dumps({"id": ident, "source": "s", "text": "t", "published": published}).encode()


def test_a_dump_listed_newest_first_is_read_in_publication_order(tmp_path: Path) -> None:
    f = tmp_path / "dump.jsonl"
    f.write_bytes(b"\n".join(_line(f"a{d}", f"2025-03-0{d}T10:00:00Z") for d in (3, 2, 1)))
    assert [article_from_bytes(m.payload).id for m in messages([f])] == ["a1", "a2", "a3"]


def test_undated_articles_come_after_the_dated_ones_by_id_and_bad_lines_last() -> None:
    rows = [
        FileMessage("1", _line("new", "2025-03-03T00:00:00Z")),
        FileMessage("2", _line("undated-b", None)),
        FileMessage("3", b"not json"),
        FileMessage("4", _line("old", "2025-03-01T00:00:00Z")),
        FileMessage("5", b"[" * 100_000),
        FileMessage("6", _line("undated-a", None)),
    ]
    assert [m.origin for m in in_time_order(rows)] == ["4", "1", "6", "2", "3", "5"]
    assert [m.origin for m in in_time_order(rows[::-1])] == ["4", "1", "6", "2", "5", "3"]


def test_undated_files_keep_their_name_order() -> None:
    rows = [FileMessage(str(i), _line(f"00{i}.txt", None)) for i in range(5)]
    assert in_time_order(rows) == rows
    assert in_time_order(rows[::-1]) == rows


@settings(max_examples=50, deadline=None)
@given(st.permutations(list(range(8))))
def test_any_order_of_the_same_articles_gives_one_order(order: list[int]) -> None:
    # Two articles share a time: they are the same report twice, either order is the news.
    times = ["2025-01-01", "2025-02-01", "2025-02-01", "2025-03-01", None, "2025-04-01", "2025-05-01", None]
    rows = [FileMessage(str(i), _line(f"a{i}", times[i] and f"{times[i]}T00:00:00Z")) for i in order]
    assert [m.origin for m in in_time_order(rows)] == ["0", "1", "2", "3", "5", "6", "4", "7"]
