"""Developments and track states for the tests of the state views, built by hand (no extraction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from streams.core.models import AgendaEntry, Development, Evidence, TrackState
from streams.core.summary import summarise

SEEN = dt.datetime(2025, 4, 11, 8, 0, tzinfo=dt.UTC)


def dev(
    dev_id: str,
    type_: Any,
    *,
    location: str | None = None,
    date: str | None = None,
    ordinal: int | None = None,
    topics: tuple[str, ...] = (),
    sentence: str = "Talks were held.",
    url: str | None = None,
    article: str = "a1",
    sources: tuple[str, ...] = ("TASS",),
    background: bool = False,
    last_seen: dt.datetime | None = None,
) -> Development:
    return Development(
        id=dev_id,
        track="ru-us",
        type=type_,
        location=location,
        date=date,
        date_precision="day" if date else None,
        ordinal=ordinal,
        topics=topics,
        actors=(),
        summary=summarise(type_, location=location, date=date, ordinal=ordinal, topics=topics),
        evidence=(Evidence(article, url, sources[0], sentence),),
        sources=sources,
        first_seen=SEEN,
        background=background,
        last_seen=last_seen or SEEN,
        earliest_report=SEEN,
        latest_report=last_seen or SEEN,
    )


ARABIC = "وكان الجانبان عقدا جولة أولى من مباحثات تطبيع العمل الدبلوماسي في الـ 27 من شباط الماضي في اسطنبول"


def seeds_like_state() -> TrackState:
    """The shape of the seeds' state: three rounds (one undated), an agreement, a postponement."""
    later = SEEN + dt.timedelta(hours=2)
    developments = (
        dev("d-ist2", "round_held", location="Istanbul", ordinal=2, topics=("embassy_operations",), article="a3"),
        dev("d-agr", "agreement", location="Istanbul", topics=("mission_funding",), article="a3"),
        dev(
            "d-ist1",
            "round_held",
            location="Istanbul",
            date="2025-02-27",
            ordinal=1,
            sentence=ARABIC,
            url="https://example.com/ar/1",
            article="a2",
            sources=("RT Arabic", "TASS"),
            last_seen=later,
        ),
        dev("d-riy", "round_held", location="Riyadh", date="2025-02-18", ordinal=1, sentence="Talks <b>held</b>"),
        dev("d-post", "round_postponed", location="Istanbul", date="2025-05-12", ordinal=3, background=True),
    )
    agenda = (
        (
            "mission_funding",
            (AgendaEntry("discussed", SEEN, "d-ist1"), AgendaEntry("agreed", later, "d-agr")),
        ),
    )
    return TrackState(track="ru-us", developments=developments, agenda=agenda)
