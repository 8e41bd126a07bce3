"""The state views on a real worker: ``GET /tracks``, ``/tracks/{id}``, the timeline pages, and
``dipwatch state`` reading them; with two workers, either answers for a track the other keeps."""

from __future__ import annotations

import dataclasses
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from dipwatch.broker import free_port
from streams.core.timeline import timeline
from streams.settings import Settings

from .conftest import ROOT, SEEDS, WorkerProcess, metric_value, run_cli, start_worker

pytestmark = pytest.mark.integration


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get_json(url: str) -> Any:
    status, content_type, body = get(url)
    assert status == 200, (url, status, body[:500])
    assert content_type.startswith("application/json"), content_type
    return json.loads(body)


def base(worker: WorkerProcess) -> str:
    return f"http://{worker.settings.web_host}:{worker.settings.web_port}"


def settled_state(
    worker: WorkerProcess, articles: int, *, all_workers: tuple[WorkerProcess, ...] = (), timeout: float = 90.0
) -> Any:
    """The state of ru-us from ``worker`` once the workers have taken ``articles`` and it stopped changing."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        taken = sum(metric_value(w.metrics(), "dipwatch_articles_total") for w in all_workers or (worker,))
        if taken >= articles:
            state = get_json(f"{base(worker)}/tracks/ru-us")
            if state == last and state["developments"]:
                return state
            last = state
        time.sleep(1.0)
    pytest.fail(f"the state of ru-us did not settle within {timeout} s:\n{worker.log_text()[-3000:]}")


def test_state_api_serves_the_seeds_rolling_state(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    worker = start_worker(worker_factory, settings, tmp_path)
    published = run_cli(settings, "publish", str(SEEDS))
    assert published.returncode == 0, published.stderr
    state = settled_state(worker, articles=len(list(SEEDS.iterdir())))

    assert state["track"] == "ru-us" and state["name"] == "Russia - United States"
    rounds = [e.development for e in timeline(state) if e.development["type"] == "round_held"]
    # The rounds of 18 Feb (Riyadh), 27 Feb and 10 Apr (Istanbul), in this order, with their ordinals.
    assert [(r["location"], r["ordinal"]) for r in rounds] == [("Riyadh", 1), ("Istanbul", 1), ("Istanbul", 2)]
    assert [r["date"] for r in rounds[:2]] == ["2025-02-18", "2025-02-27"]
    # The seeds date the second Istanbul round only in an undated recap ("27 فبراير و10 أبريل"): its
    # year is that of 27 February, a day the track already knows.
    assert rounds[2]["date"] == "2025-04-10"
    assert state["counts"]["rounds"] == 3
    for r in rounds:
        assert r["status"] == "held" and r["sources"] >= 1 and r["first_seen"].endswith("Z")
        assert all(e["sentence"] and e["source"] for e in r["evidence"])
    # The agenda items with their status and how it changed.
    items = {item["topic"]: item for item in state["agenda_items"]}
    assert items["embassy_operations"]["status"] == "agreed"
    assert [h["status"] for h in items["embassy_operations"]["history"]][-1] == "agreed"
    assert state["agenda"] == {topic: item["status"] for topic, item in items.items()}
    assert state["last_change"] is not None

    listing = get_json(f"{base(worker)}/tracks")["tracks"]
    assert listing == [
        {
            "id": "ru-us",
            "name": "Russia - United States",
            "counts": state["counts"],
            "last_change": state["last_change"],
            "owner": base(worker),
        }
    ]
    status, _, body = get(f"{base(worker)}/tracks/xx-yy")
    assert status == 404 and json.loads(body)["tracks"] == ["ru-us"]

    for path in ("/", "/tracks/ru-us.html"):
        status, content_type, page = get(base(worker) + path)
        assert status == 200 and content_type.startswith("text/html"), (path, status)
        assert b"Russia - United States" in page
    page_text = get(f"{base(worker)}/tracks/ru-us.html")[2].decode()
    assert page_text.index('data-date="2025-02-18"') < page_text.index('data-date="2025-02-27"')
    assert 'dir="rtl"' in page_text

    # `dipwatch state` reads the worker and prints what the replay of the same files prints.
    from_worker = run_cli(settings, "state", "--json")
    assert from_worker.returncode == 0, from_worker.stderr
    assert json.loads(from_worker.stdout) == state
    replayed = run_cli(settings, "state", "--from", str(SEEDS), "--json")
    assert sorted(d["id"] for d in json.loads(replayed.stdout)["developments"]) == sorted(
        d["id"] for d in state["developments"]
    )
    tables = [run_cli(settings, "state", *flags).stdout.splitlines() for flags in ((), ("--from", str(SEEDS)))]
    assert tables[0][1:] == tables[1][1:]  # all but the header's time of the last change
    assert tables[0][0].startswith("ru-us  Russia - United States: ")


def _tracks_file(tmp_path: Path) -> Path:
    builtin = (ROOT / "streams" / "lexicons" / "tracks.toml").read_text(encoding="utf-8")
    user = (ROOT / "tests" / "corpus" / "tracks" / "am-az.toml").read_text(encoding="utf-8")
    path = tmp_path / "tracks.toml"
    path.write_text(builtin + "\n" + user, encoding="utf-8")
    return path


def test_either_worker_answers_for_a_track_the_other_keeps(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    settings = dataclasses.replace(settings, tracks=_tracks_file(tmp_path))
    first = start_worker(worker_factory, settings, tmp_path)
    second = start_worker(worker_factory, dataclasses.replace(settings, web_port=free_port()), tmp_path)
    urls = {base(first), base(second)}
    # Wait until both workers see the same assignment of the two tracks (a rebalance follows the join).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        owners = [{t["id"]: t["owner"] for t in get_json(f"{base(w)}/tracks")["tracks"]} for w in (first, second)]
        if owners[0] == owners[1] and set(owners[0].values()) <= urls:
            break
        time.sleep(1.0)
    else:
        pytest.fail(f"the workers do not agree on who keeps the tracks: {owners}")
    published = run_cli(settings, "publish", str(SEEDS))
    assert published.returncode == 0, published.stderr
    keeper = next(w for w in (first, second) if base(w) == owners[0]["ru-us"])
    other = second if keeper is first else first
    state = settled_state(keeper, articles=len(list(SEEDS.iterdir())), all_workers=(first, second))
    # The worker that does not keep ru-us forwards the request to the one that does.
    assert get_json(f"{base(other)}/tracks/ru-us") == state
    other_page = get(f"{base(other)}/tracks/ru-us.html?since=2000-01-01T00:00:00Z")
    assert other_page[0] == 200 and other_page[1].startswith("text/html")
    assert 'data-date="2025-02-18"' in other_page[2].decode()
    # The query went along: everything is new since 2000.
    assert other_page[2].decode().count('<span class="badge changed">new</span>') == len(state["developments"])
    listing = {t["id"]: t for t in get_json(f"{base(other)}/tracks")["tracks"]}
    assert listing["ru-us"]["counts"] == state["counts"]
    assert listing["ru-us"]["owner"] == base(keeper)
    assert listing["am-az"]["counts"] is not None
