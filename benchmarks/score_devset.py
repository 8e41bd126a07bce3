#!/usr/bin/env python3
"""Score dipwatch on its own labelled development set (tests/devset) with the shared scorer.

The dev set is invented text: a unit fixture, never a reported score (real-text scores come from
``benchmarks/score_corpus.py``). Runs the project's commands on the dev set files and scores both
outputs with the project's scorer (``benchmarks/scoring.py``):

* ``dipwatch extract tests/devset/articles`` -> ``scoring.score_extract`` (mention precision/recall/F1);
* ``dipwatch replay <all articles, sorted by published>`` -> ``scoring.score_alerts`` (development
  recall, alert precision, duplicates, distractor alarms). The articles are replayed in publication
  order (one temporary .jsonl) because news arrives in time order; the files are per language.

The commands are run as ``python -c 'from dipwatch.cli import main; ...'`` with this interpreter.
When the CLI cannot run, the script falls back to the core in-process (``streams.core.extract.extract``
and ``streams.replay.Replayer``, or ``streams.core.state.merge``). It prints the figures, per language
scores, the errors of each kind (``--errors``), and last one JSON line with everything.

Usage: ``.venv/bin/python benchmarks/score_devset.py [--errors] [--save DIR] [--in-process]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEVSET = REPO / "tests" / "devset"
CLI = "import sys; from dipwatch.cli import main; sys.exit(main())"


def load_scorer() -> ModuleType:
    """The project's scorer (benchmarks/scoring.py)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from benchmarks import scoring

    return scoring


def load_articles(devset: Path = DEVSET) -> list[dict[str, Any]]:
    """Every dev set article, in file name order then line order."""
    rows: list[dict[str, Any]] = []
    for path in sorted((devset / "articles").iterdir()):
        if path.suffix == ".jsonl":
            rows += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            rows += data if isinstance(data, list) else [data]
    return rows


def load_gold(devset: Path = DEVSET) -> dict[str, Any]:
    gold: dict[str, Any] = json.loads((devset / "gold.json").read_text(encoding="utf-8"))
    return gold


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def run_cli(args: list[str]) -> list[dict[str, Any]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-c", CLI, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dipwatch {args[0]} exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    return _jsonl(proc.stdout)


def chronological_file(articles: list[dict[str, Any]], directory: Path) -> Path:
    ordered = sorted(articles, key=lambda a: (a.get("published") or "", a["id"]))
    path = directory / "devset-chronological.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ordered), encoding="utf-8")
    return path


# --- in-process fallback ---------------------------------------------------------------------------


def _mention_dict(m: Any) -> dict[str, Any]:
    if isinstance(m, dict):
        return m
    return {
        "type": m.type,
        "location": m.location,
        "date": m.date,
        "ordinal": m.ordinal,
        "topics": list(m.topics),
        "sentence": getattr(m, "sentence", None),
    }


def in_process(articles: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    """Extract rows and alerts computed by importing the core."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from streams.core.wire import alert_to_dict, article_from_dict
    from streams.replay import Replayer, extract_only

    parsed = [article_from_dict(a) for a in articles]
    rows = [
        {"article_id": article.id, "developments": [_mention_dict(m) for m in extract_only(article)[1]]}
        for article in parsed
    ]
    ordered = sorted(parsed, key=lambda a: (a.published.isoformat() if a.published else "", a.id))
    alerts = [alert_to_dict(x) for x in Replayer().alerts(ordered)]
    return rows, alerts


# --- error analysis --------------------------------------------------------------------------------


def extract_errors(scorer: ModuleType, gold: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per article: the gold mentions missed and the predictions left over (same greedy matching)."""
    m = scorer.Matcher.of(gold)
    predicted = {str(r.get("article_id")): r.get("developments") or [] for r in rows}
    missed, spurious = [], []
    for article_id, expected in gold["articles"].items():
        preds = list(predicted.get(article_id, []))
        used: set[int] = set()
        keys = ("location", "date", "ordinal", "topics")
        order = sorted(expected, key=lambda g: -sum(g.get(k) not in (None, []) for k in keys))
        for g in order:
            best, best_shared = None, -1
            for i, p in enumerate(preds):
                if i in used:
                    continue
                shared = m.agree(g, p)
                if shared is not None and shared > best_shared:
                    best, best_shared = i, shared
            if best is None:
                if not g.get("optional"):
                    near = [p for p in preds if p.get("type") == g.get("type")]
                    missed.append(
                        {"article": article_id, "gold": _brief(g), "same_type_preds": [_brief(p) for p in near]}
                    )
            else:
                used.add(best)
        for i, p in enumerate(preds):
            if i not in used:
                spurious.append({"article": article_id, "pred": _brief(p), "sentence": (p.get("sentence") or "")[:160]})
    return {"missed": missed, "spurious": spurious}


def _brief(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in ("type", "location", "date", "ordinal", "topics") if d.get(k) not in (None, [])}


def classify_missed(missed: list[dict[str, Any]]) -> Counter[str]:
    """Why a gold mention found no partner: the field a same-type prediction got wrong, or no such type."""
    reasons: Counter[str] = Counter()
    for item in missed:
        g, preds = item["gold"], item["same_type_preds"]
        if not preds:
            reasons["type not found"] += 1
            continue
        fields = Counter()
        for p in preds:
            for k in ("location", "date", "ordinal"):
                if g.get(k) is not None and p.get(k) is not None and str(g[k]) != str(p[k])[: len(str(g[k]))]:
                    fields[k] += 1
            if g.get("topics") and not set(g["topics"]) & set(p.get("topics") or []):
                fields["topics"] += 1
        reasons[f"wrong {fields.most_common(1)[0][0]}" if fields else "taken by another gold item"] += 1
    return reasons


# --- main ------------------------------------------------------------------------------------------


class CoreUnavailable(RuntimeError):
    """Neither the CLI nor the core modules can produce output yet."""


def produce(
    articles: list[dict[str, Any]], devset: Path, *, force_in_process: bool = False
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]] | None]:
    """(mode, extract rows, alerts) from the CLI, else from the core imported in-process."""
    with tempfile.TemporaryDirectory() as tmp:
        chrono = chronological_file(articles, Path(tmp))
        try:
            if force_in_process:
                raise RuntimeError("in-process requested")
            rows = run_cli(["extract", str(devset / "articles")])
            return "cli", rows, run_cli(["replay", str(chrono)])
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            if not force_in_process:
                print(f"CLI unavailable ({str(exc)[-300:]}); scoring the core in-process", file=sys.stderr)
    try:
        rows, alerts = in_process(articles)
    except ImportError as exc:
        raise CoreUnavailable(f"the extractor cannot be imported: {exc}") from exc
    return "in-process", rows, alerts


def score(
    devset: Path = DEVSET,
    *,
    force_in_process: bool = False,
    save: Path | None = None,
    rows: list[dict[str, Any]] | None = None,
    alerts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Score the dev set; ``rows``/``alerts`` given (e.g. saved outputs) are scored as they are."""
    scorer = load_scorer()
    gold = load_gold(devset)
    articles = load_articles(devset)
    languages = {a["id"]: a.get("language") or "?" for a in articles}
    started = time.perf_counter()
    if rows is None:
        mode, rows, alerts = produce(articles, devset, force_in_process=force_in_process)
    else:
        mode = "given"
    seconds = time.perf_counter() - started
    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "extract.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        (save / "alerts.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in alerts or []), "utf-8"
        )
    extract_result = scorer.score_extract(gold, rows)
    by_language = {}
    for lang in sorted(set(languages.values())):
        sub = dict(gold, articles={k: v for k, v in gold["articles"].items() if languages.get(k) == lang})
        r = scorer.score_extract(sub, rows)
        by_language[lang] = {k: r[k] for k in ("tp", "fp", "fn", "precision", "recall", "f1")}
    alert_result = scorer.score_alerts(gold, alerts) if alerts is not None else None
    errors = extract_errors(scorer, gold, rows)
    distractors = set(gold.get("distractor_articles", []))
    fp_on_distractors = sum(1 for s in errors["spurious"] if s["article"] in distractors)
    return {
        "devset": {
            "texts": len(articles),
            "mentions": sum(len(v) for v in gold["articles"].values()),
            "required_mentions": sum(1 for v in gold["articles"].values() for g in v if not g.get("optional")),
            "developments": len(gold["developments"]),
            "distractors": len(distractors),
            "languages": dict(Counter(languages.values())),
        },
        "mode": mode,
        "seconds": round(seconds, 2),
        "extract": extract_result,
        "extract_by_language": by_language,
        "extract_fp_on_distractors": fp_on_distractors,
        "missed_reasons": dict(classify_missed(errors["missed"])),
        "alerts": alert_result,
        "_errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--in-process", action="store_true", help="skip the CLI; import the core")
    parser.add_argument("--errors", action="store_true", help="list missed and spurious mentions")
    parser.add_argument("--save", type=Path, help="write extract.jsonl and alerts.jsonl here")
    parser.add_argument("--extract-output", type=Path, help="score this saved `dipwatch extract` output")
    parser.add_argument("--alerts-output", type=Path, help="score this saved `dipwatch replay` output")
    args = parser.parse_args()
    rows = _jsonl(args.extract_output.read_text(encoding="utf-8")) if args.extract_output else None
    alerts = _jsonl(args.alerts_output.read_text(encoding="utf-8")) if args.alerts_output else None
    try:
        result = score(args.devset, force_in_process=args.in_process, save=args.save, rows=rows, alerts=alerts)
    except CoreUnavailable as exc:
        print(f"cannot score: {exc}", file=sys.stderr)
        print(json.dumps({"error": str(exc)}))
        raise SystemExit(2) from None
    errors = result.pop("_errors")
    d, e, a = result["devset"], result["extract"], result["alerts"]
    print(
        f"dev set: {d['texts']} texts, {d['mentions']} labelled mentions ({d['required_mentions']} required), "
        f"{d['developments']} developments, {d['distractors']} distractors, languages {d['languages']}"
    )
    print(f"mode: {result['mode']} ({result['seconds']} s)")
    print(
        f"extract: precision {e['precision']}  recall {e['recall']}  F1 {e['f1']}  "
        f"(tp {e['tp']}, fp {e['fp']}, fn {e['fn']}; fp on distractors {result['extract_fp_on_distractors']})"
    )
    print(f"  field accuracy: {e['field_accuracy']}")
    for lang, r in result["extract_by_language"].items():
        print(f"  {lang}: P {r['precision']} R {r['recall']} F1 {r['f1']} (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    print(f"  missed, by reason: {result['missed_reasons']}")
    if a is None:
        print("alerts: unavailable")
    else:
        print(
            f"alerts: recall {a['recall']}  precision {a['precision']}  ({a['alerts']} alerts; "
            f"{a['duplicate_alerts']} duplicates, {a['false_alerts']} false, {a['distractor_alarms']} from distractors)"
        )
        print(f"  missed developments: {a['missed']}")
    if args.errors:
        print("\nmissed mentions:")
        for item in errors["missed"]:
            print(f"  {item['article']}: {item['gold']}  same-type predictions: {item['same_type_preds']}")
        print("spurious mentions:")
        for item in errors["spurious"]:
            print(f"  {item['article']}: {item['pred']}  | {item['sentence']}")
        if a:
            print("false alerts (first 8):")
            for x in a["false_examples"]:
                print(f"  {x}")
    summary = {
        "devset": d,
        "mode": result["mode"],
        "extract": {k: e[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn", "field_accuracy")},
        "extract_by_language": result["extract_by_language"],
        "alerts": None
        if a is None
        else {
            k: a[k] for k in ("recall", "precision", "alerts", "duplicate_alerts", "false_alerts", "distractor_alarms")
        },
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
