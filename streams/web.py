"""The state views of the worker's web server (the port of ``/metrics``), read-only.

``GET /tracks``             every configured track: id, name, counts, last change, the worker keeping it
``GET /tracks/{id}``        the rolling state of one track (:func:`streams.core.wire.state_to_dict`)
``GET /tracks/{id}.html``   its timeline page (:mod:`streams.pages`)
``GET /``                   the list of tracks as a page

A track's state lives in the table partitions of the worker that consumes the track's partition
of the tracked topic. A request for a track this worker does not keep is forwarded to that worker
(as Faust's topic routing does: the owner is found from the group's assignment of the tracked
topic's partition for the track key) and its answer returned; ``GET /tracks`` asks
the keeping worker of each track for its counts. Before the worker has its partitions a track
view answers 503.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import aiohttp
import faust
from aiokafka.partitioner import DefaultPartitioner
from yarl import URL

from streams.core import statestore
from streams.core.statecodec import StateDecodeError
from streams.core.times import format_time
from streams.core.wire import counts, last_change, state_to_dict
from streams.pages import index_page, track_page

logger = logging.getLogger(__name__)

#: How long ``GET /tracks`` waits for another worker's counts of a track.
PEER_TIMEOUT = 3.0
#: Header of a request forwarded to the worker that keeps the track.
FORWARDED = "X-Dipwatch-Forwarded"

#: Reads one entry of the state table (``table.get``).
Getter = Callable[[str], bytes | None]


def track_state(get: Getter, track: str, name: str) -> dict[str, Any]:
    """The public state of ``track`` as the table entries readable through ``get`` hold it."""
    return state_to_dict(statestore.load(track, get).state, name)


def track_summary(get: Getter, track: str, name: str, owner: str | None) -> dict[str, Any]:
    """One line of ``GET /tracks``: id, name, counts, last change and the worker that keeps it."""
    state = statestore.load(track, get).state
    return {
        "id": track,
        "name": name,
        "counts": counts(state),
        "last_change": format_time(last_change(state)),
        "owner": owner,
    }


def _timeout() -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=PEER_TIMEOUT)


def _json_response(view: Any, data: Any, status: int = 200) -> Any:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return view.bytes(body, content_type="application/json", status=status)


def partition_of(track: str, partitions: int) -> int:
    """The partition of the tracked topic that ``track``'s articles go to (Kafka's default partitioner)."""
    every = list(range(partitions))
    return int(DefaultPartitioner()(track.encode("utf-8"), every, every))


def owner_in(distribution: Mapping[str, Mapping[str, Sequence[int]]], topic: str, partition: int) -> str | None:
    """The URL of the worker whose assignment holds ``topic``'s ``partition``, or None."""
    for url, topics in distribution.items():
        if partition in topics.get(topic, ()):
            return str(url)
    return None


class _Tracks:
    """The tracks as one worker's views see them: what this worker keeps is answered here, the
    rest is asked of the worker that keeps it."""

    def __init__(
        self, app: faust.App, tracked_topic: Any, table: Any, tracks: Sequence[tuple[str, str]], partitions: int
    ) -> None:
        self.app = app
        self.table = table
        self.tracks = tracks
        self.names = dict(tracks)
        self.partitions = partitions
        self.topic_name = tracked_topic.get_topic_name()

    def owner_of(self, track: str) -> str | None:
        # Faust's assignor publishes, per worker URL, the partitions of the non-table topics it consumes.
        distribution = self.app.assignor.external_topic_distribution  # type: ignore[attr-defined]
        return owner_in(distribution, self.topic_name, partition_of(track, self.partitions))

    def is_local(self, owner: str) -> bool:
        here, there = URL(str(self.app.conf.canonical_url)), URL(owner)
        return (there.host, there.port) == (here.host, here.port)

    async def routed(self, view: Any, request: Any, track: str, answer: Callable[[], Any]) -> Any:
        """``answer()`` when this worker keeps ``track`` (or the request was forwarded), else the
        answer of the worker that keeps it."""
        names = self.names
        if track not in names:
            return _json_response(view, {"error": f"unknown track {track!r}", "tracks": list(names)}, status=404)
        owner = self.owner_of(track)
        if owner is None:
            return _json_response(view, {"error": "this worker has no partitions yet; try again"}, status=503)
        if self.is_local(owner) or request.headers.get(FORWARDED):
            # A forwarded request is answered here even if the assignments moved meanwhile: no loops.
            try:
                return answer()
            except StateDecodeError as exc:
                logger.error("track %s: the stored state cannot be read: %s", track, exc)
                return _json_response(view, {"error": f"the state of {track!r} cannot be read: {exc}"}, status=500)
        url = URL(owner).with_path(request.path).with_query(dict(request.query))
        try:
            async with self.app.http_client.get(url, headers={FORWARDED: "1"}, timeout=_timeout()) as resp:
                body = await resp.read()
                return view.bytes(body, content_type=resp.content_type, status=resp.status)
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            logger.warning("track %s: the worker at %s did not answer: %s", track, owner, exc)
            data = {"error": f"track {track!r} is kept by the worker at {owner}, which did not answer", "owner": owner}
            return _json_response(view, data, status=502)

    async def summaries(self) -> list[dict[str, Any]]:
        """Every configured track's line of ``GET /tracks``, asked of the workers in parallel."""
        return list(await asyncio.gather(*(self.summary(t, n) for t, n in self.tracks)))

    async def summary(self, track: str, name: str) -> dict[str, Any]:
        """One track's line: read here when this worker keeps it, else from the worker that does."""
        owner = self.owner_of(track)
        if owner is None or self.is_local(owner):
            # Not assigned yet: what this worker holds (nothing, or what it restored).
            try:
                return track_summary(self.table.get, track, name, owner)
            except StateDecodeError as exc:
                logger.error("track %s: the stored state cannot be read: %s", track, exc)
                return {"id": track, "name": name, "counts": None, "last_change": None, "owner": owner}
        try:
            url = f"{owner.rstrip('/')}/tracks/{track}"
            async with self.app.http_client.get(url, headers={FORWARDED: "1"}, timeout=_timeout()) as resp:
                data = json.loads(await resp.read())
            return {
                "id": track,
                "name": name,
                "counts": data["counts"],
                "last_change": data["last_change"],
                "owner": owner,
            }
        except (TimeoutError, OSError, aiohttp.ClientError, ValueError, KeyError) as exc:
            logger.warning("counts of track %s not read from %s: %s", track, owner, exc)
            return {"id": track, "name": name, "counts": None, "last_change": None, "owner": owner}

    def state_of(self, track: str) -> dict[str, Any]:
        return track_state(self.table.get, track, self.names[track])


def register_views(
    app: faust.App, tracked_topic: Any, table: Any, tracks: Sequence[tuple[str, str]], partitions: int
) -> None:
    """Serve the state views on ``app``'s web server; ``tracks`` are the configured (id, name)."""
    tracked = _Tracks(app, tracked_topic, table, tracks, partitions)

    # Faust makes each handler the ``get`` of a View class: plain functions, so that it passes the view.
    async def tracks_view(view: Any, request: Any) -> Any:
        return _json_response(view, {"tracks": await tracked.summaries()})

    async def track_view(view: Any, request: Any, track: str) -> Any:
        return await tracked.routed(view, request, track, lambda: _json_response(view, tracked.state_of(track)))

    async def track_page_view(view: Any, request: Any, track: str) -> Any:
        since = request.query.get("since")
        return await tracked.routed(
            view, request, track, lambda: view.html(track_page(tracked.state_of(track), since=since))
        )

    async def index_view(view: Any, request: Any) -> Any:
        return view.html(index_page(await tracked.summaries()))

    # Faust serves its own status object at "/": a view registered first answers instead.
    app.page("/", name="dipwatch_index")(index_view)
    app.page("/tracks", name="dipwatch_tracks")(tracks_view)
    app.page("/tracks/{track:[a-z0-9-]+}.html", name="dipwatch_track_page")(track_page_view)
    app.page("/tracks/{track:[a-z0-9-]+}", name="dipwatch_track")(track_view)
