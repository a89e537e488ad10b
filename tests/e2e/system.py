"""The whole of Siang as separate processes (intake, workflow, notifications, reporting,
participation)
on the real Kafka and MongoDB-wire server, with a real SMTP server in the test process:
what the end-to-end and fault tests drive."""

from __future__ import annotations

import email
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email._header_value_parser import get_addr_spec, get_angle_addr
from email.errors import HeaderParseError
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import httpx
import uvloop
from aiosmtpd.controller import Controller  # type: ignore[import-untyped]
from aiosmtpd.smtp import SMTP  # type: ignore[import-untyped]

from tests.support import delete_topics_now, ehlo_answer

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "workflow", "notifications", "reporting", "participation")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Relay(SMTP):  # type: ignore[misc]
    """aiosmtpd's SMTP server, reading the address of MAIL FROM and RCPT TO as it does,
    without the `typing.Protocol` class aiosmtpd 1.4 declares anew on every call: that
    class's creation took about a tenth of the pipeline benchmark's own CPU, which is
    taken from the services it measures.

    It offers PIPELINING, as production relays do (`Inbox.handle_EHLO`), and answers
    pipelined commands as they do: the replies held while the next command is already
    waiting to be read go out together (RFC 2920)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[bytes] = []

    async def push(self, status: str | bytes) -> None:
        if isinstance(status, str):
            status = status.encode("utf-8" if self.enable_SMTPUTF8 else "ascii")
        self._held.append(status + b"\r\n")
        if getattr(self._reader, "_buffer", None):  # the next command is here already
            return
        self._writer.write(b"".join(self._held))
        self._held.clear()
        await self._writer.drain()

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        if not arg:
            return "", ""
        read = get_angle_addr if arg.lstrip().startswith("<") else get_addr_spec
        try:
            address, rest = read(arg)
        except HeaderParseError:
            return None, None
        addr = str(address.addr_spec)
        local_part = addr.rpartition("@")[0]
        if self.local_part_limit and len(local_part) > self.local_part_limit:
            return None, None
        return addr, str(rest)


class RelayController(Controller):  # type: ignore[misc]
    def factory(self) -> Relay:
        return Relay(self.handler, **self.SMTP_kwargs)


class Inbox:
    """An aiosmtpd handler keeping every message it receives.

    A message is kept as received and decoded the first time a test asks for it: the
    stdlib parser costs about a millisecond a message, which in the SMTP thread of a
    benchmark is CPU taken from the services it measures."""

    def __init__(self, *, pipelining: bool = True) -> None:
        # Offered as production relays offer it; `bench.smtp` asks for a relay without.
        self.pipelining = pipelining
        self._received: list[tuple[tuple[str, ...], bytes]] = []
        self._decoded: dict[int, EmailMessage] = {}
        self.lock = threading.Lock()

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        return ehlo_answer(session, hostname, responses, pipelining=self.pipelining)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        recipients = tuple(str(r).lower() for r in envelope.rcpt_tos)
        with self.lock:
            self._received.append((recipients, bytes(envelope.content)))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to `address` (an envelope recipient), oldest first."""
        wanted = address.lower()
        with self.lock:
            found = [i for i, (rcpt, _) in enumerate(self._received) if wanted in rcpt]
            return [self._decode(i) for i in found]

    def _decode(self, index: int) -> EmailMessage:
        if index not in self._decoded:
            raw = self._received[index][1]
            self._decoded[index] = email.message_from_bytes(raw, policy=default_policy)  # type: ignore[assignment]
        return self._decoded[index]

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return str(part.get_content()) if part is not None else ""


@dataclass
class ServiceProcess:
    name: str
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        out = open(self.log, "ab")  # noqa: SIM115 - owned by the child
        self.proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.name}"],
            env=self.env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """`kill -9`: no clean shutdown, nothing flushed."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.tail()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{self.name} not ready in {timeout}s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class System:
    services: dict[str, ServiceProcess]
    inbox: Inbox
    prefix: str
    database: str
    kafka_bootstrap: str
    mongo_url: str
    # Every process of each service (`running_system(replicas=2)`); `services` holds the
    # first of each.
    replicas: dict[str, list[ServiceProcess]] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return self.services[name].url

    def urls(self, name: str) -> list[str]:
        """The URL of every process of the service `name`."""
        return [s.url for s in self.replicas.get(name) or [self.services[name]]]

    def restart(self, name: str) -> None:
        self.services[name].stop()
        self.services[name].start()
        self.services[name].wait_ready()


@contextmanager
def running_system(
    kafka_bootstrap: str, mongo_url: str, logs: Path, *, replicas: int = 1, **extra_env: str
) -> Iterator[System]:
    """The system, each service as `replicas` processes on the same Kafka (one consumer
    group per service, as in production) and database. The later replicas start once the
    first of every service is ready, as a scale-out would."""
    run = uuid.uuid4().hex[:8]
    prefix, database = f"e2e.{run}.", f"e2e_{run}"
    inbox = Inbox()
    smtp_port = free_port()
    # On uvloop, as the services run: the relay's thread serves every e-mail the
    # services send, and under the pipeline benchmark its CPU is taken from theirs.
    controller = RelayController(
        inbox, hostname="127.0.0.1", port=smtp_port, loop=uvloop.new_event_loop()
    )
    controller.start()
    ports = {name: free_port() for name in SERVICES}
    env = {
        **os.environ,
        "SIANG_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "SIANG_KAFKA_TOPIC_PREFIX": prefix,
        "SIANG_MONGO_URL": mongo_url,
        "SIANG_MONGO_DATABASE": database,
        "SIANG_WORKFLOW_ALLOW_CLOCK_OVERRIDE": "true",
        "SIANG_WORKFLOW_SCAN_INTERVAL_SECONDS": "1",
        "SIANG_NOTIFICATIONS_SMTP__HOST": "127.0.0.1",
        "SIANG_NOTIFICATIONS_SMTP__PORT": str(smtp_port),
        "SIANG_NOTIFICATIONS_RETRY__BASE_SECONDS": "0.2",
        "SIANG_INTAKE_PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['intake']}",
        # The console's New case page sends what staff key in to intake's own port.
        "SIANG_WORKFLOW_INTAKE_URL": f"http://127.0.0.1:{ports['intake']}",
        # The console header's link to the dashboard, on reporting's own port.
        "SIANG_WORKFLOW_REPORTING_URL": f"http://127.0.0.1:{ports['reporting']}/dashboard",
        "SIANG_NOTIFICATIONS_OFFICE__TRACKING_URL": f"http://127.0.0.1:{ports['intake']}/track",
        "SIANG_NOTIFICATIONS_SURVEY_URL_TEMPLATE": f"http://127.0.0.1:{ports['intake']}/survey/{{token}}",
        # One sign-in for every service's staff pages: the console's, back to any of them.
        "SIANG_AUTH_SIGN_IN_URL": f"http://127.0.0.1:{ports['workflow']}/console/login",
        "SIANG_AUTH_PAGE_ORIGINS": json.dumps([f"http://127.0.0.1:{p}" for p in ports.values()]),
        "SIANG_INTAKE_WEB_BURST": "1000",
        "SIANG_INTAKE_WEB_RATE_PER_MINUTE": "1000000",
        # The journeys poll the tracking door while a case moves on.
        "SIANG_INTAKE_TRACK_BURST": "1000",
        "SIANG_INTAKE_TRACK_RATE_PER_MINUTE": "1000000",
        "PYTHONUNBUFFERED": "1",
        **{f"SIANG_{n.upper()}_PORT": str(p) for n, p in ports.items()},
        **extra_env,
    }
    logs.mkdir(parents=True, exist_ok=True)
    services = {n: ServiceProcess(n, ports[n], logs / f"{n}.log", env=env) for n in SERVICES}
    every = {n: [s] for n, s in services.items()}
    for n in SERVICES:
        for i in range(2, replicas + 1):
            port = free_port()
            every[n].append(
                ServiceProcess(
                    n,
                    port,
                    logs / f"{n}-{i}.log",
                    env={**env, f"SIANG_{n.upper()}_PORT": str(port)},
                )
            )
    later = [s for processes in every.values() for s in processes[1:]]
    try:
        for group in (list(services.values()), later):
            for s in group:
                s.start()
            for s in group:
                s.wait_ready()
        yield System(services, inbox, prefix, database, kafka_bootstrap, mongo_url, every)
    finally:
        for processes in every.values():
            for s in processes:
                s.stop()
        controller.stop()
        _drop(mongo_url, database)
        delete_topics_now(kafka_bootstrap, prefix)


def _drop(mongo_url: str, database: str) -> None:
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(mongo_url)
    try:
        client.drop_database(database)
    finally:
        client.close()
