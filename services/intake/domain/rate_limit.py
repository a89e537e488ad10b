"""The per-address brake on the public channels (the web form and the API without a key,
and the tracking door): at most `limit` requests from one address in each window of
`window_seconds`. Pure arithmetic; the counts live in MongoDB
(`services/intake/adapters/rate_counts.py`), so the limit holds across every replica, and
`services/intake/handlers/rate_limit.py` applies the rule to them.

Fixed windows aligned on the epoch, so every replica, whatever its start time, counts a
request into the same window: one small document per address and window, one `$inc`
per request. A burst straddling a boundary may reach twice the limit in a moment; the
long-run rate is the configured one, which is what an abuse brake needs.

`LocalWindows` counts the same windows in this process: a process alone over the limit
means the office is too (the shared count holds at least this process's requests), so it
refuses without a round trip, and keeps a brake while MongoDB cannot be asked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


class RateLimited(Exception):
    """Too many requests from one address; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Window:
    """One counting window: [start, end) in seconds since the epoch."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class WindowLimit:
    limit: int
    window_seconds: int

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window_seconds < 1:
            raise ValueError("limit and window must be at least 1")

    @classmethod
    def of(cls, *, rate_per_minute: float, burst: int) -> WindowLimit:
        """The settings as operators give them (a burst and a long-run rate): `burst`
        requests per the time the rate takes to allow that many (whole seconds, at least
        one), so the long-run rate is kept."""
        if rate_per_minute <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        return cls(limit=burst, window_seconds=max(1, math.ceil(burst * 60 / rate_per_minute)))

    def window(self, now: float) -> Window:
        start = int(now // self.window_seconds) * self.window_seconds
        return Window(start, start + self.window_seconds)

    def check(self, count: int, window: Window, now: float) -> None:
        """Let the `count`-th request of `window` through, or raise `RateLimited` with the
        whole seconds until the window ends (at least one)."""
        if count > self.limit:
            raise RateLimited(max(1, math.ceil(window.end - now)))


class LocalWindows:
    """This process's count per address in the current window. Memory is bounded: past
    `max_addresses`, the counts of windows already over are dropped, and if that is not
    enough, all of them (a forgotten count only makes this filter more lenient; the shared
    count still decides)."""

    def __init__(self, max_addresses: int = 100_000) -> None:
        self._max = max_addresses
        self._counts: dict[str, tuple[int, int]] = {}  # address → (window start, count)

    def add(self, address: str, window: Window) -> int:
        """One more request of `address` in `window`; the count so far in it."""
        start, count = self._counts.get(address, (window.start, 0))
        count = count + 1 if start == window.start else 1
        if address not in self._counts and len(self._counts) >= self._max:
            self._counts = {a: c for a, c in self._counts.items() if c[0] == window.start}
            if len(self._counts) >= self._max:
                self._counts.clear()
        self._counts[address] = (window.start, count)
        return count

    def __len__(self) -> int:
        return len(self._counts)
