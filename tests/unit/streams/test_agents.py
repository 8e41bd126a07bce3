"""The agents through Faust's test_context on memory:// (no broker): the shell around the core."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.settings import Settings
from streams.worker import Shell, build

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


class Capture:
    """Stands in for ``Topic.send``: records what an agent sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, bytes]] = []

    async def __call__(self, *, key: Any = None, value: bytes = b"", **_: Any) -> None:
        self.sent.append((key, value))


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shell]:
    s = build(Settings(data_dir=tmp_path), CollectorRegistry())
    s.app.finalize()
    s.app.flow_control.resume()
    for name in ("tracked", "alerts", "updates", "deadletter"):
        monkeypatch.setattr(getattr(s.topics, name), "send", Capture())
    yield s
    # Faust made loops of its own (the app's, the idle consumer thread's); close them with the test.
    thread = getattr(getattr(s.app, "_consumer", None), "_thread", None)
    for loop in (s.app.loop, getattr(thread, "thread_loop", None)):
        if loop is not None and not loop.is_running() and not loop.is_closed():
            loop.close()


def _agent(shell: Shell, suffix: str) -> Any:
    return next(agent for name, agent in shell.app.agents.items() if name.endswith(suffix))


def _sample(shell: Shell, name: str, labels: dict[str, str] | None = None) -> float:
    value = shell.metrics.registry.get_sample_value(name, labels or {})
    return value or 0.0


def _seed(name: str) -> bytes:
    return json.dumps(
        {"id": name, "source": name, "text": (SEEDS / name).read_text(encoding="utf-8"), "connector": "files"}
    ).encode()


async def test_ingest_routes_tracked_articles_by_track_and_dead_letters_bad_ones(shell: Shell) -> None:
    async with _agent(shell, "ingest").test_context() as agent:
        await agent.put(b"{not json")
        await agent.put(b"[" * 100_000 + b"]" * 100_000)
        await agent.put(_seed("001_0b92c2e4bdb8e068.txt"))
        await agent.put(json.dumps({"source": "s", "text": "Istanbul derby ends 2-2 after late goal"}).encode())
    tracked = shell.topics.tracked.send.sent
    assert [key for key, _ in tracked] == ["ru-us"]
    dead = shell.topics.deadletter.send.sent
    assert [json.loads(value)["reason"] for _, value in dead] == ["not_json", "not_json"]
    assert "nested deeper" in json.loads(dead[1][1])["error"]
    assert _sample(shell, "dipwatch_deadletter_total", {"reason": "not_json"}) == 2
    assert _sample(shell, "dipwatch_articles_total", {"connector": "files"}) == 1
    assert _sample(shell, "dipwatch_articles_untracked_total") == 1


async def test_track_agent_alerts_once_and_keeps_state_in_tables(shell: Shell) -> None:
    async with _agent(shell, "track").test_context() as agent:
        for name in sorted(p.name for p in SEEDS.glob("*.txt")):
            await agent.put(_seed(name), key="ru-us")
        first = list(shell.topics.alerts.send.sent)
        for name in sorted(p.name for p in SEEDS.glob("*.txt")):
            await agent.put(_seed(name), key="ru-us")
    alerts = shell.topics.alerts.send.sent
    assert first, "the seeds raised no alert"
    assert alerts == first, "the same seeds again raised new alerts"
    ids = [json.loads(value)["id"] for _, value in alerts]
    assert {key for key, _ in alerts} == {"ru-us"}
    assert len(ids) == len(set(ids))
    assert shell.tables.track_state.get("ru-us") is not None
    assert _sample(shell, "dipwatch_duplicates_total", {"kind": "exact"}) == 5
    assert _sample(shell, "dipwatch_alerts_total", {"track": "ru-us", "type": "round_held"}) >= 1
    assert _sample(shell, "dipwatch_track_rounds", {"track": "ru-us"}) >= 1
