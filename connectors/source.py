"""What every connector is: a source of articles with a lifecycle, writing into a sink.

    start()  → open what it needs (files are checked, feed state loaded, HTTP client opened)
    run()    → deliver articles to its sink until it is done (files) or stopped (feeds)
    stop()   → release everything, saving what must survive (feed state); safe to call twice

:class:`connectors.files.FilesSource` and :class:`connectors.rss.RssConnector` both follow it;
the commands drive them the same way. :class:`Lifecycle` gives ``async with`` to what has ``start``
and ``stop`` (the feed connector, the HTTP fetcher).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Protocol, Self

from streams.core.models import Article

#: Where a connector delivers an article (the Kafka publisher, or a list in tests).
Sink = Callable[[Article], Awaitable[None]]
#: Where a connector delivers a raw message it does not parse (origin, payload).
RawSink = Callable[[str, bytes], Awaitable[None]]


class Source(Protocol):
    """A connector: ``start``, ``run`` into its sink, ``stop``."""

    async def start(self) -> None:
        """Open what the source needs; raise a DipwatchError when it cannot."""
        ...

    async def run(self) -> None:
        """Deliver articles to the sink until done or stopped."""
        ...

    async def stop(self) -> None:
        """Release what the source holds; idempotent."""
        ...


class Lifecycle:
    """``async with`` over ``start`` and ``stop``: started on entry, stopped on exit, on failure too."""

    async def start(self) -> None:
        """Open what is needed (nothing by default)."""

    async def stop(self) -> None:
        """Release what is held; idempotent (nothing by default)."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
