"""Messenger through the Graph API's Send API, for complainants who wrote to the office's
Facebook Page: `POST {graph}/{version}/me/messages?access_token=<Page token>`.

A notice usually comes days after the person's last message, outside the 24 hours in
which a Page may answer freely, so every notice is sent as `messaging_type: MESSAGE_TAG`
with the tag `ACCOUNT_UPDATE` (Meta: "a non-recurring change to their application or
account"; `CONFIRMED_EVENT_UPDATE` is for events a person registered for, and a tag is
allowed inside the window too). The text is the notice's plain text, cut to the Send
API's 2,000 characters.

The Send API takes no idempotency key. The notification id goes as the message's
`metadata` (Facebook hands it back in the Page's message echoes), and it is the delivery
ledger that sends each notice once: a redelivered event finds its row and sends nothing.
Only a send whose answer is lost (a timeout after Facebook took it) can arrive twice.

Graph answers its errors as `{"error": {"message", "code", "error_subcode",
"is_transient"}}`, mostly with HTTP 400: a throttle (codes 4, 17, 32, 613) or a transient
error is tried again, anything else (a person who blocked the Page, the window closed, a
wrong token) is a dead letter. The reason never holds the PSID nor the token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.channels.http_post import Poster, post
from services.notifications.domain.backoff import (
    DeliveryFailure,
    PermanentFailure,
    TemporaryFailure,
)
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.templates import Renderer
from services.notifications.settings import FacebookSettings

MAX_TEXT = 2000  # the Send API's limit for a text message
# Graph's throttling and "try again later" codes (answered with HTTP 400 all the same).
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 613})


def graph_error(text: str) -> dict[str, Any] | None:
    """The `error` object of a Graph API answer, or None if it is not one."""
    try:
        loaded = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    error = loaded.get("error") if isinstance(loaded, dict) else None
    return error if isinstance(error, dict) else None


def _scrubbed(text: str, *secrets: str) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "…")
    return text


class FacebookChannel:
    channel = DeliveryChannel.facebook

    def __init__(self, settings: FacebookSettings, renderer: Renderer, client: Poster) -> None:
        base = settings.graph_base_url.rstrip("/")
        self.url = f"{base}/{settings.api_version}/me/messages"
        self.token = settings.page_token.get_secret_value()
        self.tag = settings.message_tag
        self.renderer = renderer
        self.client = client
        self.timeout = settings.timeout_seconds

    async def send(self, outgoing: Outgoing) -> None:
        if not self.token:
            raise PermanentFailure("no Facebook Page token is configured")
        text = self.renderer.render_part(outgoing.notice, "text")
        body = {
            "recipient": {"id": outgoing.address},
            "messaging_type": "MESSAGE_TAG",
            "tag": self.tag,
            "message": {"text": text[:MAX_TEXT], "metadata": outgoing.notification_id},
        }
        try:
            await post(
                self.client,
                f"{self.url}?{urlencode({'access_token': self.token})}",
                headers={},
                json=body,
                timeout=self.timeout,
            )
        except DeliveryFailure as failure:
            raise self._reason(failure, outgoing.address) from None

    def _reason(self, failure: DeliveryFailure, psid: str) -> DeliveryFailure:
        """The failure as a dead letter may keep it: Graph's code and message, its own
        verdict on retrying, and neither the person's id nor the Page's token."""
        status, _, detail = failure.reason.partition(": ")
        error = graph_error(detail)
        if error is None:
            reason = _scrubbed(failure.reason, psid, self.token)
            return type(failure)(reason)
        code = error.get("code")
        words = str(error.get("message") or "").strip()
        sub = error.get("error_subcode")
        reason = f"{status}: Graph error {code}" + (f"/{sub}" if sub else "") + f": {words}"
        reason = _scrubbed(reason, psid, self.token)
        if error.get("is_transient") is True or code in TRANSIENT_CODES:
            return TemporaryFailure(reason)
        if status.startswith("HTTP 4"):
            return PermanentFailure(reason)
        return type(failure)(reason)

    async def close(self) -> None:
        """The poster is shared and closed by its owner."""
