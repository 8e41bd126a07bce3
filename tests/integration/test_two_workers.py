"""Two ``dipwatch worker`` processes of one app on a real Tansu broker, with two tracks whose
partitions Faust's own assignment leaves on one worker (cn-us and il-sy hash to partitions 2 and 3
of 4; when a second worker joins one that holds all four, Faust hands it 0 and 1): each worker
keeps one track, and the alerts are those of ``dipwatch replay``."""

from __future__ import annotations

import dataclasses
import json
import time
import urllib.request
from pathlib import Path

import pytest

from dipwatch.broker import free_port
from streams.settings import Settings
from streams.web import partition_of

from .conftest import ROOT, WorkerProcess, read_topic, replay_ids, run_cli

pytestmark = pytest.mark.integration

CORPUS = ROOT / "tests" / "corpus"
TRACKS = ("cn-us", "il-sy")


def _tracks_file(tmp_path: Path) -> Path:
    text = "\n".join((CORPUS / "tracks" / f"{t}.toml").read_text(encoding="utf-8") for t in TRACKS)
    path = tmp_path / "tracks.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _owners(worker: WorkerProcess) -> dict[str, str | None]:
    url = f"http://{worker.settings.web_host}:{worker.settings.web_port}/tracks"
    with urllib.request.urlopen(url, timeout=10) as response:
        return {t["id"]: t["owner"] for t in json.loads(response.read())["tracks"]}


def test_two_workers_keep_one_track_each(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    assert [partition_of(t, settings.partitions) for t in TRACKS] == [2, 3]
    tracks = _tracks_file(tmp_path)
    settings = dataclasses.replace(settings, tracks=tracks)
    articles = [CORPUS / f"{t}.jsonl" for t in TRACKS]
    expected = replay_ids(*articles, tracks=tracks)

    workers = [
        WorkerProcess(
            dataclasses.replace(settings, web_port=free_port(), data_dir=tmp_path / f"data-{k}"),
            tmp_path / f"worker-{k}.log",
        )
        for k in range(2)
    ]
    worker_factory.extend(workers)
    # One after the other, as a second worker is added to a running one.
    for worker in workers:
        worker.start()
    # Both in the group: every track has an owner, and the owners no longer change.
    deadline, owners, since = time.monotonic() + 60, {}, time.monotonic()
    while time.monotonic() < deadline:
        now = _owners(workers[0])
        if now != owners:
            owners, since = now, time.monotonic()
        elif all(owners.values()) and time.monotonic() - since > 4:
            break
        time.sleep(0.5)
    urls = {f"http://{w.settings.web_host}:{w.settings.web_port}" for w in workers}
    assert set(owners.values()) == urls, owners

    for path in articles:
        published = run_cli(settings, "publish", str(path))
        assert published.returncode == 0, published.stderr
    alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=5.0, with_keys=True)
    assert sorted(a["id"] for a in alerts) == sorted(expected)
    assert {a["__key__"] for a in alerts} == set(TRACKS)
    # Each worker processed the articles of the track it keeps, and only those.
    for worker in workers:
        url = f"http://{worker.settings.web_host}:{worker.settings.web_port}"
        mine = {t for t, owner in owners.items() if owner == url}
        body = worker.metrics()
        seen = {t for t in TRACKS if f'dipwatch_dedup_index_articles{{track="{t}"}}' in body}
        assert seen == mine, (url, seen, mine)
    assert _owners(workers[1]) == owners
