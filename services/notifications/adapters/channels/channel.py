"""The one interface every delivery channel implements.

A channel receives an `Outgoing` (the notice, rendered words or webhook bytes, and the
resolved address) and either returns (delivered: the receiver accepted it) or raises a
`DeliveryFailure` from `domain.backoff`: `TemporaryFailure` to try again later,
`PermanentFailure` to give up. Each adapter classifies its own protocol's failures
once, with `classify_http` / `classify_smtp` / `classify_exception`.

Every channel passes the notification id on as an idempotency key (SMTP Message-ID,
LINE `X-Line-Retry-Key`, `Idempotency-Key` for SMS and webhooks), so a delivery retried
after a crash mid-send is recognised by a receiver that honours it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.notifications.domain.notice import DeliveryChannel, Notice


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message ready to leave: the notice, and where it goes on its channel."""

    notice: Notice
    # E-mail address, LINE user id, E.164 number or webhook subscriber id.
    address: str
    # A person's name for the e-mail `To:` header (staff); None for the bare address.
    display_name: str | None = None

    @property
    def notification_id(self) -> str:
        return self.notice.notification_id


class ChannelAdapter(Protocol):
    channel: DeliveryChannel

    async def send(self, outgoing: Outgoing) -> None:
        """Deliver `outgoing` or raise `DeliveryFailure`."""

    async def close(self) -> None:
        """Release connections; called once when the service stops."""
