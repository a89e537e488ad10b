"""The per-address brake on the public channels (the web form and the API without a key,
and the tracking door): at most `limit` requests from one address in each window of
`window_seconds`. Pure arithmetic; the counts live in MongoDB
(`services/intake/adapters/rate_counts.py`), so the limit holds across every replica, and
`services/intake/handlers/rate_limit.py` applies the rule to them.

Fixed windows aligned on the epoch, so every replica, whatever its start time, counts a
request into the same window: one small document per address and window. A burst
straddling a boundary may reach twice the limit in a moment; the long-run rate is the
configured one, which is what an abuse brake needs.

`WindowTally` decides in this process, without a round trip: the shared count as last
read plus this process's requests since, which the handler adds to the shared count in
batches (one `$inc` per address and batch, not per request). So the limit is shared
approximately: an address may get past it, in one window, by what the other replicas
let through since this process's last batch (a fraction of a second of their traffic).
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


@dataclass(slots=True)
class _Tally:
    window_start: int
    shared: int = 0  # the count across replicas when this process last added to it
    unsent: int = 0  # this process's requests since, not yet added to the shared count


@dataclass(frozen=True, slots=True)
class Unsent:
    """Requests of one address in one window that the shared count does not hold yet."""

    address: str
    window: Window
    count: int


class WindowTally:
    """This process's best knowledge of each address's count in the current window: the
    shared count as it last read it (its own requests included) plus its requests since.
    The shared count is brought up to date in batches (`unsent`, then `sent`), so a
    request costs no round trip; what this process does not know yet is what the other
    replicas let through since its last batch.

    Memory is bounded: past `max_addresses`, the counts of windows already over are
    dropped, and if that is not enough, all of them (a forgotten count only makes the
    brake more lenient for the rest of one window)."""

    def __init__(self, max_addresses: int = 100_000) -> None:
        self._max = max_addresses
        self._counts: dict[str, _Tally] = {}

    def add(self, address: str, window: Window) -> int:
        """One more request of `address` in `window`; its count so far, as known here."""
        tally = self._counts.get(address)
        if tally is None or tally.window_start != window.start:
            if tally is None and len(self._counts) >= self._max:
                self._forget_before(window)
            tally = self._counts[address] = _Tally(window.start)
        tally.unsent += 1
        return tally.shared + tally.unsent

    def unsent(self, window: Window) -> list[Unsent]:
        """What to add to the shared counts: the current window's requests not added yet
        (a window over needs no count any more)."""
        return [
            Unsent(address, window, t.unsent)
            for address, t in self._counts.items()
            if t.unsent and t.window_start == window.start
        ]

    def sent(self, batch: Unsent, shared: int) -> None:
        """`batch` was added to the shared count, which became `shared`."""
        tally = self._counts.get(batch.address)
        if tally is not None and tally.window_start == batch.window.start:
            tally.unsent -= batch.count  # requests that came meanwhile stay unsent
            tally.shared = max(tally.shared, shared)

    def _forget_before(self, window: Window) -> None:
        self._counts = {a: t for a, t in self._counts.items() if t.window_start == window.start}
        if len(self._counts) >= self._max:
            self._counts.clear()

    def __len__(self) -> int:
        return len(self._counts)
