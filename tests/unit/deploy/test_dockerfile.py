"""The Dockerfile and .dockerignore, read as files (no Docker engine here).

The build itself was rehearsed outside Docker (a fresh venv, the requirements of pyproject.toml,
`pip install --no-deps .`); these tests hold the properties the issue asks for.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib

from tests.unit.deploy import stack

DOCKERFILE = stack.ROOT / "Dockerfile"
DOCKERIGNORE = stack.ROOT / ".dockerignore"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages() -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for instruction in instructions():
        if instruction[0] == "FROM":
            found.append([])
        if found:
            found[-1].append(instruction)
    return found


def ignored(path: str) -> bool:
    """Whether the build context leaves ``path`` out (last matching pattern wins)."""
    result = False
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        head = path.split("/")[0]
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(head, pattern):
            result = not negate
    return result


def test_multi_stage_build_copies_only_the_environment_into_the_runtime_stage() -> None:
    build, runtime = stages()
    assert build[0][1].endswith("AS build")
    assert runtime[0][1].endswith("AS runtime")
    copies = [args for word, args in runtime if word == "COPY"]
    assert any(args.startswith("--from=build ") for args in copies)
    # Nothing of the source tree but the seeds reaches the runtime stage.
    assert {args.split()[0] for args in copies if not args.startswith("--from")} == {"seeds"}


def test_runtime_runs_as_a_non_root_user_with_dipwatch_as_entrypoint() -> None:
    runtime = stages()[-1]
    users = [args for word, args in runtime if word == "USER"]
    assert users, "no USER in the runtime stage"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert ("ENTRYPOINT", '["dipwatch"]') in runtime


def test_no_dev_dependencies_and_no_editable_install() -> None:
    runs = " ".join(args for word, args in instructions() if word == "RUN")
    assert "[dev]" not in runs
    assert "optional-dependencies" not in runs
    assert not re.search(r"pip install[^&]*\s-e\s", runs)
    assert "--no-deps ." in runs
    # The dependency list it reads is the runtime one.
    assert '["project"]["dependencies"]' in runs


def test_the_image_listens_where_the_compose_stack_expects() -> None:
    runtime = dict(stages()[-1])
    env = " ".join(args for word, args in stages()[-1] if word == "ENV")
    assert "DIPWATCH_WEB_HOST=0.0.0.0" in env
    assert "DIPWATCH_WEB_PORT=6066" in env
    assert set(runtime["EXPOSE"].split()) == {"6066", "6067"}


def test_build_context_holds_what_the_build_copies_and_nothing_else() -> None:
    copied = []
    for word, args in instructions():
        if word == "COPY" and not args.startswith("--from"):
            copied += args.split()[:-1]
    project = tomllib.loads((stack.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    copied.append(project["project"]["readme"])
    for path in copied:
        assert not ignored(path), f"{path} is copied but excluded by .dockerignore"
    for path in (".git", ".venv", "tests", "deploy", "notes", ".dipwatch", "dipwatch/__pycache__"):
        assert ignored(path), f"{path} is sent to the build context"
