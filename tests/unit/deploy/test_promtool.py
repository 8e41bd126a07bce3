"""promtool and amtool on the Prometheus and Alertmanager files of the compose stack.

The tools come from Debian (prometheus, prometheus-alertmanager), installed by `make test`
through `make install-system`. A missing tool fails the test: it never skips.
"""

from __future__ import annotations

import re
import subprocess

from tests.unit.deploy import stack


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_prometheus_config_is_valid_and_loads_every_rule_file() -> None:
    promtool = stack.require_tool("promtool", "prometheus")
    result = run(promtool, "check", "config", str(stack.PROMETHEUS_CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr
    # The rule_files glob of prometheus.yml matches every rule file of the repository.
    for path in stack.RULE_FILES:
        assert f"Checking {path}" in result.stdout or path.name in result.stdout, result.stdout


def test_rules_are_valid() -> None:
    promtool = stack.require_tool("promtool", "prometheus")
    assert stack.RULE_FILES, "no rule files in deploy/prometheus/rules"
    result = run(promtool, "check", "rules", *map(str, stack.RULE_FILES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_rule_unit_tests_pass() -> None:
    promtool = stack.require_tool("promtool", "prometheus")
    assert stack.RULE_TEST_FILES, "no rule tests in deploy/prometheus/tests"
    result = run(promtool, "test", "rules", *map(str, stack.RULE_TEST_FILES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAILED" not in result.stdout


def test_every_rule_has_a_unit_test() -> None:
    tested_alerts: set[str] = set()
    tested_exprs = ""
    loaded: set[str] = set()
    for path in stack.RULE_TEST_FILES:
        document = stack.load_yaml(path)
        loaded |= {(path.parent / name).resolve().name for name in document["rule_files"]}
        for case in document["tests"]:
            tested_alerts |= {t["alertname"] for t in case.get("alert_rule_test", [])}
            tested_exprs += " ".join(t["expr"] for t in case.get("promql_expr_test", []))
    assert loaded >= {path.name for path in stack.RULE_FILES}
    assert stack.alert_names() - tested_alerts == set(), "alerting rules without alert_rule_test"
    untested = {name for name in stack.recorded_names() if name not in tested_exprs}
    assert untested == set(), "recording rules without promql_expr_test"


def test_alertmanager_config_is_valid() -> None:
    amtool = stack.require_tool("amtool", "prometheus-alertmanager")
    result = run(amtool, "check-config", str(stack.ALERTMANAGER_CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr


def test_alertmanager_routes_name_existing_alerts() -> None:
    config = stack.load_yaml(stack.ALERTMANAGER_CONFIG)
    text = str(config["route"]) + str(config.get("inhibit_rules", []))
    named = set(re.findall(r'alertname=~?"([^"]+)"', text))
    for name in named:
        assert all(part in stack.alert_names() for part in name.split("|")), name


def test_alerts_inline_the_expressions_of_the_recording_rules_they_mirror() -> None:
    def squeeze(expr: str) -> str:
        return " ".join(expr.split())

    rules = {rule.get("record") or rule.get("alert"): rule["expr"] for _, rule in stack.rules()}
    assert squeeze(rules["DipwatchNewDevelopment"]) == squeeze(rules["type:dipwatch_alerts:new10m"]) + " > 0"
    assert squeeze(rules["DipwatchFeedStale"]) == (
        squeeze(rules["feed:dipwatch_feed_last_success:age_seconds"]) + " > 3 * 300"
    )
