"""Benchmark of per-article extraction (track assignment + extraction), one core.

Prints per-article median and p95 in milliseconds for the seeds (and the development set under
``tests/devset`` when present), then one JSON line with the figures. Not a test: timings vary
with the machine, so nothing here asserts.

    python benchmarks/bench_extract.py [--repeat N] [--run-on 20000,80000,1100000]

``--run-on`` also times hostile input: the seeds' words without punctuation or line breaks, one
line of each given number of characters (cost should grow in proportion to the length).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import time
from pathlib import Path

from streams.core import sentences as sentence_module
from streams.core.detector import assign_track, default_detector, extract
from streams.core.models import Article

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]


def _articles() -> list[Article]:
    out = [
        Article(p.name, "seed", None, "", None, None, None, p.read_text(encoding="utf-8"), "bench")
        for p in sorted((ROOT / "seeds").glob("*.txt"))
    ]
    for path in sorted((ROOT / "tests" / "devset").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            data = json.loads(line)
            if isinstance(data, dict) and isinstance(data.get("text"), str):
                out.append(
                    Article(
                        str(data.get("id", len(out))),
                        "devset",
                        None,
                        str(data.get("title") or ""),
                        None,
                        None,
                        None,
                        data["text"],
                        "bench",
                    )
                )
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cold() -> None:
    """Forget the sentences and lexicon matches of recent articles: each timed pass reads afresh
    (track assignment and extraction share them, so only the first reading of an article costs)."""
    sentence_module._recent.clear()
    default_detector().lexicon.matcher._found.clear()


def run_on(sizes: list[int]) -> dict[str, float]:
    """CPU seconds of track assignment + extraction of one unpunctuated line per size."""
    words = re.sub(
        r"[^\w\s]", " ", " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    )
    base = " ".join(words.split()) + " "
    out: dict[str, float] = {}
    for size in sizes:
        text = (base * (size // len(base) + 1))[:size]
        article = Article(f"run-on-{size}", "bench", None, "", None, None, None, text, "bench")
        began = time.process_time()
        track = assign_track(article)
        found = extract(article, track) if track else ()
        seconds = time.process_time() - began
        out[str(size)] = round(seconds, 3)
        print(f"run-on line of {size:,} characters: {seconds:.2f} s ({len(found)} developments)", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over every article")
    parser.add_argument(
        "--run-on", default="20000,80000,1100000", help="sizes of the run-on line measure ('' for none)"
    )
    args = parser.parse_args()
    articles = _articles()
    started = time.perf_counter()
    default_detector().extractor(default_detector().tracks.ids[0])
    load_ms = (time.perf_counter() - started) * 1000
    per_article: list[float] = []
    extract_only: list[float] = []
    for article in articles:
        extract(article)  # warm-up
        samples, only = [], []
        for _ in range(args.repeat):
            cold()
            t0 = time.perf_counter()
            assign_track(article)
            t1 = time.perf_counter()
            extract(article)
            t2 = time.perf_counter()
            samples.append((t2 - t0) * 1000)
            only.append((t2 - t1) * 1000)
        per_article.append(statistics.median(samples))
        extract_only.append(statistics.median(only))
    chars = [len(a.title) + len(a.text) for a in articles]
    figures = {
        "benchmark": "extract",
        "articles": len(articles),
        "median_chars": statistics.median(chars) if chars else 0,
        "lexicon_load_ms": round(load_ms, 1),
        "extract_median_ms": round(statistics.median(extract_only), 3) if articles else None,
        "extract_p95_ms": round(_percentile(extract_only, 0.95), 3) if articles else None,
        "track_and_extract_median_ms": round(statistics.median(per_article), 3) if articles else None,
        "track_and_extract_p95_ms": round(_percentile(per_article, 0.95), 3) if articles else None,
    }
    print(f"articles: {figures['articles']} (median {figures['median_chars']} characters)")
    print(f"lexicon load: {figures['lexicon_load_ms']} ms (once per process)")
    print(f"extract per article: median {figures['extract_median_ms']} ms, p95 {figures['extract_p95_ms']} ms")
    print(
        f"assign_track + extract per article: median {figures['track_and_extract_median_ms']} ms, "
        f"p95 {figures['track_and_extract_p95_ms']} ms"
    )
    seeds = [t for a, t in zip(articles, extract_only, strict=True) if a.source == "seed"]
    if seeds:
        figures["seeds_extract_median_ms"] = round(statistics.median(seeds), 3)
        figures["seeds_extract_max_ms"] = round(max(seeds), 3)
        print(f"seeds only ({len(seeds)} long articles): median {figures['seeds_extract_median_ms']} ms")
    if args.run_on:
        figures["run_on_s"] = run_on([int(x) for x in args.run_on.split(",")])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
