"""A token bucket per client address, for the public web channel (no key, so no identity).

Each address has a bucket of `burst` tokens refilled at `rate` per second; a submission
takes one. When empty, the answer says how many whole seconds until a token is back
(`Retry-After`). The clock is injected, so the arithmetic is tested without sleeping.

Buckets live in this process: with N workers the effective limit is N times higher, which
is acceptable for a per-address abuse brake (the real defence is upstream). Memory is
bounded: the least recently used buckets are dropped first — a dropped bucket was idle
long enough to be nearly full anyway.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


class RateLimited(Exception):
    """Too many submissions from one address; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    def __init__(
        self,
        *,
        rate_per_second: float,
        burst: int,
        max_addresses: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_second <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self._rate = rate_per_second
        self._burst = float(burst)
        self._max = max_addresses
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, address: str) -> None:
        """Spend one token of `address`, or raise `RateLimited`."""
        now = self._clock()
        bucket = self._buckets.get(address)
        if bucket is None:
            bucket = _Bucket(tokens=self._burst, updated=now)
            self._buckets[address] = bucket
            if len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(address)
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(self._burst, bucket.tokens + elapsed * self._rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return
        raise RateLimited(max(1, math.ceil((1.0 - bucket.tokens) / self._rate)))

    def __len__(self) -> int:
        return len(self._buckets)
