"""docker-compose.yml: valid under the Compose Specification, and wired to the right addresses.

No Docker engine runs here, so the stack is checked as files: the schema (the Compose
Specification's JSON schema as vendored by check-jsonschema, no download), then the addresses
that must agree across files (Kafka's internal listener, the worker's metrics port that
Prometheus discovers, the Prometheus URL of Grafana's data source, the mounted files).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.unit.deploy import stack

DIPWATCH_SERVICES = ("worker", "seeds", "rss")
# Any attempt to download something during validation goes to a closed loopback port and fails.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **OFFLINE}
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = stack.load_yaml(stack.COMPOSE_FILE)
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = compose["services"]
    return found


@pytest.fixture(scope="module")
def prometheus_config() -> dict[str, Any]:
    config: dict[str, Any] = stack.load_yaml(stack.PROMETHEUS_CONFIG)
    return config


def listeners(value: str) -> dict[str, tuple[str, int]]:
    """``NAME://host:port,...`` -> {NAME: (host, port)}."""
    out = {}
    for item in value.split(","):
        name, _, address = item.strip().partition("://")
        host, _, port = address.rpartition(":")
        out[name] = (host, int(port))
    return out


def env(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def volumes(service: dict[str, Any]) -> dict[str, str]:
    """target -> source of the short-syntax volumes of ``service``."""
    out = {}
    for item in service.get("volumes", []):
        source, target, *_ = item.split(":")
        out[target] = source
    return out


def container_ports(service: dict[str, Any]) -> set[int]:
    """Container ports of the short-syntax ``ports`` entries (``[ip:]host:container``)."""
    return {int(str(item).rsplit(":", 1)[-1]) for item in service.get("ports", [])}


def job(config: dict[str, Any], name: str) -> dict[str, Any]:
    for scrape in config["scrape_configs"]:
        if scrape["job_name"] == name:
            found: dict[str, Any] = scrape
            return found
    raise AssertionError(f"no scrape job {name!r} in prometheus.yml")


# --- the specification ---------------------------------------------------------------------


def test_compose_file_follows_the_compose_specification() -> None:
    result = validate(stack.COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("original", "broken"),
    [
        ("condition: service_healthy", "condition: service_ready"),
        ("restart: on-failure", "restart_policy: on-failure"),
    ],
)
def test_the_validator_rejects_what_the_specification_forbids(tmp_path: Path, original: str, broken: str) -> None:
    text = stack.COMPOSE_FILE.read_text(encoding="utf-8")
    assert original in text
    path = tmp_path / "docker-compose.yml"
    path.write_text(text.replace(original, broken, 1), encoding="utf-8")
    result = validate(path)
    assert result.returncode != 0, result.stdout


# --- Kafka ----------------------------------------------------------------------------------


def test_kafka_is_a_single_kraft_node_with_an_internal_and_a_host_listener(services: dict[str, Any]) -> None:
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    e = env(kafka)
    assert set(e["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    bound = listeners(e["KAFKA_LISTENERS"])
    advertised = listeners(e["KAFKA_ADVERTISED_LISTENERS"])
    assert advertised["INTERNAL"] == ("kafka", bound["INTERNAL"][1])
    assert advertised["HOST"] == ("localhost", 9092)
    assert bound["HOST"][1] == 9092
    assert "127.0.0.1:9092:9092" in kafka["ports"]
    assert e["KAFKA_INTER_BROKER_LISTENER_NAME"] == "INTERNAL"
    controller = e["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert e["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{e['KAFKA_NODE_ID']}@kafka:{bound[controller][1]}"
    assert controller not in advertised
    # Partition count of auto-created topics = the partitions dipwatch declares.
    assert e["KAFKA_NUM_PARTITIONS"] == env(services["worker"])["DIPWATCH_PARTITIONS"]


def test_kafka_keeps_its_log_in_a_named_volume_and_has_a_healthcheck(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    kafka = services["kafka"]
    log_dir = env(kafka)["KAFKA_LOG_DIRS"]
    assert volumes(kafka)[log_dir] in compose["volumes"]
    internal = env(kafka)["KAFKA_ADVERTISED_LISTENERS"].split(",")[0].split("://")[1]
    assert internal in " ".join(kafka["healthcheck"]["test"])


# --- the dipwatch services -----------------------------------------------------------------


@pytest.mark.parametrize("name", DIPWATCH_SERVICES)
def test_dipwatch_services_use_kafkas_internal_listener(services: dict[str, Any], name: str) -> None:
    internal_host, internal_port = listeners(env(services["kafka"])["KAFKA_ADVERTISED_LISTENERS"])["INTERNAL"]
    assert internal_host in services
    assert env(services[name])["DIPWATCH_BROKER"] == f"kafka://{internal_host}:{internal_port}"


@pytest.mark.parametrize("name", DIPWATCH_SERVICES)
def test_dipwatch_services_wait_for_kafka_restart_on_failure_and_use_the_image(
    services: dict[str, Any], name: str
) -> None:
    service = services[name]
    assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert service["restart"] == "on-failure"
    assert service["build"]["context"] == "."
    assert (stack.ROOT / service["build"]["dockerfile"]).is_file()


def test_every_service_runs_as_a_non_root_user(services: dict[str, Any]) -> None:
    for name, service in services.items():
        user = str(service.get("user", ""))
        assert user, f"{name} has no user"
        assert user.split(":")[0] not in ("root", "0"), f"{name} runs as root"


def test_worker_scales_and_is_scraped_by_service_name(
    services: dict[str, Any], prometheus_config: dict[str, Any]
) -> None:
    worker = services["worker"]
    # A fixed name or host port would make `docker compose up --scale worker=N` fail.
    assert "container_name" not in worker
    assert "ports" not in worker
    e = env(worker)
    assert e["DIPWATCH_WEB_HOST"] == "0.0.0.0"
    port = int(e["DIPWATCH_WEB_PORT"])
    assert str(port) in [str(p) for p in worker["expose"]]
    assert worker["command"] == ["worker"]
    (sd,) = job(prometheus_config, "dipwatch-worker")["dns_sd_configs"]
    assert sd["names"] == ["worker"]
    assert sd["type"] == "A"
    assert sd["port"] == port


def test_rss_connector_reads_the_mounted_feeds_file_and_is_scraped(
    services: dict[str, Any], prometheus_config: dict[str, Any]
) -> None:
    rss = services["rss"]
    command = rss["command"]
    assert command[0] == "rss"
    feeds_path = command[command.index("--feeds") + 1]
    source = volumes(rss)[feeds_path]
    assert source == "./deploy/feeds.example.toml"
    port = int(env(rss)["DIPWATCH_METRICS_PORT"])
    (sd,) = job(prometheus_config, "dipwatch-rss")["dns_sd_configs"]
    assert sd["names"] == ["rss"]
    assert sd["port"] == port


def test_the_mounted_feeds_file_exists_and_is_valid(services: dict[str, Any]) -> None:
    from connectors.feeds import load_feeds

    rss = services["rss"]
    source = volumes(rss)[rss["command"][rss["command"].index("--feeds") + 1]]
    path = stack.ROOT / source
    assert path.is_file(), f"{source} is mounted into the rss service but does not exist"
    assert load_feeds(path)


def test_the_worker_follows_the_mounted_tracks_file(services: dict[str, Any]) -> None:
    from streams.tracksfile import load_tracks

    worker = services["worker"]
    target = env(worker)["DIPWATCH_TRACKS"]
    source = volumes(worker)[target]
    assert source == "./deploy/tracks.example.toml"
    tracks = load_tracks(stack.ROOT / source)
    assert "ru-us" in tracks.ids and len(tracks.ids) >= 2


def test_seeds_service_publishes_the_seeds_baked_into_the_image(services: dict[str, Any]) -> None:
    assert services["seeds"]["command"] == ["publish", "/app/seeds"]
    dockerfile = (stack.ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY seeds /app/seeds" in dockerfile


# --- Prometheus, Alertmanager, Grafana -------------------------------------------------------


def test_prometheus_service_loads_the_repository_config(
    services: dict[str, Any], prometheus_config: dict[str, Any]
) -> None:
    prometheus = services["prometheus"]
    mounts = volumes(prometheus)
    assert mounts["/etc/prometheus"] == "./deploy/prometheus"
    flags = dict(arg.partition("=")[::2] for arg in prometheus["command"])
    assert flags["--config.file"] == "/etc/prometheus/prometheus.yml"
    assert mounts[flags["--storage.tsdb.path"]] == "prometheus-data"
    # The rule glob, relative to the config file, finds the rule files in the container too.
    (pattern,) = prometheus_config["rule_files"]
    assert sorted(stack.PROMETHEUS_DIR.glob(pattern)) == stack.RULE_FILES


def test_prometheus_sends_alerts_to_the_alertmanager_service(
    services: dict[str, Any], prometheus_config: dict[str, Any]
) -> None:
    (manager,) = prometheus_config["alerting"]["alertmanagers"]
    (target,) = manager["static_configs"][0]["targets"]
    host, _, port = target.partition(":")
    assert host in services
    assert int(port) in container_ports(services[host])
    alertmanager = services["alertmanager"]
    assert volumes(alertmanager)["/etc/alertmanager"] == "./deploy/alertmanager"
    assert "--config.file=/etc/alertmanager/alertmanager.yml" in alertmanager["command"]


def test_grafana_data_source_is_the_prometheus_service(services: dict[str, Any]) -> None:
    (path,) = stack.DATASOURCE_FILES
    (datasource,) = stack.load_yaml(path)["datasources"]
    url = urlsplit(datasource["url"])
    assert url.hostname == "prometheus"
    assert url.port in container_ports(services["prometheus"])
    scrape_interval = stack.load_yaml(stack.PROMETHEUS_CONFIG)["global"]["scrape_interval"]
    assert datasource["jsonData"]["timeInterval"] == scrape_interval


def test_grafana_mounts_provisioning_and_the_dashboards_the_provider_reads(services: dict[str, Any]) -> None:
    grafana = services["grafana"]
    mounts = volumes(grafana)
    assert mounts["/etc/grafana/provisioning"] == "./deploy/grafana/provisioning"
    (provider_file,) = sorted((stack.GRAFANA_DIR / "provisioning" / "dashboards").glob("*.yml"))
    (provider,) = stack.load_yaml(provider_file)["providers"]
    dashboards_in_container = provider["options"]["path"]
    assert mounts[dashboards_in_container] == "./deploy/grafana/dashboards"
    home = env(grafana)["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    relative = Path(home).relative_to(dashboards_in_container)
    assert (stack.GRAFANA_DIR / "dashboards" / relative).is_file()


def test_named_volumes_are_declared(compose: dict[str, Any], services: dict[str, Any]) -> None:
    for name, service in services.items():
        for source in volumes(service).values():
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], f"{name}: volume {source} is not declared"
            else:
                assert (stack.ROOT / source).exists() or source.endswith("feeds.example.toml"), source


@pytest.mark.parametrize("name", DIPWATCH_SERVICES)
def test_dipwatch_services_run_as_the_images_user(services: dict[str, Any], name: str) -> None:
    dockerfile = (stack.ROOT / "Dockerfile").read_text(encoding="utf-8")
    uid = re.search(r"^ARG UID=(\d+)$", dockerfile, flags=re.MULTILINE)
    assert uid is not None
    assert services[name]["user"] == f"{uid.group(1)}:{uid.group(1)}"
