"""Grafana provisioning and dashboards, and the metric names of every PromQL expression.

Every name a dashboard or a rule queries must be one dipwatch exports (read from
``streams.metrics.Metrics`` on a fresh registry) or one a recording rule records; the live
test in tests/integration/test_prometheus_live.py then checks that each query returns data.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.unit.deploy import stack


def datasource_uid() -> str:
    (path,) = stack.DATASOURCE_FILES
    (datasource,) = stack.load_yaml(path)["datasources"]
    assert datasource["type"] == "prometheus"
    uid: str = datasource["uid"]
    return uid


def dashboards() -> list[tuple[str, dict[str, Any]]]:
    assert stack.DASHBOARD_FILES, "no dashboards in deploy/grafana/dashboards"
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in stack.DASHBOARD_FILES]


def all_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    panels = []
    for panel in dashboard["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))
    return panels


@pytest.mark.parametrize(("name", "dashboard"), dashboards())
def test_dashboard_references_the_provisioned_datasource_by_uid(name: str, dashboard: dict[str, Any]) -> None:
    uid = datasource_uid()
    for panel in all_panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": uid}, panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == {"type": "prometheus", "uid": uid}, panel["title"]
            assert target["expr"].strip(), panel["title"]
    for annotation in dashboard["annotations"]["list"]:
        if "expr" in annotation:
            assert annotation["datasource"] == {"type": "prometheus", "uid": uid}
    # No import-time inputs (${DS_PROMETHEUS}): provisioning does not resolve them.
    assert "${DS_" not in json.dumps(dashboard)


@pytest.mark.parametrize(("name", "dashboard"), dashboards())
def test_dashboard_layout_is_consistent(name: str, dashboard: dict[str, Any]) -> None:
    assert dashboard["uid"]
    assert dashboard["title"]
    ids = [panel["id"] for panel in all_panels(dashboard)]
    assert len(ids) == len(set(ids)), "duplicate panel ids"
    for panel in all_panels(dashboard):
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24, panel["title"]
        refs = [t["refId"] for t in panel.get("targets", [])]
        assert len(refs) == len(set(refs)), panel["title"]


def test_the_dashboard_provider_loads_the_dashboards_folder() -> None:
    (path,) = sorted((stack.GRAFANA_DIR / "provisioning" / "dashboards").glob("*.yml"))
    (provider,) = stack.load_yaml(path)["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"]


@pytest.mark.parametrize("query", stack.dashboard_queries() + stack.rule_queries(), ids=lambda q: q.origin)
def test_every_queried_name_is_exported_or_recorded(query: stack.Query) -> None:
    exported = stack.exported_series_names()
    recorded = stack.recorded_names()
    for name in stack.metric_identifiers(query.expr):
        if ":" in name:
            assert name in recorded, f"{query.origin}: {name} is not a recording rule"
        else:
            assert name in exported, f"{query.origin}: dipwatch does not export {name}"


def test_metric_name_check_catches_an_unknown_metric() -> None:
    assert stack.metric_identifiers('sum(rate(dipwatch_articles_seen_total{x="dipwatch_y"}[5m]))') == {
        "dipwatch_articles_seen_total"
    }
    assert "dipwatch_articles_seen_total" not in stack.exported_series_names()


def expand(expr: str) -> set[str]:
    """The exported names ``expr`` reads, through recording rules."""
    records = {rule["record"]: rule["expr"] for _, rule in stack.rules() if "record" in rule}
    names = set()
    for name in stack.metric_identifiers(expr):
        names |= expand(records[name]) if name in records else {name}
    return names


def test_the_dashboard_shows_what_the_issue_asks_for() -> None:
    queries = stack.dashboard_queries()
    read = set().union(*(expand(q.expr) for q in queries))
    assert {
        "dipwatch_articles_total",
        "dipwatch_duplicates_total",
        "dipwatch_developments_total",
        "dipwatch_alerts_total",
        "dipwatch_alert_latency_seconds_bucket",
        "dipwatch_feed_last_success_timestamp_seconds",
        "dipwatch_feed_fetches_total",
        "dipwatch_deadletter_total",
        "dipwatch_track_rounds",
        "dipwatch_track_agreements",
    } <= read
    text = " ".join(q.expr for q in queries) + " ".join(r["expr"] for _, r in stack.rules())
    assert re.search(r"histogram_quantile\(0\.5,.*dipwatch_alert_latency_seconds_bucket", text)
    assert re.search(r"histogram_quantile\(0\.99,.*dipwatch_alert_latency_seconds_bucket", text)
    assert "by (connector)" in text
    annotations = [q for q in queries if "annotation" in q.origin]
    assert any("dipwatch_alerts_total" in q.expr for q in annotations)
