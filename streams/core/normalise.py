"""Text normalisation shared by deduplication and extraction (Arabic first, then any script).

Explicit and small on purpose: library normalisers turn ى into ا or إ into ء, and stemmers
mangle month names, so nothing here stems.
"""

from __future__ import annotations

import re
import unicodedata

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# "الـ18", "الـ 27": the article glued to a number by a tatweel.
_AL_NUMBER = re.compile(r"ال\u0640+\s*(?=\d)")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Return ``text`` folded for matching: NFKC, lower case, Arabic letters and digits unified.

    Alef forms become bare alef, ta marbuta becomes ha, alef maqsura becomes ya, tashkeel and
    tatweel are removed, Arabic-Indic digits become ASCII, and ``الـ18`` becomes ``ال 18``.
    White space is collapsed. Word boundaries are kept, so offsets of words survive.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _AL_NUMBER.sub("ال ", text)
    text = text.replace(_TATWEEL, "")
    text = _TASHKEEL.sub("", text)
    text = text.translate(_ALEF).translate(_DIGITS)
    text = text.replace("ة", "ه").replace("ى", "ي")
    text = text.casefold()
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Split normalised text into word tokens (letters and digits of any script)."""
    return _WORD.findall(normalise(text))
