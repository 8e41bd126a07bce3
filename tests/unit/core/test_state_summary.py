"""Readable one-line summaries of developments."""

from __future__ import annotations

import pytest

from streams.core.summary import summarise


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {
                "type_": "round_held",
                "location": "Istanbul",
                "date": "2025-04-10",
                "ordinal": 2,
                "topics": ("embassy_operations", "direct_flights"),
            },
            "Round 2 of talks held in Istanbul on 2025-04-10 (embassy operations, direct flights)",
        ),
        (
            {"type_": "round_held", "location": "Riyadh", "date": None, "ordinal": None, "topics": ()},
            "Talks held in Riyadh",
        ),
        (
            {"type_": "round_announced", "location": None, "date": None, "ordinal": None, "topics": ()},
            "New round of talks announced",
        ),
        (
            {"type_": "summit_announced", "location": "Budapest", "date": "2025-10", "ordinal": None, "topics": ()},
            "Summit announced in Budapest for 2025-10",
        ),
        (
            {
                "type_": "agreement",
                "location": "Istanbul",
                "date": None,
                "ordinal": None,
                "topics": ("mission_funding",),
            },
            "Agreement reached in Istanbul on mission funding",
        ),
        (
            {
                "type_": "proposal",
                "location": None,
                "date": None,
                "ordinal": None,
                "topics": ("direct_flights",),
                "tentative": True,
            },
            "Possibly: Proposal made on direct flights",
        ),
    ],
)
def test_summaries(kwargs: dict[str, object], expected: str) -> None:
    assert summarise(**kwargs) == expected  # type: ignore[arg-type]


def test_long_topic_lists_are_cut() -> None:
    line = summarise(
        "round_held",
        location=None,
        date=None,
        ordinal=None,
        topics=("visas", "banking", "staffing", "ukraine", "black_sea", "energy_infrastructure"),
    )
    assert line == "Talks held (visas, banking, staffing, ukraine and 2 more)"
