"""Splitting an article into sentences and clauses, and cutting page furniture off its end.

Each sentence keeps its original text (the evidence shown to users) next to its normalised form,
the word tokens of that form and, per token, the clause it sits in (clauses end at commas,
semicolons and colons; negation and ``~`` gaps do not cross them).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from streams.core.normalise import normalise

_WORD = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? ؟ … (and an optional closing quote) before white space.
# Both ways of ending follow the punctuation: the shared look-behind comes first, so the other
# tests run only there (five times faster than trying each alternative at every character).
_END = re.compile(r"(?<=[.!?؟…])(?:[\"'”»)\]]*\s+|(?:(?<=\w\w[.!?؟…])|(?<=[\"”»)][.!?؟…]))(?=[\u0621-\u064a]))")
_CLAUSE = re.compile(r"[،,;؛:|]")
# "U.S. officials", "Mr. Lavrov": a full stop after these does not end a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Jr|Sr|No|vs|etc"
    r"|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|г|гг|им|ул))\.$"
)
# The longest abbreviation with its full stop ("Sept."), plus the character before it that ``\b``
# looks at: an abbreviation that ends a piece lies in this many characters of its end.
_ABBREVIATION_TAIL = 7


def _abbreviated(piece: str) -> bool:
    """Whether ``piece`` ends with an abbreviation: searched in its tail only, not at every character."""
    return _ABBREVIATION.search(piece[-_ABBREVIATION_TAIL:]) is not None


# A footer heading is a short line; longer lines are text.
FOOTER_LINE = 80


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: original text, normalised text, tokens with their clause ids."""

    index: int
    text: str
    norm: str
    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    clauses: tuple[int, ...]
    question: bool

    def token_at(self, offset: int) -> int:
        """Index of the token at or after character ``offset`` of ``norm``."""
        return bisect.bisect_left(self.starts, offset)


def cut_footer(text: str, footers: Sequence[str]) -> str:
    """Drop everything from the first line that starts with a footer heading ("related news")."""
    if not footers:
        return text
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if not line.strip() or len(line) > FOOTER_LINE:
            continue
        folded = normalise(line)
        if any(folded.startswith(f) for f in footers):
            return "\n".join(lines[:n])
    return text


def split_text(text: str) -> list[str]:
    """Split text into sentence strings: at line breaks and at sentence-final punctuation.

    A "sentence" longer than :data:`MAX_SENTENCE` characters (a page with no punctuation) is cut
    into pieces of at most that length at spaces: what is read per sentence stays bounded, so
    reading an article costs time in proportion to its length.
    """
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        pieces = _END.split(line)
        buffer = ""
        for piece in pieces:
            buffer = f"{buffer} {piece}" if buffer else piece
            # The abbreviation ends the buffer, so it ends this piece: look there, not at the whole
            # buffer ("A. B. C. …" would make that quadratic).
            if _abbreviated(piece.rstrip() or buffer.rstrip()) and len(buffer) <= MAX_SENTENCE:
                continue
            out.extend(_bounded(buffer.strip()))
            buffer = ""
        if buffer.strip():
            out.extend(_bounded(buffer.strip()))
    return out


# Longer than any sentence of the corpus and the seeds (722 characters): only run-on text is cut.
MAX_SENTENCE = 1_000


def _bounded(sentence: str) -> list[str]:
    """``sentence``, or its pieces of at most MAX_SENTENCE characters, cut at white space when there is some."""
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    out = []
    start = 0
    while len(sentence) - start > MAX_SENTENCE:
        cut = sentence.rfind(" ", start + 1, start + MAX_SENTENCE + 1)
        if cut <= start:
            cut = start + MAX_SENTENCE
        out.append(sentence[start:cut].strip())
        start = cut
    out.append(sentence[start:].strip())
    return [piece for piece in out if piece]


@functools.lru_cache(maxsize=8)
def _alias_pattern(aliases: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    if not aliases:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(k) for k, _ in aliases) + r")\b")


# A clause of at most this many words between two others is a parenthesis ("signed, on Friday, a deal").
PARENTHESIS = 2


def _parentheticals_joined(starts: Sequence[int], boundaries: Sequence[int]) -> tuple[int, ...]:
    """Clause ids of the tokens starting at ``starts``, the clauses parted at the characters at
    ``boundaries``, where a short parenthesis ("، الجمعة،", ", on Friday,") and the clause after it
    belong to the clause before it: the commas around a date or place do not part a verb from its
    object."""
    # The runs of tokens between boundaries (a boundary is never inside a token), found by
    # bisecting the few boundaries into the token starts rather than each token into them.
    cuts = [0, *(bisect.bisect_left(starts, b) for b in boundaries), len(starts)]
    segments = [end - start for start, end in itertools.pairwise(cuts) if end > start]
    out: list[int] = []
    clause = 0
    join_next = False
    for k, size in enumerate(segments):
        parenthesis = 0 < k < len(segments) - 1 and size <= PARENTHESIS
        if k and not (parenthesis or join_next):
            clause += 1
        join_next = parenthesis
        out += [clause] * size
    return tuple(out)


def _starts(norm: str, toks: list[str]) -> list[int]:
    """Where each word token of ``norm`` starts: only non-word characters lie between two tokens,
    so each is found first where the one before it ends."""
    starts = []
    at = 0
    for tok in toks:
        at = norm.find(tok, at)
        starts.append(at)
        at += len(tok)
    return starts


def make_sentence(index: int, text: str, aliases: Mapping[str, str] | None = None) -> Sentence:
    """Normalise and tokenise one sentence; ``aliases`` rewrite case-sensitive words first (US → U.S.)."""
    matched = text
    # A word to rewrite is in the text as written: a substring test spares most sentences the regex.
    if aliases and any(word in text for word in aliases):
        pattern = _alias_pattern(tuple(sorted(aliases.items())))
        if pattern is not None:
            matched = pattern.sub(lambda m: aliases[m.group(1)], text)
    norm = normalise(matched)
    toks = _WORD.findall(norm)
    starts = _starts(norm, toks)
    boundaries = [m.start() for m in _CLAUSE.finditer(norm)]
    clauses = _parentheticals_joined(starts, boundaries) if boundaries else (0,) * len(toks)
    question = norm.rstrip(" \"'”»)").endswith(("?", "؟"))
    return Sentence(index, text, norm, tuple(toks), tuple(starts), clauses, question)


def sentences(
    title: str, text: str, footers: Sequence[str] = (), aliases: Mapping[str, str] | None = None
) -> list[Sentence]:
    """The sentences of an article: its title first, then its text without the footer."""
    # Track assignment and extraction both read every article: the second reading is a lookup.
    key = (title, text, tuple(footers), tuple(sorted(aliases.items())) if aliases else ())
    cached = _recent.get(key)
    if cached is None:
        parts = split_text(title) if title.strip() else []
        parts += split_text(cut_footer(text, footers))
        cached = tuple(make_sentence(i, part, aliases) for i, part in enumerate(parts))
        if len(_recent) >= RECENT:
            _recent.clear()
        _recent[key] = cached
    return list(cached)


# The sentences of the last few articles read (Sentence is frozen, so sharing them is safe).
RECENT = 8
_recent: dict[tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]], tuple[Sentence, ...]] = {}
