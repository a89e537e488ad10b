"""A lean HTTP/1.1 load generator: keep-alive connections over asyncio streams, requests
built once as bytes, responses parsed only as far as status and body.

The benchmarks share two cores with the servers they measure; httpx spends about a
millisecond of CPU per request, which capped even a do-nothing endpoint at ~450/s. This
client spends a small fraction of that, so the figures say more about the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    seconds: float  # from writing the request to the last byte of the answer
    at: float  # time.time() when the answer was complete


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> Answer:
        reused = self.writer is not None and not self.writer.is_closing()
        if not reused:
            await self._open()
        assert self.reader is not None and self.writer is not None
        start = time.perf_counter()
        self.writer.write(raw)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            partial = getattr(exc, "partial", b"")
            if not reused or partial:
                raise
            # The server closed a keep-alive connection that sat idle: nothing of this
            # request was read, so it is sent again on a new one.
            await self._open()
            assert self.reader is not None and self.writer is not None
            start = time.perf_counter()
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        body = await self._chunked() if chunked else await self.reader.readexactly(length)
        if close:
            await self.close()
        return Answer(status, body, time.perf_counter() - start, time.time())

    async def _open(self) -> None:
        await self.close()
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.writer = None


def post(path: str, host: str, body: bytes, headers: Mapping[str, str]) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Run:
    mode: str
    sent: int
    seconds: float
    answers: list[Answer] = field(default_factory=list)
    errors: int = 0

    @property
    def accepted(self) -> int:
        return sum(1 for a in self.answers if a.status == 202)

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


Request = Callable[[int], bytes]


async def _send(conn: Connection, raw: bytes, run: Run) -> None:
    try:
        run.answers.append(await conn.request(raw))
    except (OSError, asyncio.IncompleteReadError, ValueError):
        run.errors += 1
        await conn.close()


@contextlib.contextmanager
def no_collector_pauses() -> Iterator[None]:
    """The generator's own garbage collections would stop every request it is timing
    (40-65 ms pauses seen): none while it measures, and a collection afterwards."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


async def saturate(host: str, port: int, request: Request, count: int, concurrency: int) -> Run:
    """`count` requests from `concurrency` clients, each sending as soon as answered."""
    run = Run("saturation", count, 0.0)
    numbers = iter(range(count))

    async def client() -> None:
        conn = Connection(host, port)
        for i in numbers:
            await _send(conn, request(i), run)
        await conn.close()

    with no_collector_pauses():
        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        run.seconds = time.perf_counter() - start
    return run


async def steady(host: str, port: int, request: Request, rate: float, seconds: float) -> Run:
    """An open loop: request i leaves at start + i/rate whether or not earlier ones were
    answered (a new connection is opened when none is idle)."""
    total = int(rate * seconds)
    run = Run(f"steady@{rate:g}", total, 0.0)
    idle: list[Connection] = []

    async def one(i: int) -> None:
        conn = idle.pop() if idle else Connection(host, port)
        await _send(conn, request(i), run)
        idle.append(conn)

    with no_collector_pauses():
        start = time.perf_counter()
        tasks = []
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
        run.seconds = time.perf_counter() - start
    for conn in idle:
        await conn.close()
    return run
