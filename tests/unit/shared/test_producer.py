"""A producer the broker no longer accepts is replaced, so publishing resumes after a
Kafka restart instead of failing forever."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka.errors import (  # type: ignore[import-untyped]
    KafkaConnectionError,
    OutOfOrderSequenceNumber,
    RequestTimedOutError,
)

from shared.infra.producer import RenewingProducer


class FakeSender:
    """Answers each send with the next outcome of `script` (None: acknowledged)."""

    def __init__(self, name: str, script: list[BaseException | None], fail_start: bool = False):
        self.name = name
        self.script = script
        self.fail_start = fail_start
        self.started = self.stopped = False
        self.sent: list[bytes] = []

    async def start(self) -> None:
        if self.fail_start:
            raise KafkaConnectionError("Kafka is down")
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    async def send(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> asyncio.Future[Any]:
        assert self.started and not self.stopped, f"{self.name} used while not running"
        self.sent.append(value or b"")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        outcome = self.script.pop(0) if self.script else None
        if outcome is None:
            future.set_result(self.name)
        else:
            future.set_exception(outcome)
        return future


def factory(*senders: FakeSender) -> tuple[list[FakeSender], Any]:
    queue = list(senders)
    built: list[FakeSender] = []

    def build() -> FakeSender:
        built.append(queue.pop(0))
        return built[-1]

    return built, build


async def send(producer: RenewingProducer, value: bytes) -> Any:
    future = await producer.send("t", value=value, key=b"k", headers=[])
    return await future


async def test_out_of_order_sequence_replaces_the_producer_and_publishing_resumes() -> None:
    broken = FakeSender("first", [None, OutOfOrderSequenceNumber(), OutOfOrderSequenceNumber()])
    built, build = factory(broken, FakeSender("second", []))
    producer = RenewingProducer(build)

    assert await send(producer, b"1") == "first"
    with pytest.raises(OutOfOrderSequenceNumber):
        await send(producer, b"2")
    assert await send(producer, b"2 again") == "second"
    assert await send(producer, b"3") == "second"

    assert [s.name for s in built] == ["first", "second"]
    assert broken.sent == [b"1", b"2"] and built[1].sent == [b"2 again", b"3"]
    assert producer.renewals == 1
    await producer.stop()  # also waits for the old one, stopped in the background
    assert broken.stopped and built[1].stopped


async def test_ordinary_failures_keep_the_producer() -> None:
    built, build = factory(FakeSender("only", [RequestTimedOutError(), None]))
    producer = RenewingProducer(build)
    with pytest.raises(RequestTimedOutError):
        await send(producer, b"1")
    assert await send(producer, b"1 again") == "only"
    assert len(built) == 1 and producer.renewals == 0
    await producer.stop()


async def test_a_replacement_that_cannot_connect_is_tried_again_on_the_next_send() -> None:
    built, build = factory(
        FakeSender("first", [OutOfOrderSequenceNumber()]),
        FakeSender("down", [], fail_start=True),
        FakeSender("back", []),
    )
    producer = RenewingProducer(build)
    with pytest.raises(OutOfOrderSequenceNumber):
        await send(producer, b"1")
    with pytest.raises(KafkaConnectionError):
        await send(producer, b"1 again")
    assert await send(producer, b"1 once more") == "back"
    await producer.stop()
    assert [s.name for s in built] == ["first", "down", "back"]
    assert built[0].stopped and built[2].stopped


async def test_concurrent_sends_after_a_fatal_error_build_one_replacement() -> None:
    built, build = factory(FakeSender("first", [OutOfOrderSequenceNumber()]), FakeSender("new", []))
    producer = RenewingProducer(build)
    with pytest.raises(OutOfOrderSequenceNumber):
        await send(producer, b"x")
    answers = await asyncio.gather(*(send(producer, str(i).encode()) for i in range(10)))
    assert set(answers) == {"new"} and len(built) == 2
    await producer.stop()
