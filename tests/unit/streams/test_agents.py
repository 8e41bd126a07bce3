"""The agents through Faust's test_context on memory:// (no broker): the shell around the core."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.journal import Journal, read, records
from streams.settings import Settings
from streams.worker import Shell, build

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


class Capture:
    """Stands in for ``Topic.send``: records what an agent sends (and in ``log``, in what order)."""

    def __init__(self, name: str = "", log: list[str] | None = None) -> None:
        self.sent: list[tuple[Any, bytes]] = []
        self.name = name
        self.log = log if log is not None else []

    async def __call__(self, *, key: Any = None, value: bytes = b"", **_: Any) -> None:
        self.sent.append((key, value))
        self.log.append(self.name)


class Flushes:
    """Stands in for the producer's flush (no broker here): notes each one in ``log``."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    async def __call__(self) -> None:
        self.log.append("flush")


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shell]:
    s = build(Settings(data_dir=tmp_path), CollectorRegistry())
    s.app.finalize()
    s.app.flow_control.resume()
    log: list[str] = []
    for name in ("tracked", "alerts", "updates", "deadletter"):
        monkeypatch.setattr(getattr(s.topics, name), "send", Capture(name, log))
    monkeypatch.setattr(s.agents, "flush", Flushes(log))
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


async def test_an_articles_alerts_go_out_only_after_its_table_writes_and_are_then_marked_sent(shell: Shell) -> None:
    log: list[str] = shell.topics.alerts.send.log
    async with _agent(shell, "track").test_context() as agent:
        await agent.put(_seed("001_0b92c2e4bdb8e068.txt"), key="ru-us")
    assert "alerts" in log, "the seed raised no alert"
    first_send = min(log.index(name) for name in ("alerts", "updates") if name in log)
    last_send = max(i for i, name in enumerate(log) if name in ("alerts", "updates"))
    # The journal and the state writes are acknowledged before any alert leaves, and the alerts
    # before the journal says they were sent.
    assert "flush" in log[:first_send]
    assert "flush" in log[last_send:]
    journal = read("ru-us", shell.tables.track_state.get)
    assert journal == Journal("001_0b92c2e4bdb8e068.txt")


async def test_a_journal_left_unsent_is_redone_before_the_next_article_and_counted(shell: Shell) -> None:
    alert = json.dumps({"id": "ru-us:round_held:x", "kind": "new"}).encode()
    unsent = Journal("a-1", {"ru-us|probe": b"redone"}, {"ru-us|a:probe": "redone"}, (("new", alert),))
    # What a worker killed between the journal and the acknowledgement of its alerts left.
    shell.tables.track_state.data.update(records("ru-us", unsent))
    async with _agent(shell, "track").test_context() as agent:
        await agent.put(_seed("001_0b92c2e4bdb8e068.txt"), key="ru-us")
    alerts = shell.topics.alerts.send.sent
    assert alerts[0] == ("ru-us", alert)
    assert shell.tables.track_state.get("ru-us|probe") == b"redone"
    assert shell.tables.dedup.get("ru-us|a:probe") == "redone"
    assert _sample(shell, "dipwatch_alerts_resent_total") == 1
    assert [a for a in alerts[1:] if a[1] == alert] == [], "sent twice by one worker"


async def test_a_copy_ingested_again_is_skipped_by_its_source_offset_even_when_the_index_forgot_it(
    shell: Shell,
) -> None:
    name = "001_0b92c2e4bdb8e068.txt"
    source = {"dipwatch-source": b"dipwatch.articles:0:7"}
    async with _agent(shell, "track").test_context() as agent:
        await agent.put(_seed(name), key="ru-us", headers=source)
        first = list(shell.topics.alerts.send.sent)
        # As if the dedup horizon had passed: the index no longer knows the article.
        for key in [k for k in shell.tables.dedup if k.startswith("ru-us|")]:
            del shell.tables.dedup.data[key]
        shell.agents.dedup_stores.clear()
        await agent.put(_seed(name), key="ru-us", headers=source)
    assert first, "the seed raised no alert"
    assert shell.topics.alerts.send.sent == first
    assert _sample(shell, "dipwatch_redelivered_articles_total") == 1
    positions = json.loads(shell.tables.track_state.get("ru-us|o"))
    assert positions == {"dipwatch.articles:0": 7}
