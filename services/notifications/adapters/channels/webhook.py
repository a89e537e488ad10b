"""Outbound webhooks for partner systems: the canonical JSON body, signed per subscriber.

The bytes signed are the bytes sent (`webhook_payload.webhook_body`), with
`X-Siang-Signature` / `X-Siang-Timestamp` from `signing.sign` and the notification id as
`Idempotency-Key`, so a receiver can drop a retry it already applied. The timestamp is
taken at each attempt: a retry hours later is still fresh for the receiver's replay check.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.channels.http_post import Poster, post
from services.notifications.domain.backoff import PermanentFailure
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.signing import sign
from services.notifications.domain.webhook_payload import SCHEMA, webhook_body
from services.notifications.settings import WebhookSubscriberSettings
from shared.infra import tracing


class WebhookChannel:
    channel = DeliveryChannel.webhook

    def __init__(
        self,
        subscribers: Sequence[WebhookSubscriberSettings],
        client: Poster,
        timeout: float,
    ) -> None:
        self.subscribers = {s.id: s for s in subscribers}
        self.client = client
        self.timeout = timeout

    async def send(self, outgoing: Outgoing) -> None:
        subscriber = self.subscribers.get(outgoing.address)
        if subscriber is None:
            # Removed from the configuration since the notice was planned.
            raise PermanentFailure(f"no webhook subscriber {outgoing.address!r}")
        body = webhook_body(outgoing.notice)
        headers = sign(body, [s.get_secret_value() for s in subscriber.secrets])
        headers.update(
            {
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": outgoing.notification_id,
                "X-Siang-Schema": SCHEMA,
            }
        )
        if traceparent := tracing.for_event(outgoing.notice.traceparent):
            headers["traceparent"] = traceparent
        await post(self.client, subscriber.url, headers=headers, content=body, timeout=self.timeout)

    async def close(self) -> None:
        """The poster is shared and closed by its owner."""
