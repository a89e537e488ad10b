"""A Facebook Page (Messenger) webhook request → the events the conversation reads.

`X-Hub-Signature-256` is `sha256=` and the hex HMAC-SHA256 of the raw body with the app
secret; it is compared in constant time before the body is parsed at all. A signed body
that is not the shape Facebook sends is `MalformedWebhook` (400, naming what is wrong).

Only messages and postbacks a person sent to the Page are kept: the Page's own messages
echoed back (`is_echo`), deliveries and reads are not a way to complain. A quick reply
the person tapped arrives as a message carrying the reply's payload: it is read as the
payload (as a LINE postback is).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import orjson

from services.intake.domain.line_conversation import Arrived, Incoming

PREFIX = "sha256="


class BadSignature(Exception):
    """No `X-Hub-Signature-256`, a wrong one, or no app secret configured."""


class MalformedWebhook(Exception):
    """A signed body that is not a Page webhook; `field` says where."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True, slots=True)
class FacebookEvent:
    """One event from a person: their Page-scoped id (PSID), what arrived, and the URL of
    the image they sent, if any."""

    psid: str
    incoming: Incoming
    photo_url: str | None = None


def signature_of(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class FacebookWebhook:
    def __init__(self, app_secret: str) -> None:
        self._secret = app_secret

    def check(self, body: bytes, signature: str | None) -> None:
        """`BadSignature` unless `signature` is the body's, with the app secret."""
        if not self._secret or not signature or not signature.startswith(PREFIX):
            raise BadSignature
        if not hmac.compare_digest(signature_of(self._secret, body), signature):
            raise BadSignature

    def parse(self, body: bytes, signature: str | None) -> list[FacebookEvent]:
        """The person-to-Page events of a signed body; `BadSignature` or `MalformedWebhook`."""
        self.check(body, signature)
        try:
            loaded = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise MalformedWebhook("body", "not JSON") from exc
        if not isinstance(loaded, dict) or loaded.get("object") != "page":
            raise MalformedWebhook("object", 'must be "page"')
        entries = loaded.get("entry")
        if not isinstance(entries, list):
            raise MalformedWebhook("entry", "must be a list")
        events: list[FacebookEvent] = []
        for i, entry in enumerate(entries):
            messaging = entry.get("messaging") if isinstance(entry, dict) else None
            if not isinstance(messaging, list):
                raise MalformedWebhook(f"entry[{i}].messaging", "must be a list")
            for j, raw in enumerate(messaging):
                if not isinstance(raw, dict):
                    raise MalformedWebhook(f"entry[{i}].messaging[{j}]", "must be an object")
                one = _event(raw, f"entry[{i}].messaging[{j}]")
                if one is not None:
                    events.append(one)
        return events


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _event(raw: dict[str, Any], where: str) -> FacebookEvent | None:
    sender = raw.get("sender")
    psid = sender.get("id") if isinstance(sender, dict) else None
    if not isinstance(psid, str) or not psid.isdigit() or len(psid) > 64:
        raise MalformedWebhook(f"{where}.sender.id", "must be a Page-scoped id (digits)")
    stamp = str(raw.get("timestamp", ""))
    message = raw.get("message")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return None
        mid = _text(message.get("mid")) or f"{psid}-{stamp}"
        quick = message.get("quick_reply")
        if isinstance(quick, dict) and _text(quick.get("payload")):
            return FacebookEvent(psid, Incoming(Arrived.postback, mid, text=quick["payload"]))
        attachments = message.get("attachments")
        if isinstance(attachments, list) and attachments:
            return _attachment(psid, mid, attachments[0])
        return FacebookEvent(psid, Incoming(Arrived.text, mid, text=_text(message.get("text"))))
    postback = raw.get("postback")
    if isinstance(postback, dict):
        event_id = _text(postback.get("mid")) or f"{psid}-{stamp}-postback"
        payload = _text(postback.get("payload"))
        return FacebookEvent(psid, Incoming(Arrived.postback, event_id, text=payload))
    return None  # deliveries, reads, reactions: nothing to answer


def _attachment(psid: str, mid: str, attachment: Any) -> FacebookEvent:
    kind = attachment.get("type") if isinstance(attachment, dict) else None
    payload = attachment.get("payload") if isinstance(attachment, dict) else None
    payload = payload if isinstance(payload, dict) else {}
    if kind == "image" and _text(payload.get("url")):
        return FacebookEvent(psid, Incoming(Arrived.image, mid, message_id=mid), payload["url"])
    coordinates = payload.get("coordinates")
    if kind == "location" and isinstance(coordinates, dict):
        lat, lon = coordinates.get("lat"), coordinates.get("long")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            place = _text(attachment.get("title")) or None
            return FacebookEvent(
                psid,
                Incoming(Arrived.location, mid, place=place, lat=float(lat), lon=float(lon)),
            )
    return FacebookEvent(psid, Incoming(Arrived.other, mid))
