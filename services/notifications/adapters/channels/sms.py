"""SMS through a generic HTTP gateway: a JSON POST with a bearer key.

Body: `{"to": "+66...", "text": ..., "sender": ..., "reference": <notification id>}`; the
text is the notice's short form, because a Thai SMS segment holds only 70 characters.
The reference doubles as an idempotency key for gateways that honour one.
"""

from __future__ import annotations

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.channels.http_post import Poster, post
from services.notifications.domain.backoff import PermanentFailure
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.templates import Renderer
from services.notifications.settings import SmsSettings


class SmsChannel:
    channel = DeliveryChannel.sms

    def __init__(self, settings: SmsSettings, renderer: Renderer, client: Poster) -> None:
        self.settings = settings
        self.renderer = renderer
        self.client = client

    async def send(self, outgoing: Outgoing) -> None:
        if not self.settings.url:
            raise PermanentFailure("no SMS gateway is configured")
        headers = {"Idempotency-Key": outgoing.notification_id}
        key = self.settings.api_key.get_secret_value()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        await post(
            self.client,
            self.settings.url,
            headers=headers,
            json={
                "to": outgoing.address,
                "text": self.renderer.render_part(outgoing.notice, "short"),
                "sender": self.settings.sender,
                "reference": outgoing.notification_id,
            },
            timeout=self.settings.timeout_seconds,
        )

    async def close(self) -> None:
        """The poster is shared and closed by its owner."""
