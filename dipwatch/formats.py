"""What the commands print for a person: alert lines, dead letters and a track's state as a table.

Every function takes the public JSON forms (:mod:`streams.core.wire`), so what a worker serves,
what a topic carries and what a replay computes print the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from streams.core.timeline import timeline

#: Longest evidence sentence shown on an alert's second line (characters).
EVIDENCE_CHARS = 140
# Unicode isolates: an Arabic sentence inside a left-to-right line keeps its own direction and
# does not reorder the words around it.
_FSI, _PDI = "\u2068", "\u2069"


def label(alert: dict[str, Any]) -> str:
    """``NEW`` (a development not known before), ``BACKGROUND`` (new to dipwatch, but a recap of
    something earlier), ``UPDATE`` (a known development corroborated by another source)."""
    if alert.get("kind") == "update":
        return "UPDATE"
    return "BACKGROUND" if alert.get("background") else "NEW"


def utc_time(stamp: Any) -> str:
    """``2026-12-02 14:17:34 UTC`` from an ISO-8601 time (``?`` when missing)."""
    if not stamp:
        return "?"
    when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def short(sentence: str, limit: int = EVIDENCE_CHARS) -> str:
    """``sentence`` on one line, cut at a word before ``limit`` characters (with an ellipsis)."""
    text = " ".join(sentence.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def format_alert(alert: dict[str, Any], *, as_json: bool) -> str:
    """One alert as a JSON line, or as two lines a person reads::

        NEW         2025-02-27  Istanbul  round 1  round_held: Round 1 of talks held in Istanbul on 2025-02-27 (…)
                    “<evidence sentence>” — <source> (3 sources) · first seen 2026-12-02 14:17:34 UTC · id=dev-…

    The date is the development's (``date unknown`` when no report gave one); an update shows the
    sentence of the report that corroborated it, a new development the first.
    """
    if as_json:
        return json.dumps(alert, ensure_ascii=False)
    kind = label(alert)
    date = alert.get("date") or "date unknown"
    place = alert.get("location") or "place unknown"
    ordinal = f"#{alert['ordinal']}" if alert.get("ordinal") is not None else "#-"
    head = f"{kind:10}  {date:12}  {place:14}  {ordinal:3}  {alert.get('type')}: {alert.get('summary')}"
    evidence = alert.get("evidence") or []
    shown = evidence[-1] if kind == "UPDATE" and evidence else (evidence[0] if evidence else None)
    sources = alert.get("sources")
    count = f" ({sources} sources)" if isinstance(sources, int) and sources > 1 else ""
    if shown is not None:
        quote = f"“{_FSI}{short(str(shown.get('sentence', '')))}{_PDI}” — {shown.get('source')}{count}"
    else:
        quote = f"(no evidence){count}"
    tail = f"{quote} · first seen {utc_time(alert.get('first_seen'))} · id={alert.get('id')}"
    return f"{head}\n{'':12}{tail}"


def format_deadletter(record: dict[str, object], *, as_json: bool) -> str:
    """One dead letter as a JSON line or one readable line: why, and where the original is."""
    if as_json:
        return json.dumps(record, ensure_ascii=False)
    where = f"{record.get('topic')}[{record.get('partition')}]@{record.get('offset')}"
    return f"DEAD {record.get('reason')} {where}: {record.get('error')}"


def _flags(d: dict[str, Any]) -> str:
    flags = "".join(f" [{f}]" for f in ("background", "tentative") if d.get(f))
    return flags + ("" if d.get("alerted", True) else " [held back]")


def _row(d: dict[str, Any], indent: str) -> str:
    source = next((e["url"] or e["source"] for e in d.get("evidence", ())), "")
    ordinal = d["ordinal"] if d.get("ordinal") is not None else "-"
    place = (d.get("location") or "-")[:14]
    return (
        f"  {indent}{d.get('date') or '?':{10 - len(indent)}}  {d['status']:9}  {d['type']:16}  {place:14}  "
        f"{ordinal:>2}  {d['sources']:>3}  {d['summary']}{_flags(d)}  <{source}>"
    )


def format_state(data: dict[str, Any]) -> str:
    """A track's public state as a table: meetings in time order, each with what came out of it
    (indented), then the agenda items and how their status changed."""
    counts = data["counts"]
    changed = utc_time(data["last_change"]) if data.get("last_change") else "never"
    lines = [
        f"{data['track']}  {data.get('name') or data['track']}: {counts['developments']} developments, "
        f"{counts['rounds']} rounds held, {counts['agreements']} agreements; last change {changed}",
        f"  {'DATE':10}  {'STATUS':9}  {'TYPE':16}  {'PLACE':14}  {'#':>2}  {'SRC':>3}  WHAT  <first source>",
    ]
    for entry in timeline(data):
        lines.append(_row(entry.development, ""))
        lines.extend(_row(o, "└ ") for o in entry.outcomes)
    items = data.get("agenda_items") or [{"topic": t, "history": [{"status": s}]} for t, s in data["agenda"].items()]
    if items:
        lines.append("  agenda:")
        for item in items:
            statuses = [str(h["status"]) for h in item["history"]]
            history = " → ".join(s for i, s in enumerate(statuses) if i == 0 or s != statuses[i - 1])
            lines.append(f"    {item['topic'].replace('_', ' '):24}  {history}")
    return "\n".join(lines)
