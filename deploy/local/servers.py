"""The real Kafka broker and MongoDB-wire server, run as local processes without Docker.

Kafka: Apache Kafka 4.x in KRaft mode (one node, broker + controller), its jars resolved
from Maven Central by `deploy/local/kafka/pom.xml` and run with the machine's Java 17.
MongoDB: SecantusDB (PyPI), a MongoDB-wire server on WiredTiger.

Both keep their data under `.local/` (git-ignored, or `SIANG_LOCAL_DIR`), listen on
127.0.0.1 only, and are tracked by pid files. `ensure_running()` reuses a server that
answers, restarts one that crashed or was started without a flag this checkout passes,
and refuses clearly when its port belongs to something else.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import hashlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCAL_DIR = Path(os.environ.get("SIANG_LOCAL_DIR", REPO / ".local"))
POM = REPO / "deploy" / "local" / "kafka" / "pom.xml"
LOG4J = REPO / "deploy" / "local" / "kafka" / "log4j2.properties"


class InfraError(RuntimeError):
    """A local server could not be brought up; the message says why and what to do."""


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); it is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def _argv(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return [a.decode(errors="replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return []


def _cmdline(pid: int) -> str:
    return " ".join(_argv(pid))


def _flags(argv: list[str]) -> set[str]:
    # Only the `--name` switches: paths and the interpreter may be spelt differently by
    # another checkout or shell without the server being any different.
    return {a for a in argv if a.startswith("--")}


@dataclass
class LocalServer:
    """One server process, known by its pid file and the marker in its command line."""

    name: str
    port: int
    marker: str

    @property
    def home(self) -> Path:
        return LOCAL_DIR / self.name

    @property
    def pid_file(self) -> Path:
        return self.home / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.home / f"{self.name}.log"

    def pid(self) -> int | None:
        """The pid of our server if it is alive, else None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if pid_alive(pid) and self.marker in _cmdline(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def command(self) -> list[str]:
        raise NotImplementedError

    def prepare(self) -> None:
        """One-time set-up before the first start (download, format)."""

    def ready(self) -> bool:
        raise NotImplementedError

    @property
    def lock_file(self) -> Path:
        return self.home / f"{self.name}.lock"

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One caller at a time decides whether to start or restart the server: test
        sessions, benchmarks and `make dev` all call `ensure_running` and may overlap."""
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def outdated(self, pid: int) -> bool:
        """The running server lacks (or has extra) switches compared with the command this
        checkout would start, e.g. it predates `--sync-on-commit`."""
        return _flags(_argv(pid)) != _flags(self.command())

    def ensure_running(self, timeout: float = 120.0) -> str:
        """Start the server unless ours already answers; return 'reused', 'started' or
        'restarted' (it ran with other switches than this checkout starts it with)."""
        with self._exclusive():
            pid = self.pid()
            restarted = False
            if pid is not None and self.outdated(pid):
                # A switch that matters (durability) only takes effect on a restart, and
                # a server started by an older checkout may run for days: restart it once.
                print(
                    f"{self.name} (pid {pid}) runs with other switches than "
                    f"{' '.join(sorted(_flags(self.command())))}: restarting it",
                    file=sys.stderr,
                )
                self.stop()
                pid, restarted = None, True
            if pid is not None:
                if self.wait_ready(timeout):
                    return "reused"
                raise InfraError(
                    f"{self.name} (pid {pid}) runs but does not answer on "
                    f"127.0.0.1:{self.port}; see {self.log_file}"
                )
            self._start(timeout)
            return "restarted" if restarted else "started"

    def _start(self, timeout: float) -> None:
        if port_open(self.port):
            raise InfraError(
                f"port {self.port} on 127.0.0.1 is in use by another process, not by Siang's "
                f"{self.name}. Stop it, or choose another port "
                f"(SIANG_{self.name.upper()}_PORT=...)."
            )
        self.prepare()
        self.home.mkdir(parents=True, exist_ok=True)
        log = open(self.log_file, "ab")  # noqa: SIM115 - handed to the child process
        proc = subprocess.Popen(  # noqa: S603 - our own fixed command line
            self.command(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.home,
            start_new_session=True,  # Ctrl-C in a terminal must not kill it half-way
        )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise InfraError(
                    f"{self.name} exited with code {proc.returncode} while starting; "
                    f"last lines of {self.log_file}:\n{_tail(self.log_file)}"
                )
            if self.ready():
                return
            time.sleep(0.3)
        self.stop()
        raise InfraError(
            f"{self.name} did not become ready within {timeout:.0f}s; see {self.log_file}"
        )

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready():
                return True
            time.sleep(0.3)
        return False

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop our server cleanly (SIGTERM, then SIGKILL after `timeout`)."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and pid_alive(pid):
            time.sleep(0.2)
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def kill(self, timeout: float = 30.0) -> bool:
        """`kill -9` our server, as a crash or the OOM killer would: no clean shutdown,
        no last checkpoint. Returns once the process is gone; the next start recovers
        from what the server had made durable (WiredTiger replays its log)."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while pid_alive(pid):
            if time.monotonic() > deadline:
                raise InfraError(f"{self.name} (pid {pid}) still runs {timeout:.0f}s after SIGKILL")
            time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)
        return True

    def rss_mib(self) -> float | None:
        pid = self.pid()
        if pid is None:
            return None
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class KafkaServer(LocalServer):
    def __init__(self, port: int | None = None, controller_port: int | None = None) -> None:
        port = port or int(os.environ.get("SIANG_KAFKA_PORT", "9092"))
        super().__init__("kafka", port, "kafka.Kafka")
        self.controller_port = controller_port or int(
            os.environ.get("SIANG_KAFKA_CONTROLLER_PORT", str(port + 1))
        )

    @property
    def libs(self) -> Path:
        return self.home / "libs"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def resolve_jars(self) -> None:
        """Resolve the broker's jars with Maven, once per version of the pom."""
        stamp = self.libs / ".pom-sha256"
        digest = hashlib.sha256(POM.read_bytes()).hexdigest()
        if stamp.exists() and stamp.read_text() == digest:
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise InfraError(
                "Maven (mvn) is not on PATH: it is needed to fetch Apache Kafka's jars"
            )
        if self.libs.exists():
            shutil.rmtree(self.libs)
        print("resolving Apache Kafka jars with Maven (first run only)...", file=sys.stderr)
        result = subprocess.run(  # noqa: S603
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(POM),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={self.libs}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise InfraError(
                "Maven could not resolve Apache Kafka from Maven Central; the local broker "
                "cannot start (no in-memory stand-in is used). Maven said:\n"
                + (result.stdout + result.stderr)[-3000:]
            )
        stamp.write_text(digest)

    def properties(self) -> str:
        data = self.home / "data"
        return "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}",
                f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                f"log.dirs={data}",
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "log.retention.hours=168",
                "",
            ]
        )

    def _java(self, main: str, *args: str, heap: str = "256m") -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise InfraError("Java 17 (java) is not on PATH: it is needed to run Apache Kafka")
        return [
            java,
            f"-Xmx{heap}",
            f"-Dlog4j2.configurationFile={LOG4J}",
            "-cp",
            f"{self.libs}/*",
            main,
            *args,
        ]

    def prepare(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.resolve_jars()
        props = self.home / "server.properties"
        props.write_text(self.properties())
        if (self.home / "data" / "meta.properties").exists():
            return
        cid = kafka_cluster_id()
        result = subprocess.run(  # noqa: S603
            self._java("kafka.tools.StorageTool", "format", "-t", cid, "-c", str(props)),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise InfraError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")

    def command(self) -> list[str]:
        return [*self._java("kafka.Kafka", str(self.home / "server.properties"), heap="768m")]

    def ready(self) -> bool:
        if not port_open(self.port):
            return False
        return asyncio.run(kafka_metadata_ok(self.bootstrap))


def kafka_cluster_id(draw: Callable[[], bytes] = lambda: uuid.uuid4().bytes) -> str:
    """A random cluster id in Kafka's form (16 bytes, URL-safe base64, unpadded).

    Kafka's own `Uuid.randomUuid` draws again when the text starts with "-": the storage
    tool's argument parser reads such an id as an option and refuses to format (one fresh
    checkout in 64 failed its first `make test` that way).
    """
    while True:
        cid = base64.urlsafe_b64encode(draw()).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


async def kafka_metadata_ok(bootstrap: str, timeout: float = 5.0) -> bool:
    """A real metadata request: the broker answers with itself in the cluster."""
    from aiokafka import AIOKafkaClient  # type: ignore[import-untyped]
    from aiokafka.errors import KafkaError  # type: ignore[import-untyped]

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(client.bootstrap(), timeout)
        return bool(client.cluster.brokers())
    except (KafkaError, OSError, TimeoutError):
        return False
    finally:
        await client.close()


class MongoServer(LocalServer):
    def __init__(self, port: int | None = None) -> None:
        port = port or int(os.environ.get("SIANG_MONGO_PORT", "27017"))
        super().__init__("mongo", port, "secantusd")

    @property
    def url(self) -> str:
        # SecantusDB slows down past 10,000 retryable writes, so the local URL turns them off.
        return f"mongodb://127.0.0.1:{self.port}/?retryWrites=false&directConnection=true"

    def command(self) -> list[str]:
        if importlib.util.find_spec("secantus") is None:
            raise InfraError("SecantusDB (secantus) is not installed: run `make install`")
        return [
            sys.executable,
            str(Path(__file__).with_name("secantusd.py")),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--storage-path",
            str(self.home / "data"),
            "--log-level",
            "WARNING",
            # No replica-set advertisement, so no oplog: nothing here reads change
            # streams, and SecantusDB's oplog costs an extra encoded copy and a pruning
            # delete of every document written. Transactions work the same.
            "--standalone",
            # Fsync the log at every commit. Without it SecantusDB commits a multi-document
            # transaction without flushing its log record (it honours `j: true` only on
            # single writes), so a transaction acknowledged before a `kill -9` or a crash
            # can be gone after the restart, and intake answers 202 right after such a
            # commit. `tests/faults`: SecantusDB killed while submissions flow.
            "--sync-on-commit",
        ]

    def ready(self) -> bool:
        if not port_open(self.port):
            return False
        from pymongo import MongoClient
        from pymongo.errors import PyMongoError

        client: MongoClient[dict[str, object]] = MongoClient(
            self.url, serverSelectionTimeoutMS=2000
        )
        try:
            client.admin.command("ping")
            return True
        except PyMongoError:
            return False
        finally:
            client.close()


def servers() -> tuple[KafkaServer, MongoServer]:
    return KafkaServer(), MongoServer()
