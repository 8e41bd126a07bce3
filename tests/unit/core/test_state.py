"""The rolling track state: what is new, what only enriches, and what stays apart."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from streams.core.agenda import advance_agenda, set_status
from streams.core.models import Alert, Article, Mention, TrackState
from streams.core.state import MAX_DEVELOPMENTS, MAX_EVIDENCE, MAX_SOURCES, MAX_TOTAL_EVIDENCE, MIN_EVIDENCE, merge

NOW = dt.datetime(2025, 4, 11, 9, 0, tzinfo=dt.UTC)


def article(name: str, source: str | None = None, published: dt.datetime | None = None) -> Article:
    return Article(
        id=name,
        source=source or name,
        url=f"https://example.org/{name}",
        title="",
        published=published,
        fetched=None,
        language="ar",
        text="",
        connector="files",
    )


def run(
    state: TrackState, art: Article, *mentions: Mention, now: dt.datetime = NOW
) -> tuple[TrackState, tuple[Alert, ...]]:
    return merge(state, art, mentions, now, f"story-{art.id}")


def news(alerts: Sequence[Alert]) -> list[Alert]:
    return [a for a in alerts if a.kind == "new"]


def updates(alerts: Sequence[Alert]) -> list[Alert]:
    return [a for a in alerts if a.kind == "update"]


def held(
    location: str | None = "Istanbul", date: str | None = None, ordinal: int | None = None, **kw: object
) -> Mention:
    precision = None if date is None else ("day" if len(date) == 10 else "month")
    return Mention(
        "round_held",
        f"held {location} {date} {ordinal}",
        location=location,
        date=date,
        date_precision=precision,
        ordinal=ordinal,
        **kw,
    )  # type: ignore[arg-type]


EMPTY = TrackState(track="ru-us")


def test_a_new_development_alerts_once() -> None:
    state, alerts = run(EMPTY, article("a"), held(date="2025-02-27", ordinal=1))
    assert [a.kind for a in alerts] == ["new"]
    dev = alerts[0].development
    assert (dev.type, dev.location, dev.date, dev.ordinal) == ("round_held", "Istanbul", "2025-02-27", 1)
    assert dev.summary == "Round 1 of talks held in Istanbul on 2025-02-27"
    assert state.developments == (dev,)


def test_a_second_report_enriches_instead_of_duplicating() -> None:
    state, _ = run(EMPTY, article("a"), held(ordinal=2))
    state, alerts = run(state, article("b"), held(date="2025-04-10", ordinal=2, topics=("visas",)))
    assert news(alerts) == []
    (dev,) = state.developments
    assert dev.date == "2025-04-10" and dev.date_precision == "day"
    assert dev.topics == ("visas",)
    assert dev.sources == ("a", "b")
    assert [e.article_id for e in dev.evidence] == ["a", "b"]


def test_different_ordinals_or_dates_stay_separate() -> None:
    state, first = run(EMPTY, article("a"), held(date="2025-02-27", ordinal=1))
    state, second = run(state, article("b"), held(date="2025-04-10", ordinal=2))
    state, third = run(state, article("c"), held(date="2025-06-01"))
    assert len(news(first)) == len(news(second)) == len(news(third)) == 1
    assert len(state.developments) == 3
    assert len({d.id for d in state.developments}) == 3


def test_a_vague_earlier_report_is_taken_as_the_earlier_round() -> None:
    # "Talks were held in Istanbul on Thursday" (no date resolvable), then an article on round 2
    # that also recalls round 1: the vague report was round 1, so round 2 is new and round 1 is not.
    state, first = run(EMPTY, article("a"), held())
    state, alerts = run(state, article("b"), held(ordinal=2), held(date="2025-02-27", ordinal=1))
    assert [(a.kind, a.development.ordinal) for a in alerts] == [("new", 2), ("update", 1)]
    assert alerts[1].id == first[0].id


def test_mentions_of_one_development_in_one_article_collapse() -> None:
    _, alerts = run(
        EMPTY,
        article("a"),
        held(ordinal=2, topics=("visas",)),
        held(date="2025-04-10", ordinal=2),
        held(location="Istanbul", topics=("visas",)),
    )
    assert len(alerts) == 1
    dev = alerts[0].development
    assert (dev.ordinal, dev.date) == (2, "2025-04-10")
    assert len(dev.evidence) == 3


def test_unrelated_vague_mentions_in_one_recap_stay_apart() -> None:
    # "A second round in Turkey" (no city) and "the meeting in Riyadh" share nothing: two events.
    _, alerts = run(
        EMPTY,
        article("a"),
        held(location=None, ordinal=2, topics=("visas",)),
        held(location="Riyadh", topics=("ukraine",)),
    )
    assert len(news(alerts)) == 2


def test_a_placed_undated_meeting_a_month_after_a_dated_unplaced_one_is_another() -> None:
    dec = dt.datetime(2025, 12, 21, 12, tzinfo=dt.UTC)
    state, first = run(EMPTY, article("a1", published=dec), held(None, "2025-12-20"), now=dec)
    jan = dt.datetime(2026, 1, 21, 12, tzinfo=dt.UTC)
    state, later = run(state, article("a2", published=jan), held("Davos"), now=jan)
    assert [(a.development.location, a.development.date) for a in news(first + later)] == [
        (None, "2025-12-20"),
        ("Davos", None),
    ]
    # The same report a few days after: nothing tells them apart, one meeting.
    soon = dec + dt.timedelta(days=3)
    _, again = run(
        run(EMPTY, article("a1", published=dec), held(None, "2025-12-20"), now=dec)[0],
        article("a3", published=soon),
        held("Davos"),
        now=soon,
    )
    assert news(again) == []


def test_announcement_and_holding_are_two_developments() -> None:
    announced = Mention("round_announced", "will meet", location="Istanbul", ordinal=2)
    state, first = run(EMPTY, article("a"), announced)
    state, second = run(state, article("b"), held(ordinal=2))
    assert [a.development.type for a in news(first)] == ["round_announced"]
    assert [a.development.type for a in news(second)] == ["round_held"]


def test_a_new_round_takes_the_next_ordinal() -> None:
    state, _ = run(EMPTY, article("a"), held(date="2025-02-27", ordinal=1), held(date="2025-04-10", ordinal=2))
    new_round = Mention("round_announced", "a new round is expected", new_round=True)
    state, alerts = run(state, article("b"), new_round)
    assert [a.development.ordinal for a in news(alerts)] == [3]
    # Another outlet's "new round" is the same announcement, not round 4.
    state, again = run(state, article("c"), new_round)
    assert news(again) == [] and [a.development.ordinal for a in updates(again)] == [3]


def test_a_vague_new_round_in_a_dated_stream_waits_for_its_place_or_day() -> None:
    # "The two sides agreed to meet again soon", published: the next number alone pins nothing down.
    published = dt.datetime(2025, 4, 11, 8, tzinfo=dt.UTC)
    state, _ = run(EMPTY, article("a", published=published), held(date="2025-04-10", ordinal=2))
    soon = Mention("round_announced", "agreed to meet again soon", new_round=True)
    state, alerts = run(state, article("b", published=published + dt.timedelta(days=1)), soon)
    assert alerts == () and [d.ordinal for d in state.developments if d.type == "round_announced"] == [None]
    # The report that names its place numbers and alerts it.
    placed = Mention("round_announced", "a new round in Istanbul", location="Istanbul", new_round=True)
    _, alerts = run(state, article("c", published=published + dt.timedelta(days=2)), placed)
    assert [(a.kind, a.development.ordinal) for a in alerts] == [("new", 3)]


def test_a_new_round_without_known_rounds_has_no_ordinal_and_waits() -> None:
    state, alerts = run(EMPTY, article("a"), Mention("round_announced", "a new round", new_round=True))
    assert alerts == () and state.developments[0].ordinal is None


def announced(state: TrackState) -> int:
    return sum(1 for d in state.developments if d.type == "round_announced")


def test_an_announcement_naming_nothing_waits_for_one_that_pins_it_down() -> None:
    state, alerts = run(EMPTY, article("a"), Mention("round_announced", "a follow-up meeting soon"))
    assert alerts == () and announced(state) == 1 and not state.developments[0].alerted
    pinned = Mention("round_announced", "talks in Istanbul on Thursday", location="Istanbul", date="2025-04-10")
    state, alerts = run(state, article("b"), pinned)
    assert [a.kind for a in alerts] == ["new"] and alerts[0].id == state.developments[0].id
    _, again = run(state, article("c"), pinned)
    assert [a.kind for a in again] == ["update"]


def test_a_held_new_round_right_after_the_last_one_is_that_round() -> None:
    published = dt.datetime(2025, 4, 10, 18, tzinfo=dt.UTC)
    state, _ = run(EMPTY, article("a", published=published), held(date="2025-04-10", ordinal=2))
    later = article("b", published=published + dt.timedelta(days=1))
    _, alerts = run(state, later, held(new_round=True))
    assert news(alerts) == [] and updates(alerts)[0].development.ordinal == 2


def test_corroboration_updates_only_for_an_independent_source() -> None:
    state, _ = run(EMPTY, article("a1", source="tass"), held(ordinal=2))
    state, same_source = run(state, article("a2", source="tass"), held(ordinal=2))
    assert same_source == ()
    state, other = run(state, article("b1", source="reuters"), held(ordinal=2))
    assert [a.kind for a in other] == ["update"]
    dev = other[0].development
    assert dev.sources == ("tass", "reuters")
    assert dev.confidence == 0.75  # up from 0.5 with one source


def test_redelivery_changes_nothing() -> None:
    art = article("a")
    state, _ = run(EMPTY, art, held(ordinal=1))
    again, alerts = run(state, art, held(ordinal=1))
    assert again == state and alerts == ()


def test_ids_come_from_identity_not_from_the_article() -> None:
    m1 = held(date="2025-02-27", ordinal=1)
    m2 = Mention("agreement", "agreed", location="Istanbul", topics=("mission_funding",))
    _, forward = run(EMPTY, article("x"), m1, m2)
    _, other_article = run(EMPTY, article("y", source="elsewhere"), m1, m2)
    state_a, _ = run(EMPTY, article("p"), m2)
    _, reverse = run(state_a, article("q"), m1)
    ids = {a.development.type: a.id for a in forward}
    assert ids == {a.development.type: a.id for a in other_article}
    assert ids["round_held"] == reverse[0].id
    assert ids["agreement"] == state_a.developments[0].id


def test_a_numbered_round_keeps_its_id_whether_or_not_the_date_came_first() -> None:
    _, with_date = run(EMPTY, article("a"), held(date="2025-04-10", ordinal=2))
    _, without = run(EMPTY, article("b"), held(ordinal=2))
    assert with_date[0].id == without[0].id


def test_agreements_on_different_subjects_stay_apart() -> None:
    funding = Mention("agreement", "funding", location="Istanbul", topics=("mission_funding", "embassy_operations"))
    banking = Mention("agreement", "banking", topics=("banking",))
    other = Mention("agreement", "property", location="Istanbul", topics=("diplomatic_property", "embassy_operations"))
    state, _ = run(EMPTY, article("a"), funding)
    state, alerts = run(state, article("b"), banking, other)
    assert len(news(alerts)) == 2
    state, same = run(state, article("c"), Mention("agreement", "funding again", topics=("mission_funding",)))
    assert news(same) == []


def test_a_proposal_repeated_elsewhere_is_the_same_proposal() -> None:
    state, _ = run(EMPTY, article("a"), Mention("proposal", "flights", location="Riyadh", topics=("direct_flights",)))
    _, alerts = run(
        state, article("b"), Mention("proposal", "flights", location="Istanbul", topics=("direct_flights",))
    )
    assert news(alerts) == []


def test_background_when_dated_well_before_publication() -> None:
    published = dt.datetime(2025, 4, 10, tzinfo=dt.UTC)
    _, alerts = run(
        EMPTY, article("a", published=published), held(date="2025-02-27", ordinal=1), held(date="2025-04-10", ordinal=2)
    )
    flags = {a.development.ordinal: a.development.background for a in alerts}
    assert flags == {1: True, 2: False}


def test_no_publication_time_means_no_background_flag() -> None:
    _, alerts = run(EMPTY, article("a"), held(date="2020-01-01"))
    assert alerts[0].development.background is False


def test_a_round_held_after_an_earlier_report_is_a_new_round() -> None:
    # Reported as held on 27 Feb; talks in Istanbul dated 10 April cannot be that report's round.
    state, _ = run(EMPTY, article("a", published=dt.datetime(2025, 2, 27, 20, tzinfo=dt.UTC)), held())
    _, alerts = run(state, article("b", published=dt.datetime(2025, 4, 10, 20, tzinfo=dt.UTC)), held(date="2025-04-10"))
    assert len(news(alerts)) == 1


def test_tentative_mentions_wait_for_confirmation() -> None:
    maybe = Mention("summit_announced", "may meet", location="Riyadh", tentative=True)
    state, alerts = run(EMPTY, article("a"), maybe)
    assert alerts == () and state.developments[0].tentative
    state, firm = run(state, article("b"), dataclasses.replace(maybe, tentative=False))
    assert [a.kind for a in firm] == ["new"]
    assert firm[0].id == state.developments[0].id and not firm[0].development.tentative


def test_vague_announcements_after_the_meeting_was_held_are_new() -> None:
    day = dt.timedelta(days=1)
    state, _ = run(EMPTY, article("a"), Mention("round_announced", "will meet soon"), now=NOW)
    same, _ = run(state, article("b"), Mention("round_announced", "to meet"), now=NOW + day)
    assert announced(same) == 1
    state, _ = run(state, article("c"), held(date="2025-04-12"), now=NOW + day)
    state, _ = run(state, article("d"), Mention("round_announced", "a follow-up meeting soon"), now=NOW + 2 * day)
    assert announced(state) == 2


def test_a_recap_in_the_announcing_article_does_not_close_the_announcement() -> None:
    state, _ = run(EMPTY, article("a"), Mention("round_announced", "a new round"), held(date="2025-02-27"))
    state, alerts = run(
        state, article("b"), Mention("round_announced", "upcoming talks"), now=NOW + dt.timedelta(days=1)
    )
    assert announced(state) == 1
    assert news(alerts) == []


def test_vague_announcements_go_stale() -> None:
    first, later = at("2025-03-01"), at("2025-04-15")
    state, _ = run(EMPTY, article("a", published=first), Mention("round_announced", "will meet soon"), now=first)
    state, _ = run(state, article("b", published=later), Mention("round_announced", "will meet"), now=later)
    assert announced(state) == 2


def test_an_undated_page_is_not_judged_stale_by_when_it_was_read() -> None:
    state, _ = run(EMPTY, article("a"), Mention("round_announced", "will meet soon"))
    state, _ = run(state, article("b"), Mention("round_announced", "will meet"), now=NOW + dt.timedelta(days=45))
    assert announced(state) == 1


def test_evidence_is_bounded() -> None:
    state = EMPTY
    for n in range(MAX_EVIDENCE + 5):
        state, _ = run(state, article(f"a{n}"), held(ordinal=1))
    (dev,) = state.developments
    assert len(dev.evidence) == MAX_EVIDENCE
    assert len(dev.sources) == MAX_EVIDENCE + 5


def test_developments_are_bounded_and_evicted_past_the_horizon() -> None:
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    state, _ = run(EMPTY, article("old"), held(date="2019-12-31"), now=start)
    state, _ = run(state, article("new"), held(date="2021-06-01"), now=start + dt.timedelta(days=600))
    assert [d.date for d in state.developments] == ["2021-06-01"]
    many = [held(location=f"City{n}") for n in range(MAX_DEVELOPMENTS + 3)]
    state, _ = run(EMPTY, article("many"), *many)
    assert len(state.developments) == MAX_DEVELOPMENTS


def test_agenda_records_forward_status_changes() -> None:
    state, _ = run(EMPTY, article("a"), held(ordinal=1, topics=("direct_flights",)))
    state, _ = run(state, article("b"), Mention("proposal", "p", topics=("direct_flights",)))
    state, _ = run(state, article("c"), Mention("agreement", "a", topics=("direct_flights",)))
    state, _ = run(state, article("d"), held(ordinal=2, topics=("direct_flights",)))
    agenda = dict(state.agenda)
    assert [e.status for e in agenda["direct_flights"]] == ["discussed", "proposed", "agreed"]


def test_merge_does_not_change_the_input_state() -> None:
    state, _ = run(EMPTY, article("a"), held(ordinal=1))
    frozen = state
    run(state, article("b"), held(ordinal=1, topics=("visas",)))
    assert state == frozen and state.developments[0].topics == ()


def test_agenda_stalls_and_resumes() -> None:
    agenda = advance_agenda((), [("agreement", ("visas",), False, "d1")], NOW)
    agenda = set_status(agenda, "visas", "stalled", NOW)
    agenda = advance_agenda(agenda, [("round_held", ("visas",), False, "d2")], NOW)
    assert [e.status for e in dict(agenda)["visas"]] == ["agreed", "stalled", "discussed"]
    assert set_status(agenda, "visas", "discussed", NOW) == agenda


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)


def test_announcement_freshness_does_not_depend_on_replay_order() -> None:
    # A vague "new round soon" in August is not the Riyadh talks announced for 24 March, whichever
    # article is merged first.
    august = article("aug", published=at("2025-08-27"))
    march = article("mar", published=at("2025-03-21"))
    vague = Mention("round_announced", "a new round soon", topics=("embassy_operations",))
    riyadh = Mention("round_announced", "talks on Monday", location="Riyadh", date="2025-03-24")
    for first, second in (((august, vague), (march, riyadh)), ((march, riyadh), (august, vague))):
        state, _ = run(EMPTY, first[0], first[1], now=first[0].published or NOW)
        state, _ = run(state, second[0], second[1], now=second[0].published or NOW)
        assert announced(state) == 2


def test_announcements_on_different_subjects_stay_apart() -> None:
    state, _ = run(EMPTY, article("a"), Mention("round_announced", "follow-up", topics=("banking",)))
    state, _ = run(state, article("b"), Mention("round_announced", "technical talks", topics=("black_sea",)))
    assert announced(state) == 2


def test_a_recap_of_an_announced_summit_after_it_was_held_is_no_new_announcement() -> None:
    announced = Mention("summit_announced", "to meet", location="Anchorage", date="2025-08-15")
    state, _ = run(EMPTY, article("a", published=at("2025-08-09")), announced, now=at("2025-08-09"))
    held_summit = Mention("summit_held", "met", location="Anchorage", date="2025-08-15")
    state, _ = run(state, article("b", published=at("2025-08-16")), held_summit, now=at("2025-08-16"))
    recap = Mention("summit_announced", "the announced summit", location="Anchorage")
    _, alerts = run(state, article("c", published=at("2025-08-17")), recap, now=at("2025-08-17"))
    assert news(alerts) == []


def test_an_undated_page_announcing_a_round_the_track_knows_as_held_is_a_recap() -> None:
    # A feed (publication times) that held the third round on 18 Feb; a page with no date, read
    # later, speaks of the run-up to "the third round": history, not a new announcement.
    third = held(None, "2025-02-18", 3)
    state, _ = run(EMPTY, article("a", published=at("2025-02-18")), third, now=at("2025-02-18"))
    recap = Mention("round_announced", "ahead of the third round", ordinal=3)
    _, alerts = run(state, article("b"), recap, now=at("2025-02-25"))
    assert news(alerts) == []
    # Without any publication times (undated files) the track cannot tell: it alerts.
    state, _ = run(EMPTY, article("a"), third)
    _, alerts = run(state, article("b"), recap)
    assert [a.development.type for a in news(alerts)] == ["round_announced"]


def test_an_agreement_reported_before_another_was_reached_is_not_it() -> None:
    swap = Mention("agreement", "swap", location="Abu Dhabi", date="2025-04-10", topics=("prisoner_exchange",))
    state, _ = run(EMPTY, article("a", published=at("2025-04-10")), swap)
    earlier = Mention("agreement", "an earlier swap", topics=("prisoner_exchange",))
    _, alerts = run(state, article("b", published=at("2025-02-13")), earlier)
    assert len(news(alerts)) == 1


def test_a_proposal_repeated_later_is_the_same_proposal() -> None:
    first = Mention("proposal", "flights", date="2025-02-27", topics=("direct_flights",))
    state, _ = run(EMPTY, article("a"), first)
    again = Mention("proposal", "flights again", date="2025-04-10", topics=("direct_flights",))
    _, alerts = run(state, article("b"), again)
    assert news(alerts) == []


def test_an_undated_proposal_is_the_same_only_while_it_is_fresh() -> None:
    asked = Mention("proposal", "Kyiv asked for a meeting of the presidents", location="Istanbul")
    state, _ = run(EMPTY, article("a", published=at("2025-05-16")), asked)
    state, days_later = run(state, article("b", published=at("2025-05-20")), asked)
    assert news(days_later) == [] and len(state.developments) == 1
    # Asked again two months later, in another round: another request.
    state, months_later = run(state, article("c", published=at("2025-07-23")), asked)
    assert len(news(months_later)) == 1 and len(state.developments) == 2


def test_a_new_agreement_takes_the_place_of_the_articles_one_meeting() -> None:
    agreed = Mention("agreement", "the sides agreed", topics=("mission_funding",))
    _, alerts = run(EMPTY, article("a"), held(), agreed)
    assert {a.development.type: a.development.location for a in alerts}["agreement"] == "Istanbul"
    _, two_places = run(EMPTY, article("b"), held(), held(location="Riyadh"), agreed)
    assert {a.development.type: a.development.location for a in two_places}["agreement"] is None


def test_a_guessed_place_does_not_stop_a_match() -> None:
    state, _ = run(EMPTY, article("a"), Mention("agreement", "x", location="Riyadh", topics=("staffing",)))
    _, alerts = run(state, article("b"), held(location="Anchorage"), Mention("agreement", "y", topics=("staffing",)))
    assert [a.development.type for a in news(alerts)] == ["round_held"]


def test_the_whole_state_keeps_an_evidence_budget() -> None:
    state = EMPTY
    per_dev = MAX_EVIDENCE
    developments = MAX_TOTAL_EVIDENCE // per_dev + 5
    for n in range(developments):
        for k in range(per_dev):
            state, _ = run(state, article(f"a{n}-{k}"), held(location=f"City{n}"), now=NOW + dt.timedelta(minutes=n))
    total = sum(len(d.evidence) for d in state.developments)
    assert total <= MAX_TOTAL_EVIDENCE
    assert len(state.developments[-1].evidence) == MAX_EVIDENCE  # the freshest keep theirs
    assert len(state.developments[0].evidence) == MIN_EVIDENCE


def test_two_readouts_of_one_meetings_outcome_are_one_agreement() -> None:
    # The Russian readout stresses funding, the US one banking and staffing: one outcome.
    meeting = held(date="2025-02-27")
    funding = Mention("agreement", "funding", topics=("mission_funding",))
    state, first = run(EMPTY, article("ru", published=at("2025-02-28")), meeting, funding)
    assert [a.development.location for a in news(first) if a.development.type == "agreement"] == ["Istanbul"]
    banking = Mention("agreement", "banking and staffing", topics=("banking", "staffing"))
    _, second = run(state, article("us", published=at("2025-02-28")), meeting, banking)
    assert news(second) == []
    # A banking agreement at another meeting is another agreement.
    _, later = run(state, article("x", published=at("2025-04-11")), held(date="2025-04-10", ordinal=2), banking)
    assert [a.development.type for a in news(later)] == ["round_held", "agreement"]


def test_a_guessed_day_is_not_stored() -> None:
    _, alerts = run(EMPTY, article("a"), held(date="2025-02-27"), Mention("agreement", "x", topics=("visas",)))
    agreement = next(a.development for a in alerts if a.development.type == "agreement")
    assert (agreement.location, agreement.date) == ("Istanbul", None)


def test_a_new_round_counts_only_rounds_held_by_publication() -> None:
    state, _ = run(
        EMPTY,
        article("a", published=at("2025-04-10")),
        held(date="2025-02-27", ordinal=1),
        held(date="2025-04-10", ordinal=2),
    )
    march = article("m", published=at("2025-03-20"))
    _, alerts = run(state, march, Mention("round_announced", "a new round", location="Istanbul", new_round=True))
    assert [a.development.ordinal for a in news(alerts)] == [2]


def test_a_meeting_dated_after_publication_loses_the_date() -> None:
    state, _ = run(EMPTY, article("a", published=at("2025-02-28")), held(date="2025-02-27", ordinal=1))
    misread = held(date="2026-02-27", ordinal=1)  # a guessed year
    _, alerts = run(state, article("b", published=at("2025-03-02")), misread)
    assert news(alerts) == [] and updates(alerts)[0].development.date == "2025-02-27"


def test_an_article_without_mentions_leaves_the_state_as_it_is() -> None:
    state, _ = run(EMPTY, article("a"), held(ordinal=1))
    same, alerts = run(state, article("b"))
    assert same is state and alerts == ()


def test_background_is_judged_against_the_earliest_report() -> None:
    recap = article("recap", published=at("2025-06-01"))
    state, alerts = run(EMPTY, recap, held(date="2025-04-10", ordinal=2), now=at("2025-06-01"))
    assert alerts[0].development.background
    live = article("live", published=at("2025-04-10"))
    state, _ = run(state, live, held(date="2025-04-10", ordinal=2), now=at("2025-06-02"))
    assert not state.developments[0].background


def test_no_update_once_the_source_count_is_capped() -> None:
    state = EMPTY
    kinds = []
    for n in range(MAX_SOURCES + 3):
        state, alerts = run(state, article(f"a{n}", source=f"outlet{n}"), held(ordinal=1))
        kinds.append([a.kind for a in alerts])
    assert kinds[0] == ["new"] and all(k == ["update"] for k in kinds[1:MAX_SOURCES])
    assert all(k == [] for k in kinds[MAX_SOURCES:])
    assert len(state.developments[0].sources) == MAX_SOURCES


def test_a_round_or_agreement_naming_nothing_is_held_back() -> None:
    state, alerts = run(EMPTY, article("a"), held(location=None), Mention("agreement", "they agreed"))
    assert alerts == () and not any(d.alerted for d in state.developments)
    _, alerts = run(
        state, article("b"), held(location="Istanbul"), Mention("agreement", "on funding", topics=("mission_funding",))
    )
    assert sorted(a.development.type for a in news(alerts)) == ["agreement", "round_held"]


def test_a_summit_announced_vaguely_waits_for_its_place_or_day() -> None:
    soon = Mention("summit_announced", "the presidents will meet soon")
    state, alerts = run(EMPTY, article("a", published=at("2025-08-07")), soon, now=at("2025-08-07"))
    assert alerts == ()
    alaska = Mention("summit_announced", "in Alaska on 15 August", location="Anchorage", date="2025-08-15")
    state, alerts = run(state, article("b", published=at("2025-08-09")), alaska, now=at("2025-08-09"))
    assert [(a.kind, a.development.location) for a in alerts] == [("new", "Anchorage")]
    # Never pinned down: restated for weeks, it stays a plan in the state and raises no alert.
    state, alerts = run(EMPTY, article("c", published=at("2025-02-12")), soon, now=at("2025-02-12"))
    assert alerts == ()
    state, alerts = run(state, article("d", published=at("2025-03-16")), held(location="Riyadh"), now=at("2025-03-16"))
    assert [a.development.type for a in news(alerts)] == ["round_held"]
    assert [d.type for d in state.developments if not d.alerted] == ["summit_announced"]


def test_without_publication_times_a_vague_summit_alerts_at_once() -> None:
    _, alerts = run(EMPTY, article("a"), Mention("summit_announced", "plans to meet in Saudi Arabia"))
    assert [a.kind for a in alerts] == ["new"]


def test_an_undated_page_in_a_dated_stream_waits_like_the_rest() -> None:
    state, _ = run(EMPTY, article("a", published=at("2025-02-12")), held(location="Riyadh", date="2025-02-12"))
    _, alerts = run(state, article("b"), Mention("summit_announced", "the upcoming leaders' summit"))
    assert alerts == ()


def test_talks_held_in_a_month_wait_for_a_day_place_or_number() -> None:
    state, alerts = run(EMPTY, article("a"), held(location=None, date="2025-02"))
    assert alerts == ()
    _, alerts = run(state, article("b"), held(location=None, date="2025-02-27", ordinal=1))
    assert [(a.kind, a.development.ordinal) for a in alerts] == [("new", 1)]


def test_the_workers_clock_and_fetch_times_do_not_change_the_alerts() -> None:
    # A replay reads its files at the time it started; a worker stamps fetch times and runs on the
    # wall clock, hours later.
    stream = [
        [Mention("summit_announced", "plans to meet in Saudi Arabia"), held()],
        [held(ordinal=2), held(date="2025-02-27", ordinal=1), Mention("agreement", "banking", topics=("banking",))],
        [Mention("round_announced", "a new round", new_round=True), held(location=None, ordinal=2)],
        [Mention("round_announced", "a follow-up meeting soon"), held(location="Istanbul")],
    ]
    replay_started = dt.datetime(2026, 11, 21, 23, 0, tzinfo=dt.UTC)
    wall = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
    runs = []
    for clock in (None, wall):
        state, ids = EMPTY, []
        for n, found in enumerate(stream):
            now = replay_started if clock is None else clock + dt.timedelta(seconds=n)
            art = dataclasses.replace(article(f"s{n}"), fetched=None if clock is None else now)
            state, alerts = merge(state, art, found, now, f"s{n}")
            ids += [a.id for a in alerts if a.kind == "new"]
        runs.append(ids)
    assert runs[0] == runs[1] and len(runs[0]) >= 4


def test_a_report_naming_nothing_does_not_move_the_report_times() -> None:
    state, _ = run(
        EMPTY,
        article("a", published=at("2025-04-10")),
        Mention("agreement", "banking", location="Istanbul", topics=("banking",)),
    )
    state, _ = run(state, article("b", published=at("2025-02-16")), Mention("agreement", "the two sides agreed"))
    assert state.developments[0].earliest_report == at("2025-04-10")
    dated = Mention("agreement", "banking notes", location="Istanbul", date="2025-04-11", topics=("banking",))
    _, alerts = run(state, article("c", published=at("2025-04-11")), dated)
    assert news(alerts) == []


def test_outlets_counting_a_meeting_differently_raise_one_alert() -> None:
    # "Tomorrow in Istanbul the second meeting after Riyadh" and "the first round in Istanbul on
    # 27 February": same place and day, another counting, one meeting (announced or held).
    for kind in ("round_announced", "round_held"):
        first = Mention(kind, "second meeting", location="Istanbul", date="2025-02-27", date_precision="day", ordinal=2)
        second = dataclasses.replace(first, sentence="first round", ordinal=1)
        state, alerts = run(EMPTY, article("a", published=at("2025-02-26")), first)
        assert len(news(alerts)) == 1
        state, again = run(state, article("b", published=at("2025-02-26")), second)
        assert news(again) == [] and len(state.developments) == 1
        # Another day in the same place with another number is another meeting.
        later = dataclasses.replace(first, date="2025-04-10", ordinal=3)
        _, third = run(state, article("c", published=at("2025-04-09")), later)
        assert len(news(third)) == 1


def test_a_guessed_place_is_soft_and_gives_way_to_the_stated_one() -> None:
    # A report on the Alaska summit also tells of the Black Sea arrangements: their place is guessed
    # (Anchorage), shown, but a later report that states Riyadh is the same agreement.
    arrangements = Mention("agreement", "the sides agreed", topics=("black_sea", "energy_infrastructure"))
    state, first = run(EMPTY, article("a", published=at("2025-03-26")), held(location="Anchorage"), arrangements)
    (agreement,) = [a.development for a in news(first) if a.development.type == "agreement"]
    assert (agreement.location, agreement.location_guessed) == ("Anchorage", True)
    riyadh = Mention("agreement", "agreed in Riyadh", location="Riyadh", topics=("black_sea",))
    state, second = run(state, article("b", published=at("2025-03-27")), riyadh)
    assert news(second) == []
    (known,) = [d for d in state.developments if d.type == "agreement"]
    assert (known.id, known.location, known.location_guessed) == (agreement.id, "Riyadh", False)
    # Once stated, the place is firm again: another place is another agreement.
    cairo = dataclasses.replace(riyadh, location="Cairo")
    _, third = run(state, article("c", published=at("2025-03-28")), cairo)
    assert len(news(third)) == 1


def test_a_guessed_place_stays_out_of_the_id() -> None:
    arrangements = Mention("agreement", "the sides agreed", topics=("black_sea",))
    _, guessed = run(EMPTY, article("a"), held(location="Anchorage"), arrangements)
    _, alone = run(EMPTY, article("b"), arrangements)
    ids = {a.development.id for a in news(guessed) if a.development.type == "agreement"}
    assert ids == {news(alone)[0].id}


def test_one_articles_agreements_at_one_meeting_are_one_outcome() -> None:
    # "In Riyadh the sides agreed to restore embassy staffing and to start work on ending the war":
    # the extractor gives two agreements (same place, no date, different topics); one outcome.
    meeting = held(location="Riyadh", date="2025-02-18")
    staffing = Mention("agreement", "restore staffing", location="Riyadh", topics=("embassy_operations",))
    ukraine = Mention("agreement", "work on ending the war", location="Riyadh", topics=("ukraine",))
    state, alerts = run(EMPTY, article("a", published=at("2025-02-18")), meeting, staffing, ukraine)
    (outcome,) = [a.development for a in news(alerts) if a.development.type == "agreement"]
    assert set(outcome.topics) == {"embassy_operations", "ukraine"} and len(outcome.evidence) == 2
    # A later report of the same outcome naming a subset or an overlap of its points joins it.
    later = Mention("agreement", "staffing and Black Sea", location="Riyadh", topics=("staffing", "black_sea"))
    state, second = run(state, article("b", published=at("2025-02-19")), later)
    assert news(second) == []
    _, third = run(state, article("c", published=at("2025-02-20")), Mention("agreement", "war", topics=("ukraine",)))
    assert news(third) == []


def test_agreements_of_two_meetings_in_one_city_stay_apart() -> None:
    first = held(location="Istanbul", date="2025-02-27", ordinal=1)
    second = held(location="Istanbul", date="2025-04-10", ordinal=2)
    visas = Mention("agreement", "visas", location="Istanbul", topics=("visas",))
    flights = Mention("agreement", "flights", location="Istanbul", topics=("direct_flights",))
    _, alerts = run(EMPTY, article("a", published=at("2025-04-11")), first, second, visas, flights)
    assert len([a for a in news(alerts) if a.development.type == "agreement"]) == 2
    # A hedged agreement does not join a firm one.
    maybe = dataclasses.replace(flights, tentative=True)
    state, _ = run(EMPTY, article("b", published=at("2025-04-11")), second, visas, maybe)
    assert len([d for d in state.developments if d.type == "agreement"]) == 2


def test_a_first_report_naming_nothing_does_not_date_the_development() -> None:
    # 16 Feb: "... after the call, in which the presidents agreed ..." (nothing named, held back);
    # 18 Feb: the Riyadh readout joins it; then a report dated 18 Feb is the same agreement, not a
    # second one "reached after its first report".
    state, first = run(EMPTY, article("a", published=at("2025-02-16")), Mention("agreement", "they agreed"))
    assert news(first) == []
    riyadh = Mention("agreement", "embassies", location="Riyadh", topics=("embassy_operations", "ukraine"))
    state, second = run(state, article("b", published=at("2025-02-18")), riyadh)
    assert len(news(second)) == 1
    dated = dataclasses.replace(riyadh, date="2025-02-18", date_precision="day", topics=("staffing", "ukraine"))
    state, third = run(state, article("c", published=at("2025-02-18")), dated)
    assert news(third) == [] and len(state.developments) == 1


def test_a_recap_of_two_meetings_does_not_hide_the_day_of_an_agreements_meeting() -> None:
    first = held(date="2025-02-27")
    banking = Mention("agreement", "banking", location="Istanbul", topics=("banking", "staffing"))
    state, _ = run(EMPTY, article("a", published=at("2025-02-28")), first, banking)
    # Months later a recap of both Istanbul rounds joins the agreement ...
    recap = dataclasses.replace(banking, topics=("banking", "visas", "staffing"))
    state, _ = run(state, article("b", published=at("2025-08-26")), first, held(date="2025-04-10"), recap)
    assert len([d for d in state.developments if d.type == "agreement"]) == 1
    # ... and the other side's readout of the 27 February meeting is still its one outcome.
    funding = Mention("agreement", "funding", location="Istanbul", topics=("mission_funding", "direct_flights"))
    state, alerts = run(state, article("c", published=at("2025-02-28")), first, funding)
    assert news(alerts) == [] and len([d for d in state.developments if d.type == "agreement"]) == 1


def test_a_vague_early_report_does_not_swallow_a_later_dated_development() -> None:
    # "As the presidents agreed" in March names no summit's place or day; the summit held in
    # Anchorage in August is another development, alerted on its own. The vague report is kept
    # but not alerted: it names nothing a subscriber can act on.
    state, first = run(EMPTY, article("a", published=at("2025-03-25")), Mention("summit_held", "the presidents met"))
    assert first == () and len(state.developments) == 1
    later = Mention("summit_held", "summit in Anchorage", location="Anchorage", date="2025-08-15")
    state, alerts = run(state, article("b", published=at("2025-08-15")), later)
    assert [(a.kind, a.development.location) for a in alerts] == [("new", "Anchorage")]
    assert len(state.developments) == 2


def planned(location: str | None = "Istanbul", date: str | None = None, ordinal: int | None = None) -> Mention:
    precision = None if date is None else "day"
    return Mention(
        "round_announced",
        f"will hold {location}",
        location=location,
        date=date,
        date_precision=precision,
        ordinal=ordinal,
    )


def test_an_announcement_first_told_after_the_meeting_was_held_is_no_news() -> None:
    # The round in Istanbul on 27 February is known; a report of 3 March still calling it
    # "planned" recalls the plan: no alert, kept as background.
    state, _ = run(EMPTY, article("a", published=at("2025-02-27")), held("Istanbul", "2025-02-27"))
    state, alerts = run(state, article("b", published=at("2025-03-03")), planned("Istanbul"))
    assert news(alerts) == []
    assert [d.background for d in state.developments if d.type == "round_announced"] == [True]


def test_a_plan_for_a_place_told_months_after_a_meeting_there_is_a_new_meeting() -> None:
    # Witkoff met Putin in Moscow in August; "Witkoff will come to Moscow", told in December,
    # announces his next visit, not the August one.
    state, _ = run(EMPTY, article("a", published=at("2025-08-06")), held("Moscow", "2025-08-06"))
    state, alerts = run(state, article("b", published=at("2025-12-01")), planned("Moscow"))
    assert [a.development.type for a in news(alerts)] == ["round_announced"]


def test_an_announcement_published_before_the_meeting_is_news_even_when_it_arrives_late() -> None:
    # Read out of order: the announcement of 20 February comes after the report of the round.
    state, _ = run(EMPTY, article("a", published=at("2025-02-27")), held("Istanbul", "2025-02-27"))
    state, alerts = run(state, article("b", published=at("2025-02-20")), planned("Istanbul"))
    assert [a.development.type for a in news(alerts)] == ["round_announced"]


def test_an_undated_article_recalls_as_background_what_it_dates_well_before_its_latest_news() -> None:
    # A seed file has no publication time; it reports the Black Sea deals of 26 March, so the
    # Riyadh round of 18 February it recalls is background, and the deals are not.
    deal = Mention("agreement", "deals", date="2025-03-26", date_precision="day", topics=("black_sea",))
    _, alerts = run(EMPTY, article("a"), held("Riyadh", "2025-02-18"), deal)
    background = {a.development.type: a.development.background for a in news(alerts)}
    assert background == {"round_held": True, "agreement": False}


def test_a_development_older_than_the_states_memory_is_history_not_news() -> None:
    # A page of 2025 recalling the 2023 deal, the track never told of it: background, no alert.
    recap = Mention("agreement", "agreed in March 2023 to restore ties", date="2023-03-10", date_precision="day")
    state, alerts = run(EMPTY, article("a", published=at("2025-06-01")), recap)
    assert alerts == () and state.developments[0].background
    # The same deal told within the horizon is news.
    _, alerts = run(EMPTY, article("b", published=at("2023-03-11")), recap)
    assert [a.kind for a in alerts] == ["new"]
