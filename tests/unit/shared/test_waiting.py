"""A background loop's wait for a wake-up never swallows the cancellation that stops it."""

from __future__ import annotations

import asyncio

import pytest

from shared.infra.waiting import woken


async def test_set_event_wakes_and_timeout_does_not() -> None:
    event = asyncio.Event()
    assert await woken(event, 0.01) is False
    event.set()
    assert await woken(event, 10) is True


async def test_a_cancel_arriving_as_the_event_is_set_still_cancels() -> None:
    event = asyncio.Event()
    waiter = asyncio.create_task(woken(event, 10))
    await asyncio.sleep(0)  # the waiter is now waiting on the event
    event.set()
    waiter.cancel()  # in the same turn: the race that asyncio.wait_for loses on 3.11
    with pytest.raises(asyncio.CancelledError):
        await waiter
