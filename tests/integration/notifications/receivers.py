"""Real receivers for the notification tests: an SMTP server (aiosmtpd) and an HTTP
server (Starlette on uvicorn) standing in for LINE, the SMS gateway and partner webhooks,
each on a free loopback port; and `serving`, which runs one of `make dev`'s stand-ins
(`deploy/local/*_standin.py`) the same way."""

from __future__ import annotations

import asyncio
import socket
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import orjson
import uvicorn
from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.support import ehlo_answer, eventually


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body((subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())  # type: ignore[attr-defined]


class Mailbox:
    """An aiosmtpd handler: keeps every accepted message; answers chosen recipients with
    a chosen reply (e.g. "550 5.1.1 no such user") instead, and a message with
    `data_reply` when one is set. It offers PIPELINING, as production relays do, unless
    told not to; `pipelined` records, per MAIL FROM, whether RCPT and DATA had come
    with it (the client sent them without waiting for its reply)."""

    def __init__(self, *, pipelining: bool = True) -> None:
        self.mails: list[Mail] = []
        self.replies: dict[str, str] = {}
        self.data_reply: str | None = None
        self.pipelining = pipelining
        self.pipelined: list[bool] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        return ehlo_answer(session, hostname, responses, pipelining=self.pipelining)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: Any
    ) -> str:
        waiting = bytes(getattr(server._reader, "_buffer", b""))
        self.pipelined.append(b"RCPT TO:" in waiting.upper() and b"DATA" in waiting.upper())
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        reply = self.replies.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply is not None:
            return self.data_reply
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.rcpt_tos]


@dataclass
class HttpCall:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    # When the request arrived and when it was answered (event-loop clock).
    started: float = 0.0
    answered: float = 0.0

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class HttpReceiver:
    """Answers POSTs on any path with 200, unless told to fail the next few on a path."""

    port: int = field(default_factory=free_port)
    calls: list[HttpCall] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Seconds to think before answering a POST on a path (a slow partner).
    delays: dict[str, float] = field(default_factory=dict)
    server: uvicorn.Server | None = None
    task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail(self, path: str, *statuses: int) -> None:
        self.failures[path].extend(statuses)

    def accepted(self, path: str) -> list[HttpCall]:
        return [c for c in self.calls if c.path == path and c.status < 300]

    def attempts(self, path: str) -> list[HttpCall]:
        return [c for c in self.calls if c.path == path]

    async def _handle(self, request: Request) -> Response:
        loop = asyncio.get_running_loop()
        started = loop.time()
        body = await request.body()
        path = request.url.path
        pending = self.failures.get(path)
        status = pending.pop(0) if pending else 200
        call = HttpCall(path, dict(request.headers), body, status, started)
        self.calls.append(call)
        if path in self.delays:
            await asyncio.sleep(self.delays[path])
        call.answered = loop.time()
        if status >= 300:
            return JSONResponse({"message": "try later" if status >= 500 else "no"}, status)
        return JSONResponse({"ok": True})

    async def start(self) -> None:
        app = Starlette(routes=[Route("/{rest:path}", self._handle, methods=["POST"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="error", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        server = self.server

        async def started() -> bool:
            return server.started

        await eventually(started, timeout=10, interval=0.02, what="HTTP receiver")

    async def stop(self) -> None:
        if self.server is not None and self.task is not None:
            self.server.should_exit = True
            await self.task


class LateAnswers:
    """Wraps a receiver: the next `count` requests to `path` are handled at once, but
    their answers are held back `seconds`, longer than the sender waits. The receiver
    has done the work; the sender never heard so and tries again."""

    def __init__(self, app: ASGIApp, path: str, seconds: float) -> None:
        self.app = app
        self.path = path
        self.seconds = seconds
        self.count = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or self.count <= 0:
            await self.app(scope, receive, send)
            return
        self.count -= 1

        async def late(message: Message) -> None:
            if message["type"] == "http.response.start":
                await asyncio.sleep(self.seconds)
            await send(message)

        await self.app(scope, receive, late)


@asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port until the block ends; its base URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started, timeout=10, interval=0.02, what="stand-in")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
