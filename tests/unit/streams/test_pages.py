from __future__ import annotations

import datetime as dt
import re

from streams.core.wire import state_to_dict
from streams.pages import human_date, index_page, text_direction, track_page
from tests.unit.core.state_builders import ARABIC, seeds_like_state

NOW = dt.datetime(2025, 4, 11, 12, 0, tzinfo=dt.UTC)


def _page() -> str:
    return track_page(state_to_dict(seeds_like_state(), "Russia - United States"), now=NOW)


def test_the_track_page_lists_meetings_in_time_order_with_their_outcomes_nested() -> None:
    page = _page()
    ids = re.findall(r'<li class="entry [^"]*" id="([^"]+)"', page)
    assert ids == ["d-riy", "d-ist1", "d-ist2", "d-agr", "d-post"]
    # The agreement is inside the second Istanbul round's list item, not a sibling of it.
    ist2 = page[page.index('id="d-ist2"') : page.index('id="d-post"')]
    assert '<ul class="outcomes">' in ist2 and 'id="d-agr"' in ist2
    text = re.sub(r"<[^>]+>", "", page)
    assert "Round 2 · date unknown · Istanbul" in text
    assert "Round 1 · 18 Feb 2025 · Riyadh" in text


def test_arabic_evidence_is_right_to_left_and_linked_to_its_article() -> None:
    page = _page()
    assert f'<blockquote class="evidence" dir="rtl">{ARABIC}</blockquote>' in page
    assert '<a href="https://example.com/ar/1" rel="noopener">RT Arabic</a>' in page
    assert '<blockquote class="evidence" dir="auto">Talks &lt;b&gt;held&lt;/b&gt;</blockquote>' in page


def test_postponements_and_background_are_visible_and_the_agenda_has_its_history() -> None:
    page = _page()
    assert 'class="entry status-postponed"' in page
    assert ">postponed</span>" in page and ">background</span>" in page
    assert '<tr data-topic="mission_funding"><td>mission funding</td><td>agreed</td>' in page
    assert "discussed (2025-04-11) → agreed (2025-04-11)" in page


def test_the_page_needs_no_script_nor_anything_from_another_site_and_refreshes_itself() -> None:
    page = _page()
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//(?!example\.com)', page)
    assert '<meta http-equiv="refresh" content="30; url=/tracks/ru-us.html?since=2025-04-11T10%3A00%3A00Z">' in page
    assert '<meta name="viewport"' in page
    assert "page rendered 2025-04-11 12:00:00 UTC" in page
    assert "state last changed 2025-04-11 10:00 UTC" in page


def test_index_page_links_every_track_and_says_where_one_is_kept() -> None:
    page = index_page(
        [
            {
                "id": "ru-us",
                "name": "Russia - United States",
                "counts": {"developments": 5, "rounds": 3, "agreements": 1},
                "last_change": "2025-04-11T10:00:00Z",
                "owner": "http://127.0.0.1:6066",
            },
            {
                "id": "am-az",
                "name": "Armenia <> Azerbaijan",
                "counts": None,
                "last_change": None,
                "owner": "http://10.0.0.2:6066",
            },
        ]
    )
    assert '<a href="/tracks/ru-us.html">Russia - United States</a>' in page
    assert "5 developments, 3 rounds held, 1 agreements" in page
    assert "Armenia &lt;&gt; Azerbaijan" in page and "kept by the worker at http://10.0.0.2:6066" in page


def test_helpers() -> None:
    assert text_direction("جولة ثانية") == "rtl"
    assert text_direction("переговоры") == "auto"
    assert human_date("2025-04-10", "day") == "10 Apr 2025"
    assert human_date("2025-04", "month") == "Apr 2025"
    assert human_date(None) == "date unknown"


def test_what_changed_since_the_last_load_is_marked() -> None:
    state = state_to_dict(seeds_like_state())
    # Loaded when the state had last changed at 09:00: the Istanbul round heard of again at 10:00.
    page = track_page(state, now=NOW, since="2025-04-11T09:00:00Z")
    assert re.findall(r'<li class="entry [^"]* changed" id="([^"]+)"', page) == ["d-ist1"]
    assert '<span class="badge changed">updated</span>' in page
    assert "0 new, 1 updated since 2025-04-11 09:00 UTC" in page
    # Loaded before anything was seen: everything is new.
    early = track_page(state, now=NOW, since="2025-04-11T07:00:00Z")
    assert early.count('<span class="badge changed">new</span>') == 5
    # No mark, or a mark that is not a time: nothing marked.
    for since in (None, "yesterday"):
        assert "badge changed" not in track_page(state, now=NOW, since=since)
