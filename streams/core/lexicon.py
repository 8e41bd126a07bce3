"""Lexicons as data: loading the JSON files of ``streams/lexicons`` and matching their phrases.

Every word list of the extractor (people, places, months, triggers, topics, ordinals) lives in a
JSON file, so adding a spelling or a language is a data change. Phrases are normalised with
:func:`streams.core.normalise.normalise` when loaded and matched against normalised tokens; an
Arabic token also matches after one clitic prefix (و ف ب ل ك ال لل …) is stripped. Phrase
syntax: ``word*`` matches words starting with ``word``, ``=word`` matches the word only as
written, ``~`` skips up to :data:`GAP` words of the same clause.

Foreign names are also matched by consonant skeleton (:func:`streams.core.normalise.skeleton`),
which is how دارتشييف, دارشيف and دارشييف meet one entry without a fuzzy ratio (ratios under ~85
read تركيز as تركيا).
"""

from __future__ import annotations

import functools
import json
import logging
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from streams.core import geodata
from streams.core.normalise import clitic_forms, is_arabic, normalise, skeleton, tokens
from streams.core.trackconfig import Track, TrackSet, parse_tracks

logger = logging.getLogger(__name__)

GAP = 10
# Skeletons shorter than this collide with ordinary words (بوتين → بتن).
MIN_SKELETON = 4
# The last word of a configured name counts alone ("Pashinyan") when it has this many letters.
MIN_SURNAME = 4
# Distinct tokens remembered by a matcher before its cache starts afresh (bounded memory).
CACHE_SIZE = 200_000
# Sentences whose matches are remembered (a few articles' worth).
FOUND_SIZE = 1_000


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a lexicon phrase."""

    text: str
    prefix: bool = False
    exact: bool = False
    gap: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """A phrase of a lexicon, with its category (``city``, ``held``, ``topic`` …) and value."""

    category: str
    value: str
    words: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon entry found at tokens ``start`` to ``end`` (exclusive) of a sentence.

    ``clitic`` is the Arabic prefix stripped from the first token to match ("ب" in بموسكو).
    """

    category: str
    value: str
    start: int
    end: int
    clitic: str = ""


def parse_phrase(phrase: str) -> tuple[Word, ...]:
    """Turn one lexicon phrase into its normalised words (see the module docstring for syntax)."""
    words: list[Word] = []
    for raw in phrase.split():
        if raw == "~":
            words.append(Word("", gap=True))
            continue
        exact = raw.startswith("=")
        prefix = raw.endswith("*")
        core = raw.strip("=*")
        for i, part in enumerate(tokens(core)):
            last = i == len(tokens(core)) - 1
            words.append(Word(part, prefix=prefix and last, exact=exact))
    return tuple(words)


# An entry a token may start, with the clitic stripped to start it, when the entry's second
# word is a plain word, that word (checked inline: most candidates fail there), and whether the
# entry is one word.
_Candidate = tuple["Entry", str, str | None, bool]
# A token's comparable forms, the entries it may start, and the person its skeleton names.
_TokenInfo = tuple[tuple[str, ...], tuple[_Candidate, ...], tuple[str, str] | None]


class PhraseMatcher:
    """Finds every entry of a set of phrases in a token list, in one pass over the tokens."""

    def __init__(self, entries: Sequence[Entry], skeletons: Mapping[str, str] | None = None) -> None:
        self._exact: dict[str, list[Entry]] = {}
        self._prefix: dict[str, list[Entry]] = {}
        self._min_prefix = 99
        for entry in entries:
            if not entry.words or entry.words[0].gap:
                continue
            first = entry.words[0]
            if first.prefix:
                self._prefix.setdefault(first.text, []).append(entry)
                self._min_prefix = min(self._min_prefix, len(first.text))
            else:
                self._exact.setdefault(first.text, []).append(entry)
        self._skeletons = dict(skeletons or {})
        self._cache: dict[str, _TokenInfo] = {}
        self._found: dict[tuple[tuple[str, ...], tuple[int, ...] | None], tuple[Match, ...]] = {}
        # Matches are values: one object per (category, value, span, clitic) serves every sentence
        # (building a frozen dataclass costs several times a dict lookup).
        self._matches: dict[tuple[str, str, int, int, str], Match] = {}

    def forms(self, token: str) -> tuple[str, ...]:
        """The forms of a text token that lexicon words are compared with."""
        return self._token(token)[0]

    def _token(self, token: str) -> _TokenInfo:
        # News vocabulary repeats: what a token can start and whose skeleton it is are computed once.
        info = self._cache.get(token)
        if info is not None:
            return info
        forms = clitic_forms(token, min_length=3)
        candidates: list[tuple[Entry, str]] = []
        for form in forms:
            clitic = token[: len(token) - len(form)]
            candidates.extend((e, clitic) for e in self._exact.get(form, ()))
            for length in range(self._min_prefix, len(form) + 1):
                candidates.extend((e, clitic) for e in self._prefix.get(form[:length], ()))
        person: tuple[str, str] | None = None
        if self._skeletons and is_arabic(token):
            for form in forms:
                name = self._skeletons.get(skeleton(form))
                if name is not None:
                    person = (name, token[: len(token) - len(form)])
                    break
        kept = tuple(
            (e, clitic, _plain_second(e), len(e.words) == 1)
            for e, clitic in candidates
            if not (e.words[0].exact and clitic)
        )
        info = (forms, kept, person)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[token] = info
        return info

    def find(self, toks: Sequence[str], clauses: Sequence[int] | None = None) -> list[Match]:
        """All matches in ``toks``; ``clauses`` (one id per token) bounds ``~`` gaps."""
        # Track assignment and extraction match the same sentences: the second time is a lookup.
        key = (tuple(toks), None if clauses is None else tuple(clauses))
        found = self._found.get(key)
        if found is None:
            found = tuple(self._find(toks, clauses))
            if len(self._found) >= FOUND_SIZE:
                self._found.clear()
            self._found[key] = found
        return list(found)

    def _find(self, toks: Sequence[str], clauses: Sequence[int] | None) -> list[Match]:
        cache = self._cache
        infos = [cache.get(t) or self._token(t) for t in toks]
        all_forms = [info[0] for info in infos]
        clause_of = list(clauses) if clauses is not None else [0] * len(toks)
        found: list[Match] = []
        seen: set[tuple[str, str, int, int]] = set()
        last = len(toks) - 1
        for i, (_, candidates, person) in enumerate(infos):
            following = all_forms[i + 1] if i < last else ()
            for entry, clitic, second, single in candidates:
                if single:
                    end = i + 1
                elif second is None:
                    end = self._match_rest(entry.words, 1, i + 1, all_forms, toks, clause_of, clause_of[i])
                elif second in following:
                    end = self._match_rest(entry.words, 2, i + 2, all_forms, toks, clause_of, clause_of[i])
                else:
                    continue
                if end < 0:
                    continue
                key = (entry.category, entry.value, i, end)
                if key not in seen:
                    seen.add(key)
                    found.append(self._match(entry.category, entry.value, i, end, clitic))
            if person is not None:
                key = ("person", person[0], i, i + 1)
                if key not in seen:
                    seen.add(key)
                    found.append(self._match("person", person[0], i, i + 1, person[1]))
        return found

    def _match(self, category: str, value: str, start: int, end: int, clitic: str) -> Match:
        key = (category, value, start, end, clitic)
        match = self._matches.get(key)
        if match is None:
            if len(self._matches) >= CACHE_SIZE:
                self._matches.clear()
            match = self._matches[key] = Match(category, value, start, end, clitic)
        return match

    def _match_rest(
        self,
        words: Sequence[Word],
        k: int,
        i: int,
        all_forms: Sequence[tuple[str, ...]],
        toks: Sequence[str],
        clause_of: Sequence[int],
        clause: int,
    ) -> int:
        if k == len(words):
            return i
        word = words[k]
        if word.gap:
            for j in range(i, min(i + GAP + 1, len(toks))):
                if clause_of[j] != clause:
                    break
                end = self._match_rest(words, k + 1, j, all_forms, toks, clause_of, clause)
                if end >= 0:
                    return end
            return -1
        if i >= len(toks) or not _word_matches(word, toks[i], all_forms[i]):
            return -1
        return self._match_rest(words, k + 1, i + 1, all_forms, toks, clause_of, clause)


def _plain_second(entry: Entry) -> str | None:
    """The second word of ``entry`` when it matches by its forms alone (no gap, prefix or exact)."""
    if len(entry.words) < 2:
        return None
    word = entry.words[1]
    return None if word.gap or word.prefix or word.exact else word.text


def _word_matches(word: Word, token: str, forms: tuple[str, ...]) -> bool:
    if word.exact:
        return token == word.text
    if word.prefix:
        return any(f.startswith(word.text) for f in forms)
    return word.text in forms


@dataclass(frozen=True, slots=True)
class Person:
    """A canonical person: the country they speak for and whether they are a head of state."""

    name: str
    country: str
    leader: bool = False


@dataclass(frozen=True, slots=True)
class City:
    """A canonical city; a metonym (a party's capital) is a venue only after a preposition."""

    name: str
    country: str
    metonym: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Every word list the extractor uses, normalised and compiled into one matcher."""

    matcher: PhraseMatcher
    people: Mapping[str, Person]
    cities: Mapping[str, City]
    countries: frozenset[str]
    months: Mapping[str, int]
    month_markers: Mapping[str, str]
    relative: Mapping[str, tuple[str, int]]
    weekdays: Mapping[str, int]
    weekday_prefix: tuple[str, ...]
    current_year: tuple[str, ...]
    jalali_months: Mapping[str, int]
    same_month: tuple[str, ...]
    month_qualifiers: tuple[str, ...]
    footers: tuple[str, ...]
    case_sensitive: Mapping[str, str]
    day_words: Mapping[str, int] = field(default_factory=dict)
    # Day words that stand right before a month with no preposition (Persian "هشتم آگوست").
    bare_day_words: Mapping[str, int] = field(default_factory=dict)
    range_to: tuple[str, ...] = ()
    range_between: tuple[str, ...] = ()
    grammar: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def words(self, group: str) -> frozenset[str]:
        """A group of grammar words of ``grammar.json`` (all languages), normalised."""
        return self.grammar.get(group, frozenset())


def _per_language(block: Mapping[str, Any]) -> list[str]:
    phrases: list[str] = []
    for items in block.values():
        phrases.extend(items)
    return phrases


def _read(directory: Path | None, name: str) -> dict[str, Any]:
    if directory is None:
        text = resources.files("streams").joinpath("lexicons", name).read_text(encoding="utf-8")
    else:
        text = (directory / name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _track_names(name: str, place_words: frozenset[str] = frozenset()) -> list[str]:
    """Phrases for one name of a tracks file: the name, and its last word alone when it is long
    enough to be a surname ("Nikol Pashinyan" → "pashinyan") and is not the name or adjective of a
    place ("محمد شياع السوداني": السوداني alone is "the Sudanese"); Cyrillic words take case endings."""
    words = tokens(name)
    if not words:
        return []
    phrases = [" ".join(words)]
    last = words[-1]
    if len(words) > 1 and len(last) >= MIN_SURNAME and not {last, last.removeprefix("ال")} & place_words:
        phrases.append(last)
    return [_declined(p) for p in phrases]


def _place_words(places: Mapping[str, Any]) -> frozenset[str]:
    """Every one-word name or adjective of a country or city, normalised, with and without ال."""
    words: set[str] = set()
    for kind in ("countries", "cities"):
        for info in places[kind].values():
            for phrase in _per_language(info["names"]):
                word = normalise(phrase).strip("=*")
                if " " not in word:
                    words.update((word, word.removeprefix("ال")))
    return frozenset(words)


def _phrase_key(phrase: str) -> tuple[str, ...]:
    """The words of a phrase as matched, to tell two spellings of one name apart from two names."""
    return tuple(w.text for w in parse_phrase(phrase))


def _declined(phrase: str) -> str:
    last = phrase.split()[-1]
    if len(last) >= MIN_SURNAME and "Ѐ" <= last[0] <= "ӿ":
        return phrase + "*"
    return phrase


def places_with_generated(files: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The hand ``places.json`` merged over the places generated from ``geo.json`` (if given)."""
    hand = files["places.json"]
    key = _geo_key(files)
    if key is None:
        return {"countries": dict(hand["countries"]), "cities": dict(hand["cities"])}
    generated, _ = _generated(key)
    return geodata.merge_places(_without_reserved(generated, _reserved_words(files)), hand)


def _reserved_words(files: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """Date words and trigger words of the lexicon, normalised.

    GeoNames lists thousands of alternate spellings nobody checked against running prose; one that
    is also a weekday, a month or a trigger word (Persian دوشنبه is Monday and Dushanbe) is read
    far more often as the word than as the place, so a generated spelling never takes it.
    """
    words: set[str] = set()
    dates = files.get("dates.json", {})
    for group in ("months", "weekdays", "relative", "day_words", "bare_day_words"):
        for block in dates.get(group, {}).values():
            words.update(block)
    for names in calendar(files):
        for block in names.values():
            words.update(block)
    triggers = files.get("triggers.json", {})
    for category, block in triggers.items():
        # Bodies named after their seat (شانگهای, the Shanghai organisation) leave the city its name.
        if category not in ("about", "organization"):
            words.update(p for p in _per_language(block) if "~" not in p)
    return frozenset(normalise(w).strip("=*") for w in words)


def _without_reserved(generated: Mapping[str, Any], reserved: frozenset[str]) -> dict[str, Any]:
    """Generated places without the city spellings that are date or trigger words."""
    cities: dict[str, Any] = {}
    for name, info in generated["cities"].items():
        names = {
            language: kept
            for language, phrases in info["names"].items()
            if (kept := [p for p in phrases if normalise(p).strip("=*") not in reserved])
        }
        if names:
            cities[name] = {**info, "names": names}
    return {"countries": generated["countries"], "cities": cities}


def _capitals(files: Mapping[str, Mapping[str, Any]]) -> Mapping[str, str]:
    """Country → its capital's GeoNames name (empty without ``geo.json``)."""
    key = _geo_key(files)
    return _generated(key)[1].capitals if key is not None else {}


def calendar(files: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """CLDR month and weekday names per language (empty without ``geo.json``)."""
    key = _geo_key(files)
    return _calendar(key) if key is not None else ({}, {})


def _geo_key(files: Mapping[str, Mapping[str, Any]]) -> str | None:
    """``geo.json`` as the text its derived data is cached by, or None when it is not given."""
    return json.dumps(files["geo.json"], sort_keys=True) if "geo.json" in files else None


@functools.cache
def _calendar(geo_json: str) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    return geodata.calendar_names(json.loads(geo_json))


@functools.cache
def _generated(geo_json: str) -> tuple[dict[str, Any], geodata.Countries]:
    return geodata.generate(json.loads(geo_json))


class _Phrases:
    """The phrases of a lexicon being compiled, and the skeletons of the one-word Arabic names."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.skeletons: dict[str, str] = {}

    def add(self, category: str, value: str, phrase: str) -> None:
        words = parse_phrase(phrase)
        if words:
            self.entries.append(Entry(category, value, words))

    def add_person(self, name: str, phrase: str) -> None:
        self.add("person", name, phrase)
        words = parse_phrase(phrase)
        if len(words) == 1 and is_arabic(words[0].text) and not words[0].prefix:
            skel = skeleton(words[0].text)
            if len(skel) >= MIN_SKELETON:
                self.skeletons.setdefault(skel, name)


def build_lexicon(files: Mapping[str, Mapping[str, Any]], tracks: TrackSet | None = None) -> Lexicon:
    """Compile a lexicon from the decoded data files, keyed by file name (``people.json`` …), and
    the configured ``tracks`` (their keywords, their people, their sides' capitals as metonyms)."""
    phrases = _Phrases()
    track_list: tuple[Track, ...] = tracks.tracks if tracks is not None else ()
    places = places_with_generated(files)
    people = _add_people(phrases, files, track_list, _place_words(places))
    cities = _add_places(phrases, files, places, track_list)
    _add_words(phrases, files, track_list)
    dates = files["dates.json"]
    cldr_months, cldr_weekdays = calendar(files)
    months: dict[str, int] = {name: n for block in cldr_months.values() for name, n in block.items()}
    for block in dates["months"].values():
        for name, number in block.items():
            months[normalise(name)] = int(number)
    markers = {normalise(w): kind for kind, words in dates["month_markers"].items() for w in words}
    relative: dict[str, tuple[str, int]] = {}
    for block in dates["relative"].values():
        for phrase, (unit, offset) in block.items():
            relative[normalise(phrase)] = (str(unit), int(offset))
    weekdays = {name: d for block in cldr_weekdays.values() for name, d in block.items()}
    weekdays |= {normalise(n): int(d) for block in dates["weekdays"].values() for n, d in block.items()}
    grammar = {
        group: frozenset(normalise(w) for w in _per_language(block))
        for group, block in files.get("grammar.json", {}).items()
        if group != "about"
    }

    logger.debug("lexicon: %d phrases, %d skeletons", len(phrases.entries), len(phrases.skeletons))
    return Lexicon(
        matcher=PhraseMatcher(phrases.entries, phrases.skeletons),
        people=people,
        cities=cities,
        countries=frozenset(places["countries"]),
        months=months,
        month_markers=markers,
        relative=relative,
        weekdays=weekdays,
        weekday_prefix=tuple(normalise(w) for w in dates["weekday_prefix"]),
        current_year=tuple(normalise(w) for w in dates["current_year"]),
        jalali_months={normalise(n): int(m) for n, m in dates.get("jalali_months", {}).items()},
        same_month=tuple(normalise(w) for w in dates.get("same_month", [])),
        month_qualifiers=tuple(normalise(w) for w in dates.get("month_qualifiers", [])),
        footers=tuple(normalise(w) for w in files["text.json"]["footer_headings"]),
        case_sensitive=dict(files["text.json"].get("case_sensitive", {})),
        day_words={normalise(w): int(n) for block in dates.get("day_words", {}).values() for w, n in block.items()},
        bare_day_words={
            normalise(w): int(n) for block in dates.get("bare_day_words", {}).values() for w, n in block.items()
        },
        range_to=tuple(normalise(w) for w in _per_language(dates.get("range_to", {}))),
        range_between=tuple(normalise(w) for w in _per_language(dates.get("range_between", {}))),
        grammar=grammar,
    )


def _add_people(
    phrases: _Phrases,
    files: Mapping[str, Mapping[str, Any]],
    track_list: Sequence[Track],
    place_words: frozenset[str] = frozenset(),
) -> dict[str, Person]:
    """The people of ``people.json`` and of the tracks, their names added as phrases."""
    people: dict[str, Person] = {}
    # A known person's phrases: a tracks file that spells a leader's name as the lexicon does
    # ("دونالد ترامب") names the same leader.
    known: dict[tuple[str, tuple[str, ...]], Person] = {}
    for name, info in files["people.json"]["people"].items():
        people[name] = Person(name, info["country"], bool(info.get("leader", False)))
        for phrase in _per_language(info["names"]):
            phrases.add_person(name, phrase)
            known.setdefault((info["country"], _phrase_key(phrase)), people[name])
    for track in track_list:
        for country, names in track.people:
            for name in names:
                names_of = _track_names(name, place_words)
                keys = [(country, _phrase_key(p)) for p in names_of]
                leader = any(known[k].leader for k in keys if k in known)
                people.setdefault(name, Person(name, country, leader))
                for phrase in names_of:
                    phrases.add_person(name, phrase)
    return people


def _add_places(
    phrases: _Phrases, files: Mapping[str, Mapping[str, Any]], places: Mapping[str, Any], track_list: Sequence[Track]
) -> dict[str, City]:
    """The cities (a side's capital a metonym) and countries, their names added as phrases."""
    inside = frozenset().union(*(t.countries for t in track_list))
    cities: dict[str, City] = {}
    capitals = _capitals(files)
    for name, info in places["cities"].items():
        # A capital of a side stands for its government ("Washington and Moscow agreed", "Baku and
        # Yerevan"), whether the city comes from GeoNames or from the hand lexicon.
        capital = bool(info.get("capital")) or capitals.get(info["country"]) == name
        metonym = bool(info.get("metonym", False)) or (capital and info["country"] in inside)
        cities[name] = City(name, info["country"], metonym)
        for phrase in _per_language(info["names"]):
            phrases.add("city", name, phrase)
            if metonym:
                # "بين طهران وواشنطن", "Baku and Yerevan": a side's capital names its country too.
                phrases.add("country", info["country"], phrase)
    for name, info in places["countries"].items():
        for phrase in _per_language(info["names"]):
            phrases.add("country", name, phrase)
    for track in track_list:
        # A side that is no country ("حماس", "ХАМАС") is read where a country would be.
        for party, names in track.parties:
            for phrase in (party, *names):
                phrases.add("country", party, phrase)
        # A venue the data lacks ("الناقورة"), declared by the tracks file, is a city like the others.
        for place, country, names in track.places:
            cities.setdefault(place, City(place, country))
            for phrase in (place, *names):
                phrases.add("city", place, phrase)
    return cities


def _add_words(phrases: _Phrases, files: Mapping[str, Mapping[str, Any]], track_list: Sequence[Track]) -> None:
    """Trigger words, ordinals and time words, topics, the tracks' keywords and durations as phrases."""
    for category, block in files["triggers.json"].items():
        if category == "about":
            continue
        for phrase in _per_language(block):
            phrases.add(category, "", phrase)
    ordinals = files["ordinals.json"]
    for block in ordinals["ordinals"].values():
        for phrase, number in block.items():
            phrases.add("ordinal", str(number), phrase)
    for phrase in _per_language(ordinals["time_words"]):
        phrases.add("time_word", "", phrase)
    for topic, block in files["topics.json"]["topics"].items():
        for phrase in _per_language(block):
            phrases.add("topic", topic, phrase)
    for track in track_list:
        for _, keywords in track.keywords:
            for phrase in keywords:
                phrases.add("track", track.id, phrase)
    for block in files["dates.json"].get("durations", {}).values():
        for phrase, days in block.items():
            phrases.add("duration", str(int(days)), phrase)


LEXICON_FILES = (
    "people.json",
    "places.json",
    "geo.json",
    "triggers.json",
    "ordinals.json",
    "topics.json",
    "dates.json",
    "text.json",
    "grammar.json",
)


def read_files(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The decoded lexicon files of ``directory`` (default: the packaged lexicons)."""
    return {name: _read(directory, name) for name in LEXICON_FILES}


def load_lexicon(directory: Path | None = None, tracks: TrackSet | None = None) -> Lexicon:
    """Load and compile the lexicon files of ``directory`` (default: the packaged lexicons)."""
    return build_lexicon(read_files(directory), tracks if tracks is not None else builtin_tracks())


@functools.cache
def countries() -> geodata.Countries:
    """The country registry (names, aliases and codes) of the packaged ``geo.json``."""
    return _generated(json.dumps(_read(None, "geo.json"), sort_keys=True))[1]


@functools.cache
def builtin_tracks() -> TrackSet:
    """The tracks packaged with dipwatch (``streams/lexicons/tracks.toml``)."""
    text = resources.files("streams").joinpath("lexicons", "tracks.toml").read_text(encoding="utf-8")
    return parse_tracks(tomllib.loads(text), countries(), "built-in tracks.toml")


@functools.cache
def lexicon_for(tracks: TrackSet) -> Lexicon:
    """The packaged lexicon compiled for ``tracks``, once per process and track set."""
    return build_lexicon(read_files(), tracks)


def default_lexicon() -> Lexicon:
    """The packaged lexicon for the built-in tracks, loaded once per process."""
    return lexicon_for(builtin_tracks())
