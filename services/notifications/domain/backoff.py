"""When to try a delivery again, and whether to try at all.

Channel adapters raise `TemporaryFailure` or `PermanentFailure` (use `classify_http` and
`classify_smtp` for the status codes); the handler asks `next_attempt` when to schedule
the next try, never sleeping in the handler. `None` means "give up": dead letter and
`notification.failed`.

Full jitter (a uniform delay between 0 and the capped exponential) spreads the retries of
many messages that failed together, so a recovering gateway is not hit by a wave.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


class DeliveryFailure(Exception):
    """A delivery that did not happen; `reason` is fit for a dead letter and a metric."""

    permanent: bool = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(DeliveryFailure):
    """Worth retrying: connection refused, timeout, HTTP 5xx/408/429, SMTP 4xx."""

    permanent = False


class PermanentFailure(DeliveryFailure):
    """Retrying cannot help: SMTP 5xx, invalid address, HTTP 4xx, unknown recipient."""

    permanent = True


def classify_http(status: int, detail: str = "") -> DeliveryFailure | None:
    """None for 1xx/2xx; else the failure kind."""
    if status < 300:
        return None
    reason = f"HTTP {status}" + (f": {detail}" if detail else "")
    if status < 400:
        # Redirects are not followed: a signed body is for the URL configured, and a
        # receiver that moved needs its new URL in the settings, not more attempts.
        return PermanentFailure(f"{reason} (redirected; the receiver's URL needs updating)")
    # 408 Request Timeout and 429 Too Many Requests ask us to come back later.
    if status >= 500 or status in (408, 429):
        return TemporaryFailure(reason)
    return PermanentFailure(reason)


def classify_smtp(code: int, detail: str = "") -> DeliveryFailure | None:
    """None for 2xx/3xx replies; SMTP 4xx is temporary (RFC 5321), 5xx permanent."""
    reason = f"SMTP {code}" + (f": {detail}" if detail else "")
    if 400 <= code < 500:
        return TemporaryFailure(reason)
    if code >= 500:
        return PermanentFailure(reason)
    return None


def classify_exception(exc: BaseException) -> DeliveryFailure:
    """A failure kind for an exception raised by a client library.

    Network errors (refused, reset, timeout, DNS) are temporary; anything unknown is
    temporary too, so a bug shows up as retries and then a dead letter, never a silent
    drop. An exception already classified is returned as is.
    """
    if isinstance(exc, DeliveryFailure):
        return exc
    # Duck-typed so this module imports no client library: smtplib and aiosmtplib carry
    # the reply code; an HTTP error may carry its response.
    smtp_code = getattr(exc, "smtp_code", None)
    if smtp_code is None:
        refused = getattr(exc, "recipients", None)
        if isinstance(refused, dict) and refused:
            codes = [v[0] for v in refused.values() if isinstance(v, tuple) and v]
            smtp_code = max((c for c in codes if isinstance(c, int)), default=None)
    if isinstance(smtp_code, int):
        failure = classify_smtp(smtp_code, str(exc))
        if failure is not None:
            return failure
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):
        failure = classify_http(status)
        if failure is not None:
            return failure
    name = type(exc).__name__
    return TemporaryFailure(f"{name}: {exc}" if str(exc) else name)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped, for at most `max_attempts` tries."""

    max_attempts: int = 6
    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base <= timedelta(0) or self.cap < self.base:
            raise ValueError("need 0 < base <= cap")

    def ceiling(self, attempt: int) -> timedelta:
        """The longest wait after failed attempt number `attempt` (1-based)."""
        if attempt < 1:
            raise ValueError("attempt numbers start at 1")
        # Bound the exponent first: 2**attempt for a large attempt overflows timedelta.
        factor: int = 2 ** min(attempt - 1, 32)
        grown: timedelta = self.base * factor
        return min(self.cap, grown)

    def delay(self, attempt: int, rng: random.Random | None = None) -> timedelta:
        """A random wait in [0, ceiling(attempt)] after failed attempt `attempt`."""
        ceiling = self.ceiling(attempt).total_seconds()
        draw = (rng or random).uniform(0.0, ceiling)
        return timedelta(seconds=draw)

    def next_attempt(
        self,
        failure: DeliveryFailure,
        attempts: int,
        now: datetime,
        rng: random.Random | None = None,
    ) -> datetime | None:
        """When to try again after `attempts` tries ended in `failure`; None: give up.

        Gives up on a permanent failure at once, and on any failure once `attempts`
        reaches `max_attempts`.
        """
        if failure.permanent or attempts >= self.max_attempts:
            return None
        return now + self.delay(attempts, rng)
