"""The backlog of tracking records kept while MongoDB is away stops when intake stops,
even when the stop lands inside a write whose timeout swallows the cancellation."""

from __future__ import annotations

import asyncio
import contextlib

from services.intake.handlers.backlog import Backlog
from services.intake.handlers.ports import StoreUnavailable
from tests.support import stored_submission

from .fakes import FakeStore


class SwallowingStore(FakeStore):
    """MongoDB away, behind a driver timeout that eats a cancellation (wait_for on 3.11)."""

    def __init__(self) -> None:
        super().__init__()
        self.writing = asyncio.Event()

    async def save_after_publish(self, record, answer) -> None:
        self.writing.set()
        # The driver's timeout, not the caller, decides when this write ends.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(0.3)
        raise StoreUnavailable("server selection timed out")


async def test_stopping_mid_write_to_an_unreachable_store_ends() -> None:
    store = SwallowingStore()
    backlog = Backlog(store, limit=10, interval=0.01)
    backlog.add(stored_submission(1)[0], None)
    backlog.start()
    await asyncio.wait_for(store.writing.wait(), 5)
    await asyncio.wait_for(backlog.stop(), 10)
    assert len(backlog) == 1  # still waiting for MongoDB: nothing claimed as written


async def test_stopping_writes_what_waits_when_the_store_is_back() -> None:
    store = FakeStore()
    store.down = True
    backlog = Backlog(store, limit=10, interval=0.01)
    backlog.add(stored_submission(1)[0], None)
    backlog.start()
    await asyncio.sleep(0.05)
    store.down = False
    await backlog.stop()
    assert len(backlog) == 0 and "s-1" in store.records
