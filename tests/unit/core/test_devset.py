"""The labelled development set (tests/devset): its structure, its self-consistency, and its scores.

The structural checks are strict. The scoring test only checks that scoring runs and prints the
figures (run with ``-s`` to see them); floors on the scores are set by the lead later.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from streams.core.models import DEVELOPMENT_TYPES, TOPICS

REPO = Path(__file__).resolve().parents[3]
DEVSET = REPO / "tests" / "devset"
ARTICLE_FIELDS = ("id", "source", "url", "title", "published", "language", "text", "connector")
STATED = ("location", "date", "ordinal", "topics")


def _load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def score_devset() -> ModuleType:
    return _load_module("score_devset", REPO / "benchmarks" / "score_devset.py")


@pytest.fixture(scope="module")
def articles(score_devset: ModuleType) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = score_devset.load_articles(DEVSET)
    return rows


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEVSET / "gold.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def scorer(score_devset: ModuleType) -> ModuleType:
    module: ModuleType = score_devset.load_scorer()
    return module


def test_articles_are_well_formed(articles: list[dict[str, Any]]) -> None:
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for a in articles:
        assert set(ARTICLE_FIELDS) <= set(a), a["id"]
        assert a["connector"] == "devset"
        assert a["text"].strip() and a["title"].strip() and a["source"].strip(), a["id"]
        assert a["published"].endswith("Z"), a["id"]
        dt.datetime.fromisoformat(a["published"].replace("Z", "+00:00"))
        assert a["url"].startswith("https://"), a["id"]


def test_gold_structure(gold: dict[str, Any], articles: list[dict[str, Any]]) -> None:
    ids = {a["id"] for a in articles}
    assert set(gold["articles"]) == ids, "every article is labelled (distractors with []) and exists"
    for article_id, items in gold["articles"].items():
        for g in items:
            assert g["type"] in DEVELOPMENT_TYPES, (article_id, g)
            assert set(g["topics"]) <= set(TOPICS), (article_id, g)
            assert g["location"] is None or (isinstance(g["location"], str) and g["location"].strip())
            assert g["date"] is None or dt.date.fromisoformat(g["date"]).year == 2025, (article_id, g)
            assert g["ordinal"] is None or (isinstance(g["ordinal"], int) and g["ordinal"] >= 1)
    dev_ids = [d["id"] for d in gold["developments"]]
    assert len(dev_ids) == len(set(dev_ids)), "development ids are unique"
    for d in gold["developments"]:
        assert d["type"] in DEVELOPMENT_TYPES
        assert set(d.get("topics") or []) <= set(TOPICS)
    distractors = gold["distractor_articles"]
    assert len(distractors) == len(set(distractors))
    for article_id in distractors:
        assert article_id in ids and gold["articles"][article_id] == [], article_id
    for canonical, names in gold["location_aliases"].items():
        assert isinstance(canonical, str) and all(isinstance(n, str) for n in names)


def test_gold_size_meets_the_issue(gold: dict[str, Any], articles: list[dict[str, Any]]) -> None:
    """Issue 3: >= 150 labelled developments across >= 60 texts in at least two languages."""
    language = {a["id"]: a["language"] for a in articles}
    required = [(k, g) for k, items in gold["articles"].items() for g in items if not g.get("optional")]
    labelled_texts = {k for k, _ in required}
    assert len(required) >= 150, len(required)
    assert len(labelled_texts) >= 60, len(labelled_texts)
    assert len({language[k] for k in labelled_texts}) >= 2
    assert len(gold["distractor_articles"]) >= 20


def test_mentions_agree_with_their_development(gold: dict[str, Any], scorer: ModuleType) -> None:
    """Each mention is compatible with the development it names; each required one is mentioned."""
    matcher = scorer.Matcher.of(gold)
    by_id = {d["id"]: d for d in gold["developments"]}
    mentioned: set[str] = set()
    for article_id, items in gold["articles"].items():
        for g in items:
            dev = by_id[g["development"]]
            assert matcher.agree(dev, g) is not None, (article_id, g, dev)
            if not g.get("optional"):
                mentioned.add(dev["id"])
    required = {d["id"] for d in gold["developments"] if not d.get("optional")}
    assert required <= mentioned, sorted(required - mentioned)


def test_gold_scores_perfectly_against_itself(gold: dict[str, Any], scorer: ModuleType) -> None:
    rows = [{"article_id": k, "developments": v} for k, v in gold["articles"].items()]
    result = scorer.score_extract(gold, rows)
    assert (result["precision"], result["recall"]) == (1.0, 1.0), result
    alerts = [dict(d, evidence=[{"article_id": "x"}]) for d in gold["developments"]]
    result = scorer.score_alerts(gold, alerts)
    assert (result["recall"], result["precision"], result["duplicate_alerts"]) == (1.0, 1.0, 0), result


def test_scoring_runs_and_prints(score_devset: ModuleType, scorer: ModuleType) -> None:
    try:
        result = score_devset.score(DEVSET, force_in_process=True)
    except score_devset.CoreUnavailable as exc:
        pytest.skip(str(exc))
    e, a = result["extract"], result["alerts"]
    print(
        f"\ndev set {result['devset']}\n"
        f"extract: P {e['precision']} R {e['recall']} F1 {e['f1']} (tp {e['tp']} fp {e['fp']} fn {e['fn']})\n"
        f"by language: {result['extract_by_language']}\n"
        f"alerts: {None if a is None else {k: a[k] for k in ('recall', 'precision', 'duplicate_alerts')}}"
    )
    assert 0.0 <= e["precision"] <= 1.0 and 0.0 <= e["recall"] <= 1.0
    assert not e["articles_missing_from_output"]
    if a is not None:
        assert 0.0 <= a["recall"] <= 1.0 and 0.0 <= a["precision"] <= 1.0
