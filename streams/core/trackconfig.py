"""Negotiation tracks as a user configures them: parsing and validating a decoded tracks file.

The schema (TOML; see ``deploy/tracks.example.toml``)::

    [[tracks]]
    id = "am-az"                              # [a-z0-9-]+: message key, metric label, state key
    name = "Armenia - Azerbaijan"
    sides = [["Armenia"], ["Azerbaijan"]]     # two sides, each one or more countries
    min_pair_sentences = 1                    # optional: evidence an article needs
    topics = ["prisoner_exchange"]            # optional: agenda topics read (default: the generic ones)
    [tracks.people]                           # optional: names that count for a side
    "Armenia" = ["Nikol Pashinyan", "نيكول باشينيان", "Никол Пашинян"]
    [tracks.keywords]                         # optional: phrases per language that mark the track
    en = ["peace treaty"]
    [tracks.parties]                          # optional: sides that are no country, with their names
    "Hamas" = ["Hamas", "حماس", "ХАМАС"]
    [tracks.places]                           # optional: venues the built-in places lack
    "Naqoura" = { country = "Lebanon", names = ["الناقورة", "Накура"] }

Countries are English short names, ISO 3166 names or alpha-2/alpha-3 codes, resolved to one
canonical name through :class:`streams.core.geodata.Countries`. A side that is no country (a
movement, a rebel group, an authority) is declared under ``parties`` with the names that stand for
it in the news; it is then used in ``sides``, ``people`` and ``mediators`` like a country. A venue
the built-in places lack (a town, a border crossing) is declared under ``places`` with its country
and its names; it is then read as a city. Every
problem is reported as one line naming the track and the key (:class:`TrackFileError`). Pure: the caller reads the file.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from streams.core.errors import TrackFileError
from streams.core.geodata import Countries
from streams.core.models import GENERIC_TOPICS, TOPICS

TRACK_ID = re.compile(r"^[a-z0-9-]+$")
TOP_KEYS = frozenset({"tracks"})
TRACK_KEYS = frozenset(
    {"id", "name", "sides", "people", "keywords", "mediators", "topics", "min_pair_sentences", "parties", "places"}
)
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class Track:
    """A configured track: id, two sides (sets of canonical countries), names and keywords.

    ``people`` pairs a country of a side with names (any script) that count for it; ``keywords``
    pairs a language with phrases that mark the track. Both are tuples so a track is hashable.
    ``mediators`` are countries whose presence in a sentence neither supports the track nor speaks
    against it ("mediated by Oman", "Oman's foreign minister said").
    """

    id: str
    sides: tuple[frozenset[str], ...]
    min_pair_sentences: int = 1
    name: str = ""
    people: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keywords: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Countries that mediate or host the track's talks (Oman, Qatar): neither a side nor an outsider.
    mediators: frozenset[str] = frozenset()
    # The agenda topics its developments are tagged with (topics.json); others are not read.
    topics: frozenset[str] = GENERIC_TOPICS
    # Sides that are no country ("Hamas"), each with the names that stand for it in the news.
    parties: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Venues the built-in places lack: (name, country, other names).
    places: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def countries(self) -> frozenset[str]:
        """Every country on either side."""
        return frozenset().union(*self.sides)


@dataclass(frozen=True, slots=True)
class TrackSet:
    """The tracks of one configuration, in file order (the first breaks ties)."""

    tracks: tuple[Track, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The track ids, in order."""
        return tuple(t.id for t in self.tracks)

    def get(self, track_id: str) -> Track | None:
        """The track with ``track_id``, or None."""
        return next((t for t in self.tracks if t.id == track_id), None)


def parse_tracks_toml(text: str, countries: Countries, origin: str = "tracks file") -> TrackSet:
    """Parse and validate the text of a tracks file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{origin}: not TOML: {exc}"
        raise TrackFileError(msg) from exc
    return parse_tracks(data, countries, origin)


def parse_tracks(data: Mapping[str, Any], countries: Countries, origin: str = "tracks file") -> TrackSet:
    """Validate a decoded tracks file and resolve its countries; raise :class:`TrackFileError`."""
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        msg = f"{origin}: unknown key {unknown[0]!r} (expected [[tracks]] tables)"
        raise TrackFileError(msg)
    raw = data.get("tracks")
    if not isinstance(raw, list) or not raw:
        msg = f"{origin}: no [[tracks]] table"
        raise TrackFileError(msg)
    tracks: list[Track] = []
    for n, spec in enumerate(raw, 1):
        track = _track(spec, countries, f"{origin}: track {n}")
        if any(t.id == track.id for t in tracks):
            msg = f"{origin}: duplicate track id {track.id!r}"
            raise TrackFileError(msg)
        tracks.append(track)
    return TrackSet(tuple(tracks))


def _track(spec: Any, countries: Countries, where: str) -> Track:
    if not isinstance(spec, Mapping):
        msg = f"{where}: must be a table"
        raise TrackFileError(msg)
    unknown = sorted(set(spec) - TRACK_KEYS)
    if unknown:
        msg = f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(TRACK_KEYS))})"
        raise TrackFileError(msg)
    track_id = spec.get("id")
    if not isinstance(track_id, str) or not TRACK_ID.match(track_id):
        msg = f"{where}: id must match [a-z0-9-]+, got {track_id!r}"
        raise TrackFileError(msg)
    where = f"{where} ({track_id})"
    name = spec.get("name", track_id)
    if not isinstance(name, str):
        msg = f"{where}: name must be a string"
        raise TrackFileError(msg)
    parties = _parties(spec.get("parties", {}), countries, where)
    if parties:
        # A declared party resolves like a country in the keys that name sides.
        extra = {name.casefold(): name for name, _ in parties}
        countries = dataclasses.replace(countries, canonical={**countries.canonical, **extra})
    sides = _sides(spec.get("sides"), countries, where)
    minimum = spec.get("min_pair_sentences", 1)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        msg = f"{where}: min_pair_sentences must be an integer >= 1, got {minimum!r}"
        raise TrackFileError(msg)
    people = _people(spec.get("people", {}), sides, countries, where)
    keywords = _keywords(spec.get("keywords", {}), where)
    mediators = _mediators(spec.get("mediators", []), sides, countries, where)
    places = _places(spec.get("places", {}), countries, where)
    return Track(track_id, sides, minimum, name, people, keywords, mediators, _topics(spec, where), parties, places)


def _entries(raw: Any, key: str, shape: str, where: str) -> list[tuple[str, Any]]:
    """The (name, value) pairs of the ``[tracks.KEY]`` table, each named; one clear line otherwise."""
    if not isinstance(raw, Mapping):
        msg = f"{where}: {key} must be a table of {shape}"
        raise TrackFileError(msg)
    for name in raw:
        if name in TRACK_KEYS:
            msg = f"{where}: {name!r} is inside [tracks.{key}]; write it before the [tracks.{key}] line"
            raise TrackFileError(msg)
        if not name.strip():
            msg = f"{where}: {key}: every entry must have a name"
            raise TrackFileError(msg)
    return list(raw.items())


def _names(names: Any, *, allow_empty: bool) -> bool:
    """Whether ``names`` is a list of names (non-empty unless allowed)."""
    listed = isinstance(names, list) and (allow_empty or bool(names))
    return listed and all(isinstance(n, str) and n.strip() for n in names)


def _places(raw: Any, countries: Countries, where: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out = []
    for place, spec in _entries(raw, "places", "place = { country = ..., names = [...] }", where):
        if not isinstance(spec, Mapping) or set(spec) - {"country", "names"}:
            msg = f'{where}: places: {place!r} must be {{ country = "...", names = [...] }}'
            raise TrackFileError(msg)
        country = _country(spec.get("country"), countries, f"{where}: places: {place!r}")
        names = spec.get("names", [])
        if not _names(names, allow_empty=True):
            msg = f"{where}: places: the names of {place!r} must be a list of names"
            raise TrackFileError(msg)
        out.append((place, country, tuple(names)))
    return tuple(out)


def _parties(raw: Any, countries: Countries, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for party, names in _entries(raw, "parties", "party = [names]", where):
        known = countries.resolve(party)
        if known is not None:
            msg = f"{where}: parties: {party!r} is the country {known!r}; name it in sides directly"
            raise TrackFileError(msg)
        if not _names(names, allow_empty=False):
            msg = f"{where}: parties: the names of {party!r} must be a non-empty list of names"
            raise TrackFileError(msg)
        out.append((party, tuple(names)))
    return tuple(out)


def _topics(spec: Mapping[str, Any], where: str) -> frozenset[str]:
    raw = spec.get("topics")
    if raw is None:
        return GENERIC_TOPICS
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        msg = f"{where}: topics must be a list of topic names"
        raise TrackFileError(msg)
    unknown = sorted(set(raw) - set(TOPICS))
    if unknown:
        msg = f"{where}: unknown topic {unknown[0]!r} (known: {', '.join(TOPICS)})"
        raise TrackFileError(msg)
    return frozenset(raw)


def _mediators(raw: Any, sides: tuple[frozenset[str], ...], countries: Countries, where: str) -> frozenset[str]:
    if not isinstance(raw, list):
        msg = f"{where}: mediators must be a list of countries"
        raise TrackFileError(msg)
    mediators = frozenset(_country(name, countries, f"{where}: mediators") for name in raw)
    on_a_side = mediators & frozenset().union(*sides)
    if on_a_side:
        msg = f"{where}: mediator {sorted(on_a_side)[0]!r} is also on a side"
        raise TrackFileError(msg)
    return mediators


def _country(name: Any, countries: Countries, where: str) -> str:
    if not isinstance(name, str) or not name.strip():
        msg = f"{where}: a country must be a non-empty string, got {name!r}"
        raise TrackFileError(msg)
    canonical = countries.resolve(name)
    if canonical is None:
        close = countries.suggest(name)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        msg = f"{where}: unknown country {name!r}{hint}"
        raise TrackFileError(msg)
    return canonical


def _sides(raw: Any, countries: Countries, where: str) -> tuple[frozenset[str], ...]:
    if not isinstance(raw, list) or len(raw) != 2:
        count = len(raw) if isinstance(raw, list) else 0
        msg = f"{where}: sides must list exactly two sides, got {count}"
        raise TrackFileError(msg)
    sides = []
    for side in raw:
        names = side if isinstance(side, list) else [side]
        if not names:
            msg = f"{where}: a side names no country"
            raise TrackFileError(msg)
        sides.append(frozenset(_country(n, countries, where) for n in names))
    if sides[0] & sides[1]:
        msg = f"{where}: {sorted(sides[0] & sides[1])[0]!r} is on both sides"
        raise TrackFileError(msg)
    return tuple(sides)


def _people(
    raw: Any, sides: tuple[frozenset[str], ...], countries: Countries, where: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(raw, Mapping):
        msg = f"{where}: people must be a table of country = [names]"
        raise TrackFileError(msg)
    inside = frozenset().union(*sides)
    out = []
    for country, names in raw.items():
        if country in TRACK_KEYS:
            # A key written after [tracks.people] belongs to that table in TOML.
            msg = f"{where}: {country!r} is inside [tracks.people]; write it before the [tracks.people] line"
            raise TrackFileError(msg)
        canonical = _country(country, countries, f"{where}: people")
        if canonical not in inside:
            msg = f"{where}: people listed for {country!r}, which is not on a side"
            raise TrackFileError(msg)
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            msg = f"{where}: people of {country!r} must be a list of names"
            raise TrackFileError(msg)
        out.append((canonical, tuple(names)))
    return tuple(out)


def _keywords(raw: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(raw, Mapping):
        msg = f"{where}: keywords must be a table of language = [phrases]"
        raise TrackFileError(msg)
    out = []
    for language, phrases in raw.items():
        if not LANGUAGE.match(str(language)):
            msg = f"{where}: keywords: {language!r} is not a language code (en, ar, ru, fa …)"
            raise TrackFileError(msg)
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            msg = f"{where}: keywords of {language!r} must be a list of phrases"
            raise TrackFileError(msg)
        out.append((str(language), tuple(phrases)))
    return tuple(out)
