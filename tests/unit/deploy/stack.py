"""What the deployment files say, read from the repository: shared by the deploy tests.

The unit tests (tests/unit/deploy) and the live Prometheus test (tests/integration) both take
the PromQL of the Grafana dashboards and of the Prometheus rules from here, so that a query
added to a dashboard is checked by both without being listed anywhere.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry

from streams.metrics import Metrics

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = ROOT / "docker-compose.yml"
PROMETHEUS_DIR = DEPLOY / "prometheus"
PROMETHEUS_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
RULE_FILES = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))
RULE_TEST_FILES = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))
ALERTMANAGER_CONFIG = DEPLOY / "alertmanager" / "alertmanager.yml"
GRAFANA_DIR = DEPLOY / "grafana"
DASHBOARD_FILES = sorted((GRAFANA_DIR / "dashboards").glob("*.json"))
DATASOURCE_FILES = sorted((GRAFANA_DIR / "provisioning" / "datasources").glob("*.yml"))

# Values Grafana gives its global variables; the tests substitute them to evaluate a query.
GRAFANA_VARIABLES = ("$__rate_interval", "$__interval", "$__range")


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def require_tool(name: str, package: str) -> str:
    """The path of ``name``, or a failure that says how to install it (never a skip)."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not on PATH: run `make install-system` (Debian package {package}) "
            "or `make test`, which installs it",
            pytrace=False,
        )
    return path


@dataclass(frozen=True)
class Query:
    """One PromQL expression and where it comes from (for messages)."""

    origin: str
    expr: str
    #: A dashboard query must return data; a rule expression only has to parse and evaluate.
    from_dashboard: bool

    def substituted(self, rate_interval: str, interval: str, range_: str) -> str:
        """The expression with Grafana's variables replaced by durations."""
        return (
            self.expr.replace("$__rate_interval", rate_interval)
            .replace("$__interval", interval)
            .replace("$__range", range_)
        )


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def dashboard_queries() -> list[Query]:
    """Every ``expr`` of every panel target and annotation of every dashboard."""
    queries = []
    for path in DASHBOARD_FILES:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        for panel in _walk(dashboard.get("panels", [])):
            if "targets" not in panel:
                continue
            for target in panel["targets"]:
                origin = f"{path.name}: panel {panel.get('title')!r} target {target.get('refId')}"
                queries.append(Query(origin, target["expr"], from_dashboard=True))
        for annotation in dashboard.get("annotations", {}).get("list", []):
            if "expr" in annotation:
                origin = f"{path.name}: annotation {annotation.get('name')!r}"
                queries.append(Query(origin, annotation["expr"], from_dashboard=True))
    return queries


def rules() -> list[tuple[Path, dict[str, Any]]]:
    """Every rule of every rule file, with its file."""
    found = []
    for path in RULE_FILES:
        for group in load_yaml(path)["groups"]:
            for rule in group["rules"]:
                found.append((path, rule))
    return found


def rule_queries() -> list[Query]:
    queries = []
    for path, rule in rules():
        name = rule.get("record") or rule.get("alert")
        queries.append(Query(f"{path.name}: {name}", rule["expr"], from_dashboard=False))
    return queries


def recorded_names() -> set[str]:
    return {rule["record"] for _, rule in rules() if "record" in rule}


def alert_names() -> set[str]:
    return {rule["alert"] for _, rule in rules() if "alert" in rule}


def exported_series_names() -> set[str]:
    """The series names dipwatch's metrics appear under in the exposition format."""
    registry = CollectorRegistry()
    Metrics(registry)
    names = set()
    for family in registry.collect():
        if family.type == "counter":
            names |= {f"{family.name}_total", f"{family.name}_created"}
        elif family.type == "histogram":
            names |= {f"{family.name}_{s}" for s in ("bucket", "count", "sum", "created")}
        else:
            names.add(family.name)
    return names


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_IDENTIFIER = re.compile(r"(?<![\w$])[A-Za-z_:][A-Za-z0-9_:]*")


def metric_identifiers(expr: str) -> set[str]:
    """The identifiers of ``expr`` that name dipwatch series or recorded series."""
    bare = _STRING.sub('""', expr)
    return {token for token in _IDENTIFIER.findall(bare) if token.startswith("dipwatch_") or ":" in token}
