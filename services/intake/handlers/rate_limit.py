"""The per-address limit of a public door (the web channel, the tracking door), held
across every intake replica: the count that decides is the shared one in MongoDB.

This process's own count of the same window filters first: an address this process alone
has seen over the limit is refused without a round trip (the shared count can only be
higher). When MongoDB does not answer, that local count is the brake for a few seconds
(`pause_seconds`) rather than the request waiting on it again: the web channel still
accepts anonymous submissions through Kafka while MongoDB is away, and a limit must not
become the reason it stops."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from services.intake.domain.rate_limit import LocalWindows, Window, WindowLimit
from services.intake.handlers.ports import StoreUnavailable

log = logging.getLogger(__name__)


class SharedCounts(Protocol):
    async def add(self, key: str, window: Window) -> int:
        """One more request of `key` in `window`; the count across replicas so far."""
        ...


class RateLimit:
    def __init__(
        self,
        scope: str,
        rule: WindowLimit,
        counts: SharedCounts,
        *,
        pause_seconds: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scope = scope
        self.rule = rule
        self._counts = counts
        self._local = LocalWindows()
        self._pause = pause_seconds
        self._clock = clock
        self._shared_off_until = 0.0

    async def take(self, address: str) -> None:
        """Count one request of `address`, or raise `RateLimited` with its Retry-After."""
        now = self._clock()
        window = self.rule.window(now)
        self.rule.check(self._local.add(address, window), window, now)
        if now < self._shared_off_until:
            return
        try:
            shared = await self._counts.add(f"{self.scope}:{address}", window)
        except StoreUnavailable as exc:
            self._shared_off_until = now + self._pause
            log.warning(
                "%s rate limit: shared counts unavailable (%s); this process's own count "
                "limits for %.0f s",
                self.scope,
                exc,
                self._pause,
            )
            return
        self.rule.check(shared, window, now)
