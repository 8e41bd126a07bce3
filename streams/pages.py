"""The timeline pages the worker serves (``GET /``, ``GET /tracks/{id}.html``), rendered on the server.

Plain HTML from the public state (:func:`streams.core.wire.state_to_dict`): no script, no external
file, one small inline style sheet that reads on a phone. Every value is escaped here. Evidence in
Arabic script is marked ``dir="rtl"`` (other text ``dir="auto"``) so a browser lays it out right
to left. The page refreshes itself, carrying the state's last change as ``?since=``: what was first
or last seen after it is marked new or updated; the header says when the state last changed.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from typing import Any
from urllib.parse import quote

from streams.core.timeline import Entry, timeline

#: Seconds between the page's own refreshes (a meta refresh: no JavaScript).
REFRESH_SECONDS = 30
#: Evidence sentences shown open under a development; the rest fold into a <details>.
EVIDENCE_SHOWN = 2

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Naskh Arabic",sans-serif;margin:0 auto;
max-width:52rem;padding:0.8rem;line-height:1.45;color:#1b1b1b;background:#fff}
h1{font-size:1.35rem;margin:0.2rem 0}h2{font-size:1.1rem;margin:1.2rem 0 0.4rem}
.meta{color:#555;font-size:0.85rem}
ol.timeline{list-style:none;padding:0;margin:0}
li.entry{border-left:4px solid #888;padding:0.4rem 0.6rem;margin:0 0 0.8rem;background:#f7f7f7}
li.status-held{border-color:#1a7f37}li.status-announced{border-color:#0969da}
li.status-postponed{border-color:#bf8700;background:#fff8e5}li.status-cancelled{border-color:#cf222e;background:#ffefef}
li.status-agreed,li.status-proposed{border-color:#8250df}
li.changed{box-shadow:0 0 0 2px #fb8500}.badge.changed{background:#ffd8a8}
.head{font-weight:600}.when{font-variant-numeric:tabular-nums}
.badge{display:inline-block;font-size:0.75rem;padding:0 0.35rem;border-radius:0.6rem;background:#e1e4e8;
margin-left:0.3rem}
.badge.status{background:#ddf4ff}.badge.bg{background:#fff1c2}
ul.outcomes{margin:0.4rem 0 0;padding-left:0.6rem;list-style:none}ul.outcomes li{margin:0.3rem 0}
blockquote{margin:0.3rem 0;padding:0.2rem 0.5rem;border-inline-start:3px solid #ccc;background:#fff;font-size:0.92rem;
overflow-wrap:anywhere}
blockquote[dir=rtl]{font-size:1rem}
.src{font-size:0.8rem;color:#555}
table{border-collapse:collapse;width:100%;font-size:0.9rem}th,td{border:1px solid #ddd;padding:0.25rem 0.4rem;
text-align:left;vertical-align:top}
a{color:#0550ae}
"""


def _page(title: str, body: str, *, refresh: int | None, refresh_url: str | None = None) -> str:
    target = f"; url={refresh_url}" if refresh_url else ""
    refresh_tag = f'<meta http-equiv="refresh" content="{refresh}{escape(target)}">' if refresh else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{refresh_tag}<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def text_direction(text: str) -> str:
    """``rtl`` for text in Arabic or Hebrew script, else ``auto`` (the browser decides)."""
    return "rtl" if _RTL.search(text) else "auto"


def human_date(date: str | None, precision: str | None = None) -> str:
    """``18 Feb 2025`` (or ``Feb 2025``, ``2025``) from an ISO date; ``date unknown`` for None."""
    if not date:
        return "date unknown"
    parts = date.split("-")
    if len(parts) == 3 and precision in (None, "day"):
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) >= 2 and precision in (None, "day", "month"):
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def human_time(stamp: str | None) -> str:
    """An ISO-8601 UTC time as ``2025-02-18 09:30 UTC``; an empty string for None."""
    if not stamp:
        return ""
    when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M")
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


_TITLES = {
    "round": "Round",
    "summit": "Summit",
    "agreement": "Agreement",
    "proposal": "Proposal",
}


def title_of(d: dict[str, Any]) -> str:
    """``Round 2``, ``Talks``, ``Summit``, ``Agreement``: what a development is, in a word or two."""
    kind = str(d["type"]).split("_")[0]
    if kind == "round":
        return f"Round {d['ordinal']}" if d.get("ordinal") is not None else "Talks"
    title = _TITLES.get(kind, kind.title())
    return f"{title} {d['ordinal']}" if d.get("ordinal") is not None and kind == "summit" else title


def _evidence(d: dict[str, Any]) -> str:
    items = []
    for e in d.get("evidence", ()):
        sentence = str(e["sentence"])
        source = escape(str(e.get("source") or e.get("article_id")))
        link = f'<a href="{escape(str(e["url"]))}" rel="noopener">{source}</a>' if e.get("url") else source
        items.append(
            f'<blockquote class="evidence" dir="{text_direction(sentence)}">{escape(sentence)}</blockquote>'
            f'<div class="src">— {link}</div>'
        )
    if len(items) <= EVIDENCE_SHOWN:
        return "".join(items)
    more = len(items) - EVIDENCE_SHOWN
    return (
        "".join(items[:EVIDENCE_SHOWN])
        + f"<details><summary>{more} more report{'s' if more > 1 else ''}</summary>"
        + "".join(items[EVIDENCE_SHOWN:])
        + "</details>"
    )


def _badges(d: dict[str, Any], change: str | None) -> str:
    badges = [f'<span class="badge status">{escape(str(d["status"]))}</span>']
    if change:
        badges.append(f'<span class="badge changed">{change}</span>')
    if d.get("background"):
        badges.append('<span class="badge bg" title="a recap of something earlier">background</span>')
    if d.get("tentative"):
        badges.append('<span class="badge">tentative</span>')
    if not d.get("alerted", True):
        badges.append('<span class="badge">held back</span>')
    return "".join(badges)


def _parse(stamp: Any) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def change_of(d: dict[str, Any], since: dt.datetime | None) -> str | None:
    """``new`` or ``updated`` when the development was first or last seen after ``since`` (the
    state's last change when the page was loaded before), else None."""
    if since is None:
        return None
    first, last = _parse(d.get("first_seen")), _parse(d.get("last_seen"))
    if first is not None and first > since:
        return "new"
    if last is not None and last > since:
        return "updated"
    return None


def _development(d: dict[str, Any], tag: str, since: dt.datetime | None) -> str:
    where = f" · {escape(str(d['location']))}" if d.get("location") else ""
    topics = ", ".join(escape(str(t).replace("_", " ")) for t in d.get("topics", ()))
    seen = human_time(d.get("first_seen"))
    corroborated = human_time(d.get("last_corroborated"))
    facts = [f"{d['sources']} source{'s' if d['sources'] != 1 else ''}", f"first seen {seen}"]
    if corroborated:
        facts.append(f"last corroborated {corroborated}")
    change = change_of(d, since)
    return (
        f'<{tag} class="entry status-{escape(str(d["status"]))}{" changed" if change else ""}" '
        f'id="{escape(str(d["id"]))}" '
        f'data-type="{escape(str(d["type"]))}" data-date="{escape(str(d.get("date") or ""))}" '
        f'data-ordinal="{escape(str(d.get("ordinal") if d.get("ordinal") is not None else ""))}">'
        f'<div class="head">{escape(title_of(d))} · <span class="when">'
        f"{escape(human_date(d.get('date'), d.get('date_precision')))}</span>{where}{_badges(d, change)}</div>"
        + (f'<div class="topics">{topics}</div>' if topics else "")
        + f'<div class="meta">{escape(" · ".join(facts))}</div>'
        + _evidence(d)
    )


def _entry(entry: Entry, since: dt.datetime | None) -> str:
    html = _development(entry.development, "li", since)
    if entry.outcomes:
        outcomes = "".join(_development(o, "li", since) + "</li>" for o in entry.outcomes)
        html += f'<ul class="outcomes">{outcomes}</ul>'
    return html + "</li>"


def _agenda(state: dict[str, Any]) -> str:
    rows = []
    for item in state.get("agenda_items", ()):
        history = " → ".join(f"{escape(h['status'])} ({escape(human_time(h['at'])[:10])})" for h in item["history"])
        rows.append(
            f'<tr data-topic="{escape(item["topic"])}"><td>{escape(item["topic"].replace("_", " "))}</td>'
            f"<td>{escape(item['status'])}</td><td>{history}</td></tr>"
        )
    if not rows:
        return "<p>No agenda item yet.</p>"
    return (
        "<table><thead><tr><th>item</th><th>status</th><th>history</th></tr></thead><tbody>"
        + "".join(rows)
        + ("</tbody></table>")
    )


def track_page(state: dict[str, Any], *, now: dt.datetime | None = None, since: str | None = None) -> str:
    """The timeline page of one track's public state.

    ``since`` is the state's last change when the page was last loaded (its refresh carries it):
    what was first or last seen after it is marked new or updated.
    """
    now = now or dt.datetime.now(dt.UTC)
    since_time = _parse(since) if since else None
    changes = [c for d in state["developments"] if (c := change_of(d, since_time))]
    counts = state["counts"]
    name = str(state.get("name") or state["track"])
    entries = timeline(state)
    changed = human_time(state.get("last_change")) or "never"
    body = (
        '<p class="meta"><a href="/">all tracks</a> · <a href="/tracks/'
        f'{escape(state["track"])}">JSON</a></p>'
        f"<h1>{escape(name)}</h1>"
        f'<p class="meta">{counts["developments"]} developments, {counts["rounds"]} rounds held, '
        f"{counts['agreements']} agreements · state last changed {escape(changed)} · page rendered "
        f"{escape(now.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M:%S UTC'))}, refreshed every "
        f"{REFRESH_SECONDS} s"
        + (
            f" · {changes.count('new')} new, {changes.count('updated')} updated since "
            f"{escape(human_time(format_z(since_time)))}"
            if since_time is not None
            else ""
        )
        + "</p><h2>Meetings and outcomes</h2>"
        + (
            '<ol class="timeline">' + "".join(_entry(e, since_time) for e in entries) + "</ol>"
            if entries
            else "<p>Nothing seen yet.</p>"
        )
        + "<h2>Agenda</h2>"
        + _agenda(state)
    )
    mark = state.get("last_change") or since
    refresh_url = f"/tracks/{quote(state['track'])}.html" + (f"?since={quote(str(mark))}" if mark else "")
    return _page(f"{name} — dipwatch", body, refresh=REFRESH_SECONDS, refresh_url=refresh_url)


def format_z(when: dt.datetime | None) -> str | None:
    """ISO-8601 UTC with a ``Z``."""
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if when is not None else None


def index_page(tracks: list[dict[str, Any]]) -> str:
    """The list of tracks (``GET /``), each linking to its timeline."""
    rows = []
    for t in tracks:
        counts = t.get("counts")
        what = (
            f"{counts['developments']} developments, {counts['rounds']} rounds held, {counts['agreements']} agreements"
            if counts
            else f"kept by the worker at {escape(str(t.get('owner')))}"
        )
        changed = human_time(t.get("last_change")) or "no change yet"
        rows.append(
            f'<li><a href="/tracks/{escape(t["id"])}.html">{escape(t["name"])}</a> '
            f'<span class="meta">({escape(t["id"])}) · {what} · last change {escape(changed)}</span></li>'
        )
    body = (
        '<h1>dipwatch</h1><p class="meta">Negotiation tracks followed by this worker '
        '(<a href="/tracks">JSON</a>, <a href="/metrics">metrics</a>)</p>'
        "<ul>" + "".join(rows) + "</ul>"
    )
    return _page("dipwatch", body, refresh=REFRESH_SECONDS)
