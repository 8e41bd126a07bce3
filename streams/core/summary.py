"""One readable English line per development, for alerts and logs."""

from __future__ import annotations

import functools

from streams.core.models import DevelopmentType

_ORDINAL_WORDS = {1: "1st", 2: "2nd", 3: "3rd"}

_PHRASES: dict[str, tuple[str, str]] = {
    # type: (subject, verb phrase)
    "round_held": ("talks", "held"),
    "round_announced": ("talks", "announced"),
    "summit_held": ("Summit", "held"),
    "summit_announced": ("Summit", "announced"),
    "agreement": ("Agreement", "reached"),
    "proposal": ("Proposal", "made"),
    "round_postponed": ("talks", "postponed"),
    "round_cancelled": ("talks", "called off"),
    "summit_postponed": ("Summit", "postponed"),
    "summit_cancelled": ("Summit", "called off"),
}


# A line, not a paragraph: the full list is in the alert's topics.
MAX_TOPICS_SHOWN = 4


def _topic_words(topics: tuple[str, ...]) -> str:
    words = ", ".join(t.replace("_", " ") for t in topics[:MAX_TOPICS_SHOWN])
    return f"{words} and {len(topics) - MAX_TOPICS_SHOWN} more" if len(topics) > MAX_TOPICS_SHOWN else words


# A pure function of a few strings and numbers, asked again for every report that enriches a
# development (most change nothing it shows): cached.
@functools.lru_cache(maxsize=4096)
def summarise(
    type_: DevelopmentType,
    *,
    location: str | None,
    date: str | None,
    ordinal: int | None,
    topics: tuple[str, ...],
    tentative: bool = False,
) -> str:
    """A short line such as "Round 2 of talks held in Istanbul on 2025-04-10 (embassy operations)".

    Announced developments read "for <date>": their date is when the meeting is due.
    """
    subject, verb = _PHRASES[type_]
    if type_.startswith("round_"):
        subject = f"Round {ordinal} of talks" if ordinal is not None else "Talks"
        if type_ == "round_announced" and ordinal is None:
            subject = "New round of talks"
    elif ordinal is not None:
        subject = f"{_ORDINAL_WORDS.get(ordinal, f'{ordinal}th')} {subject.lower()}"
    words = [subject, verb]
    if location:
        words.append(f"in {location}")
    if date:
        words.append(f"{'on' if type_.endswith('_held') or type_ in ('agreement', 'proposal') else 'for'} {date}")
    line = " ".join(words)
    if topics:
        line += (
            f" ({_topic_words(topics)})" if type_ not in ("agreement", "proposal") else (f" on {_topic_words(topics)}")
        )
    if tentative:
        line = f"Possibly: {line}"
    return line
