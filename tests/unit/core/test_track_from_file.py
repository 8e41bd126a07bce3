"""A track that exists only in a user's tracks file (Armenia–Azerbaijan, tests/corpus/tracks/am-az.toml),
run over real reports of the stored news pages in tests/corpus: its meetings and agreements alert,
and other tracks' news, in the same cities, raises nothing on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import scoring
from dipwatch.cli import main
from streams.core.detector import detector_for
from streams.core.lexicon import read_files
from streams.core.wire import alert_to_dict, article_from_dict
from streams.replay import Replayer
from streams.tracksfile import load_tracks

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TRACKS = CORPUS / "tracks" / "am-az.toml"


def _rows(name: str) -> list[dict[str, Any]]:
    lines = (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted((json.loads(x) for x in lines if x.strip()), key=lambda a: a["published"] or "9999")


def _alerts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    replayer = Replayer(detector=detector_for(load_tracks(TRACKS)))
    return [alert_to_dict(a) for a in replayer.alerts(article_from_dict(dict(r)) for r in rows)]


def test_the_track_is_in_no_code_or_built_in_data() -> None:
    files = json.dumps(read_files(), ensure_ascii=False).casefold()
    for name in ("pashinyan", "باشينيان", "aliyev", "mirzoyan", "bayramov"):
        assert name not in files, name
    assert "am-az" not in (Path(__file__).resolve().parents[3] / "streams" / "lexicons" / "tracks.toml").read_text()


def test_its_rounds_summits_and_agreements_alert() -> None:
    gold = json.loads((CORPUS / "am-az.gold.json").read_text(encoding="utf-8"))
    alerts = _alerts(_rows("am-az"))
    assert {a["track"] for a in alerts} == {"am-az"}
    matcher = scoring.Matcher.of(gold)
    found = {scoring.match_alert(matcher, gold["developments"], a) for a in alerts} - {None}
    types = {d["type"] for d in gold["developments"] if d["id"] in found}
    print(f"\nam-az: {len(alerts)} alerts, {len(found)} of {len(gold['developments'])} developments")
    assert {"round_held", "summit_held", "agreement"} <= types, sorted(found)


@pytest.mark.parametrize("other", ["distractors", "ru-us", "cn-us", "ru-ua"])
def test_other_tracks_news_in_the_same_cities_raises_nothing(other: str) -> None:
    assert [(a["type"], a["location"], a["evidence"][0]["article_id"]) for a in _alerts(_rows(other))] == []


def test_replay_and_extract_take_the_tracks_file(capsys: pytest.CaptureFixture[str]) -> None:
    article = str(CORPUS / "am-az.jsonl")
    assert main(["extract", "--tracks", str(TRACKS), article]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {line["track"] for line in lines} >= {"am-az"}
    assert main(["replay", "--tracks", str(TRACKS), article]) == 0
    alerts = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert alerts and {a["track"] for a in alerts} == {"am-az"}


def test_a_bad_tracks_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "tracks.toml"
    bad.write_text('[[tracks]]\nid = "x"\nsides = [["Armenia"], ["Azerbaijn"]]\n', encoding="utf-8")
    assert main(["replay", "--tracks", str(bad), str(CORPUS / "am-az.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "unknown country 'Azerbaijn'; did you mean 'Azerbaijan'" in err
    assert main(["replay", "--tracks", str(tmp_path / "missing.toml"), str(CORPUS / "am-az.jsonl")]) == 2
    assert "cannot read tracks file" in capsys.readouterr().err


def test_help_documents_tracks(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("run", "worker", "replay", "extract"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--tracks FILE" in capsys.readouterr().out
