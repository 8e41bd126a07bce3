"""The deduplication index: exact duplicates, reprints, stories, short texts, eviction, storage."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import pytest

from streams.core import minhash
from streams.core.canonical import article_id
from streams.core.dedup import DedupIndex, Verdict, story_id_for
from streams.core.models import Article

SEEDS = sorted((Path(__file__).resolve().parents[3] / "seeds").glob("*.txt"))
NOW = dt.datetime(2026, 11, 1, 12, 30, tzinfo=dt.UTC)


def seed_text(n: int) -> str:
    return SEEDS[n].read_text(encoding="utf-8")


def make(text: str, url: str | None, source: str = "outlet", title: str = "") -> Article:
    return Article(
        id=article_id(url, f"{title}\n{text}"),
        source=source,
        url=url,
        title=title,
        published=None,
        fetched=None,
        language="ar",
        text=text,
        connector="test",
    )


def edit_words(text: str, fraction: float, seed: int = 1) -> str:
    words = text.split()
    rnd = random.Random(seed)
    for i in rnd.sample(range(len(words)), int(len(words) * fraction)):
        words[i] = rnd.choice(["تعديل", "كلمة", "أخرى", "جديدة", "مختلفة"])
    return " ".join(words)


class StrictStore(MutableMapping[str, str]):
    """A dict that accepts only str keys and values and refuses to be scanned."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        return self.data[key]

    def __setitem__(self, key: str, value: str) -> None:
        assert type(key) is str, key
        assert type(value) is str, (key, value)
        self.data[key] = value

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the index must not iterate its store (a table view scans all tracks)")

    def __len__(self) -> int:
        raise AssertionError("the index must not count its store")


@pytest.fixture
def store() -> StrictStore:
    return StrictStore()


@pytest.fixture
def index(store: StrictStore) -> DedupIndex:
    return DedupIndex(store)


def test_new_article_opens_a_story_and_is_independent(index: DedupIndex) -> None:
    article = make(seed_text(0), "https://a.example/0", "A")
    verdict = index.check(article, NOW)
    assert verdict == Verdict(None, story_id_for(article.id), article.id, True)
    story = index.story(verdict.story_id)
    assert story is not None
    assert story.article_ids == (article.id,)
    assert story.sources == ("A",)
    assert story.origin == "A"
    assert index.size() == 1


def test_same_canonical_url_is_an_exact_duplicate(index: DedupIndex) -> None:
    first = index.check(make(seed_text(0), "https://a.example/0", "A"), NOW)
    again = index.check(make(seed_text(0), "http://www.a.example/0/?utm_source=rss#x", "A"), NOW)
    assert again.duplicate == "exact"
    assert again.story_id == first.story_id
    assert not again.independent
    assert again.redelivered
    assert index.size() == 1


def test_same_text_under_another_url_is_an_exact_duplicate_whose_source_is_recorded(
    index: DedupIndex,
) -> None:
    first = index.check(make(seed_text(1), "https://a.example/1", "A"), NOW)
    copy = index.check(make(seed_text(1), "https://b.example/copy", "B"), NOW)
    assert copy.duplicate == "exact"
    assert not copy.redelivered
    assert copy.story_id == first.story_id
    story = index.story(first.story_id)
    assert story is not None
    assert story.sources == ("A", "B")
    assert story.size == 2


def test_text_hash_ignores_folding_differences(index: DedupIndex) -> None:
    text = seed_text(2)
    index.check(make(text, "https://a.example/2", "A"), NOW)
    refolded = text.replace("أ", "ا").replace("  ", " ") + "\n"
    assert index.check(make(refolded, "https://b.example/2", "B"), NOW).duplicate == "exact"


@pytest.mark.parametrize("fraction", [0.02, 0.05, 0.10])
def test_a_seed_with_small_edits_is_a_reprint(index: DedupIndex, fraction: float) -> None:
    original = index.check(make(seed_text(0), "https://a.example/0", "Agency"), NOW)
    verdict = index.check(make(edit_words(seed_text(0), fraction), "https://b.example/x", "B"), NOW)
    assert verdict.duplicate == "reprint"
    assert verdict.story_id == original.story_id
    assert verdict.matched == original.article_id
    assert verdict.similarity is not None and verdict.similarity >= index.config.threshold
    assert not verdict.independent


def test_reprint_with_a_new_headline_and_a_dropped_paragraph(index: DedupIndex) -> None:
    text = seed_text(3)
    original = index.check(make(text, "https://a.example/3", "Agency", title="عنوان أول"), NOW)
    paragraphs = [p for p in text.split("\n") if p.strip()]
    trimmed = "\n".join(paragraphs[:2] + paragraphs[3:])
    verdict = index.check(make(trimmed, "https://b.example/3", "B", title="عنوان آخر"), NOW)
    assert verdict.duplicate == "reprint"
    assert verdict.story_id == original.story_id


def test_different_seeds_are_different_stories(index: DedupIndex) -> None:
    verdicts = [index.check(make(seed_text(n), f"https://a.example/{n}", "A"), NOW) for n in range(5)]
    assert [v.duplicate for v in verdicts] == [None] * 5
    assert len({v.story_id for v in verdicts}) == 5
    assert all(v.independent for v in verdicts)


def test_story_counts_reprints_once_and_the_first_outlet_as_origin(index: DedupIndex) -> None:
    original = index.check(make(seed_text(4), "https://agency.example/4", "Agency"), NOW)
    for n, outlet in enumerate(["B", "C", "B"]):
        edited = edit_words(seed_text(4), 0.03, seed=n)
        verdict = index.check(make(edited, f"https://{outlet}.example/{n}", outlet), NOW)
        assert verdict.duplicate == "reprint"
        assert verdict.story_id == original.story_id
    story = index.story(original.story_id)
    assert story is not None
    assert story.size == 4
    assert story.sources == ("Agency", "B", "C")
    assert story.origin == "Agency"


def test_a_verbatim_copy_after_reprints_is_still_exact(index: DedupIndex) -> None:
    index.check(make(seed_text(0), "https://a.example/0", "A"), NOW)
    for n in range(3):
        index.check(make(edit_words(seed_text(0), 0.05, seed=n), f"https://b.example/{n}", "B"), NOW)
    assert index.check(make(seed_text(0), "https://c.example/0", "C"), NOW).duplicate == "exact"


def test_reprint_of_a_reprint_joins_the_original_story(index: DedupIndex) -> None:
    original = index.check(make(seed_text(1), "https://a.example/1", "A"), NOW)
    step = edit_words(seed_text(1), 0.08, seed=1)
    index.check(make(step, "https://b.example/1", "B"), NOW)
    verdict = index.check(make(edit_words(step, 0.08, seed=2), "https://c.example/1", "C"), NOW)
    assert verdict.duplicate == "reprint"
    assert verdict.story_id == original.story_id


def test_short_texts_do_not_collapse_into_one_story(index: DedupIndex) -> None:
    headlines = [
        "عاجل",
        "عاجل: لافروف",
        "محادثات روسية أمريكية في إسطنبول",
        "جولة ثانية من المحادثات في إسطنبول",
        "موسكو وواشنطن تتفقان على تمويل البعثات",
        "Russia and US hold talks in Istanbul",
        "Russia and US hold second round in Istanbul",
    ]
    verdicts = [index.check(make("", f"https://a.example/h{n}", "A", title=h), NOW) for n, h in enumerate(headlines)]
    assert [v.duplicate for v in verdicts] == [None] * len(headlines)
    assert len({v.story_id for v in verdicts}) == len(headlines)
    # A very short text is matched by URL only, even when the same words come again.
    assert index.check(make("", "https://b.example/h0", "B", title="عاجل"), NOW).duplicate is None


def test_the_same_headline_under_another_url_is_exact(index: DedupIndex) -> None:
    title = "محادثات روسية أمريكية في إسطنبول"
    first = index.check(make("", "https://a.example/h", "A", title=title), NOW)
    again = index.check(make("", "https://b.example/h", "B", title=title), NOW)
    assert again.duplicate == "exact"
    assert again.story_id == first.story_id


def test_articles_without_url_are_found_by_their_text(index: DedupIndex) -> None:
    first = index.check(make(seed_text(0), None, "A"), NOW)
    assert first.article_id.startswith("t:")
    assert index.check(make(seed_text(0), None, "A"), NOW).duplicate == "exact"


def test_connector_ids_still_match_by_canonical_url(index: DedupIndex) -> None:
    article = make(seed_text(0), "https://a.example/0", "A")
    index.check(Article(**{**_fields(article), "id": "000_seed.txt"}), NOW)
    other = Article(**{**_fields(article), "id": "feed-item-17", "url": "https://A.example/0?fbclid=1"})
    verdict = index.check(other, NOW)
    assert verdict.duplicate == "exact"
    assert verdict.story_id == "s:000_seed.txt"


def _fields(article: Article) -> dict[str, object]:
    return {name: getattr(article, name) for name in Article.__slots__}


def test_huge_text_is_capped(index: DedupIndex) -> None:
    text = seed_text(1)
    huge = (text + "\n") * (2_000_000 // len(text))
    assert len(huge.encode("utf-8")) > 2_000_000
    first = index.check(make(huge, "https://a.example/huge", "A"), NOW)
    assert first.duplicate is None
    # Its head is the seed, so the seed itself is a near-duplicate of it.
    assert index.check(make(text, "https://b.example/1", "B"), NOW).duplicate == "reprint"


def test_only_str_values_reach_the_store(store: StrictStore, index: DedupIndex) -> None:
    index.check(make(seed_text(0), "https://a.example/0", "A"), NOW)
    index.check(make(edit_words(seed_text(0), 0.05), "https://b.example/0", "B"), NOW)
    index.check(make("", "https://c.example/h", "C", title="محادثات روسية أمريكية في إسطنبول"), NOW)
    index.evict(NOW + dt.timedelta(days=60))
    assert all(type(k) is str and type(v) is str for k, v in store.data.items())


def test_state_survives_a_restart_over_the_same_store() -> None:
    store: dict[str, str] = {}
    first = DedupIndex(store).check(make(seed_text(0), "https://a.example/0", "A"), NOW)
    DedupIndex(store).check(make(seed_text(1), "https://a.example/1", "A"), NOW)
    restarted = DedupIndex(dict(store))
    assert restarted.check(make(seed_text(0), "https://a.example/0", "A"), NOW).duplicate == "exact"
    verdict = restarted.check(make(edit_words(seed_text(0), 0.05), "https://b.example/0", "B"), NOW)
    assert verdict.duplicate == "reprint"
    assert verdict.story_id == first.story_id
    assert restarted.size() == 3


def test_eviction_by_time(store: StrictStore, index: DedupIndex) -> None:
    original = index.check(make(seed_text(0), "https://a.example/0", "A"), NOW)
    index.check(make(seed_text(1), "https://a.example/1", "A"), NOW + dt.timedelta(days=10))
    index.check(make("", "https://a.example/h", "A", title="محادثات روسية أمريكية في إسطنبول"), NOW)
    assert index.evict(NOW + dt.timedelta(days=29)) == 0
    assert index.evict(NOW + dt.timedelta(days=30, hours=1)) > 0
    assert index.size() == 1
    assert index.story(original.story_id) is None
    # Forgotten: the same article is new again, and nothing of it is left in the store.
    assert not any(v == original.article_id for v in store.data.values())
    assert index.check(make(seed_text(0), "https://a.example/0", "A"), NOW + dt.timedelta(days=31)).duplicate is None
    # The article of day 10 is still known.
    later = make(seed_text(1), "https://a.example/1", "A")
    assert index.check(later, NOW + dt.timedelta(days=31)).duplicate == "exact"


def test_eviction_empties_the_store_of_everything_but_bookkeeping(store: StrictStore) -> None:
    index = DedupIndex(store, horizon=dt.timedelta(hours=2))
    for n in range(5):
        index.check(make(seed_text(n), f"https://a.example/{n}", "A"), NOW + dt.timedelta(minutes=40 * n))
        index.check(make(edit_words(seed_text(n), 0.05), f"https://b.example/{n}", "B"), NOW)
        index.check(make(seed_text(n), f"https://c.example/{n}", "C"), NOW)
        index.check(make("", f"https://a.example/h{n}", "A", title=f"عنوان قصير رقم {n} عن المحادثات"), NOW)
    assert index.evict(NOW + dt.timedelta(days=1)) > 0
    assert store.data == {"c:": "0", "e:": ""}


def test_a_story_touched_recently_outlives_its_first_article(index: DedupIndex) -> None:
    original = index.check(make(seed_text(2), "https://a.example/2", "A"), NOW)
    later = NOW + dt.timedelta(days=20)
    index.check(make(edit_words(seed_text(2), 0.05), "https://b.example/2", "B"), later)
    index.evict(NOW + dt.timedelta(days=31))
    story = index.story(original.story_id)
    assert story is not None
    assert story.sources == ("A", "B")
    verdict = index.check(make(edit_words(seed_text(2), 0.04, seed=9), "https://c.example/2", "C"), later)
    assert verdict.story_id == original.story_id


def test_naive_now_is_taken_as_utc(index: DedupIndex) -> None:
    index.check(make(seed_text(0), "https://a.example/0", "A"), NOW.replace(tzinfo=None))
    assert index.evict(NOW + dt.timedelta(days=30, hours=1)) > 0


def test_horizon_must_be_positive() -> None:
    with pytest.raises(ValueError, match="horizon"):
        DedupIndex({}, horizon=dt.timedelta(0))


def test_signatures_of_another_scheme_are_ignored(store: StrictStore, index: DedupIndex) -> None:
    index.check(make(seed_text(0), "https://a.example/0", "A"), NOW)
    for key, value in list(store.data.items()):
        if key.startswith("a:"):
            store.data[key] = "z" + value[1:]
    verdict = index.check(make(edit_words(seed_text(0), 0.02), "https://b.example/0", "B"), NOW)
    assert verdict.duplicate is None


def test_signature_values_are_pinned() -> None:
    # A library upgrade that changes hash values must bump minhash.SCHEME: stored signatures
    # would otherwise be compared with incompatible ones.
    params = minhash.MinHashParams()
    sig = minhash.signature(["محادثات", "روسية", "أمريكية", "في", "إسطنبول", "يوم", "الخميس"], params)
    encoded = minhash.encode(sig, params)
    assert encoded == PINNED_SIGNATURE
    assert minhash.decode(encoded, params) == sig
    assert minhash.decode("z" + encoded[1:], params) is None
    assert minhash.decode(encoded, minhash.MinHashParams(bands=4)) is None


PINNED_SIGNATURE = "eORWmzYJISja4gECZwfWlpXCVCgbCBaz9Ghulc0YlA6DNBmRbkjKjK4nHM2TqODYuwQ4"


def test_a_redelivered_reprint_is_exact_in_the_original_story(index: DedupIndex) -> None:
    original = index.check(make(seed_text(3), "https://a.example/3", "A"), NOW)
    reprint = make(edit_words(seed_text(3), 0.05), "https://b.example/3", "B")
    assert index.check(reprint, NOW).duplicate == "reprint"
    again = index.check(reprint, NOW)
    assert again.duplicate == "exact"
    assert again.story_id == original.story_id
    story = index.story(original.story_id)
    assert story is not None
    assert story.size == 2


def test_ids_unsafe_to_embed_are_digested(index: DedupIndex) -> None:
    article = Article(**{**_fields(make(seed_text(0), None, "A")), "id": "feed|item\n7"})
    verdict = index.check(article, NOW)
    assert verdict.article_id == "feed|item\n7"
    assert verdict.story_id.startswith("s:#")
    assert index.check(article, NOW).duplicate == "exact"
    story = index.story(verdict.story_id)
    assert story is not None
    assert story.sources == ("A",)


def test_many_articles_in_one_hour_span_several_chunks_and_all_go(store: StrictStore) -> None:
    index = DedupIndex(store, horizon=dt.timedelta(hours=1))
    for n in range(50):
        title = f"عنوان قصير رقم {n} عن جولة المحادثات"
        assert index.check(make("", f"https://a.example/h{n}", "A", title=title), NOW).duplicate is None
    assert int(store.data[f"e:{NOW:%Y%m%d%H}"]) > 1
    assert index.size() == 50
    assert index.evict(NOW + dt.timedelta(hours=1)) == 0  # the hour is not over the horizon yet
    assert index.evict(NOW + dt.timedelta(hours=2)) == 100  # a record and a text key each
    assert store.data == {"c:": "0", "e:": ""}


def test_a_damaged_story_entry_is_rebuilt_not_fatal(store: StrictStore, index: DedupIndex) -> None:
    original = index.check(make(seed_text(1), "https://a.example/1", "A"), NOW)
    index.check(make(seed_text(1), "https://b.example/1", "B"), NOW)
    store.data[original.story_id] = "{not json"
    damaged = index.story(original.story_id)
    assert damaged is not None
    assert damaged.sources == ("A",)  # what the first article's record still tells
    assert index.check(make(seed_text(1), "https://c.example/1", "C"), NOW).story_id == original.story_id
    story = index.story(original.story_id)
    assert story is not None
    assert story.sources == ("A", "C")


def test_the_acceptance_scenario_gives_one_story_and_one_independent_source(index: DedupIndex) -> None:
    # The scenario at the core level: a seed, three small edits of it by other outlets,
    # and the seed again under another URL.
    text = seed_text(0)
    verdicts = [index.check(make(text, "https://agency.example/0", "Agency"), NOW)]
    for n, outlet in enumerate(["B", "C", "D"]):
        verdicts.append(index.check(make(edit_words(text, 0.03, seed=n), f"https://{outlet}.example/0", outlet), NOW))
    verdicts.append(index.check(make(text, "https://E.example/copy?utm_source=x", "E"), NOW))
    assert [v.duplicate for v in verdicts] == [None, "reprint", "reprint", "reprint", "exact"]
    assert len({v.story_id for v in verdicts}) == 1
    assert [v.independent for v in verdicts] == [True, False, False, False, False]
    story = index.story(verdicts[0].story_id)
    assert story is not None
    assert story.size == 5
    assert story.sources == ("Agency", "B", "C", "D", "E")
    assert story.origin == "Agency"
