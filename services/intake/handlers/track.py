"""Tracking: a person's code and PIN give the progress of their submission — and nothing
personal. This is the one public tracking door (the API's `/v1/track/{code}` and the
page `/track/{code}` both go through `Tracker.follow`), so the lock-out after too many
wrong PINs holds on every path. Wrong code and wrong PIN look the same from outside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from services.intake.domain.lockout import Lockout, seconds_left
from services.intake.domain.progress import CaseProgress
from services.intake.domain.tracking import TrackingRecord, normalise_tracking_code
from services.intake.errors import TrackingLocked, TrackingNotFound
from shared.contract.tracking_pin import pin_matches


class Records(Protocol):
    async def by_tracking_code(self, code: str) -> TrackingRecord | None: ...


class Progress(Protocol):
    async def of(self, code: str) -> CaseProgress | None: ...


class Attempts(Protocol):
    async def locked_until(self, code: str) -> datetime | None: ...

    async def count(self, code: str) -> tuple[int, datetime | None]: ...

    async def lock(self, code: str, until: datetime) -> None: ...

    async def clear(self, code: str) -> None: ...


@dataclass(frozen=True, slots=True)
class TrackingView:
    """Intake's record of the submission, and the case's public progress once workflow
    has opened it (None before)."""

    record: TrackingRecord
    case: CaseProgress | None

    @property
    def status(self) -> str:
        return self.case.status if self.case else "received"

    @property
    def updated_at(self) -> datetime:
        return (self.case.updated_at if self.case else None) or self.record.received_at


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Tracker:
    def __init__(
        self,
        records: Records,
        progress: Progress,
        attempts: Attempts,
        *,
        pepper: bytes,
        lockout: Lockout,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._records = records
        self._progress = progress
        self._attempts = attempts
        self._pepper = pepper
        self._lockout = lockout
        self._now = now

    async def follow(self, raw_code: str, pin: str) -> TrackingView:
        """The submission of `raw_code` if `pin` is its PIN. Raises `InvalidTrackingCode`
        (a typo: nothing counted), `TrackingLocked` while the code is locked — even for the
        right PIN — and `TrackingNotFound` for an unknown code or a wrong PIN, counting it
        and locking the code after too many."""
        code = normalise_tracking_code(raw_code)
        now = self._now()
        if wait := seconds_left(await self._attempts.locked_until(code), now):
            raise TrackingLocked(wait)
        attempts, locked_until = await self._attempts.count(code)
        if wait := seconds_left(locked_until, now):
            raise TrackingLocked(wait)  # locked by a concurrent lookup since the read above
        if self._lockout.over_limit(attempts):
            # Parallel guesses past the limit: refused without comparing their PINs.
            until = self._lockout.until(now)
            await self._attempts.lock(code, until)
            raise TrackingLocked(seconds_left(until, now))
        record = await self._records.by_tracking_code(code)
        # Unknown codes are counted too, or a lock would tell which codes exist.
        if record is None or not pin_matches(
            pin.strip(), tracking_code=code, pepper=self._pepper, stored_hash=record.pin_hash
        ):
            if self._lockout.locks_after(attempts):
                await self._attempts.lock(code, self._lockout.until(now))
            raise TrackingNotFound()
        await self._attempts.clear(code)
        return TrackingView(record=record, case=await self._progress.of(code))
