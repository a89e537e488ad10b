"""The one Kafka producer of a service process: idempotent, `acks=all`, and replaced by a
fresh one when the broker stops accepting its sequence numbers.

aiokafka's idempotent producer has no way back from `OutOfOrderSequenceNumber`: once a
batch is lost around a broker restart, every later batch of that producer id is refused,
forever (aio-libs/aiokafka#1017; the Java client bumps its epoch instead). A new producer
gets a new producer id and sequences from zero, so publishing resumes. Whatever the old
one had not delivered is sent again by its caller (the outbox relay re-sends its
unacknowledged rows in order), which may write a record twice: delivery stays
at-least-once and every consumer is idempotent by event id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, Protocol

from aiokafka import AIOKafkaProducer  # type: ignore[import-untyped]
from aiokafka.errors import (  # type: ignore[import-untyped]
    InvalidProducerEpoch,
    OutOfOrderSequenceNumber,
    ProducerFenced,
    UnknownProducerId,
)

from shared.infra.settings import KafkaSettings

log = logging.getLogger(__name__)

# The producer id and its sequence numbers are no good any more: only a new producer helps.
FATAL = (OutOfOrderSequenceNumber, UnknownProducerId, InvalidProducerEpoch, ProducerFenced)

# Stopping a broken producer flushes what it still holds; that may never succeed.
STOP_TIMEOUT = 5.0


class Sender(Protocol):
    """The part of `AIOKafkaProducer` used here (so tests can hand in a fake)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> asyncio.Future[Any]: ...


def aiokafka_sender(settings: KafkaSettings, client_id: str) -> Callable[[], Sender]:
    def build() -> Sender:
        producer: Sender = AIOKafkaProducer(
            bootstrap_servers=settings.bootstrap_servers,
            client_id=client_id,
            acks="all",
            enable_idempotence=True,
            request_timeout_ms=settings.request_timeout_ms,
        )
        return producer

    return build


class RenewingProducer:
    """Sends through the current producer; a send whose acknowledgement fails with a
    `FATAL` error marks that producer broken, and the next send starts a new one."""

    def __init__(
        self, build: Callable[[], Sender], on_renewal: Callable[[], None] | None = None
    ) -> None:
        self._build = build
        self._on_renewal = on_renewal
        self._current: Sender | None = None
        self._broken: Sender | None = None
        self._why: BaseException | None = None
        self._lock = asyncio.Lock()
        self._retiring: set[asyncio.Task[None]] = set()
        self.renewals = 0

    async def send(
        self, topic: str, value: bytes, key: bytes | None, headers: list[tuple[str, bytes]]
    ) -> asyncio.Future[Any]:
        """Queue one record; the returned future resolves with the broker's answer."""
        producer = await self._producer()
        try:
            future = await producer.send(topic, value=value, key=key, headers=headers)
        except FATAL as exc:
            self._broken, self._why = producer, exc
            raise
        if future.done():
            self._check(producer, future)
        else:
            # Runs before the awaiting task resumes: its next send already sees the verdict.
            future.add_done_callback(lambda done: self._check(producer, done))
        return future

    def _check(self, producer: Sender, done: asyncio.Future[Any]) -> None:
        if not done.cancelled() and isinstance(error := done.exception(), FATAL):
            self._broken, self._why = producer, error

    async def _producer(self) -> Sender:
        current = self._current
        if current is not None and current is not self._broken:
            return current
        async with self._lock:
            if self._current is not None and self._current is not self._broken:
                return self._current
            fresh = self._build()
            try:
                await fresh.start()
            except BaseException:
                # Kafka is away: the caller hears it, and the next send tries again.
                self._retire(fresh)
                raise
            old, self._current = self._current, fresh
            if old is not None:
                self.renewals += 1
                if self._on_renewal is not None:
                    self._on_renewal()
                log.warning("Kafka producer replaced after %r", self._why)
                self._retire(old)
            return fresh

    def _retire(self, producer: Sender) -> None:
        async def stop() -> None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), STOP_TIMEOUT)

        task = asyncio.create_task(stop(), name="kafka-producer-retire")
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def stop(self) -> None:
        current, self._current = self._current, None
        if current is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(current.stop(), STOP_TIMEOUT)
        if self._retiring:
            await asyncio.gather(*self._retiring, return_exceptions=True)
