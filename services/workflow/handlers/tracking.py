"""Public tracking: the case behind a tracking code, for whoever holds its PIN. After too
many wrong PINs in a row the code is locked for a while, so a PIN cannot be guessed."""

from __future__ import annotations

from datetime import timedelta

from services.workflow.context import WorkflowContext
from shared.contract.tracking_pin import pin_matches
from shared.infra.mongo import Document


class TrackingLocked(Exception):
    """Too many wrong PINs for this code; try again in `wait_seconds`."""

    def __init__(self, code: str, wait_seconds: int) -> None:
        super().__init__(code)
        self.wait_seconds = wait_seconds


class TrackingNotFound(LookupError):
    """No case with this tracking code and PIN (which of the two is wrong is not said)."""


def tracking_code(given: str) -> str:
    """A tracking code as people type it, in the form it is stored."""
    return given.strip().upper()


async def follow_case(ctx: WorkflowContext, given_code: str, pin: str) -> Document:
    """The case of `given_code` if `pin` is its PIN; counts a wrong PIN and locks the code
    after too many (`TrackingNotFound`), and refuses a locked code (`TrackingLocked`)."""
    settings = ctx.settings.tracking
    code = tracking_code(given_code)
    now = ctx.clock.now()
    locked_until = await ctx.attempts.locked_until(code)
    if locked_until and locked_until > now:
        raise TrackingLocked(code, int((locked_until - now).total_seconds()) + 1)
    doc = await ctx.store.by_tracking_code(code)
    if (
        doc is None
        or not doc.get("tracking_pin_hash")
        or not pin_matches(
            pin,
            tracking_code=code,
            pepper=settings.pepper.encode(),
            stored_hash=doc["tracking_pin_hash"],
        )
    ):
        if await ctx.attempts.count_failure(code) >= settings.max_wrong_pins:
            await ctx.attempts.lock(code, now + timedelta(seconds=settings.lockout_seconds))
        raise TrackingNotFound(code)
    await ctx.attempts.clear(code)
    return doc
