from __future__ import annotations

import json
from typing import Any

from dipwatch.formats import format_alert, format_state, label
from streams.core.models import Alert
from streams.core.wire import alert_to_dict, state_to_dict
from tests.unit.core.state_builders import ARABIC, dev, seeds_like_state


def _alert(kind: Any = "new", **changes: Any) -> dict[str, Any]:
    return alert_to_dict(Alert(kind, dev("d1", "round_held", **changes)))


def test_new_update_and_background_are_told_apart() -> None:
    assert format_alert(_alert(), as_json=False).startswith("NEW ")
    assert format_alert(_alert("update"), as_json=False).startswith("UPDATE ")
    assert format_alert(_alert(background=True), as_json=False).startswith("BACKGROUND ")
    assert label(_alert("update", background=True)) == "UPDATE"


def test_the_line_gives_date_place_ordinal_source_evidence_and_first_seen_in_utc() -> None:
    alert = _alert(location="Istanbul", date="2025-02-27", ordinal=1, sentence=ARABIC, sources=("RT Arabic",))
    head, second = format_alert(alert, as_json=False).split("\n")
    assert head.split()[:4] == ["NEW", "2025-02-27", "Istanbul", "#1"]
    assert "Round 1 of talks held in Istanbul on 2025-02-27" in head
    assert "— RT Arabic" in second
    assert "first seen 2025-04-11 08:00:00 UTC" in second
    assert "id=d1" in second
    # The Arabic sentence sits in an isolate, so it keeps its direction inside the line.
    assert f"\u2068{ARABIC}\u2069" in second


def test_date_unknown_only_without_a_date_and_long_evidence_is_cut_at_a_word() -> None:
    line = format_alert(_alert(sentence="word " * 100), as_json=False)
    assert line.split()[1:3] == ["date", "unknown"]
    second = line.split("\n")[1]
    assert "word word…" in second and len(second) < 260
    assert "date unknown" not in format_alert(_alert(date="2025-04-10"), as_json=False)


def test_an_update_shows_the_report_that_corroborated_it() -> None:
    alert = _alert("update")
    alert["evidence"].append({"article_id": "a9", "url": None, "source": "Interfax", "sentence": "Talks went on."})
    assert "“\u2068Talks went on.\u2069” — Interfax" in format_alert(alert, as_json=False)


def test_json_is_the_alert_unchanged() -> None:
    alert = _alert()
    assert json.loads(format_alert(alert, as_json=True)) == alert


def test_the_state_table_follows_the_timeline_with_outcomes_under_their_meeting() -> None:
    table = format_state(state_to_dict(seeds_like_state(), "Russia - United States"))
    lines = table.splitlines()
    assert lines[0].startswith("ru-us  Russia - United States: 5 developments, 3 rounds held, 1 agreements")
    assert "last change 2025-04-11 10:00:00 UTC" in lines[0]
    rows = [line for line in lines[2:] if "round_" in line or "agreement" in line]
    assert [r.split()[0] for r in rows] == ["2025-02-18", "2025-02-27", "?", "└", "2025-05-12"]
    assert "Round 2 of talks held in Istanbul" in rows[2] and "agreement" in rows[3]
    assert "[background]" in rows[4]
    assert "    mission funding           discussed → agreed" in lines
