"""Benchmark of the deduplication index (issue 4): cost, memory, recall and false merges.

Not a test. Prints figures as it goes and a final JSON line with every number::

    .venv/bin/python benchmarks/bench_dedup.py            # 1k, 10k, 100k, 1M articles indexed
    .venv/bin/python benchmarks/bench_dedup.py --quick    # 1k, 10k only

Articles are synthetic, generated offline from the words of ``seeds/``: a Zipf-distributed
vocabulary (the seeds' words plus Arabic clitic variants of them, 20k words) mixed with the
seeds' own word successions, calibrated so that two distinct articles share 2-word shingles
at a Jaccard similarity of ~0.03 -- what independent write-ups of the *same event* measure on
the seeds. Every article of one run is thus "same topic", as in one track's index.

The index is filled through ``DedupIndex.check`` only. Fill articles between measuring points
are shorter (130-200 words) so that the 1M run takes minutes; they create the same store
entries as long ones. Measured batches use full-length articles (350-650 words, like the seeds).
"""

from __future__ import annotations

import argparse
import bisect
import collections
import datetime as dt
import gc
import itertools
import json
import logging
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from streams.core import dedup as dedup_module
from streams.core import minhash
from streams.core.canonical import article_id
from streams.core.dedup import MAX_TEXT_CHARS, DedupConfig, DedupIndex
from streams.core.minhash import MinHashParams
from streams.core.models import Article
from streams.core.normalise import tokens

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
ZIPF_S = 1.0
CHAIN_Q = 0.4  # chance that the next word follows a seed succession rather than the Zipf draw
VOCAB_SIZE = 20_000
DRAFT_SEED = 1_000_000
_PREFIXES = ("و", "ب", "ل", "ف", "ك", "ال", "وال", "بال")
_SUFFIXES = ("ها", "هم", "ات", "ين", "ون", "ية", "ه", "ي")


@dataclass(frozen=True)
class Draft:
    """A generated article before it becomes an ``Article``: a title and paragraphs of words."""

    title: list[str]
    paragraphs: list[list[str]]

    @property
    def text(self) -> str:
        return "\n".join(" ".join(p) for p in self.paragraphs)


class Corpus:
    """Deterministic generator of real-looking Arabic articles from the seeds' words."""

    def __init__(self, seed: int = 0) -> None:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        words = [w for t in texts for w in t.split()]
        base = [w for w, _ in collections.Counter(words).most_common()]
        rnd = random.Random(seed)
        vocab, seen = list(base), set(base)
        while len(vocab) < VOCAB_SIZE:
            w = rnd.choice(base)
            w = rnd.choice(_PREFIXES) + w if rnd.random() < 0.5 else w + rnd.choice(_SUFFIXES)
            if w not in seen:
                seen.add(w)
                vocab.append(w)
        self.vocab = vocab
        self.cum = list(itertools.accumulate(1 / (r + 1) ** ZIPF_S for r in range(len(vocab))))
        self.total = self.cum[-1]
        successors: dict[str, list[str]] = collections.defaultdict(list)
        for text in texts:
            ws = text.split()
            for a, b in itertools.pairwise(ws):
                successors[a].append(b)
        self.successors = dict(successors)

    def word(self, rnd: random.Random) -> str:
        return self.vocab[bisect.bisect(self.cum, rnd.random() * self.total)]

    def words(self, rnd: random.Random, n: int) -> list[str]:
        out = [self.word(rnd)]
        for _ in range(n - 1):
            nxt = self.successors.get(out[-1])
            out.append(rnd.choice(nxt) if nxt and rnd.random() < CHAIN_Q else self.word(rnd))
        return out

    def draft(self, rnd: random.Random, low: int = 350, high: int = 650) -> Draft:
        total = rnd.randint(low, high)
        paragraphs = []
        while total > 0:
            n = min(total, rnd.randint(40, 90))
            paragraphs.append(self.words(rnd, n))
            total -= n
        return Draft(self.words(rnd, rnd.randint(6, 12)), paragraphs)


def to_article(draft: Draft, url: str, source: str) -> Article:
    title, text = " ".join(draft.title), draft.text
    return Article(article_id(url, f"{title}\n{text}"), source, url, title, None, None, "ar", text, "bench")


# -- perturbations -------------------------------------------------------------------------------


def change_words(corpus: Corpus, rnd: random.Random, draft: Draft, fraction: float) -> Draft:
    """Replace ``fraction`` of the body's words by vocabulary words (positions drawn at random)."""
    flat = [(i, j) for i, p in enumerate(draft.paragraphs) for j in range(len(p))]
    paragraphs = [list(p) for p in draft.paragraphs]
    for i, j in rnd.sample(flat, round(len(flat) * fraction)):
        paragraphs[i][j] = corpus.word(rnd)
    return Draft(draft.title, paragraphs)


def new_headline(corpus: Corpus, rnd: random.Random, draft: Draft) -> Draft:
    return Draft(corpus.words(rnd, rnd.randint(6, 12)), draft.paragraphs)


def drop_paragraph(rnd: random.Random, draft: Draft) -> Draft:
    k = rnd.randrange(len(draft.paragraphs))
    return Draft(draft.title, draft.paragraphs[:k] + draft.paragraphs[k + 1 :])


def perturbations(corpus: Corpus) -> dict[str, Callable[[random.Random, Draft], Draft]]:
    return {
        "words_2pct": lambda r, d: change_words(corpus, r, d, 0.02),
        "words_5pct": lambda r, d: change_words(corpus, r, d, 0.05),
        "words_10pct": lambda r, d: change_words(corpus, r, d, 0.10),
        "words_20pct": lambda r, d: change_words(corpus, r, d, 0.20),
        "headline_changed": lambda r, d: new_headline(corpus, r, d),
        "paragraph_dropped": lambda r, d: drop_paragraph(r, d),
        "headline_paragraph_5pct": lambda r, d: change_words(
            corpus, r, drop_paragraph(r, new_headline(corpus, r, d)), 0.05
        ),
    }


# -- measuring -----------------------------------------------------------------------------------


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def store_bytes(store: dict[str, str]) -> int:
    """Bytes held by a dict store: its table plus every key and value object, each counted once.

    The same figure tracemalloc would give for the store, without tracing a 1M fill. Band, URL
    and text keys hold the record key object itself as their value (already counted as a key).
    """
    total = sys.getsizeof(store)
    for key, value in store.items():
        total += sys.getsizeof(key)
        if key[1:2] == ":" and key[0] not in "uh":
            total += sys.getsizeof(value)
    return total


def timed_checks(index: DedupIndex, articles: list[Article]) -> tuple[list[float], int]:
    """CPU seconds per ``check`` of each article, and how many were called duplicates.

    CPU time of this process, not wall time: the machine is shared, and the goal is per core.
    """
    out, dups = [], 0
    clock = time.process_time
    for article in articles:
        start = clock()
        verdict = index.check(article, NOW)
        out.append(clock() - start)
        dups += verdict.duplicate is not None
    return out, dups


def summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "mean_ms": round(statistics.fmean(ordered) * 1e3, 4),
        "p50_ms": round(ordered[len(ordered) // 2] * 1e3, 4),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1e3, 4),
        "per_s": round(1 / statistics.fmean(ordered)),
    }


def url(kind: str, n: int) -> str:
    return f"https://{kind}{n % 97}.example/news/{n}"


def bench_signatures(corpus: Corpus, n: int) -> dict[str, object]:
    """The MinHash step alone, rensa (used) against datasketch (if installed), same shingles."""
    rnd = random.Random(11)
    word_lists = [tokens(corpus.draft(rnd).text) for _ in range(n)]
    params = minhash.MinHashParams()
    start = time.perf_counter()
    for words in word_lists:
        minhash.signature(words, params)
    rensa_ms = (time.perf_counter() - start) / n * 1e3
    result: dict[str, object] = {"rensa_ms": round(rensa_ms, 4), "num_perm": params.num_perm}
    try:
        from datasketch import MinHash  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        result["datasketch_ms"] = None
        print(f"  MinHash per article: rensa {rensa_ms:.4f} ms; datasketch not installed")
        return result
    start = time.perf_counter()
    for words in word_lists:
        m = MinHash(num_perm=params.num_perm, seed=1)
        m.update_batch([s.encode("utf-8") for s in minhash.shingles(words, params.shingle)])
        m.digest()
    ds_ms = (time.perf_counter() - start) / n * 1e3
    result["datasketch_ms"] = round(ds_ms, 4)
    print(f"  MinHash per article ({params.num_perm} perms): rensa {rensa_ms:.4f} ms, datasketch {ds_ms:.4f} ms")
    return result


Kept = list[tuple[int, str]]  # (article number, story id) of originals


def bench_distinct(
    corpus: Corpus, config: DedupConfig, n: int, originals: int
) -> tuple[dict[str, object], dict[str, str], Kept]:
    """Index ``n`` distinct full-length articles under tracemalloc: memory and false merges.

    Article ``i`` is drawn from its own seeded generator, so the originals kept for the recall
    test are remembered as numbers (and redrawn there), not held while memory is traced.
    """
    drafts = (corpus.draft(random.Random(DRAFT_SEED + i)) for i in range(n))
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    store: dict[str, str] = {}
    index = DedupIndex(store, config=config)
    kept: Kept = []
    merges = 0
    for i, draft in enumerate(drafts):
        verdict = index.check(to_article(draft, url("orig", i), f"outlet{i % 97}"), NOW)
        if verdict.duplicate is not None:
            merges += 1
            logger.warning("false merge: %s -> %s (%.2f)", verdict.article_id, verdict.matched, verdict.similarity)
        elif len(kept) < originals:
            kept.append((i, verdict.story_id))
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    result: dict[str, object] = {
        "articles": n,
        "false_merges": merges,
        "store_keys": len(store),
        "tracemalloc_bytes_per_article": round((after - before) / n),
        "store_bytes_per_article": round(store_bytes(store) / n),
        "store_keys_per_article": round(len(store) / n, 2),
    }
    return result, store, kept


def bench_recall(corpus: Corpus, config: DedupConfig, store: dict[str, str], kept: Kept) -> dict[str, object]:
    """Reprint recall per perturbation, each kind against its own copy of the distinct index."""
    results: dict[str, object] = {}
    for name, perturb in perturbations(corpus).items():
        rnd = random.Random(zlib.crc32(name.encode()))
        index = DedupIndex(dict(store), config=config)
        found = 0
        by_kind: collections.Counter[str] = collections.Counter()
        for i, story in kept:
            draft = corpus.draft(random.Random(DRAFT_SEED + i))
            verdict = index.check(to_article(perturb(rnd, draft), url(f"re-{name}", i), f"re{i % 13}"), NOW)
            if verdict.duplicate is not None and verdict.story_id == story:
                found += 1
            by_kind[str(verdict.duplicate)] += 1
        recall = found / len(kept)
        results[name] = {"recall": round(recall, 4), "verdicts": dict(by_kind)}
        print(f"  {name:26s} recall {recall:.4f}  {dict(by_kind)}")
    return results


def bench_scaling(corpus: Corpus, config: DedupConfig, sizes: list[int], batch: int) -> dict[str, object]:
    """Fill one index to each size; at each, time a batch of full-length new articles and reprints."""
    rnd = random.Random(2)
    store: dict[str, str] = {}
    index = DedupIndex(store, config=config)
    perturb = perturbations(corpus)["words_10pct"]
    # Originals indexed first; a slice of them is reprinted at each size, after that many articles.
    early = [corpus.draft(rnd) for _ in range(300 * len(sizes))]
    early_ids = [index.check(to_article(d, url("early", i), "agency"), NOW).story_id for i, d in enumerate(early)]
    gc.collect()
    rss0 = rss_bytes()
    filled = len(early)
    fill_merges = 0
    fill_seconds = 0.0
    points: dict[str, object] = {}
    serial = itertools.count()
    for k, size in enumerate(sizes):
        started = time.perf_counter()
        while filled < size:
            n = next(serial)
            verdict = index.check(to_article(corpus.draft(rnd, 130, 200), url("fill", n), f"o{n % 97}"), NOW)
            fill_merges += verdict.duplicate is not None
            filled += 1
        fill_seconds += time.perf_counter() - started
        gc.collect()
        rss = rss_bytes()
        held = store_bytes(store)
        fresh = [to_article(corpus.draft(rnd), url(f"new{size}-", i), "x") for i in range(batch)]
        seconds, dups = timed_checks(index, fresh)
        # The same work without text normalisation: a second batch whose tokens are computed
        # beforehand and handed to the index through its module's ``tokens``.
        bare = [to_article(corpus.draft(rnd), url(f"bare{size}-", i), "x") for i in range(batch)]
        heads = {a.text[:MAX_TEXT_CHARS]: tokens(a.text[:MAX_TEXT_CHARS]) for a in bare}
        word_start = time.process_time()
        for article in bare:
            tokens(article.text[:MAX_TEXT_CHARS])
        tokens_ms = (time.process_time() - word_start) / batch * 1e3
        with mock.patch.object(dedup_module, "tokens", heads.__getitem__):
            bare_seconds, bare_dups = timed_checks(index, bare)
        dups += bare_dups
        reprints = []
        for i in range(300 * k, 300 * (k + 1)):
            reprints.append((to_article(perturb(rnd, early[i]), url(f"re{size}-", i), "copier"), early_ids[i]))
        found = sum(index.check(a, NOW).story_id == sid for a, sid in reprints)
        stats = summary(seconds)
        bare_stats = summary(bare_seconds)
        point = {
            **stats,
            "normalise_ms": round(tokens_ms, 4),
            "excluding_normalise_ms": bare_stats["mean_ms"],
            "excluding_normalise_p99_ms": bare_stats["p99_ms"],
            "false_merges_in_batch": dups,
            "recall_10pct_after_n": round(found / len(reprints), 4),
            "rss_bytes_per_article": round((rss - rss0) / filled) if filled > len(early) * 2 else None,
            "store_bytes_per_article": round(held / filled),
            "store_keys": len(store),
        }
        points[str(size)] = point
        filled += 2 * batch + len(reprints)
        print(
            f"  {size:>9,} indexed: check {stats['mean_ms']:.3f} ms mean (p50 {stats['p50_ms']:.3f}, "
            f"p99 {stats['p99_ms']:.3f}) = {stats['per_s']:,}/s; without normalising {bare_stats['mean_ms']:.3f} ms "
            f"(p99 {bare_stats['p99_ms']:.3f}) = {bare_stats['per_s']:,}/s; normalise alone {tokens_ms:.3f} ms; "
            f"recall@10% of a reprint {size:,} articles later {point['recall_10pct_after_n']:.3f}; "
            f"store/article {point['store_bytes_per_article']} B (RSS delta {point['rss_bytes_per_article']})"
        )
    first, last = points[str(sizes[0])], points[str(sizes[-1])]
    assert isinstance(first, dict) and isinstance(last, dict)
    return {
        "points": points,
        "ratio_largest_to_1k": round(last["mean_ms"] / first["mean_ms"], 3),
        "ratio_excluding_normalise": round(last["excluding_normalise_ms"] / first["excluding_normalise_ms"], 3),
        "fill_articles_per_s": round((filled - len(early)) / fill_seconds) if fill_seconds else None,
        "false_merges_in_fill": fill_merges,
    }


def bench_huge(corpus: Corpus, config: DedupConfig, repeat: int = 5) -> dict[str, float]:
    """A 2 MB article against a typical one (median CPU time of ``repeat`` checks each)."""
    rnd = random.Random(5)
    typical = corpus.draft(rnd)
    paragraphs: list[list[str]] = []
    while sum(len(" ".join(p).encode()) + 1 for p in paragraphs) < 2_000_000:
        paragraphs.extend(corpus.draft(rnd).paragraphs)
    huge = Draft(typical.title, paragraphs)
    index = DedupIndex({}, config=config)
    times: dict[str, list[float]] = {"typical": [], "huge": []}
    for n in range(repeat):
        for name, draft in (("typical", typical), ("huge", huge)):
            article = to_article(draft, url(f"{name}-", n), "a")
            start = time.process_time()
            index.check(article, NOW)
            times[name].append(time.process_time() - start)
    typical_ms = statistics.median(times["typical"]) * 1e3
    huge_ms = statistics.median(times["huge"]) * 1e3
    size = len(huge.text.encode("utf-8"))
    print(f"  typical article {typical_ms:.2f} ms; {size / 1e6:.1f} MB article {huge_ms:.2f} ms (CPU, median)")
    return {"typical_ms": round(typical_ms, 3), "huge_ms": round(huge_ms, 3), "huge_bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="sizes 1k and 10k only, fewer originals")
    parser.add_argument("--batch", type=int, default=2000, help="articles timed at each size")
    parser.add_argument("--bands", type=int, default=MinHashParams().bands, help="LSH bands (trade-off study)")
    parser.add_argument("--rows", type=int, default=MinHashParams().rows, help="values per LSH band")
    args = parser.parse_args(argv)
    config = DedupConfig(minhash=MinHashParams(bands=args.bands, rows=args.rows))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    distinct_n, originals = (10_000, 300) if args.quick else (20_000, 1_000)
    started = time.perf_counter()
    print(
        f"dedup benchmark ({'quick' if args.quick else 'full'}), Python {platform.python_version()}, "
        f"MinHash {config.minhash}, threshold {config.threshold}"
    )
    corpus = Corpus()

    print("MinHash libraries:")
    signatures = bench_signatures(corpus, 500)
    print(f"Distinct corpus of {distinct_n:,} full-length articles (memory by tracemalloc, false merges):")
    distinct, store, kept = bench_distinct(corpus, config, distinct_n, originals)
    print(
        f"  false merges {distinct['false_merges']}; {distinct['tracemalloc_bytes_per_article']} bytes "
        f"per article (tracemalloc, store + index; {distinct['store_bytes_per_article']} by getsizeof of the "
        f"store); {distinct['store_keys_per_article']} keys per article"
    )
    print(f"Reprint recall ({len(kept):,} originals, each perturbed once per kind, in a {distinct_n:,} index):")
    recall = bench_recall(corpus, config, store, kept)
    del store
    print("Huge article:")
    huge = bench_huge(corpus, config)
    print(f"Scaling ({', '.join(f'{s:,}' for s in sizes)} indexed; batches of {args.batch:,} new articles):")
    scaling = bench_scaling(corpus, config, sizes, args.batch)
    print(
        f"  largest/1k cost ratio {scaling['ratio_largest_to_1k']} "
        f"(excluding normalise {scaling['ratio_excluding_normalise']}); "
        f"fill {scaling['fill_articles_per_s']}/s; false merges in fill {scaling['false_merges_in_fill']}"
    )
    elapsed = time.perf_counter() - started
    print(f"done in {elapsed:.0f} s")
    print(
        json.dumps(
            {
                "benchmark": "dedup",
                "mode": "quick" if args.quick else "full",
                "params": {"bands": args.bands, "rows": args.rows, "num_perm": config.minhash.num_perm},
                "python": platform.python_version(),
                "signatures": signatures,
                "distinct": distinct,
                "recall": recall,
                "huge": huge,
                "scaling": scaling,
                "seconds": round(elapsed),
            },
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
