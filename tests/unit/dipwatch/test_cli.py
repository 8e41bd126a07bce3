"""The command line as a user runs it (subprocesses)."""

from __future__ import annotations

from pathlib import Path


def test_a_closed_pipe_ends_a_command_quietly() -> None:
    import subprocess
    import sys
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[3] / "seeds"
    producer = subprocess.Popen(
        [sys.executable, "-m", "dipwatch.cli", "replay", str(seeds)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert producer.stdout is not None
    first = producer.stdout.readline()
    producer.stdout.close()  # what `| head -1` does after its line
    _, stderr = producer.communicate(timeout=60)
    assert first.startswith(b"{")
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr, stderr
    assert producer.returncode in (0, 141)


def test_replay_judges_inputs_one_by_one_and_exits_1_when_any_was_rejected(tmp_path: Path) -> None:
    import subprocess
    import sys

    seeds = Path(__file__).resolve().parents[3] / "seeds"
    seed = sorted(seeds.glob("*.txt"))[0]
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "dipwatch.cli", "replay", str(seed), str(binary), str(tmp_path / "gone.txt"), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip(), "the good seed was not replayed"
    lines = result.stderr.strip().splitlines()
    assert any("binary.txt: rejected (not_text)" in line for line in lines), lines
    assert any("gone.txt: rejected (missing)" in line for line in lines), lines
    assert any("bad.jsonl:1: rejected (not_json)" in line for line in lines), lines
    assert lines[-1] == "dipwatch: 1 read, 3 rejected: 1 missing, 1 not_json, 1 not_text"
    assert "Traceback" not in result.stderr

    clean = subprocess.run(
        [sys.executable, "-m", "dipwatch.cli", "replay", str(seed)], capture_output=True, text=True, timeout=120
    )
    assert clean.returncode == 0 and "rejected" not in clean.stderr


def test_run_without_its_seeds_stops_before_starting_anything(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "dipwatch.cli", "run", "--seeds", str(tmp_path / "nowhere")],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == f"dipwatch: seeds not found: {tmp_path / 'nowhere'} (give --seeds PATH)"


def test_version_and_every_argument_has_help(capsys: object) -> None:
    import argparse

    import pytest

    from dipwatch import __version__
    from dipwatch.cli import _parser, main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    undocumented = [
        f"{name} {action.dest}"
        for name, sub in subparsers.choices.items()
        for action in sub._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    assert undocumented == []
    assert __version__


def test_state_prints_each_tracks_rolling_state(capsys: object) -> None:
    import json

    from dipwatch.cli import main

    seeds = Path(__file__).resolve().parents[3] / "seeds"
    assert main(["state", "--from", str(seeds), "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    state = json.loads(line)
    assert state["track"] == "ru-us"
    types = [d["type"] for d in state["developments"]]
    assert types.count("round_held") == state["counts"]["rounds"] >= 2
    assert all(d["evidence"] and d["id"].startswith("dev-") for d in state["developments"])
    dated = [d["date"] for d in state["developments"] if d["date"]]
    assert dated == sorted(dated)
    assert state["agenda"]["embassy_operations"] in ("discussed", "proposed", "agreed", "implemented", "stalled")

    assert main(["state", "--from", str(seeds)]) == 0
    table = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    assert table[0].startswith("ru-us  Russia - United States:")
    assert any(" round_held " in row and "Istanbul" in row for row in table)
    assert main(["state", "--from", str(seeds), "--track", "xx-yy"]) == 2


def test_state_without_files_asks_a_worker_and_says_when_none_answers(capsys: object) -> None:
    from dipwatch.broker import free_port
    from dipwatch.cli import main

    url = f"http://127.0.0.1:{free_port()}"
    assert main(["state", "--worker", url]) == 3
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert f"no worker answers at {url}/tracks" in err


def test_settings_are_judged_by_the_commands_that_use_them(tmp_path: Path) -> None:
    import os
    import socket
    import subprocess
    import sys

    seeds = str(Path(__file__).resolve().parents[3] / "seeds")

    def dipwatch(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DIPWATCH_")}
        return subprocess.run(
            [sys.executable, "-m", "dipwatch.cli", *args], env={**clean, **env},
            capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
        )  # fmt: skip

    assert dipwatch("replay", seeds, DIPWATCH_PARTITIONS="abc").returncode == 0
    bad = dipwatch("replay", seeds, DIPWATCH_MAX_ARTICLE_BYTES="lots")
    assert bad.returncode == 2 and "DIPWATCH_MAX_ARTICLE_BYTES='lots'" in bad.stderr
    loud = dipwatch("worker", DIPWATCH_LOG_LEVEL="loud", DIPWATCH_BROKER="kafka://127.0.0.1:9")
    assert loud.returncode == 2 and "DIPWATCH_LOG_LEVEL='loud'" in loud.stderr
    scheme = dipwatch("publish", seeds, "--broker", "http://foo:bar")
    assert scheme.returncode == 2 and "expected kafka://host:port" in scheme.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        taken = dipwatch("worker", DIPWATCH_BROKER="kafka://127.0.0.1:9", DIPWATCH_WEB_PORT=port)
    assert taken.returncode == 2, taken.stderr
    assert taken.stderr.strip().splitlines() == [
        f"dipwatch: port 127.0.0.1:{port} is in use: set DIPWATCH_WEB_PORT to a free one"
    ]


def test_run_on_the_embedded_broker_starts_its_feeds_afresh(tmp_path: Path) -> None:
    # The embedded broker keeps its topics in memory: items a previous run published are gone with
    # it, so a state remembering them would hide them from this run.
    from dipwatch.commands import EMBEDDED_STATE_FILE, STATE_FILE, _feeds_state

    (tmp_path / EMBEDDED_STATE_FILE).write_text("{}")
    (tmp_path / STATE_FILE).write_text("{}")
    assert _feeds_state(tmp_path, embedded=True) == tmp_path / EMBEDDED_STATE_FILE
    assert not (tmp_path / EMBEDDED_STATE_FILE).exists()
    # With an external broker the articles outlive the run: so does the state.
    assert _feeds_state(tmp_path, embedded=False) == tmp_path / STATE_FILE
    assert (tmp_path / STATE_FILE).exists()


def test_security_settings_that_cannot_work_stop_the_command_with_exit_2(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    password = "pw-never-printed"
    seeds = str(Path(__file__).resolve().parents[3] / "seeds")
    cases = [
        (
            {"DIPWATCH_SASL_MECHANISM": "GSSAPI", "DIPWATCH_SASL_USERNAME": "a", "DIPWATCH_SASL_PASSWORD": password},
            "DIPWATCH_SASL_MECHANISM='GSSAPI' is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512",
        ),
        (
            {"DIPWATCH_SASL_MECHANISM": "SCRAM-SHA-256", "DIPWATCH_SASL_PASSWORD": password},
            "DIPWATCH_SASL_MECHANISM=SCRAM-SHA-256 needs DIPWATCH_SASL_USERNAME",
        ),
        (
            {"DIPWATCH_BROKER": "kafka+ssl://localhost:9", "DIPWATCH_SSL_CAFILE": str(tmp_path / "missing.pem")},
            f"DIPWATCH_SSL_CAFILE='{tmp_path / 'missing.pem'}': no readable file there",
        ),
    ]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DIPWATCH_")}
    for env, message in cases:
        env.setdefault("DIPWATCH_BROKER", "kafka://localhost:9")
        result = subprocess.run(
            [sys.executable, "-m", "dipwatch.cli", "publish", seeds], env={**clean, **env},
            capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [f"dipwatch: {message}"]
        assert password not in result.stdout + result.stderr


def test_run_gives_a_worker_on_the_embedded_broker_a_short_session_unless_one_is_set() -> None:
    from dipwatch.broker import EMBEDDED_SESSION_TIMEOUT
    from dipwatch.commands import on_embedded_broker
    from streams.settings import Settings

    url = "kafka://127.0.0.1:9"
    assert Settings().session_timeout > EMBEDDED_SESSION_TIMEOUT
    chosen = on_embedded_broker(Settings(), url, {})
    assert (chosen.broker, chosen.session_timeout) == (url, EMBEDDED_SESSION_TIMEOUT)
    mine = Settings.from_env({"DIPWATCH_SESSION_TIMEOUT": "9"})
    assert on_embedded_broker(mine, url, {"DIPWATCH_SESSION_TIMEOUT": "9"}).session_timeout == 9


def test_extract_reads_an_undated_article_with_the_days_of_the_dated_ones(tmp_path: Path, capsys: object) -> None:
    import json

    from dipwatch.cli import main

    def row(article_id: str, published: str | None, text: str) -> str:
        fields = {"id": article_id, "source": "s", "url": f"https://example.org/{article_id}", "title": ""}
        return json.dumps({**fields, "published": published, "language": "en", "text": text})

    dump = tmp_path / "dump.jsonl"
    dated = "Russian and US delegations held talks in Riyadh on 18 February, Lavrov said."
    undated = "Lavrov and Rubio held talks in Riyadh on 18 February on restoring the embassies."
    dump.write_text(row("a", "2025-02-19T08:00:00Z", dated) + "\n" + row("b", None, undated) + "\n")
    assert main(["extract", str(dump)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]  # type: ignore[attr-defined]
    days = {x["article_id"]: [d["date"] for d in x["developments"]] for x in lines}
    # (alone, "18 February" has no year: the dated report of that day gives it)
    assert days == {"a": ["2025-02-18"], "b": ["2025-02-18"]}
    alone = tmp_path / "alone.jsonl"
    alone.write_text(row("b", None, undated) + "\n")
    assert main(["extract", str(alone)]) == 0
    (line,) = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    assert [d["date"] for d in json.loads(line)["developments"]] == [None]
