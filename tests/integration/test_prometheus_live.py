"""A real Prometheus scrapes a real worker and the RSS connector while articles flow; every PromQL
expression of the Grafana dashboards and of the Prometheus rules is evaluated through its HTTP API.

Prometheus (and Alertmanager) are the Debian binaries that `make test` installs, on loopback
ports with temporary data directories. Their configuration is the repository's
deploy/prometheus/prometheus.yml with Compose's DNS discovery replaced by loopback targets
and a one-second scrape and evaluation interval; the rule files are the repository's.

The data flow gives every dashboard query something to show: the connector polls feeds served
over loopback HTTP (one good, one malformed, one missing), the seeds are published three times
(alerts, then duplicates), and two undecodable messages reach the dead-letter topic. A labelled
counter has no series until its first increment, so each kind of event happens again after
Prometheus has seen its first sample. A dashboard query that returns no finite value fails the
test, and so does one that names a metric the code does not export.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import http.server
import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import yaml
from aiokafka import AIOKafkaProducer

from connectors.kafkaaccess import wait_for_port
from dipwatch.broker import free_port, stop_process
from streams.settings import Settings
from tests.unit.deploy import stack

from .conftest import SEEDS, WorkerProcess, run_cli, start_worker

pytestmark = pytest.mark.integration

SCRAPE_INTERVAL = "1s"
# What Grafana's variables stand for when a dashboard query is evaluated here: a rate window of
# several scrapes, and the scrape interval.
RATE_INTERVAL = "15s"
INTERVAL = "1s"


class PromQLError(Exception):
    """Prometheus refused a query (``bad_data``: it does not parse) or failed to evaluate it."""


class PrometheusServer:
    """The Debian ``prometheus`` binary on a loopback port, with a config of the test's own."""

    def __init__(self, config: dict[str, Any], workdir: Path, port: int) -> None:
        self.config = config
        self.workdir = workdir
        self.port = port
        self.log = workdir / "prometheus.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        binary = stack.require_tool("prometheus", "prometheus")
        self.workdir.mkdir(parents=True, exist_ok=True)
        config_file = self.workdir / "prometheus.yml"
        config_file.write_text(yaml.safe_dump(self.config, sort_keys=False), encoding="utf-8")
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(
                [
                    binary,
                    f"--config.file={config_file}",
                    f"--storage.tsdb.path={self.workdir / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                    "--storage.tsdb.retention.time=1h",
                    "--log.level=info",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_ready(f"{self.url}/-/ready", self._process, self.log, timeout)

    def stop(self) -> None:
        stop_process(self._process)
        self._process = None

    def api(self, path: str, **params: str) -> Any:
        """GET /api/v1/<path>; the ``data`` of a success, else PromQLError with Prometheus' words."""
        url = f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                body = json.load(exc)
            except ValueError:
                raise PromQLError(f"HTTP {exc.code} for {url}") from exc
        if body.get("status") != "success":
            raise PromQLError(f"{body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def query(self, expr: str, at: float | None = None) -> list[dict[str, Any]]:
        params = {"query": expr}
        if at is not None:
            params["time"] = f"{at:.3f}"
        data = self.api("query", **params)
        result: list[dict[str, Any]] = data["result"] if data["resultType"] in ("vector", "matrix") else []
        return result

    def query_range(self, expr: str, start: float, end: float, step: str = "1s") -> list[dict[str, Any]]:
        data = self.api("query_range", query=expr, start=f"{start:.3f}", end=f"{end:.3f}", step=step)
        result: list[dict[str, Any]] = data["result"]
        return result

    def wait_for(self, expr: str, what: str, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Poll the instant query ``expr`` until it returns a series."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self.query(expr)
            if result:
                return result
            time.sleep(0.5)
        targets = json.dumps(self.api("targets")["activeTargets"], indent=1)[:3000]
        pytest.fail(f"Prometheus never saw {what} ({expr}) within {timeout:.0f} s; targets:\n{targets}")


class AlertmanagerServer:
    """The Debian ``prometheus-alertmanager`` binary with the repository's alertmanager.yml."""

    def __init__(self, workdir: Path, port: int) -> None:
        self.workdir = workdir
        self.port = port
        self.log = workdir / "alertmanager.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        binary = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
        if binary is None:
            pytest.fail(
                "prometheus-alertmanager is not installed: run `make install-system` (Debian package "
                "prometheus-alertmanager) or `make test`",
                pytrace=False,
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(
                [
                    binary,
                    f"--config.file={stack.ALERTMANAGER_CONFIG}",
                    f"--storage.path={self.workdir / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                    "--cluster.listen-address=",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_ready(f"http://127.0.0.1:{self.port}/-/ready", self._process, self.log, timeout)

    def alerts(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/alerts", timeout=10) as response:
            alerts: list[dict[str, Any]] = json.load(response)
            return alerts

    def stop(self) -> None:
        stop_process(self._process)
        self._process = None


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited with {process.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} not ready within {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path, size: int = 3000) -> str:
    return path.read_text(errors="replace")[-size:] if path.exists() else "(no log)"


def live_config(targets: dict[str, str], alertmanager: str, rule_files: list[Path]) -> dict[str, Any]:
    """The repository's prometheus.yml with loopback targets instead of Compose's DNS names.

    ``targets`` maps a job name of prometheus.yml to the loopback ``host:port`` it scrapes here;
    a job without one (none is left out today) is dropped.
    """
    config: dict[str, Any] = stack.load_yaml(stack.PROMETHEUS_CONFIG)
    config["global"].update(
        scrape_interval=SCRAPE_INTERVAL, scrape_timeout=SCRAPE_INTERVAL, evaluation_interval=SCRAPE_INTERVAL
    )
    config["rule_files"] = [str(path) for path in rule_files]
    config["alerting"]["alertmanagers"] = [{"static_configs": [{"targets": [alertmanager]}]}]
    jobs = []
    for job in config["scrape_configs"]:
        name = job["job_name"]
        if name not in targets:
            continue
        jobs.append({"job_name": name, "static_configs": [{"targets": [targets[name]]}]})
    config["scrape_configs"] = jobs
    return config


# --- the feeds the RSS connector polls -------------------------------------------------------


def rss_document(base: str, seeds: list[Path]) -> bytes:
    now = dt.datetime.now(dt.UTC)
    items = []
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        title = text.split("،")[0][:120]
        items.append(
            f"<item><title>{escape(title)}</title><link>{base}/news/{path.stem}</link>"
            f"<guid>{base}/news/{path.stem}</guid><pubDate>{format_datetime(now)}</pubDate>"
            f"<description>{escape(text)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>loopback news</title><link>{base}/</link><description>test feed</description>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


class FeedServer:
    """Feed documents served over loopback HTTP from a thread."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[int, bytes]] = {}
        documents = self.documents

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = documents.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def feeds_file(path: Path, base: str) -> Path:
    path.write_text(
        "\n".join(
            f'[[feeds]]\nname = "{name}"\nurl = "{base}/{name}.xml"\nlanguage = "ar"\ninterval = 0.5\n'
            for name in ("loopback-good", "loopback-malformed", "loopback-missing")
        ),
        encoding="utf-8",
    )
    return path


class ConnectorProcess:
    """``dipwatch rss --feeds FILE`` as a child process, its /metrics on DIPWATCH_METRICS_PORT."""

    def __init__(self, settings: Settings, feeds: Path, log: Path) -> None:
        self.settings = settings
        self.feeds = feeds
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, **self.settings.to_env()}
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "dipwatch.cli", "rss", "--feeds", str(self.feeds)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                pytest.fail(f"`dipwatch rss` exited with {self._process.returncode}:\n{tail(self.log)}")
            if wait_for_port(self.settings.web_host, self.settings.metrics_port, 0.2):
                return
        pytest.fail(f"`dipwatch rss` served no /metrics on port {self.settings.metrics_port}:\n{tail(self.log)}")

    def stop(self) -> None:
        stop_process(self._process)
        self._process = None


def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
        await producer.start()
        try:
            for value in values:
                await producer.send_and_wait(topic, value=value, key=b"bad")
        finally:
            await producer.stop()

    asyncio.run(send())


# --- checking results --------------------------------------------------------------------------


def finite_values(result: list[dict[str, Any]]) -> list[float]:
    """Every finite sample of an instant (``value``) or range (``values``) result."""
    values = []
    for series in result:
        samples = series.get("values") or [series["value"]]
        values += [float(v) for _, v in samples if math.isfinite(float(v))]
    return values


def test_promql_extraction_finds_every_dashboard_target_and_rule() -> None:
    # The live test below is only as good as the list it walks.
    panels = sum(
        len(panel.get("targets", []))
        for path in stack.DASHBOARD_FILES
        for panel in json.loads(path.read_text(encoding="utf-8"))["panels"]
    )
    annotations = sum(
        "expr" in a
        for path in stack.DASHBOARD_FILES
        for a in json.loads(path.read_text(encoding="utf-8"))["annotations"]["list"]
    )
    assert len(stack.dashboard_queries()) == panels + annotations > 0
    assert len(stack.rule_queries()) == len(stack.rules()) > 0


def drive(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path, stop: contextlib.ExitStack
) -> tuple[PrometheusServer, AlertmanagerServer, float]:
    """Start everything, drive the data flow; Prometheus, Alertmanager and the start time."""
    feeds = stop.enter_context(FeedServer())
    seeds = sorted(SEEDS.glob("*.txt"))
    feeds.documents["/loopback-good.xml"] = (200, rss_document(feeds.base, seeds[:2]))
    # Not well-formed (an unclosed element): feedparser flags it bozo and recovers the item.
    broken = rss_document(feeds.base, seeds[2:3]).replace(b"</title>", b"", 1)
    feeds.documents["/loopback-malformed.xml"] = (200, broken)

    worker = start_worker(worker_factory, settings, tmp_path)
    connector_settings = settings.with_changes(metrics_port=free_port(), data_dir=tmp_path / "rss-data")
    alertmanager = AlertmanagerServer(tmp_path / "alertmanager", free_port())
    stop.callback(alertmanager.stop)
    alertmanager.start()
    prometheus_port = free_port()
    config = live_config(
        {
            "dipwatch-worker": f"127.0.0.1:{settings.web_port}",
            "dipwatch-rss": f"127.0.0.1:{connector_settings.metrics_port}",
            "prometheus": f"127.0.0.1:{prometheus_port}",
            "alertmanager": f"127.0.0.1:{alertmanager.port}",
        },
        f"127.0.0.1:{alertmanager.port}",
        stack.RULE_FILES,
    )
    prometheus = PrometheusServer(config, tmp_path / "prometheus", prometheus_port)
    stop.callback(prometheus.stop)
    prometheus.start()
    started = time.time()

    # The unlabelled series (histograms, last-article time) are seen at zero first.
    prometheus.wait_for(
        'count_over_time(dipwatch_alert_latency_seconds_count{job="dipwatch-worker"}[1m]) >= 2',
        "two scrapes of the worker",
    )
    connector = ConnectorProcess(
        connector_settings, feeds_file(tmp_path / "feeds.toml", feeds.base), tmp_path / "rss.log"
    )
    stop.callback(connector.stop)
    connector.start()
    prometheus.wait_for('dipwatch_feed_items_total{feed="loopback-good"} > 0', "feed items published")
    prometheus.wait_for(
        'count_over_time(dipwatch_feed_fetch_seconds_count{feed="loopback-good"}[1m]) >= 3',
        "repeated fetches",
    )

    assert run_cli(settings, "publish", str(SEEDS)).returncode == 0
    prometheus.wait_for("sum(dipwatch_alerts_total) > 0", "alerts", timeout=90)
    produce(settings.bootstrap, settings.articles_topic, [b"not json at all"])
    prometheus.wait_for("dipwatch_deadletter_total > 0", "a dead letter")
    # Again, after Prometheus has seen the first of each: duplicates and dead letters grow.
    assert run_cli(settings, "publish", str(SEEDS)).returncode == 0
    prometheus.wait_for("sum(dipwatch_duplicates_total) > 0", "duplicates")
    produce(settings.bootstrap, settings.articles_topic, [b"{ still not json"])
    prometheus.wait_for("sum(increase(dipwatch_deadletter_total[1m])) > 0", "dead letters growing")
    assert run_cli(settings, "publish", str(SEEDS)).returncode == 0
    prometheus.wait_for("sum(increase(dipwatch_duplicates_total[1m])) > 0", "duplicates growing")
    # A few more scrapes and rule evaluations after the last event.
    time.sleep(3)
    assert worker.process is not None and worker.process.poll() is None, worker.log_text()[-3000:]
    return prometheus, alertmanager, started


def check_queries(prometheus: PrometheusServer, started: float) -> list[str]:
    """What is wrong with the dashboards' and rules' queries, one line each."""
    end = time.time()
    range_ = f"{math.ceil(end - started) + 1}s"
    failures = []
    for query in stack.dashboard_queries():
        expr = query.substituted(RATE_INTERVAL, INTERVAL, range_)
        try:
            # As Grafana does: over the dashboard's time range, and at its end.
            values = finite_values(prometheus.query_range(expr, started, end))
            values += finite_values(prometheus.query(expr, end))
        except PromQLError as exc:
            failures.append(f"{query.origin}: {exc}\n    {expr}")
            continue
        if not values:
            failures.append(f"{query.origin}: no data\n    {expr}")

    for query in stack.rule_queries():
        try:
            prometheus.query(query.expr, end)
        except PromQLError as exc:
            failures.append(f"{query.origin}: {exc}")

    # Prometheus loaded every rule and evaluated each without error.
    loaded = {}
    for group in prometheus.api("rules")["groups"]:
        for rule in group["rules"]:
            loaded[rule["name"]] = rule
    for _, rule in stack.rules():
        name = rule.get("record") or rule.get("alert")
        if name not in loaded:
            failures.append(f"rule {name} not loaded by Prometheus")
        elif loaded[name]["health"] != "ok":
            failures.append(f"rule {name}: {loaded[name]['health']} {loaded[name].get('lastError')}")
    return failures


def test_dashboards_and_rules_on_a_live_prometheus_scraping_a_worker_and_the_rss_connector(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    with contextlib.ExitStack() as stop:
        prometheus, alertmanager, started = drive(settings, worker_factory, tmp_path, stop)

        # Every dashboard query returns data; every rule parses and evaluates.
        failures = check_queries(prometheus, started)
        assert not failures, "\n".join(failures)

        # The new-development alert fired for every type the worker alerted, even for types
        # whose counter series appeared already incremented.
        fired = prometheus.query_range(
            'ALERTS{alertname="DipwatchNewDevelopment", alertstate="firing"}', started, time.time()
        )
        sent = {series["metric"]["type"] for series in prometheus.query("dipwatch_alerts_total > 0")}
        assert {series["metric"]["type"] for series in fired} == sent
        # Dead letters grew across scrapes: that rule is pending (it fires after 15 minutes).
        assert prometheus.query('ALERTS{alertname="DipwatchDeadLettersGrowing", alertstate="pending"}')

        # Prometheus delivered the alert to Alertmanager, which routed it to its receiver.
        deadline = time.monotonic() + 30
        received: list[dict[str, Any]] = []
        while time.monotonic() < deadline and not received:
            received = [a for a in alertmanager.alerts() if a["labels"]["alertname"] == "DipwatchNewDevelopment"]
            time.sleep(0.5)
        assert received, "Alertmanager received no DipwatchNewDevelopment alert"
        assert {r["name"] for a in received for r in a["receivers"]} == {"developments"}
