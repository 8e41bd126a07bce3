"""Regular expressions over word lists, compiled to be read fast.

Python's ``re`` tries the alternatives of ``(?:word1|word2|…)`` one after another at every place
it looks: a pattern over the hundreds of month names of the lexicon does hundreds of tests per
word of a sentence. :func:`alternation` writes the same list as a trie (``ف(?:براير|…)``), so that
one test of the next character chooses the branch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A trie node: the next character and its node; the empty string marks where a word ends.
_Node = dict[str, "_Node"]
_END = ""


def alternation(words: Iterable[str]) -> str:
    """A regex that matches exactly the literal ``words``, preferring the longer of two words when
    one is the start of the other.

    It matches what ``"|".join(map(re.escape, sorted(words, key=len, reverse=True)))`` matches,
    alternative for alternative (with backtracking too): two words that part at some character
    cannot both match at one place, and of two that do not part, the longer is tried first in both.
    An empty list gives an empty string, as the join does.
    """
    root: _Node = {}
    for word in set(words):
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _branches(root)


def _branches(node: _Node) -> str:
    branches = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and _END not in node else "(?:" + "|".join(branches) + ")"
    # Where a word ends and longer ones go on, the longer ones are tried first (a greedy "?").
    return body + "?" if _END in node else body
