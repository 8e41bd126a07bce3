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
    # The seeds are real reports labelled by hand: every labelled development, nothing else.
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0), result
    assert result["articles_missing_from_output"] == []


def test_seed_replay_alerts_every_development_once() -> None:
    from streams.core.wire import alert_to_dict
    from streams.replay import Replayer

    articles = [
        Article(path.name, "seed", None, "", None, None, "ar", path.read_text(encoding="utf-8"), "file")
        for path in sorted((REPO / "seeds").glob("*.txt"))
    ]
    alerts = [alert_to_dict(a) for a in Replayer().alerts(articles)]
    result = scoring.score_alerts(json.loads(GOLD.read_text(encoding="utf-8")), alerts)
    assert (result["recall"], result["precision"], result["duplicate_alerts"]) == (1.0, 1.0, 0), result
