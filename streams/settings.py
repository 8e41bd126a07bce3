"""The one settings object of dipwatch, read once at the entry point.

Every field has an environment variable (prefix ``DIPWATCH_``); command-line flags override the
environment. Nothing else in the code reads the environment.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from connectors.kafkaaccess import SASL_MECHANISMS, BrokerAccess, SaslLogin, Secret, TlsFiles
from streams.core.errors import ConfigError

#: Broker URL schemes: plain TCP, and TLS.
PLAIN_SCHEME = "kafka"
TLS_SCHEME = "kafka+ssl"


class _Topic:
    """A public topic's name, read from the settings: ``<topic_prefix>.<name>``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, settings: Settings, owner: type | None = None) -> str:
        return f"{settings.topic_prefix}.{self.name}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Runtime configuration; each field names its environment variable."""

    #: DIPWATCH_BROKER — Kafka bootstrap URL: ``kafka://host:port`` (or ``host:port``), or
    #: ``kafka+ssl://host:port`` for TLS; comma-separated for several. None starts the embedded Tansu.
    broker: str | None = None
    #: DIPWATCH_SSL_CAFILE — CA certificates (PEM) that sign the broker's certificate, with
    #: ``kafka+ssl://``. None: the system's CAs (a managed Kafka with a public certificate).
    ssl_cafile: Path | None = None
    #: DIPWATCH_SSL_CERTFILE — client certificate (PEM) for a broker that asks for one (mutual TLS).
    ssl_certfile: Path | None = None
    #: DIPWATCH_SSL_KEYFILE — the client certificate's private key (PEM, unencrypted), unless the
    #: certificate file holds it.
    ssl_keyfile: Path | None = None
    #: DIPWATCH_SASL_MECHANISM — SASL login: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. None: no login.
    sasl_mechanism: str | None = None
    #: DIPWATCH_SASL_USERNAME — the SASL user.
    sasl_username: str | None = None
    #: DIPWATCH_SASL_PASSWORD — the SASL password; never printed (shown as ********).
    sasl_password: Secret | None = field(default=None, repr=False)
    #: DIPWATCH_APP_ID — Faust application id: consumer group and prefix of internal topics.
    app_id: str = "dipwatch"
    #: DIPWATCH_TOPIC_PREFIX — prefix of the public topics (``<prefix>.articles``, ``.alerts``, …).
    topic_prefix: str = "dipwatch"
    #: DIPWATCH_PARTITIONS — partitions of every topic dipwatch declares (source topics and tables).
    partitions: int = 4
    #: DIPWATCH_WEB_HOST — address the worker's web server (``/metrics``) binds to.
    web_host: str = "127.0.0.1"
    #: DIPWATCH_WEB_PORT — port of the worker's web server.
    web_port: int = 6066
    #: DIPWATCH_METRICS_PORT — port where a standalone connector (``dipwatch rss``) serves /metrics.
    metrics_port: int = 6067
    #: DIPWATCH_DATA_DIR — local data directory (Faust table stores, connector state).
    data_dir: Path = Path(".dipwatch")
    #: DIPWATCH_SESSION_TIMEOUT — consumer-group session timeout in seconds; a group join waits
    #: about half of it, so a small value makes a worker ready sooner.
    session_timeout: float = 6.0
    #: DIPWATCH_MAX_ARTICLE_BYTES — larger article messages go to the dead-letter topic.
    max_article_bytes: int = 2_000_000
    #: DIPWATCH_DEDUP_HORIZON_DAYS — how long the deduplication index remembers an article.
    dedup_horizon_days: float = 30.0
    #: DIPWATCH_PRODUCER_BATCH_BYTES — largest producer record batch. 1 sends one record per batch
    #: (one request per record and partition: the table writes then queue behind each other). Table
    #: recovery finds the true end of a changelog whose last batch holds several records
    #: (streams/app.py), which the embedded Tansu broker reports short.
    producer_batch_bytes: int = 16384
    #: DIPWATCH_TRACKS — tracks file (TOML, see deploy/tracks.example.toml); it replaces the built-in
    #: tracks (``ru-us``). None: the built-in tracks.
    tracks: Path | None = None
    #: DIPWATCH_FETCH_WAIT_MS — longest a worker's fetch waits at the broker for new records. Faust asks
    #: for 1,500 ms and the embedded broker answers a waiting fetch late, so every topic hop before an
    #: alert paid up to that; 50 ms costs an idle worker about 20 fetches a second per broker.
    fetch_wait_ms: int = 50
    #: DIPWATCH_LINGER_MS — how long the producer holds a record to batch it with others. 0 sends an
    #: alert at once; a few ms batch more under load (with Apache Kafka, see producer_batch_bytes).
    linger_ms: int = 0
    #: DIPWATCH_STANDBY_REPLICAS — workers that keep a warm copy of each table partition they do not
    #: own. 0: a second worker shares the work instead of replaying every changelog it stands by for;
    #: a moved partition is restored from its changelog (seconds: table records are small).
    standby_replicas: int = 0
    #: DIPWATCH_COMPRESSION — how the worker compresses the record batches it sends (table changelogs,
    #: tracked articles, alerts): ``lz4``, ``zstd``, ``gzip``, ``snappy`` or ``none``. Consumers read
    #: the same messages (Kafka clients decompress). lz4 costs ~6 us a batch; zstd keeps a little
    #: fewer bytes for ~25 us a batch (an article sends 15-20: measurable at 50 articles/s), gzip
    #: more at larger batches.
    compression: str = "lz4"
    #: DIPWATCH_LOG_LEVEL — log level of the processes.
    log_level: str = "info"

    # The public topics: the prefix and a fixed name.
    articles_topic = _Topic("articles")
    tracked_topic = _Topic("tracked")
    alerts_topic = _Topic("alerts")
    updates_topic = _Topic("updates")
    deadletter_topic = _Topic("deadletter")

    @property
    def bootstrap(self) -> str:
        """The broker as aiokafka wants it: ``host:port`` without the scheme."""
        if self.broker is None:
            msg = "no broker configured (set DIPWATCH_BROKER or --broker)"
            raise ConfigError(msg)
        return ",".join(part.strip().split("://", 1)[-1] for part in self.broker.split(","))

    @property
    def broker_tls(self) -> bool:
        """Whether the broker URL asks for TLS (``kafka+ssl://``)."""
        return self.broker is not None and self.broker.strip().startswith(f"{TLS_SCHEME}://")

    @property
    def faust_broker(self) -> str:
        """The broker as Faust wants it (``kafka://host:port;...``): TLS goes in its credentials."""
        return ";".join(f"{PLAIN_SCHEME}://{server}" for server in self.bootstrap.split(","))

    @property
    def broker_access(self) -> BrokerAccess:
        """How every Kafka client reaches the broker: bootstrap servers, TLS, SASL login."""
        tls = TlsFiles(self.ssl_cafile, self.ssl_certfile, self.ssl_keyfile) if self.broker_tls else None
        sasl = None
        if self.sasl_mechanism:
            sasl = SaslLogin(self.sasl_mechanism.upper(), self.sasl_username or "", self.sasl_password or Secret(""))
        return BrokerAccess(self.bootstrap, tls, sasl)

    def to_env(self) -> dict[str, str]:
        """The ``DIPWATCH_*`` variables that reproduce these settings in a child process."""
        env = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None:
                env[f"DIPWATCH_{f.name.upper()}"] = value.reveal() if isinstance(value, Secret) else str(value)
        return env

    def data_path(self, *parts: str) -> Path:
        """A directory under ``data_dir``, created; a clear ConfigError when it cannot be written."""
        path = self.data_dir.joinpath(*parts)
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            msg = f"data directory {path} cannot be written: {exc.strerror or exc} (set DIPWATCH_DATA_DIR)"
            raise ConfigError(msg) from exc
        return path

    def with_changes(self, **changes: object) -> Settings:
        """A copy with ``changes`` applied (command-line flags over the environment)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, used: Collection[str] | None = None) -> Settings:
        """Read the ``DIPWATCH_*`` variables; a malformed value raises ConfigError.

        ``used`` names the fields a command uses: a malformed value of another field is left at
        its default (``DIPWATCH_PARTITIONS=abc`` does not stop ``dipwatch replay``).
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"DIPWATCH_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = _convert(f.name, f.type, raw)
            except ConfigError:
                if used is None or f.name in used:
                    raise
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate(used)
        return settings

    def validate(self, used: Collection[str] | None = None) -> None:
        """Raise ConfigError when the fields of ``used`` (default: all) are out of range."""
        try:
            self._validate()
        except ConfigError as exc:
            if used is None or exc.field in used:
                raise

    def _validate(self) -> None:
        if self.partitions < 1:
            msg = f"DIPWATCH_PARTITIONS must be >= 1, got {self.partitions}"
            raise ConfigError(msg, field="partitions")
        if self.session_timeout < 1:
            msg = f"DIPWATCH_SESSION_TIMEOUT must be >= 1 second, got {self.session_timeout}"
            raise ConfigError(msg, field="session_timeout")
        if self.broker is not None:
            _check_broker(self.broker)
        self._validate_security()
        if self.log_level.lower() not in LOG_LEVELS:
            msg = f"DIPWATCH_LOG_LEVEL={self.log_level!r} is not one of {', '.join(LOG_LEVELS)}"
            raise ConfigError(msg, field="log_level")
        for name in ("web_port", "metrics_port"):
            port = getattr(self, name)
            if not 0 < port < 65536:
                msg = f"DIPWATCH_{name.upper()} must be a TCP port (1-65535), got {port}"
                raise ConfigError(msg, field=name)
        if self.max_article_bytes < 1:
            msg = f"DIPWATCH_MAX_ARTICLE_BYTES must be >= 1, got {self.max_article_bytes}"
            raise ConfigError(msg, field="max_article_bytes")
        if self.compression not in COMPRESSIONS:
            msg = f"DIPWATCH_COMPRESSION={self.compression!r} is not one of {', '.join(COMPRESSIONS)}"
            raise ConfigError(msg, field="compression")
        for name in ("fetch_wait_ms", "linger_ms", "standby_replicas"):
            if getattr(self, name) < 0:
                msg = f"DIPWATCH_{name.upper()} must be >= 0, got {getattr(self, name)}"
                raise ConfigError(msg, field=name)

    def _validate_security(self) -> None:
        tls_files = {"ssl_cafile": self.ssl_cafile, "ssl_certfile": self.ssl_certfile, "ssl_keyfile": self.ssl_keyfile}
        for name, path in tls_files.items():
            if path is None:
                continue
            if not self.broker_tls and self.broker is not None:
                msg = f"DIPWATCH_{name.upper()} is set but DIPWATCH_BROKER is not a kafka+ssl:// URL"
                raise ConfigError(msg, field=name)
            if not path.is_file() or not os.access(path, os.R_OK):
                msg = f"DIPWATCH_{name.upper()}={str(path)!r}: no readable file there"
                raise ConfigError(msg, field=name)
        if self.ssl_keyfile is not None and self.ssl_certfile is None:
            msg = "DIPWATCH_SSL_KEYFILE is set without DIPWATCH_SSL_CERTFILE (the client certificate)"
            raise ConfigError(msg, field="ssl_keyfile")
        mechanism = self.sasl_mechanism
        if mechanism is None:
            if self.sasl_username is not None or self.sasl_password is not None:
                mechanisms = ", ".join(SASL_MECHANISMS)
                msg = f"DIPWATCH_SASL_USERNAME/PASSWORD are set without DIPWATCH_SASL_MECHANISM ({mechanisms})"
                raise ConfigError(msg, field="sasl_mechanism")
            return
        if mechanism.upper() not in SASL_MECHANISMS:
            msg = f"DIPWATCH_SASL_MECHANISM={mechanism!r} is not one of {', '.join(SASL_MECHANISMS)}"
            raise ConfigError(msg, field="sasl_mechanism")
        if not self.sasl_username:
            msg = f"DIPWATCH_SASL_MECHANISM={mechanism} needs DIPWATCH_SASL_USERNAME"
            raise ConfigError(msg, field="sasl_username")
        if self.sasl_password is None:
            msg = f"DIPWATCH_SASL_MECHANISM={mechanism} needs DIPWATCH_SASL_PASSWORD"
            raise ConfigError(msg, field="sasl_password")


LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
COMPRESSIONS = ("lz4", "zstd", "gzip", "snappy", "none")


def _check_broker(broker: str) -> None:
    """A bootstrap list of ``kafka://host:port`` (or ``host:port``) entries, or ``kafka+ssl://``
    ones: all of one kind."""
    schemes = set()
    for part in broker.split(","):
        scheme, sep, address = part.strip().rpartition("://")
        host, colon, port = address.rpartition(":")
        schemes.add(scheme if sep else PLAIN_SCHEME)
        if (sep and scheme not in (PLAIN_SCHEME, TLS_SCHEME)) or not host or not colon or not port.isdigit():
            msg = (
                f"DIPWATCH_BROKER={broker!r}: expected kafka://host:port or kafka+ssl://host:port "
                "(comma-separated for several)"
            )
            raise ConfigError(msg, field="broker")
    if len(schemes) > 1:
        msg = f"DIPWATCH_BROKER={broker!r}: mixes kafka:// and kafka+ssl:// servers; use one for all"
        raise ConfigError(msg, field="broker")


def _convert(name: str, kind: object, raw: str) -> object:
    text = str(kind)
    try:
        if text == "int":
            return int(raw)
        if text == "float":
            return float(raw)
        if text in ("Path", "Path | None"):
            return Path(raw)
        if text == "Secret | None":
            return Secret(raw)
    except ValueError as exc:
        msg = f"DIPWATCH_{name.upper()}={raw!r} is not a valid {text}"
        raise ConfigError(msg, field=name) from exc
    return raw
