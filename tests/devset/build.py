#!/usr/bin/env python3
"""Build the dipwatch development set from its hand-written sources.

Sources (edited by hand): ``tests/devset/src/developments.yaml`` (the distinct real-world developments
of the whole set, aliases) and ``tests/devset/src/*_texts.yaml`` (articles, each with the developments
the text itself states). Outputs (committed, read by the scorer and the CLI):

* ``tests/devset/articles/<source-file-stem>.jsonl`` -- one article JSON object per line;
* ``tests/devset/gold.json`` -- the gold file in the format of ``shared/eval/score.py``.

A label line is ``type | location | date | ordinal | topics | development-id [| opt]`` where ``-``
means null/none and topics are comma-separated. Run: ``python tests/devset/build.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from streams.core.models import DEVELOPMENT_TYPES, TOPICS

HERE = Path(__file__).resolve().parent
TYPES = DEVELOPMENT_TYPES
ARTICLE_KEYS = ("id", "source", "url", "title", "published", "language", "text", "connector")


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_label(line: str, where: str) -> dict[str, Any]:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) not in (6, 7) or (len(parts) == 7 and parts[6] != "opt"):
        sys.exit(f"{where}: bad label line {line!r}")
    kind, loc, date, ordinal, topics, dev = parts[:6]
    if kind not in TYPES:
        sys.exit(f"{where}: unknown type {kind!r}")
    tops = [] if topics == "-" else [t.strip() for t in topics.split(",")]
    for t in tops:
        if t not in TOPICS:
            sys.exit(f"{where}: unknown topic {t!r}")
    if date != "-":
        dt.date.fromisoformat(date)
    item: dict[str, Any] = {
        "type": kind,
        "location": None if loc == "-" else loc,
        "date": None if date == "-" else date,
        "ordinal": None if ordinal == "-" else int(ordinal),
        "topics": tops,
        "development": dev,
    }
    if len(parts) == 7:
        item["optional"] = True
    return item


def main() -> None:
    meta = yaml.safe_load((HERE / "src" / "developments.yaml").read_text(encoding="utf-8"))
    developments = []
    for d in meta["developments"]:
        d = {k: _str(v) if k == "date" else v for k, v in d.items()}
        developments.append(d)
    dev_ids = {d["id"] for d in developments}
    gold_articles: dict[str, list[dict[str, Any]]] = {}
    distractors: list[str] = []
    out_dir = HERE / "articles"
    for old in out_dir.glob("*.jsonl"):
        old.unlink()
    for src in sorted((HERE / "src").glob("*_texts.yaml")):
        rows = yaml.safe_load(src.read_text(encoding="utf-8")) or []
        lines = []
        for row in rows:
            aid = row["id"]
            if aid in gold_articles:
                sys.exit(f"{src.name}: duplicate id {aid}")
            article = {k: _str(row.get(k)) for k in ARTICLE_KEYS}
            article["connector"] = "devset"
            article["text"] = (article["text"] or "").strip()
            dt.datetime.fromisoformat(article["published"].replace("Z", "+00:00"))
            lines.append(json.dumps(article, ensure_ascii=False))
            labels = [parse_label(x, f"{src.name}:{aid}") for x in row.get("gold") or []]
            for item in labels:
                if item["development"] not in dev_ids:
                    sys.exit(f"{src.name}:{aid}: unknown development {item['development']!r}")
            gold_articles[aid] = labels
            if row.get("distractor"):
                if labels:
                    sys.exit(f"{src.name}:{aid}: a distractor has no labels")
                distractors.append(aid)
        (out_dir / f"{src.stem.removesuffix('_texts')}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    mentioned = {i["development"] for items in gold_articles.values() for i in items}
    unused = dev_ids - mentioned
    if unused:
        print(f"warning: developments never mentioned: {sorted(unused)}", file=sys.stderr)
    gold = {
        "about": meta["about"],
        "articles": gold_articles,
        "developments": developments,
        "distractor_articles": distractors,
        "location_aliases": meta["location_aliases"],
    }
    (HERE / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n = sum(len(v) for v in gold_articles.values())
    print(
        f"{len(gold_articles)} articles, {n} mentions, {len(developments)} developments, {len(distractors)} distractors"
    )


if __name__ == "__main__":
    main()
