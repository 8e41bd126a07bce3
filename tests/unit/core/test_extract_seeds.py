"""The seed articles, scored with the shared scorer against the hand-labelled gold (target F1 ≥ 0.85)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path
from types import ModuleType

from streams.core.detector import assign_track, extract
from streams.core.models import Article

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared" / "eval"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_extraction_reaches_the_target() -> None:
    rows = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        article = Article(path.name, "seed", None, "", None, None, "ar", path.read_text(encoding="utf-8"), "file")
        assert assign_track(article) == "ru-us"
        mentions = extract(article)
        rows.append({"article_id": path.name, "developments": [dataclasses.asdict(m) for m in mentions]})
    gold = json.loads((SHARED / "seeds_gold.json").read_text(encoding="utf-8"))
    result = _scorer().score_extract(gold, rows)
    assert result["f1"] >= 0.85, result
    assert result["articles_missing_from_output"] == []
