"""The lock-out of a tracking code after too many wrong PINs in a row: a PIN has 10^6
values, so without it a known code's PIN could be guessed. Pure arithmetic; the counts
live in `services/intake/adapters/tracking_attempts.py`.

Every lookup of a code is counted *before* its PIN is compared, so a burst of parallel
guesses cannot compare more than `max_wrong_pins` PINs before the lock lands: a lookup
whose count is past the limit is refused without looking at its PIN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Lockout:
    max_wrong_pins: int
    lockout_seconds: int

    def until(self, now: datetime) -> datetime:
        """When a code locked now opens again."""
        return now + timedelta(seconds=self.lockout_seconds)

    def over_limit(self, attempts: int) -> bool:
        """Whether the `attempts`-th lookup since the last lock or right PIN may not even
        compare its PIN."""
        return attempts > self.max_wrong_pins

    def locks_after(self, attempts: int) -> bool:
        """Whether a wrong PIN at the `attempts`-th lookup locks the code."""
        return attempts >= self.max_wrong_pins


def seconds_left(locked_until: datetime | None, now: datetime) -> int:
    """Whole seconds until the lock ends (rounded up), 0 when the code is not locked."""
    if locked_until is None or locked_until <= now:
        return 0
    return max(1, math.ceil((locked_until - now).total_seconds()))


def minutes_left(seconds: int) -> int:
    """The wait in whole minutes as a person reads it (rounded up, at least 1)."""
    return max(1, math.ceil(seconds / 60))
