#!/usr/bin/env python3
"""Score dipwatch on the real-text corpus (tests/corpus), per part and per track.

Each track is scored as a user would run it: a tracks file with that track alone (the built-in
set for ``ru-us``), every article of the part replayed in publication order, the other tracks'
articles and the cross-track distractors counting as distractors. Extraction is scored on the
track's own articles (``dipwatch extract``: track assignment, then extraction). The same part is
also listed newest first: read as ``dipwatch replay`` reads a dump (put in publication order by the
file connector), and fed to the core newest first as it comes (what a worker does with reports
that arrive late), to show whether alerts depend on arrival order.

Usage: ``.venv/bin/python benchmarks/score_corpus.py [--part dev|test|all] [--track ID] [--json]
[--errors]``. Scores use :mod:`benchmarks.scoring`, written for this project.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
sys.path.insert(0, str(REPO))

from benchmarks import scoring  # noqa: E402
from connectors.files import FileMessage, in_time_order  # noqa: E402
from streams.core.detector import Detector, detector_for  # noqa: E402
from streams.core.models import Article  # noqa: E402
from streams.core.wire import alert_to_dict, article_from_bytes, article_from_dict  # noqa: E402
from streams.replay import Replayer, extract_dump  # noqa: E402
from streams.tracksfile import load_tracks  # noqa: E402


@dataclasses.dataclass(frozen=True)
class Corpus:
    """Articles (as dicts, by track file) and gold files of the corpus directory."""

    articles: dict[str, list[dict[str, Any]]]
    gold: dict[str, dict[str, Any]]
    split: dict[str, Any]

    @classmethod
    def load(cls, directory: Path = CORPUS) -> Corpus:
        articles, gold = {}, {}
        for path in sorted(directory.glob("*.jsonl")):
            name = path.stem
            articles[name] = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
            gold[name] = json.loads((directory / f"{name}.gold.json").read_text(encoding="utf-8"))
        split = json.loads((directory / "split.json").read_text(encoding="utf-8"))
        return cls(articles, gold, split)

    def part(self, name: str) -> list[dict[str, Any]]:
        """Every article of a part: its tracks' files and its half of the cross-track distractors."""
        tracks = self.split["dev"] + self.split["test"] if name == "all" else self.split[name]
        rows = [a for t in tracks for a in self.articles.get(t, [])]
        others = self.articles.get("distractors", [])
        if name == "all":
            rows += others
        else:
            parity = 0 if name == "dev" else 1
            rows += [a for i, a in enumerate(others) if i % 2 == parity]
        return rows

    def tracks_of(self, name: str) -> list[str]:
        tracks: list[str] = self.split["dev"] + self.split["test"] if name == "all" else self.split[name]
        return [t for t in tracks if t in self.articles]


def time_order(rows: Iterable[dict[str, Any]], *, newest_first: bool = False) -> list[dict[str, Any]]:
    """Articles by publication time (undated ones last, in file order)."""
    rows = list(rows)
    dated = sorted((a for a in rows if a.get("published")), key=lambda a: str(a["published"]), reverse=newest_first)
    return dated + [a for a in rows if not a.get("published")]


def detector_of(corpus: Corpus, track: str) -> Detector:
    path = None if track in corpus.split.get("builtin", []) else CORPUS / "tracks" / f"{track}.toml"
    return detector_for(load_tracks(path))


def gold_for(corpus: Corpus, track: str, part_rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The track's gold within a part: its labels, its developments that the part's articles
    report, and every other article of the part as a distractor."""
    gold = corpus.gold[track]
    ids = {str(a["id"]) for a in part_rows}
    # Articles of another file that report this track (a cross-track distractor that is this
    # track's news) carry their labels for it under "cross_file_articles".
    labelled = {**gold["articles"], **gold.get("cross_file_articles", {})}
    own = {k: v for k, v in labelled.items() if k in ids}
    reported = {m.get("development") for items in own.values() for m in items}
    # A development the part's articles state only in optional mentions is optional itself: a
    # reasonable system may or may not report it, so it is not required of the alerts either.
    required = {m.get("development") for items in own.values() for m in items if not m.get("optional")}
    return {
        "articles": own,
        "developments": [
            {**d, "optional": True} if d["id"] not in required else d
            for d in gold["developments"]
            if d["id"] in reported
        ],
        "distractor_articles": sorted((ids - set(own)) | (set(gold.get("distractor_articles", [])) & ids)),
        "location_aliases": gold.get("location_aliases", {}),
    }


def _article(row: dict[str, Any]) -> Article:
    return article_from_dict(dict(row))


def extract_rows(detector: Detector, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = list(rows)
    found = extract_dump([_article(row) for row in rows], detector)
    return [
        {"article_id": row["id"], "developments": [dataclasses.asdict(m) for m in mentions]}
        for row, (_, mentions) in zip(rows, found, strict=True)
    ]


def replay_alerts(detector: Detector, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    replayer = Replayer(detector=detector)
    return [alert_to_dict(a) for a in replayer.alerts(_article(r) for r in rows)]


def replay_dump(detector: Detector, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alerts of ``dipwatch replay`` of a dump holding ``rows`` in the order given."""
    lines = [FileMessage(str(i), json.dumps(r, ensure_ascii=False).encode()) for i, r in enumerate(rows)]
    replayer = Replayer(detector=detector)
    articles = (article_from_bytes(m.payload) for m in in_time_order(lines))
    return [alert_to_dict(a) for a in replayer.alerts(articles)]


def _order_figures(backward: dict[str, Any], forward: dict[str, Any]) -> dict[str, Any]:
    keys = ("alerts", "recall", "precision", "duplicate_alerts", "distractor_alarms")
    same = backward["matched"] == forward["matched"] and backward["duplicate_alerts"] == forward["duplicate_alerts"]
    return {k: backward[k] for k in keys} | {"same_developments": same}


def score_track(corpus: Corpus, track: str, part: str) -> dict[str, Any]:
    rows = corpus.part(part)
    gold = gold_for(corpus, track, rows)
    detector = detector_of(corpus, track)
    own = [r for r in rows if r["id"] in gold["articles"]]
    extract = scoring.score_extract(gold, extract_rows(detector, own))
    forward = scoring.score_alerts(gold, replay_dump(detector, time_order(rows)))
    newest_first = time_order(rows, newest_first=True)
    dump = scoring.score_alerts(gold, replay_dump(detector, newest_first))
    arrival = scoring.score_alerts(gold, replay_alerts(detector, newest_first))
    return {
        "track": track,
        "articles": len(own),
        "extract": extract,
        "alerts": forward,
        "reverse_order": _order_figures(dump, forward),
        "reverse_arrival": _order_figures(arrival, forward),
    }


def total(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Figures summed over tracks (micro-averages)."""
    tp = sum(r["extract"]["tp"] for r in results)
    fp = sum(r["extract"]["fp"] for r in results)
    fn = sum(r["extract"]["fn"] for r in results)
    p, rc = (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)
    dates = [sum(r["extract"]["field_counts"]["date"][i] for r in results) for i in (0, 1)]
    alerts = sum(r["alerts"]["alerts"] for r in results)
    good = alerts - sum(
        r["alerts"]["false_alerts"] + r["alerts"]["duplicate_alerts"] + r["alerts"]["distractor_alarms"]
        for r in results
    )
    devs = sum(r["alerts"]["developments"] for r in results)
    found = sum(r["alerts"]["found"] for r in results)
    return {
        "extract": {
            "precision": round(p, 3),
            "recall": round(rc, 3),
            "f1": round(2 * p * rc / (p + rc) if p + rc else 0, 3),
            "date_accuracy": round(dates[0] / dates[1], 3) if dates[1] else 1.0,
        },
        "alerts": {
            "recall": round(found / devs, 3) if devs else 1.0,
            "precision": round(good / alerts, 3) if alerts else 1.0,
            "alerts": alerts,
            "developments": devs,
            "duplicates": sum(r["alerts"]["duplicate_alerts"] for r in results),
            "false": sum(r["alerts"]["false_alerts"] for r in results),
            "distractor_alarms": sum(r["alerts"]["distractor_alarms"] for r in results),
        },
        "reverse_order_same_developments": all(r["reverse_order"]["same_developments"] for r in results),
        "reverse_arrival_same_developments": all(r["reverse_arrival"]["same_developments"] for r in results),
    }


def score_part(corpus: Corpus, part: str, tracks: Sequence[str] | None = None) -> dict[str, Any]:
    chosen = [t for t in corpus.tracks_of(part) if tracks is None or t in tracks]
    results = [score_track(corpus, t, part) for t in chosen]
    return {"part": part, "texts": len(corpus.part(part)), "tracks": results, "total": total(results)}


def _line(r: dict[str, Any]) -> str:
    e, a, b, c = r["extract"], r["alerts"], r["reverse_order"], r["reverse_arrival"]
    return (
        f"  {r['track']:6} extract P {e['precision']:.3f} R {e['recall']:.3f} F1 {e['f1']:.3f} "
        f"date {e['field_accuracy']['date']:.3f} | alerts R {a['recall']:.3f} P {a['precision']:.3f} "
        f"({a['alerts']} alerts, {a['duplicate_alerts']} dup, {a['false_alerts']} false, "
        f"{a['distractor_alarms']} distractor) | newest-first dump same={b['same_developments']} "
        f"| newest-first arrival R {c['recall']:.3f} P {c['precision']:.3f} same={c['same_developments']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["dev", "test", "all"], default="dev")
    parser.add_argument("--track", action="append", help="only these tracks")
    parser.add_argument("--json", action="store_true", help="one JSON line with everything")
    parser.add_argument("--errors", action="store_true", help="print missed developments and false alerts")
    args = parser.parse_args(argv)
    corpus = Corpus.load()
    started = dt.datetime.now()
    result = score_part(corpus, args.part, args.track)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"part {args.part}: {result['texts']} texts ({(dt.datetime.now() - started).total_seconds():.1f} s)")
    for r in result["tracks"]:
        print(_line(r))
        if args.errors:
            print(f"      missed: {r['alerts']['missed']}")
            for f in r["alerts"]["false_examples"]:
                print(f"      false: {f}")
    t = result["total"]
    print(
        f"  total  extract {t['extract']} | alerts {t['alerts']} "
        f"| newest-first dump same: {t['reverse_order_same_developments']} "
        f"| newest-first arrival same: {t['reverse_arrival_same_developments']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
