"""Tracks are data: no country, city or person is named in the code of ``streams/``.

String literals and identifiers are scanned (docstrings and comments may give examples); a name
is any canonical country, city or person of the packaged data, or any of its spellings.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

from streams.core.lexicon import default_lexicon, places_with_generated, read_files
from streams.core.normalise import normalise, tokens

STREAMS = Path(__file__).resolve().parents[3] / "streams"


def _names() -> set[str]:
    files = read_files()
    places = places_with_generated(files)
    names: set[str] = set()
    for block in (places["countries"], places["cities"], files["people.json"]["people"]):
        for canonical, info in block.items():
            names.add(normalise(canonical))
            for phrases in info["names"].values():
                names.update(normalise(p).strip("=*") for p in phrases)
    names.update(normalise(p) for p in default_lexicon().people)
    # Two-letter spellings ("us", "uk") are ordinary words in code.
    return {n for n in names if len(n.replace(" ", "")) >= 4}


def _code_strings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(body[0].value.lineno)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.lineno not in docstrings:
            out.append((node.lineno, node.value))
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME:
            out.append((tok.start[0], tok.string.replace("_", " ")))
    return out


def test_no_country_city_or_person_in_the_code() -> None:
    names = _names()
    found = []
    for path in sorted(STREAMS.rglob("*.py")):
        for line, text in _code_strings(path):
            words = tokens(normalise(text))
            grams = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
            found.extend(f"{path.relative_to(STREAMS.parent)}:{line}: {hit}" for hit in sorted(grams & names))
    assert found == []


def test_the_scan_sees_a_name() -> None:
    names = _names()
    assert {"armenia", "yerevan", "пашинян"} - names == {"пашинян"}  # people of tracks files are not data
    assert "riyadh" in names and "بوتين" in names
