from __future__ import annotations

from streams.core.models import TrackState
from streams.core.timeline import timeline
from streams.core.wire import state_to_dict
from tests.unit.core.state_builders import dev, seeds_like_state


def test_meetings_are_in_time_order_and_an_undated_round_follows_the_rounds_before_it() -> None:
    entries = timeline(state_to_dict(seeds_like_state(), "Russia - United States"))
    assert [e.development["id"] for e in entries] == ["d-riy", "d-ist1", "d-ist2", "d-post"]


def test_an_agreement_goes_under_the_meeting_at_its_place_that_shares_its_article() -> None:
    entries = {e.development["id"]: e for e in timeline(state_to_dict(seeds_like_state()))}
    assert [o["id"] for o in entries["d-ist2"].outcomes] == ["d-agr"]
    assert entries["d-ist1"].outcomes == []


def test_an_agreement_of_a_day_without_a_meeting_is_an_entry_of_its_own() -> None:
    state = TrackState(
        track="ru-us",
        developments=(
            dev("m", "round_held", location="Riyadh", date="2025-02-18", ordinal=1),
            dev("a", "agreement", location="Riyadh", date="2025-03-26"),
            dev("same-day", "proposal", location="Moscow", date="2025-02-18"),
        ),
    )
    entries = timeline(state_to_dict(state))
    assert [e.development["id"] for e in entries] == ["m", "a"]
    assert [o["id"] for o in entries[0].outcomes] == ["same-day"]
