"""A LINE webhook request → the events the conversation reads, through LINE's own SDK.

`linebot.v3.WebhookParser` checks `X-Line-Signature` (HMAC-SHA256 of the raw body with
the channel secret, base64, compared with `hmac.compare_digest`) and parses the events
into the SDK's models; this module turns those into `Incoming` values and keeps only
one-to-one chats with a person (groups and rooms are not a way to complain).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import (
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from services.intake.domain.line_conversation import Arrived, Incoming

log = logging.getLogger(__name__)


class BadSignature(Exception):
    """No `X-Line-Signature`, a wrong one, or no channel secret configured."""


@dataclass(frozen=True, slots=True)
class LineEvent:
    """One event from a person: who (their LINE user id), how to answer, and what."""

    user_id: str
    reply_token: str | None
    incoming: Incoming


class LineWebhook:
    def __init__(self, channel_secret: str) -> None:
        self._parser = WebhookParser(channel_secret) if channel_secret else None

    def parse(self, body: bytes, signature: str | None) -> list[LineEvent]:
        """The person-to-office events of a signed body, or `BadSignature`."""
        if self._parser is None or not signature:
            raise BadSignature
        try:
            text = body.decode("utf-8")
            events = self._parser.parse(text, signature)
        except (InvalidSignatureError, UnicodeDecodeError) as exc:
            raise BadSignature from exc
        return [e for e in (_event(raw) for raw in events) if e is not None]


def _event(event: object) -> LineEvent | None:
    source = getattr(event, "source", None)
    if not isinstance(source, UserSource) or not source.user_id:
        return None
    event_id = str(getattr(event, "webhook_event_id", "") or "")
    token = getattr(event, "reply_token", None)
    incoming = _incoming(event, event_id)
    if incoming is None:
        return None
    return LineEvent(source.user_id, token, incoming)


def _incoming(event: object, event_id: str) -> Incoming | None:
    if isinstance(event, FollowEvent):
        return Incoming(Arrived.follow, event_id)
    if isinstance(event, UnfollowEvent):
        return Incoming(Arrived.unfollow, event_id)
    if isinstance(event, PostbackEvent):
        return Incoming(Arrived.postback, event_id, text=event.postback.data)
    if isinstance(event, MessageEvent):
        message = event.message
        if isinstance(message, TextMessageContent):
            return Incoming(Arrived.text, event_id, text=message.text)
        if isinstance(message, ImageMessageContent):
            return Incoming(Arrived.image, event_id, message_id=message.id)
        if isinstance(message, LocationMessageContent):
            place = " ".join(p for p in (message.title, message.address) if p) or None
            return Incoming(
                Arrived.location,
                event_id,
                place=place,
                lat=float(message.latitude),
                lon=float(message.longitude),
            )
        return Incoming(Arrived.other, event_id)
    return None
