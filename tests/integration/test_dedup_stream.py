"""Deduplication in the running worker: reprints and re-posts join one story and alert nothing new."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.settings import Settings

from .conftest import SEEDS, WorkerProcess, metric_value, read_topic, run_cli, start_worker

pytestmark = pytest.mark.integration

SEED = SEEDS / "004_d91ac03eeef3331a.txt"


def _edited(text: str, every: int, word: str) -> str:
    """The text with one word in ``every`` replaced: a reprint with small edits."""
    words = text.split(" ")
    return " ".join(word if i % every == every - 1 else w for i, w in enumerate(words))


def test_reprints_and_a_repost_make_one_story_and_no_extra_alert(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    text = SEED.read_text(encoding="utf-8")
    original = {"source": "agency.example", "url": "https://agency.example/news/1?utm_source=rss",
                "title": "", "text": text, "connector": "files", "published": "2025-02-28T10:00:00Z"}
    variants = [
        {**original, "source": f"outlet{n}.example", "url": f"https://outlet{n}.example/a/{n}",
         "text": _edited(text, every, marker), "published": f"2025-02-28T1{n}:00:00Z"}
        for n, (every, marker) in enumerate([(60, "أيضا"), (45, "كذلك"), (80, "اليوم")], start=1)
    ]
    repost = {**original, "source": "portal.example", "url": "https://portal.example/x/99"}
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in [original, *variants, repost]) + "\n")

    alone = tmp_path / "alone.jsonl"
    alone.write_text(json.dumps(original, ensure_ascii=False) + "\n")
    replay = run_cli(settings, "replay", str(alone))
    expected = sorted(json.loads(line)["id"] for line in replay.stdout.splitlines() if line.strip())
    assert expected, "the original alone raises no alert"

    worker = start_worker(worker_factory, settings, tmp_path)
    assert run_cli(settings, "publish", str(batch)).returncode == 0
    alerts = read_topic(settings.bootstrap, settings.alerts_topic, expect=len(expected), idle=5.0)
    assert sorted(a["id"] for a in alerts) == expected, "reprints or the repost raised alerts of their own"

    stories = {tuple(a["story_ids"]) for a in alerts}
    assert len(stories) == 1, f"more than one story: {stories}"
    assert all(a["sources"] == 1 and a["source_names"] == ["agency.example"] for a in alerts)

    body = worker.metrics()
    assert metric_value(body, "dipwatch_duplicates_total", 'kind="reprint"') == 3
    assert metric_value(body, "dipwatch_duplicates_total", 'kind="exact"') == 1
    assert metric_value(body, "dipwatch_alerts_total") == len(expected)
    assert metric_value(body, "dipwatch_updates_total") == 0

    # An independent write-up of the same talks is a second source: an update, not an alert.
    independent = {"source": "independent.example", "url": "https://independent.example/istanbul",
                   "title": "", "connector": "files", "published": "2025-02-28T18:00:00Z",
                   "text": (SEEDS / "000_f9691bccb47936bc.txt").read_text(encoding="utf-8")}
    other = tmp_path / "independent.jsonl"
    other.write_text(json.dumps(independent, ensure_ascii=False) + "\n")
    assert run_cli(settings, "publish", str(other)).returncode == 0
    updates = read_topic(settings.bootstrap, settings.updates_topic, idle=4.0)
    corroborated = [u for u in updates if u["id"] in expected]
    assert corroborated, "the independent write-up corroborated nothing"
    assert all(u["sources"] == 2 and u["kind"] == "update" for u in corroborated)
