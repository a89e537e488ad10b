"""The intake service's typed refusals. `api/errors.py` maps each to HTTP, once."""

from __future__ import annotations


class IntakeError(Exception):
    """Base of every refusal the service gives on purpose."""


class PayloadTooLarge(IntakeError):
    def __init__(self, limit_bytes: int) -> None:
        super().__init__(f"body over {limit_bytes} bytes")
        self.limit_bytes = limit_bytes


class UnsupportedMediaType(IntakeError):
    pass


class StaffEntryOnly(IntakeError):
    """A staff-keyed channel's key (phone, walk-in, letter) on the channel API: such
    entries come through `POST /v1/staff/submissions` with the keyer's own sign-in, so
    who keyed it is never a free header."""

    def __init__(self, channel: str) -> None:
        super().__init__(channel)
        self.channel = channel


class NotAFormBody(IntakeError):
    """A body that should be a form (multipart/form-data or urlencoded) and is not."""


class StaffRoleRequired(IntakeError):
    """Signed in, but not as staff, a supervisor or an admin."""


class Unavailable(IntakeError):
    """Neither MongoDB nor Kafka could make the submission durable: nothing was stored."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class TrackingNotFound(IntakeError):
    """No submission with this code and PIN (which of the two is wrong is not said)."""


class TrackingLocked(IntakeError):
    """Too many wrong PINs for this code: refused, even with the right PIN, for
    `retry_after` more seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"locked for {retry_after} s")
        self.retry_after = retry_after


class PinRequired(IntakeError):
    pass


class CaseClosed(IntakeError):
    """The complainant's case is closed: it takes no more information and cannot be
    withdrawn (a closed case that was answered reopens only through its survey)."""


class NotWithdrawable(IntakeError):
    """The case cannot be withdrawn now: it was already withdrawn, or the office has
    answered it (`resolved`): `state` says which."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state
