"""Pure polling policy of the RSS connector: backoff with jitter, the clock, the full-text site guard."""

from __future__ import annotations

import datetime as dt
import ipaddress
import random
from urllib.parse import urlsplit

DEFAULT_MAX_BACKOFF = 3600.0
# A server may ask for a pause; one asking for a week is ignored beyond this.
DEFAULT_MAX_RETRY_AFTER = 6 * 3600.0


def utc_now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def site_of(url: str | None) -> str | None:
    """The site of a URL for the full-text guard: an IP literal as is, else the last two host labels.

    Not public-suffix aware (``bbc.co.uk`` and ``gov.co.uk`` share ``co.uk``): it keeps a feed's
    links from reaching loopback, private addresses and internal names, not one outlet from another.
    """
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return ".".join(host.split(".")[-2:])
    return host


def backoff_delay(
    interval: float,
    failures: int,
    *,
    rng: random.Random,
    retry_after: float | None = None,
    max_backoff: float = DEFAULT_MAX_BACKOFF,
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
) -> float:
    """Seconds to wait before polling a feed again after ``failures`` consecutive failures.

    Doubles from twice the interval up to ``max_backoff``, with "equal jitter" (a uniform draw in
    the upper half) so that feeds failing together do not retry together; never shorter than the
    interval, nor than the server's Retry-After (itself capped at ``max_retry_after``).
    """
    if failures <= 0:
        return interval
    ceiling = max(interval, min(max_backoff, interval * 2.0 ** min(failures, 32)))
    delay = max(interval, rng.uniform(ceiling / 2, ceiling))
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, max_retry_after))
    return delay
