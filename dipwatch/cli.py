"""The ``dipwatch`` command line: run, worker, publish, tail, replay, extract, rss.

Settings are read once here (environment, then flags) and passed down.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dipwatch import __version__, commands
from streams.core.errors import BrokerError, DipwatchError
from streams.settings import Settings

logger = logging.getLogger("dipwatch")

EXIT_USAGE = 2
PATHS_HELP = "article files or directories: .txt, .json, .jsonl, .xml/.rss/.atom feeds"
EXIT_BROKER = 3
# 128 + SIGPIPE: what a shell reports for a tool whose reader closed the pipe.
EXIT_PIPE = 141


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dipwatch",
        description="Watch the news for diplomatic developments; alert once per new development.",
    )
    parser.add_argument("--version", action="version", version=f"dipwatch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def broker_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--broker",
            help="Kafka bootstrap URL, e.g. kafka://localhost:9092, kafka+ssl://host:9093 for TLS (DIPWATCH_BROKER); "
            "TLS files and SASL login from DIPWATCH_SSL_* and DIPWATCH_SASL_*",
        )

    def tracks_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--tracks",
            type=Path,
            metavar="FILE",
            help="tracks file (TOML) that replaces the built-in ru-us track (DIPWATCH_TRACKS); "
            "see deploy/tracks.example.toml",
        )

    run = sub.add_parser("run", help="broker (embedded unless given) + worker + seeds, printing alerts")
    run.add_argument("--seeds", type=Path, action="append", help="seed files or directories (default: seeds/)")
    run.add_argument("--feeds", type=Path, help="feeds file (TOML) to poll while running")
    broker_flag(run)
    tracks_flag(run)
    run.add_argument("--until-idle", type=float, metavar="SECONDS", help="exit after SECONDS without a new alert")
    run.add_argument("--json", action="store_true", help="print alerts as JSON lines")
    run.add_argument(
        "--fresh",
        action="store_true",
        help="on the embedded broker: start with an empty state instead of the one the last run saved",
    )

    worker = sub.add_parser("worker", help="run the Faust worker")
    broker_flag(worker)
    tracks_flag(worker)

    publish = sub.add_parser("publish", help="publish article files to the articles topic")
    publish.add_argument("paths", nargs="+", type=Path, help=PATHS_HELP)
    broker_flag(publish)

    tail = sub.add_parser("tail", help="print alerts as they arrive")
    broker_flag(tail)
    tail.add_argument("--from-beginning", action="store_true", help="print the alerts already on the topic first")
    tail.add_argument("--until-idle", type=float, metavar="SECONDS", help="exit after SECONDS without a new alert")
    tail.add_argument("--json", action="store_true", help="print alerts as JSON lines")
    tail.add_argument("--updates", action="store_true", help="follow the updates topic instead")
    tail.add_argument(
        "--deadletter", action="store_true", help="follow the dead-letter topic: rejected messages and why"
    )

    replay = sub.add_parser("replay", help="run the core over files without Kafka; alerts as JSON lines")
    replay.add_argument("paths", nargs="+", type=Path, help=PATHS_HELP)
    replay.add_argument("--updates", action="store_true", help="also print updates (corroborations)")
    tracks_flag(replay)

    extract = sub.add_parser("extract", help="what the extractor finds in each article, as JSON lines")
    extract.add_argument("paths", nargs="+", type=Path, help=PATHS_HELP)
    tracks_flag(extract)

    state = sub.add_parser(
        "state", help="the rolling state of each track, from a running worker (or a replay of files), as a table"
    )
    state.add_argument(
        "--from", dest="paths", nargs="+", type=Path, metavar="PATH", help="replay these files instead; " + PATHS_HELP
    )
    state.add_argument(
        "--worker", metavar="URL", help="the worker's web server (default http://DIPWATCH_WEB_HOST:DIPWATCH_WEB_PORT)"
    )
    state.add_argument("--track", help="only this track id")
    state.add_argument("--json", action="store_true", help="one JSON object per track (schema in the README)")
    tracks_flag(state)

    rss = sub.add_parser("rss", help="poll the feeds of a feeds file into the articles topic")
    rss.add_argument("--feeds", type=Path, required=True, help="feeds file (TOML), see deploy/feeds.example.toml")
    rss.add_argument("--once", action="store_true", help="poll every feed once and exit (1 if any failed)")
    rss.add_argument("--state", type=Path, help="feed state file (default: <DIPWATCH_DATA_DIR>/feeds-state.json)")
    broker_flag(rss)
    return parser


# The settings each offline command uses; the others read every setting.
USED = {
    "replay": ("tracks", "max_article_bytes", "log_level"),
    "extract": ("tracks", "max_article_bytes", "log_level"),
    "state": ("tracks", "max_article_bytes", "log_level", "web_host", "web_port"),
}


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env(used=USED.get(args.command))
    broker = getattr(args, "broker", None)
    if broker:
        settings = settings.with_changes(broker=broker if "://" in broker else f"kafka://{broker}")
        # TLS files only go with a kafka+ssl:// broker: judge them against the flag's.
        settings.validate(("broker", "ssl_cafile", "ssl_certfile", "ssl_keyfile"))
    tracks = getattr(args, "tracks", None)
    if tracks is not None:
        settings = settings.with_changes(tracks=tracks)
    return settings


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
        # `run` keeps the terminal for alerts; the worker's log goes to a file.
        quiet = args.command in ("replay", "extract", "state", "tail", "publish", "run")
        _configure_logging("warning" if quiet else settings.log_level)
        return _dispatch(args, settings)
    except BrokerError as exc:
        print(f"dipwatch: {exc}", file=sys.stderr)
        return EXIT_BROKER
    except DipwatchError as exc:
        print(f"dipwatch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`dipwatch replay … | head -1`): stop quietly, as a shell tool does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "replay":
        return commands.replay(settings, args.paths, updates=args.updates)
    if args.command == "state":
        if args.paths:
            return commands.state(settings, args.paths, track=args.track, as_json=args.json)
        url = args.worker or commands.worker_url(settings)
        return commands.state_from_worker(url, track=args.track, as_json=args.json)
    if args.command == "extract":
        return commands.extract(settings, args.paths)
    if args.command == "worker":
        return commands.worker(settings)
    if args.command == "publish":
        return asyncio.run(commands.publish(settings, args.paths))
    if args.command == "tail":
        return asyncio.run(
            commands.tail(
                settings,
                from_beginning=args.from_beginning,
                until_idle=args.until_idle,
                as_json=args.json,
                updates=args.updates,
                deadletter=args.deadletter,
            )
        )
    if args.command == "rss":
        return asyncio.run(
            commands.rss(settings, args.feeds, once=args.once, state_path=args.state, handle_sigterm=True)
        )
    if args.command == "run":
        return commands.run(
            settings,
            seeds=args.seeds or [Path("seeds")],
            feeds=args.feeds,
            until_idle=args.until_idle,
            as_json=args.json,
            fresh=args.fresh,
        )
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
