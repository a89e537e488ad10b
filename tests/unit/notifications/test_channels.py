"""The HTTP channels against an in-memory poster: what they send, and how each answer
is classified (delivered, temporary, permanent). The real poster against a real HTTP
server is in tests/integration/notifications/test_http_poster.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import aiohttp
import orjson
import pytest
from pydantic import SecretStr

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.channels.http_post import Reply
from services.notifications.adapters.channels.line import LineChannel
from services.notifications.adapters.channels.sms import SmsChannel
from services.notifications.adapters.channels.smtp import _failure
from services.notifications.adapters.channels.webhook import WebhookChannel
from services.notifications.domain.backoff import PermanentFailure, TemporaryFailure
from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from services.notifications.domain.signing import verify
from services.notifications.domain.templates import Renderer
from services.notifications.settings import LineSettings, SmsSettings, WebhookSubscriberSettings
from shared.contract.events import Language


@dataclass(frozen=True)
class Sent:
    url: str
    headers: dict[str, str]  # lower-case names, as a receiver reads them
    content: bytes


Handler = Callable[[Sent], Reply]
CONTEXT = {
    "office": {
        "name": "สำนักงาน",
        "short_name": "สพป.",
        "phone": None,
        "email": None,
        "website": "https://siang.example.go.th",
    },
    "tracking_code": "SG-7K2P-9QXM",
    "tracking_url": "https://siang.example.go.th/track/SG-7K2P-9QXM",
    "kind": "complaint",
    "unit_name": "กลุ่มส่งเสริมการจัดการศึกษา",
    "received_at": "2026-11-26T03:15:00+00:00",
    "event_time": "2026-11-26T03:15:00+00:00",
    "status": "received",
    "respond_by": None,
    "resolve_by": None,
    "subject": "อาหารกลางวัน",
    "name": None,
}


def notice(channel: DeliveryChannel, recipient: str) -> Notice:
    role = (
        RecipientRole.subscriber
        if channel is DeliveryChannel.webhook
        else RecipientRole.complainant
    )
    return Notice(
        source_event_id="evt-1",
        case_id="case-1",
        recipient_role=role,
        recipient=recipient,
        channel=channel,
        template=TemplateName.case_received,
        language=Language.th,
        context=CONTEXT,
    )


class FakePoster:
    def __init__(self, handler: Handler, seen: list[Sent]) -> None:
        self.handler = handler
        self.seen = seen

    async def post(
        self, url: str, *, headers: Mapping[str, str], body: bytes, timeout: float | None
    ) -> Reply:
        sent = Sent(url, {k.lower(): v for k, v in headers.items()}, body)
        self.seen.append(sent)
        return self.handler(sent)

    async def close(self) -> None:
        return None


def client(handler: Handler, seen: list[Sent]) -> FakePoster:
    return FakePoster(handler, seen)


def answer(status: int, text: str = "") -> Callable[[Sent], Reply]:
    return lambda _: Reply(status, text)


def line(handler: Handler, seen: list[Sent]) -> LineChannel:
    settings = LineSettings(base_url="https://line.test/", channel_token=SecretStr("tok"))
    return LineChannel(settings, Renderer(), client(handler, seen))


async def test_line_push_sends_text_with_bearer_and_retry_key() -> None:
    seen: list[Sent] = []
    n = notice(DeliveryChannel.line, "U" + "a" * 32)
    await line(answer(200), seen).send(Outgoing(n, n.recipient))
    [req] = seen
    assert req.url == "https://line.test/v2/bot/message/push"
    assert req.headers["content-type"].startswith("application/json")
    assert req.headers["authorization"] == "Bearer tok"
    assert req.headers["x-line-retry-key"] == n.notification_id
    body = orjson.loads(req.content)
    assert body["to"] == n.recipient
    assert "SG-7K2P-9QXM" in body["messages"][0]["text"]


async def test_line_409_means_the_retry_key_was_already_accepted() -> None:
    n = notice(DeliveryChannel.line, "U" + "a" * 32)
    await line(answer(409), []).send(Outgoing(n, n.recipient))


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (500, TemporaryFailure),
        (429, TemporaryFailure),
        (400, PermanentFailure),
        (401, PermanentFailure),
        (302, PermanentFailure),
    ],
)
async def test_http_answers_are_classified(status: int, kind: type[Exception]) -> None:
    n = notice(DeliveryChannel.line, "U" + "a" * 32)
    with pytest.raises(kind):
        await line(answer(status, "nope"), []).send(Outgoing(n, n.recipient))


async def test_a_network_error_is_temporary() -> None:
    def refuse(request: Sent) -> Reply:
        raise aiohttp.ServerDisconnectedError()

    n = notice(DeliveryChannel.line, "U" + "a" * 32)
    with pytest.raises(TemporaryFailure):
        await line(refuse, []).send(Outgoing(n, n.recipient))


async def test_sms_posts_the_short_text_and_needs_a_gateway() -> None:
    seen: list[Sent] = []
    n = notice(DeliveryChannel.sms, "+66812345678")
    settings = SmsSettings(url="https://sms.test/send", api_key=SecretStr("k"), sender="OFFICE")
    channel = SmsChannel(settings, Renderer(), client(answer(202), seen))
    await channel.send(Outgoing(n, n.recipient))
    body = orjson.loads(seen[0].content)
    assert body["to"] == "+66812345678" and body["sender"] == "OFFICE"
    assert body["reference"] == n.notification_id == seen[0].headers["idempotency-key"]
    assert "SG-7K2P-9QXM" in body["text"] and "\n" not in body["text"]
    off = SmsChannel(SmsSettings(), Renderer(), client(answer(200), []))
    with pytest.raises(PermanentFailure):
        await off.send(Outgoing(n, n.recipient))


async def test_webhook_is_signed_with_every_current_secret() -> None:
    seen: list[Sent] = []
    sub = WebhookSubscriberSettings(
        id="partner",
        url="https://partner.test/hook",
        secrets=[SecretStr("new-secret"), SecretStr("old-secret")],
    )
    channel = WebhookChannel([sub], client(answer(204), seen), 5.0)
    n = notice(DeliveryChannel.webhook, "partner")
    await channel.send(Outgoing(n, "partner"))
    [req] = seen
    headers = req.headers
    verify(req.content, headers, "new-secret")
    verify(req.content, headers, "old-secret")
    assert headers["idempotency-key"] == n.notification_id
    with pytest.raises(PermanentFailure, match="no webhook subscriber"):
        await channel.send(Outgoing(notice(DeliveryChannel.webhook, "gone"), "gone"))


def test_smtp_reply_is_classified_without_the_address() -> None:
    failure = _failure(
        550,
        b"5.1.1 <somsri@example.com>: Recipient address rejected",
        "somsri@example.com",
        "recipient refused",
    )
    assert isinstance(failure, PermanentFailure)
    assert "somsri" not in failure.reason and "SMTP 550" in failure.reason
    assert isinstance(_failure(451, "4.7.1 try later", "a@b.c"), TemporaryFailure)
