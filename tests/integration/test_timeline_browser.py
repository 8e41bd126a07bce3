"""The timeline page in a real browser: headless Debian Chromium against a real worker with the
seeds; the DOM it renders is checked and a screenshot is kept as an artifact."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from streams.settings import Settings

from .conftest import SEEDS, WorkerProcess, run_cli, start_worker
from .test_state_api import base, settled_state

pytestmark = pytest.mark.integration

#: Where the screenshot is copied besides the test's directory (CI can collect it), if set.
ARTIFACTS = os.environ.get("DIPWATCH_TEST_ARTIFACTS")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("chromium is not installed: run `make install-system` (Debian package chromium)")
    # Root in CI has no user namespace sandbox; the profile lives in the test's directory.
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=90, check=False)


def test_timeline_page_in_headless_chromium(
    settings: Settings, worker_factory: list[WorkerProcess], tmp_path: Path
) -> None:
    worker = start_worker(worker_factory, settings, tmp_path)
    published = run_cli(settings, "publish", str(SEEDS))
    assert published.returncode == 0, published.stderr
    settled_state(worker, articles=len(list(SEEDS.iterdir())))
    url = f"{base(worker)}/tracks/ru-us.html"

    dumped = chromium(tmp_path, "--dump-dom", url)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    assert "<h1>Russia - United States</h1>" in dom
    # Meetings in time order: the dated rounds first, Riyadh before Istanbul.
    dates = [d for d in re.findall(r'<li class="entry status-held" [^>]*data-date="([^"]*)"', dom) if d]
    assert dates[:2] == ["2025-02-18", "2025-02-27"] and dates == sorted(dates)
    text = re.sub(r"<[^>]+>", "", dom)
    heads = ["Round 1 · 18 Feb 2025 · Riyadh", "Round 1 · 27 Feb 2025 · Istanbul", "Round 2 · "]
    assert all(h in text for h in heads), text[:2000]
    assert text.index(heads[0]) < text.index(heads[1]) < text.index(heads[2])
    # Arabic evidence is present and laid out right to left.
    arabic = re.findall(r'<blockquote class="evidence" dir="(\w+)">([^<]+)</blockquote>', dom)
    assert arabic and all(direction == "rtl" for direction, text in arabic if re.search("[\u0600-\u06ff]", text))
    assert any("الرياض" in text for _, text in arabic)
    assert "<script" not in dom

    shot = tmp_path / "timeline.png"
    taken = chromium(tmp_path, "--window-size=412,2400", f"--screenshot={shot}", url)
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if ARTIFACTS:
        Path(ARTIFACTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(ARTIFACTS) / "timeline.png")
