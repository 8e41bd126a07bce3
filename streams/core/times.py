"""How dipwatch writes times: ISO-8601, an aware time in UTC with a ``Z`` (one spelling for the
wire, the stored state and the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def format_time(value: dt.datetime | None) -> str | None:
    """ISO-8601; an aware time in UTC with a ``Z``, a naive one as it is; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.isoformat()
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def parse_time(value: Any) -> dt.datetime | None:
    """The datetime of :func:`format_time` (None stays None)."""
    if value is None:
        return None
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


_START = dt.datetime.min.replace(tzinfo=dt.UTC)


def news_order(published: dt.datetime | None, ident: str) -> tuple[bool, dt.datetime, str]:
    """Sort key putting articles in the order the news happened: dated ones by publication time,
    then the undated ones; equal times by id, so every arrival order gives one order."""
    return (published is None, published or _START, ident)
