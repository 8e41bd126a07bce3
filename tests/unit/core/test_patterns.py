"""A word list as a trie regex matches what the plain alternation of its words matched."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core.patterns import alternation

_ALPHABET = "abc .*(فبر"
_words = st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=5), max_size=8)
_texts = st.text(alphabet=_ALPHABET + "xd", max_size=30)


def _joined(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _matches(pattern: str, text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in re.finditer(pattern, text)]


@settings(max_examples=500, deadline=None)
@given(_words, _texts)
def test_the_trie_finds_the_same_words_at_the_same_places(words: list[str], text: str) -> None:
    assert _matches(f"(?:{alternation(words)})", text) == _matches(f"(?:{_joined(words)})", text)


@settings(max_examples=500, deadline=None)
@given(_words, _texts)
def test_inside_a_larger_pattern_backtracking_chooses_the_same_word(words: list[str], text: str) -> None:
    # A shorter word is taken when the longer one leaves the rest of the pattern unmatched.
    for template in (r"(?<!\w)({})(?!\w)", r"({})\s*(\d?)(b|c)", r"(?:({})\s+)?(a+)"):
        trie, joined = template.format(alternation(words)), template.format(_joined(words))
        assert _matches(trie, text) == _matches(joined, text)


def test_a_word_and_its_longer_forms() -> None:
    pattern = alternation(["فبراير", "فبر", "feb", "february", "febr"])
    assert re.fullmatch(pattern, "february")
    assert re.match(pattern, "februaryx").group(0) == "february"  # type: ignore[union-attr]
    assert re.match(pattern, "febrx").group(0) == "febr"  # type: ignore[union-attr]
    assert re.match(pattern, "فبراير").group(0) == "فبراير"  # type: ignore[union-attr]
    assert alternation([]) == ""
