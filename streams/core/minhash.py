"""MinHash signatures over word shingles, compact enough to live in a string-valued table.

rensa computes the MinHash (0.09 ms per article against datasketch's 0.6 ms for the same
shingles, in ``benchmarks/bench_dedup.py``); this module turns its 32-bit digests into a short,
versioned string and into LSH band keys. The values that form LSH bands are kept to 16 bits,
the others (used only to estimate the similarity of a candidate) to 8 bits: two different
minima then agree by chance once in 65,536 or 256, which adds at most 0.004 to an estimate,
well below its sampling error, and it keeps every article small in the store.

A signature is only comparable with one made by the same scheme (library, algorithm version,
seed, number of permutations, shingle size). :data:`SCHEME` tags every stored signature and
band key, so a change of scheme makes old entries unreachable (then evicted by time) instead
of silently comparing incompatible hashes.
"""

from __future__ import annotations

import base64
import itertools
import logging
import struct
from dataclasses import dataclass

import rensa

logger = logging.getLogger(__name__)

# Bump when anything that changes signature values changes (library major, seed, shingling).
SCHEME = "e"
SEED = 20250227
_ALGORITHM = getattr(rensa.RMinHash, "ALGORITHM_VERSION", None)


@dataclass(frozen=True, slots=True)
class MinHashParams:
    """How signatures are made and banded.

    ``num_perm`` values per signature; LSH uses the first ``bands * rows`` of them, all of them
    estimate the similarity of a candidate. ``shingle`` is the number of words per shingle;
    ``max_tokens`` caps the words shingled so that a huge text costs no more than a long one.
    """

    num_perm: int = 32
    bands: int = 9
    rows: int = 2
    shingle: int = 2
    max_tokens: int = 2000

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            msg = f"bands*rows ({self.bands}*{self.rows}) exceeds num_perm ({self.num_perm})"
            raise ValueError(msg)
        if min(self.num_perm, self.bands, self.rows, self.shingle, self.max_tokens) < 1:
            msg = f"MinHash parameters must be positive: {self}"
            raise ValueError(msg)
        if self.bands > 36:
            msg = f"at most 36 bands (one base-36 digit in the band key), got {self.bands}"
            raise ValueError(msg)


def shingles(words: list[str], size: int) -> list[str]:
    """The ``size``-word shingles of ``words`` (the words themselves when there are fewer)."""
    if len(words) <= size:
        return [" ".join(words)] if words else []
    if size == 1:
        return list(words)
    if size == 2:
        return [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def signature(words: list[str], params: MinHashParams) -> tuple[int, ...]:
    """The MinHash signature of the shingles of ``words``: 16-bit band values, then 8-bit ones."""
    items = shingles(words[: params.max_tokens], params.shingle)
    hasher = rensa.RMinHash(num_perm=params.num_perm, seed=SEED)
    hasher.update(items)
    banded = params.bands * params.rows
    digest = hasher.digest()
    return tuple(v & 0xFFFF for v in digest[:banded]) + tuple(v & 0xFF for v in digest[banded:])


def _layout(params: MinHashParams) -> str:
    banded = params.bands * params.rows
    return f">{banded}H{params.num_perm - banded}B"


def encode(sig: tuple[int, ...], params: MinHashParams) -> str:
    """``sig`` as a scheme-tagged ASCII string (base64 of its big-endian packed values)."""
    packed = struct.pack(_layout(params), *sig)
    return SCHEME + base64.b64encode(packed).decode("ascii").rstrip("=")


def decode(text: str, params: MinHashParams) -> tuple[int, ...] | None:
    """The signature in ``text``, or None when another scheme or other parameters made it."""
    if not text.startswith(SCHEME):
        return None
    body = text[len(SCHEME) :]
    layout = _layout(params)
    try:
        packed = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except ValueError:
        logger.warning("damaged signature in the dedup store: %r", text[:40])
        return None
    if len(packed) != struct.calcsize(layout):
        return None
    return struct.unpack(layout, packed)


def band_keys(sig: tuple[int, ...], params: MinHashParams) -> list[str]:
    """One store key per LSH band: scheme letter, band number, then the band's values packed.

    Seven characters for a band of two 16-bit values (base 94 over printable ASCII): every
    indexed article holds one key per band, and a str of at most 56 bytes fits the smallest
    allocation class that can hold it. The second character is never ``:``, so band keys
    cannot clash with the ``x:`` keys of the index.
    """
    rows = params.rows
    keys = []
    for band in range(params.bands):
        value = 0
        for v in sig[band * rows : (band + 1) * rows]:
            value = (value << 16) | v
        digits = []
        while value:
            value, digit = divmod(value, 94)
            digits.append(_PRINTABLE[digit])
        keys.append(SCHEME + _BASE36[band] + "".join(digits))
    return keys


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures of one scheme."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))

logger.debug("MinHash scheme %s: rensa algorithm %s, seed %d", SCHEME, _ALGORITHM, SEED)
