"""Two tracks in one stream, on a real Tansu broker and a real ``dipwatch worker`` with a tracks file:
two states, alerts keyed by their track, every track metric labelled per track, and the same alert
ids as ``dipwatch replay`` with the same tracks file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from streams.settings import Settings

from .conftest import ROOT, SEEDS, WorkerProcess, metric_value, read_topic, replay_ids, run_cli, start_worker

pytestmark = pytest.mark.integration

CORPUS = ROOT / "tests" / "corpus"


def _tracks_file(tmp_path: Path) -> Path:
    # The built-in ru-us track and a user's Armenia–Azerbaijan track, in one user file.
    builtin = (ROOT / "streams" / "lexicons" / "tracks.toml").read_text(encoding="utf-8")
    user = (CORPUS / "tracks" / "am-az.toml").read_text(encoding="utf-8")
    path = tmp_path / "tracks.toml"
    path.write_text(builtin + "\n" + user, encoding="utf-8")
    return path


def test_two_tracks_in_one_stream(settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path) -> None:
    tracks = _tracks_file(tmp_path)
    settings = dataclasses.replace(settings, tracks=tracks)
    articles = CORPUS / "am-az.jsonl"
    expected = replay_ids(SEEDS, articles, tracks=tracks)
    assert len(expected) == len(set(expected))

    worker = start_worker(worker_factory, settings, tmp_path)
    for path in (SEEDS, articles):
        published = run_cli(settings, "publish", str(path))
        assert published.returncode == 0, published.stderr
    alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=5.0, with_keys=True)
    assert sorted(a["id"] for a in alerts) == sorted(expected)
    by_track = {a["__key__"] for a in alerts}
    assert by_track == {"ru-us", "am-az"}
    assert all(a["__key__"] == a["track"] for a in alerts)

    body = worker.metrics()
    for track in ("ru-us", "am-az"):
        sent = sum(1 for a in alerts if a["track"] == track)
        assert metric_value(body, "dipwatch_alerts_total", f'track="{track}"') == sent
        assert metric_value(body, "dipwatch_track_developments", f'track="{track}"') > 0
        assert metric_value(body, "dipwatch_dedup_index_articles", f'track="{track}"') > 0
