"""Text normalisation shared by deduplication and extraction (Arabic first, then any script).

Explicit and small on purpose: library normalisers turn ى into ا or إ into ء, and stemmers
mangle month names (فبراير → راير), so nothing here stems. Persian letters are folded onto
their Arabic counterparts (ی → ي, ک → ك) so one lexicon spelling serves both, and Russian ё
becomes е.
"""

from __future__ import annotations

import re
import unicodedata

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ё": "е",
        # Zero-width non-joiner (Persian) and joiner: dropped so compounds match one way.
        "\u200c": None,
        "\u200d": None,
        "\u200f": None,
        "\u200e": None,
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# One table for tatweel, tashkeel, letters and digits: str.translate walks the text once. As a
# list indexed by code point it is read faster than a dict; characters past its end stay as they are.
_MAP: dict[int, int | str | None] = {
    ord(_TATWEEL): None,
    **dict.fromkeys(c for c in range(0x0610, 0x06EE) if _TASHKEEL.match(chr(c))),
    **_FOLD,
    **_DIGITS,
}
_TABLE: list[int | str | None] = [_MAP.get(c, c) for c in range(max(_MAP) + 1)]
# "الـ18", "الـ 27": the article glued to a number by a tatweel.
_AL_NUMBER = re.compile(r"ال\u0640+\s*(?=\d)")
_WORD = re.compile(r"\w+", re.UNICODE)
# "و10 أبريل": a conjunction glued to a number is split off so the number stands alone.
_LETTER_DIGIT = re.compile(r"[\u0621-\u064a](?=\d)")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u067e-\u06d3]")

# Clitics that attach to the front of an Arabic word: conjunctions, prepositions, the article.
# Longest first, so "وال" is tried before "و".
ARABIC_PREFIXES: tuple[str, ...] = (
    "وبال",
    "فبال",
    "وكال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "ال",
    "لل",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "فك",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
# Letters that Arabic spellings of foreign names add or drop freely (long vowels, hamza seats).
_SKELETON_DROP = str.maketrans({"ا": None, "و": None, "ي": None, "ء": None, "ئ": None, "ؤ": None})


def normalise(text: str) -> str:
    """Return ``text`` folded for matching: NFKC, lower case, Arabic letters and digits unified.

    Alef forms become bare alef, ta marbuta becomes ha, alef maqsura becomes ya, tashkeel and
    tatweel are removed, Arabic-Indic and Persian digits become ASCII, Persian ی/ک become ي/ك,
    and ``الـ18`` becomes ``ال 18``. White space is collapsed. Word boundaries are kept.
    """
    # Most news text is already NFKC but for no-break spaces; checking costs ~2 % of normalising.
    text = text.replace("\u00a0", " ")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _TATWEEL in text:
        text = _AL_NUMBER.sub("ال ", text)
    # Tatweel and tashkeel are dropped by the table, after "الـ18" was read.
    text = text.translate(_TABLE)
    text = _LETTER_DIGIT.sub(r"\g<0> ", text)
    # Turkish İ casefolds to i + a combining dot; the dot carries nothing for matching.
    text = text.casefold().replace("\u0307", "")
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Split normalised text into word tokens (letters and digits of any script)."""
    return _WORD.findall(normalise(text))


def is_arabic(token: str) -> bool:
    """Whether ``token`` contains an Arabic-script letter (Arabic or Persian)."""
    return _ARABIC_LETTER.search(token) is not None


def clitic_forms(token: str, min_length: int = 2) -> tuple[str, ...]:
    """The normalised ``token`` and the forms left after stripping each Arabic clitic prefix.

    ``والولايات`` gives ``('والولايات', 'الولايات', 'ولايات', 'لولايات')``-like variants; only
    forms of at least ``min_length`` letters are kept. Non-Arabic tokens come back alone.
    """
    if not is_arabic(token):
        return (token,)
    forms = [token]
    for prefix in ARABIC_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= min_length:
            rest = token[len(prefix) :]
            if rest not in forms:
                forms.append(rest)
    return tuple(forms)


def skeleton(token: str) -> str:
    """Consonant skeleton of a normalised Arabic-script name: long vowels dropped, تش as ش.

    دارتشييف, دارشيف and دارشييف all give درشف; non-Arabic tokens come back unchanged.
    """
    if not is_arabic(token):
        return token
    return token.replace("تش", "ش").translate(_SKELETON_DROP)
