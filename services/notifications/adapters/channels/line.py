"""LINE Messaging API push: `POST {base}/v2/bot/message/push` with the channel's bearer token.

The body is the notice's plain text (LINE shows no HTML), cut to LINE's 5,000-character
limit. `X-Line-Retry-Key` is the notification id: LINE accepts one push per key and
answers a repeat with 409, which therefore counts as delivered.
"""

from __future__ import annotations

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.channels.http_post import Poster, post
from services.notifications.domain.backoff import PermanentFailure
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.templates import Renderer
from services.notifications.settings import LineSettings

MAX_TEXT = 5000
ALREADY_ACCEPTED = 409


class LineChannel:
    channel = DeliveryChannel.line

    def __init__(self, settings: LineSettings, renderer: Renderer, client: Poster) -> None:
        self.url = settings.base_url.rstrip("/") + "/v2/bot/message/push"
        self.token = settings.channel_token.get_secret_value()
        self.renderer = renderer
        self.client = client
        self.timeout = settings.timeout_seconds

    async def send(self, outgoing: Outgoing) -> None:
        if not self.token:
            raise PermanentFailure("LINE channel token is not configured")
        text = self.renderer.render_part(outgoing.notice, "text")
        await post(
            self.client,
            self.url,
            headers={
                "Authorization": f"Bearer {self.token}",
                "X-Line-Retry-Key": outgoing.notification_id,
            },
            json={"to": outgoing.address, "messages": [{"type": "text", "text": text[:MAX_TEXT]}]},
            timeout=self.timeout,
            also_delivered=(ALREADY_ACCEPTED,),
        )

    async def close(self) -> None:
        """The poster is shared and closed by its owner."""
