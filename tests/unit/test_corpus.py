"""The real-text corpus (tests/corpus): its shape, its labels, its split, and that scoring runs.

Figures are printed (``-s``), not asserted: a score floor that could be loosened to get green
would measure nothing. The structure checks are strict.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks import scoring
from benchmarks.score_corpus import Corpus, detector_of, gold_for, replay_dump, score_part, time_order
from streams.core.models import DEVELOPMENT_TYPES, TOPICS

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ARTICLE_FIELDS = {"id", "source", "url", "title", "published", "language", "text", "connector"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(CORPUS)


def _all(corpus: Corpus) -> list[dict[str, Any]]:
    return [a for rows in corpus.articles.values() for a in rows]


def test_articles_are_real_pages_well_formed(corpus: Corpus) -> None:
    rows = _all(corpus)
    assert len(rows) >= 300
    ids = Counter(a["id"] for a in rows)
    urls = Counter(a["url"] for a in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [u for u, n in urls.items() if n > 1] == []
    for a in rows:
        assert set(a) == ARTICLE_FIELDS, a["id"]
        assert a["url"].startswith(("http://", "https://")), a["id"]
        assert a["text"].strip() and a["source"].strip(), a["id"]
        assert a["language"] in ("ar", "en", "ru", "fa"), a["id"]
        assert a["connector"] == "corpus"
    languages = Counter(a["language"] for a in rows)
    assert languages["ar"] * 2 >= len(rows), languages
    assert {"en", "ru", "fa"} <= set(languages)


def ids_elsewhere(corpus: Corpus, name: str) -> set[str]:
    return {a["id"] for other, rows in corpus.articles.items() if other != name for a in rows}


def test_every_article_is_labelled_in_the_scorers_schema(corpus: Corpus) -> None:
    distractors = 0
    for name, rows in corpus.articles.items():
        gold = corpus.gold[name]
        assert set(gold["articles"]) == {a["id"] for a in rows}, name
        developments = {d["id"]: d for d in gold["developments"]}
        matcher = scoring.Matcher.of(gold)
        for article_id, items in gold["articles"].items():
            assert (items == []) == (article_id in gold["distractor_articles"]), article_id
            for g in items:
                assert g["type"] in DEVELOPMENT_TYPES, (article_id, g)
                assert set(g.get("topics") or []) <= set(TOPICS), (article_id, g)
                dev = developments[g["development"]]
                assert matcher.agree(dev, g) is not None, (article_id, g, dev)
        for article_id, items in gold.get("cross_file_articles", {}).items():
            # another file's article that reports this track: labelled for it, found in its file
            assert article_id not in gold["articles"] and article_id in ids_elsewhere(corpus, name), article_id
            for g in items:
                assert matcher.agree(developments[g["development"]], g) is not None, (article_id, g)
        distractors += len(gold["distractor_articles"])
    assert distractors * 4 >= len(_all(corpus))


def test_the_split_is_honest(corpus: Corpus) -> None:
    dev, test = set(corpus.split["dev"]), set(corpus.split["test"])
    assert not dev & test
    assert len(dev | test) >= 5
    assert len(test - dev) >= 2
    assert len(corpus.part("test")) >= 100
    for track in dev | test:
        assert (CORPUS / "tracks" / f"{track}.toml").exists(), track


def test_gold_scores_perfectly_against_itself(corpus: Corpus) -> None:
    for name, gold in corpus.gold.items():
        rows = [{"article_id": k, "developments": v} for k, v in gold["articles"].items()]
        result = scoring.score_extract(gold, rows)
        assert (result["precision"], result["recall"]) == (1.0, 1.0), (name, result)


def test_scoring_the_development_part_runs_and_prints(corpus: Corpus) -> None:
    result = score_part(corpus, "dev")
    for r in result["tracks"]:
        print(r["track"], r["extract"]["f1"], {k: r["alerts"][k] for k in ("recall", "precision", "duplicate_alerts")})
    print("total", json.dumps(result["total"]))
    assert {r["track"] for r in result["tracks"]} == set(corpus.split["dev"])
    for r in result["tracks"]:
        assert r["extract"]["articles_missing_from_output"] == []


@pytest.mark.parametrize("part", ["test", "dev"])
def test_a_replay_gives_the_same_developments_in_any_arrival_order(corpus: Corpus, part: str) -> None:
    # Issue 10: the part replayed in time order, newest first and shuffled (as `dipwatch replay`
    # reads a dump): the same developments matched by the scorer, the same duplicates.
    rows = corpus.part(part)
    shuffled = list(rows)
    random.Random(7).shuffle(shuffled)
    for track in corpus.tracks_of(part):
        gold, detector = gold_for(corpus, track, rows), detector_of(corpus, track)
        forward = scoring.score_alerts(gold, replay_dump(detector, time_order(rows)))
        assert forward["matched"], track
        for order in (time_order(rows, newest_first=True), shuffled):
            other = scoring.score_alerts(gold, replay_dump(detector, order))
            assert (other["matched"], other["duplicate_alerts"], other["alerts"]) == (
                forward["matched"],
                forward["duplicate_alerts"],
                forward["alerts"],
            ), track
