"""The service's notion of now, which a test or demo may move forward (never backward)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ServiceClock:
    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> datetime:
        if by < timedelta(0):
            raise ValueError("the clock only moves forward")
        self.offset += by
        return self.now()
