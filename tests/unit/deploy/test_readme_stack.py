"""The README's "Run the full stack" section says what the files do.

It reads the section from README.md once the lead has merged it, and from
notes/README-stack.md until then.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from typing import Any

import pytest

from streams.settings import Settings
from tests.unit.deploy import stack

HEADING = "## Run the full stack"


def section() -> str:
    readme = (stack.ROOT / "README.md").read_text(encoding="utf-8")
    if HEADING not in readme:
        readme = (stack.ROOT / "notes" / "README-stack.md").read_text(encoding="utf-8")
    assert HEADING in readme
    text = readme.split(HEADING, 1)[1]
    following = re.search(r"^## ", text, flags=re.MULTILINE)
    return text[: following.start()] if following else text


def commands(prefix: str) -> list[list[str]]:
    """Shell commands of the section's code blocks and inline code that start with ``prefix``."""
    text = section()
    candidates = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        candidates += [line.split("#")[0].strip() for line in block.splitlines()]
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    candidates += re.findall(r"`([^`]+)`", prose)
    found = []
    for candidate in candidates:
        if candidate.startswith(prefix):
            words = shlex.split(candidate.split("|")[0])
            found.append(words)
    return found


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = stack.load_yaml(stack.COMPOSE_FILE)
    return document


def test_compose_commands_name_existing_services(compose: dict[str, Any]) -> None:
    found = commands("docker compose")
    assert found
    services = set(compose["services"])
    for words in found:
        if len(words) < 3:
            continue
        if "--scale" in words:
            service, _, count = words[words.index("--scale") + 1].partition("=")
            assert service in services and int(count) > 0, words
        if words[2] in ("logs", "restart", "run"):
            named = [w for w in words[3:] if not w.startswith("-")]
            assert named[0] in services, words


def test_urls_are_published_ports(compose: dict[str, Any]) -> None:
    published = {
        int(str(port).split(":")[-2]) for service in compose["services"].values() for port in service.get("ports", [])
    }
    urls = re.findall(r"http://localhost:(\d+)", section())
    assert urls
    for port in urls:
        assert int(port) in published, port


def test_login_is_grafanas_default(compose: dict[str, Any]) -> None:
    environment = compose["services"]["grafana"]["environment"]
    user = re.fullmatch(r"\$\{(\w+):-(\w+)\}", environment["GF_SECURITY_ADMIN_USER"])
    password = re.fullmatch(r"\$\{(\w+):-(\w+)\}", environment["GF_SECURITY_ADMIN_PASSWORD"])
    assert user and password
    text = section()
    assert f"`{user.group(2)}` with the password `{password.group(2)}`" in text
    assert user.group(1) in text and password.group(1) in text


def test_dipwatch_commands_exist_with_their_flags() -> None:
    found = commands("dipwatch ")
    # `docker compose run ... worker ARGS` runs `dipwatch ARGS` (the image's entrypoint).
    for words in commands("docker compose run"):
        if "worker" in words and words[-1] != "worker":
            found.append(["dipwatch", *words[words.index("worker") + 1 :]])
    assert any(words[1] == "tail" for words in found)
    for words in found:
        help_text = subprocess.run(
            [sys.executable, "-m", "dipwatch.cli", words[1], "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert help_text.returncode == 0, (words, help_text.stderr)
        for flag in (w.split("=")[0] for w in words[2:] if w.startswith("--")):
            assert flag in help_text.stdout, (words, flag)


def test_broker_address_and_topics_match_kafka_and_the_settings(compose: dict[str, Any]) -> None:
    advertised = compose["services"]["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    for words in commands("dipwatch tail") + commands("kcat"):
        broker = words[words.index("--broker") + 1] if "--broker" in words else words[words.index("-b") + 1]
        assert f"://{broker}" in advertised, broker
    settings = Settings()
    for words in commands("kcat"):
        assert words[words.index("-t") + 1] == settings.alerts_topic
    text = section()
    for topic in (settings.alerts_topic, settings.updates_topic, settings.deadletter_topic):
        assert f"`{topic}`" in text


def test_paths_and_alert_names_exist() -> None:
    text = section()
    for path in re.findall(r"`((?:deploy/|docker-compose)[^`\s]*)`", text):
        assert (stack.ROOT / path).exists(), path
    listed = set(re.findall(r"`(Dipwatch\w+)`", text))
    assert stack.alert_names() <= listed | {"DipwatchNewDevelopment"}
    assert listed <= stack.alert_names()
