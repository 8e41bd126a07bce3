"""The one error root of dipwatch, at the bottom layer: the pure core raises these too.

    DipwatchError
    ├── ConfigError            settings or a feeds file that cannot be used
    │   └── TrackFileError     a tracks file that cannot be used (streams.core.trackconfig)
    ├── InvalidArticle         a message that is not a usable article (reason, payload)
    ├── StateDecodeError       a track-state table value that does not decode (streams.core.statecodec)
    ├── BrokerError            the Kafka broker is unreachable or refused a request
    │   ├── BrokerStartError   the embedded Tansu broker could not be started
    │   └── BrokerDataLost     the broker no longer has topics a worker was using (in-memory, restarted)
    └── FeedError              a feed could not be fetched or parsed (feed, retry_after)
        └── FeedTooLarge       the body passed the byte cap

Each error carries what its caller needs to act on it.
"""

from __future__ import annotations


class DipwatchError(Exception):
    """Root of every error dipwatch raises on purpose."""


class ConfigError(DipwatchError):
    """Settings, command-line flags or a feeds file that cannot be used; ``field`` names the
    setting at fault, when it is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TrackFileError(ConfigError):
    """A tracks file that cannot be used; the message is one line saying where and why."""


class InvalidArticle(DipwatchError):
    """A message that cannot become an article; ``reason`` is a short metric label."""

    def __init__(self, message: str, *, reason: str, payload: bytes | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.payload = payload


class BrokerError(DipwatchError):
    """The Kafka broker is not reachable or refused what we asked."""

    def __init__(self, message: str, *, broker: str) -> None:
        super().__init__(message)
        self.broker = broker


class BrokerStartError(BrokerError):
    """The embedded Tansu broker could not be started."""


class BrokerDataLost(BrokerError):
    """The broker no longer has topics a running worker has seen there (``broker`` names it)."""


class FeedError(DipwatchError):
    """A feed fetch or parse failed; ``retry_after`` (seconds) is set when the server asked for it."""

    def __init__(self, message: str, *, feed: str, outcome: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.feed = feed
        self.outcome = outcome
        self.retry_after = retry_after


class FeedTooLarge(FeedError):
    """The response body passed the configured byte cap."""
