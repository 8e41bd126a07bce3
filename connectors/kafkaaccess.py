"""How every Kafka client of dipwatch reaches the broker: bootstrap servers, TLS and SASL.

One ``BrokerAccess`` (built from the settings) gives the aiokafka keyword arguments of every
producer, consumer and admin client, and ``probe`` checks, before a client starts, that the broker
answers and accepts the TLS handshake and the SASL login. aiokafka only logs such failures and
reports "Unable to bootstrap" (or retries quietly); ``probe`` says in one line what failed. The
password is kept in a ``Secret``: it shows as ``********`` in reprs, logs and messages.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka.conn import create_conn
from aiokafka.errors import KafkaConnectionError, KafkaError, UnsupportedSaslMechanismError
from aiokafka.helpers import create_ssl_context
from aiokafka.protocol.metadata import MetadataRequest

from streams.core.errors import BrokerError, ConfigError

#: The SASL mechanisms dipwatch offers (aiokafka also has GSSAPI and OAUTHBEARER).
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")

#: How long a client waits for a broker to accept a TCP connection before giving up.
CONNECT_TIMEOUT = 5.0

MASK = "********"


class Secret:
    """A value that must not be shown: its repr and str are a mask; ``reveal()`` gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """TLS to the broker: the CA file that signs its certificate (None: the system's CAs), and a
    client certificate and key for a broker that asks for one."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    def context(self) -> ssl.SSLContext:
        """The TLS context (the broker's certificate and host name verified); ConfigError when a
        file does not load."""
        try:
            context: ssl.SSLContext = create_ssl_context(
                cafile=self.ca_file, certfile=self.cert_file, keyfile=self.key_file
            )
        except (ssl.SSLError, OSError) as exc:
            files = ", ".join(str(p) for p in (self.ca_file, self.cert_file, self.key_file) if p is not None)
            msg = f"the TLS files ({files or 'system CAs'}) cannot be loaded: {_reason(exc)}"
            raise ConfigError(msg, field="ssl_cafile") from exc
        return context


@dataclass(frozen=True, slots=True)
class SaslLogin:
    """A SASL login: ``mechanism`` one of SASL_MECHANISMS; the password never shown."""

    mechanism: str
    username: str
    password: Secret = field(repr=False)


@dataclass(frozen=True, slots=True)
class BrokerAccess:
    """Where the broker is (``host:port[,host:port]``) and how to get in: TLS, a SASL login."""

    bootstrap: str
    tls: TlsFiles | None = None
    sasl: SaslLogin | None = None

    @property
    def security_protocol(self) -> str:
        """Kafka's name for the combination: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL."""
        if self.sasl is not None:
            return "SASL_SSL" if self.tls else "SASL_PLAINTEXT"
        return "SSL" if self.tls else "PLAINTEXT"

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context, None without TLS."""
        return self.tls.context() if self.tls is not None else None

    def client_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of an aiokafka producer, consumer or admin client."""
        kwargs: dict[str, Any] = {"bootstrap_servers": self.bootstrap, "security_protocol": self.security_protocol}
        if self.tls is not None:
            kwargs["ssl_context"] = self.tls.context()
        if self.sasl is not None:
            kwargs["sasl_mechanism"] = self.sasl.mechanism
            kwargs["sasl_plain_username"] = self.sasl.username
            kwargs["sasl_plain_password"] = self.sasl.password.reveal()
        return kwargs


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    """Whether ``host:port`` accepted a TCP connection within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def _servers(bootstrap: str) -> list[tuple[str, int]]:
    servers = []
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        if not host or not port.isdigit():
            msg = f"broker address {server!r} is not host:port"
            raise BrokerError(msg, broker=bootstrap)
        servers.append((host.strip("[]"), int(port)))
    return servers


def check_reachable(bootstrap: str, timeout: float = CONNECT_TIMEOUT) -> tuple[str, int]:
    """The first server of ``bootstrap`` that accepts a TCP connection; BrokerError when none does."""
    servers = _servers(bootstrap)
    for host, port in servers:
        if wait_for_port(host, port, timeout):
            return host, port
    msg = f"Kafka broker not reachable at {', '.join(f'{h}:{p}' for h, p in servers)} (waited {timeout:.0f} s)"
    raise BrokerError(msg, broker=bootstrap)


async def probe(access: BrokerAccess, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise BrokerError, one line saying what failed, unless the broker accepts a connection,
    the TLS handshake and the SASL login of ``access`` and answers a first request."""
    host, port = await asyncio.to_thread(check_reachable, access.bootstrap, timeout)
    kwargs = access.client_kwargs()
    del kwargs["bootstrap_servers"]
    where = f"{host}:{port}"
    try:
        await asyncio.wait_for(_first_request(host, port, timeout, kwargs), timeout)
    except TimeoutError as exc:
        if access.tls is not None:
            msg = f"TLS handshake with {where} did not complete within {timeout:.0f} s (is it a TLS listener?)"
        else:
            msg = f"the broker at {where} did not answer within {timeout:.0f} s"
        raise BrokerError(msg, broker=access.bootstrap) from exc
    except ssl.SSLCertVerificationError as exc:
        msg = f"TLS handshake with {where} failed: certificate verify failed: {exc.verify_message}"
        raise BrokerError(msg, broker=access.bootstrap) from exc
    except ssl.SSLError as exc:
        msg = f"TLS handshake with {where} failed: {_reason(exc)} (is it a TLS listener?)"
        raise BrokerError(msg, broker=access.bootstrap) from exc
    except UnsupportedSaslMechanismError as exc:
        offered = str(exc).partition("Enabled mechanisms are: ")[2] or "no SASL mechanism"
        mechanism = access.sasl.mechanism if access.sasl else "login"
        msg = f"the broker at {where} does not offer SASL {mechanism} ({offered})"
        raise BrokerError(msg, broker=access.bootstrap) from exc
    except (KafkaError, KeyError, OSError) as exc:
        raise BrokerError(_refused(access, where, exc), broker=access.bootstrap) from exc


async def _first_request(host: str, port: int, timeout: float, kwargs: dict[str, Any]) -> None:
    # Connect (TLS handshake, API versions, SASL login) and ask for the metadata: a broker that
    # requires a login it did not get closes the connection here.
    conn = await create_conn(host, port, request_timeout_ms=int(timeout * 1000), **kwargs)
    try:
        await conn.send(MetadataRequest([]))
    finally:
        conn.close()


def _refused(access: BrokerAccess, where: str, exc: BaseException) -> str:
    """One line for a connection the broker ended or refused after the TCP connect."""
    sasl = access.sasl
    if sasl is not None and (isinstance(exc, KeyError) or not isinstance(exc, KafkaConnectionError | OSError)):
        # A SCRAM server that rejects the login answers "e=unknown-user" or "e=invalid-proof"
        # where aiokafka expects the server's signature: it fails with KeyError('v').
        return f"broker at {where} rejected SASL login for user {sasl.username!r} ({sasl.mechanism})"
    if sasl is not None:
        hint = f"it may not offer SASL {sasl.mechanism}, or refused the login of {sasl.username!r}"
    elif access.tls is not None and access.tls.cert_file is None:
        # A TLS 1.3 server checks the client's certificate after the handshake: its refusal
        # reaches aiokafka as a closed connection.
        hint = "does it require a client certificate (DIPWATCH_SSL_CERTFILE) or a SASL login (DIPWATCH_SASL_MECHANISM)?"
    elif access.tls is not None:
        hint = "did it refuse the client certificate, or does it require a SASL login (DIPWATCH_SASL_MECHANISM)?"
    else:
        hint = "is it a TLS listener (kafka+ssl://), or does it require a SASL login (DIPWATCH_SASL_MECHANISM)?"
    how = "" if isinstance(exc, KafkaConnectionError) else f" ({_reason(exc)})"
    return f"the broker at {where} closed the connection{how}: {hint}"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason).replace("_", " ").lower()
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, OSError) else f"{type(exc).__name__}: {text}"
