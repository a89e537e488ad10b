"""The per-address limit of a public door (the web channel, the tracking door), held
across every intake replica through the shared counts in MongoDB.

A request is decided here, without a round trip: this process's tally (the shared count
as last read plus its requests since) must stay within the limit. The requests are added
to the shared count in batches, every `flush_seconds` while any are waiting: one `$inc`
per address and batch, so a door taking hundreds of requests a second from one address
(a school's network behind one gateway, or an abuser) costs a few statements a second
instead of one per request on one hot document. What a replica does not know is what
the others let through since its last batch: the limit may be passed by that much.

When MongoDB does not answer, the requests stay in the tally (the brake is this
process's own count meanwhile) and the batch is tried again after `pause_seconds`: the
web channel still accepts anonymous submissions through Kafka while MongoDB is away,
and a limit must not become the reason it stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Protocol

from services.intake.domain.rate_limit import Window, WindowLimit, WindowTally
from services.intake.handlers.ports import StoreUnavailable

log = logging.getLogger(__name__)


class SharedCounts(Protocol):
    async def add(self, key: str, window: Window, count: int) -> int:
        """`count` more requests of `key` in `window`; the count across replicas so far."""
        ...


class RateLimit:
    def __init__(
        self,
        scope: str,
        rule: WindowLimit,
        counts: SharedCounts,
        *,
        flush_seconds: float = 0.25,
        pause_seconds: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scope = scope
        self.rule = rule
        self._counts = counts
        self._tally = WindowTally()
        self._flush_seconds = flush_seconds
        self._pause = pause_seconds
        self._clock = clock
        self._flusher: asyncio.Task[None] | None = None

    async def take(self, address: str) -> None:
        """Count one request of `address`, or raise `RateLimited` with its Retry-After."""
        now = self._clock()
        window = self.rule.window(now)
        count = self._tally.add(address, window)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_while_waiting())
        self.rule.check(count, window, now)

    async def flush(self) -> int:
        """Add the requests waiting to the shared counts now; how many addresses had some.
        Raises `StoreUnavailable` if MongoDB does not answer (they stay waiting)."""
        batches = self._tally.unsent(self.rule.window(self._clock()))
        for batch in batches:
            shared = await self._counts.add(
                f"{self.scope}:{batch.address}", batch.window, batch.count
            )
            self._tally.sent(batch, shared)
        return len(batches)

    async def close(self) -> None:
        """Stop adding to the shared counts (what waits is dropped: a brake, not a record)."""
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher

    async def _flush_while_waiting(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            try:
                if not await self.flush():
                    return
            except StoreUnavailable as exc:
                log.warning(
                    "%s rate limit: shared counts unavailable (%s); this process's own count "
                    "limits for %.0f s",
                    self.scope,
                    exc,
                    self._pause,
                )
                await asyncio.sleep(self._pause)
