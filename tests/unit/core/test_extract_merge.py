"""Merging the reports of one development within an article (streams.core.drafts)."""

from __future__ import annotations

from streams.core.dates import Resolved
from streams.core.drafts import Statement, may_be_one, merge_in_article, summits
from streams.core.models import DevelopmentType
from streams.core.sentences import make_sentence

NO_DATE = Resolved(None, None, None)


def draft(
    kind: DevelopmentType,
    index: int,
    location: str | None = None,
    date: str | None = None,
    ordinal: int | None = None,
    topics: tuple[str, ...] = (),
    title: bool = False,
) -> Statement:
    resolved = Resolved(date, "day", date) if date else NO_DATE
    return Statement(
        kind, make_sentence(index, f"sentence {index}"), location, resolved, ordinal, set(topics), set(), title=title
    )


def test_same_key_merges_and_pools_topics() -> None:
    out = merge_in_article(
        [draft("round_held", 1, "Istanbul", topics=("visas",)), draft("round_held", 5, "Istanbul", topics=("banking",))]
    )
    assert len(out) == 1
    assert out[0].topics == {"visas", "banking"}


def test_different_ordinals_stay_apart() -> None:
    out = merge_in_article(
        [draft("round_held", 1, "Istanbul", ordinal=1), draft("round_held", 5, "Istanbul", ordinal=2)]
    )
    assert [d.ordinal for d in out] == [1, 2]


def test_bare_report_joins_the_nearest_specific_one() -> None:
    out = merge_in_article([draft("round_held", 1, "Istanbul", "2025-02-27"), draft("round_held", 3)])
    assert len(out) == 1


def test_headline_joins_the_body() -> None:
    out = merge_in_article(
        [draft("round_held", 0, "Istanbul", ordinal=2, title=True), draft("round_held", 1, "Istanbul", "2025-04-10")]
    )
    assert [(d.location, d.date.date, d.ordinal, d.sentence.index) for d in out] == [("Istanbul", "2025-04-10", 2, 1)]


def test_announcement_of_a_round_reported_held_is_dropped() -> None:
    out = merge_in_article(
        [draft("round_held", 1, "Istanbul", ordinal=2), draft("round_announced", 4, "Istanbul", ordinal=2)]
    )
    assert [d.type for d in out] == ["round_held"]


def test_talks_due_the_next_day_go_on_with_the_meeting_held() -> None:
    # "Talks ended on Saturday in Geneva; a new session is due tomorrow, Sunday."
    out = merge_in_article(
        [draft("round_held", 1, "Geneva", "2025-05-10"), draft("round_announced", 2, None, "2025-05-11")]
    )
    assert [d.type for d in out] == ["round_held"]


def test_talks_due_a_week_later_or_elsewhere_are_another_meeting() -> None:
    later = merge_in_article(
        [draft("round_held", 1, "Geneva", "2025-05-10"), draft("round_announced", 2, None, "2025-05-17")]
    )
    elsewhere = merge_in_article(
        [draft("round_held", 1, "Geneva", "2025-05-10"), draft("round_announced", 2, "London", "2025-05-11")]
    )
    assert [d.type for d in later] == [d.type for d in elsewhere] == ["round_held", "round_announced"]


def test_agreements_with_unrelated_topics_stay_apart() -> None:
    out = merge_in_article([draft("agreement", 1, topics=("banking",)), draft("agreement", 6, topics=("black_sea",))])
    assert len(out) == 2


def test_meeting_at_the_summit_place_is_the_summit() -> None:
    out = summits([draft("summit_held", 1, "Anchorage"), draft("round_held", 4, "Anchorage")])
    assert [d.type for d in out] == ["summit_held", "summit_held"]


def test_compatibility_ignores_unknown_fields() -> None:
    assert may_be_one(draft("round_held", 1, "Istanbul"), draft("round_held", 2, None, "2025-02-27"))
    assert not may_be_one(draft("round_held", 1, "Istanbul"), draft("round_held", 2, "Riyadh"))
    assert not may_be_one(draft("round_held", 1), draft("round_announced", 2))


def test_a_postponement_that_names_nothing_is_of_the_meeting_placed_just_before() -> None:
    # "… held a meeting in Paris. The meeting had been scheduled for last week but was postponed."
    out = merge_in_article([draft("round_held", 1, "Paris"), draft("round_postponed", 2)])
    assert [(d.type, d.location) for d in out] == [("round_held", "Paris"), ("round_postponed", "Paris")]
    far = merge_in_article([draft("round_held", 1, "Paris"), draft("round_postponed", 6)])
    assert [(d.type, d.location) for d in far] == [("round_held", "Paris"), ("round_postponed", None)]


def test_a_summit_named_only_as_background_does_not_take_the_talks_of_its_sentence() -> None:
    # "The ministers held talks today on the declaration signed during a summit in Washington."
    summit = draft("summit_held", 1)
    summit.background = True
    out = summits([draft("round_held", 1, date="2025-08-12"), summit])
    assert [d.type for d in out] == ["round_held", "summit_held"]
    # "The summit ended after three hours of talks": the talks are the summit's.
    assert [d.type for d in summits([draft("round_held", 1), draft("summit_held", 1)])] == ["summit_held"] * 2
