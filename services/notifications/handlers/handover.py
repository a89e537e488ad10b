"""Deliveries handed from this process's consumer straight to its delivery worker.

The consumer records a batch's new deliveries as already claimed by this queue's token
(`DeliveryLedger.schedule_many` with a `Handover`), and after the commit puts them here:
the worker starts them without searching the ledger or claiming them again. That saves
SecantusDB a search that reads every due row, and an update per row.

The queue holds at most `capacity` deliveries not yet finished, so their leases never run
out while they wait; the consumer waits briefly for room, then schedules the rest in the
ledger for the worker to find the usual way. Everything here is in memory and only ever
an optimisation: a lost queue is a set of claims whose leases run out.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from services.notifications.adapters.ledger import Claimed, Handover


class HandoverQueue:
    def __init__(self, capacity: int, lease: timedelta, wake: Callable[[], None]) -> None:
        self.capacity = capacity
        self.lease = lease
        self.token = uuid.uuid4().hex
        self._wake = wake
        self._waiting: deque[Claimed] = deque()
        # Handed over and not yet finished: waiting here, or taken by the worker.
        self._held = 0
        self._freed = asyncio.Event()

    @property
    def room(self) -> int:
        return max(0, self.capacity - self._held)

    def handover(self, now: datetime) -> Handover:
        """The claim to record on as many new rows as there is room for now."""
        return Handover(token=self.token, lease_until=now + self.lease, limit=self.room)

    async def wait_for_room(self, wanted: int, timeout: float) -> None:
        """Wait up to `timeout` seconds until `wanted` deliveries fit (or the queue is
        empty), so a burst stays in Kafka rather than piling up in the ledger."""
        wanted = min(wanted, self.capacity)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while self.room < wanted and self._held:
                    self._freed.clear()
                    await self._freed.wait()

    def put(self, claimed: list[Claimed]) -> None:
        """Deliveries whose claim has been committed: the worker may start them."""
        if claimed:
            self._waiting.extend(claimed)
            self._held += len(claimed)
            self._wake()

    def take(self, most: int, now: datetime) -> tuple[list[Claimed], list[Claimed]]:
        """Up to `most` deliveries to start, oldest first; and those whose lease is too
        close to its end to start (left to run out; they come back as in doubt)."""
        ready: list[Claimed] = []
        stale: list[Claimed] = []
        margin = self.lease / 4
        while self._waiting and len(ready) < most:
            claimed = self._waiting.popleft()
            if claimed.lease_until is not None and claimed.lease_until - now < margin:
                stale.append(claimed)
                self.finished()
            else:
                ready.append(claimed)
        return ready, stale

    def drain(self) -> list[Claimed]:
        """Everything not yet taken; nothing more is handed over (the worker is stopping)."""
        self.capacity = 0
        left = list(self._waiting)
        self._waiting.clear()
        for _ in left:
            self.finished()
        return left

    def finished(self) -> None:
        """One delivery taken from here is done (sent, failed, or given up)."""
        self._held = max(0, self._held - 1)
        self._freed.set()
