"""The seed articles, scored with the project's scorer against the hand-labelled gold (tests/data)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from benchmarks import scoring
from streams.core.detector import assign_track, extract
from streams.core.models import Article

REPO = Path(__file__).resolve().parents[3]
GOLD = REPO / "tests" / "data" / "seeds_gold.json"


def test_seed_extraction_reaches_the_target() -> None:
    rows = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        article = Article(path.name, "seed", None, "", None, None, "ar", path.read_text(encoding="utf-8"), "file")
        assert assign_track(article) == "ru-us"
        mentions = extract(article)
        rows.append({"article_id": path.name, "developments": [dataclasses.asdict(m) for m in mentions]})
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    result = scoring.score_extract(gold, rows)
    assert result["f1"] >= 0.85, result
    assert result["articles_missing_from_output"] == []
