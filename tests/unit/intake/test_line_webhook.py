"""The LINE webhook's signature check (through LINE's SDK) and event translation."""

from __future__ import annotations

import pytest

from deploy.local.line_standin import event, sign, webhook_body
from services.intake.adapters.line_webhook import BadSignature, LineWebhook
from services.intake.domain.line_conversation import Arrived

SECRET = "test-channel-secret"
USER = "U" + "a" * 32


def test_a_well_signed_body_is_parsed_into_incoming_events() -> None:
    raw = webhook_body(
        event(USER, "follow"),
        event(USER, "text", text="สวัสดี"),
        event(USER, "postback", data="kind=feedback"),
        event(USER, "image", message_id="42"),
        event(USER, "location", latitude=13.7, longitude=100.5, title="สพป.", address="ถนน"),
        event(USER, "unfollow"),
    )
    events = LineWebhook(SECRET).parse(raw, sign(SECRET, raw))
    assert [e.incoming.arrived for e in events] == [
        Arrived.follow,
        Arrived.text,
        Arrived.postback,
        Arrived.image,
        Arrived.location,
        Arrived.unfollow,
    ]
    assert all(e.user_id == USER for e in events)
    assert events[1].incoming.text == "สวัสดี" and events[1].reply_token
    assert events[3].incoming.message_id == "42"
    assert events[4].incoming.place == "สพป. ถนน" and events[4].incoming.lat == 13.7


@pytest.mark.parametrize(
    "signature",
    [None, "", "not-base64", sign("another-secret", b"x")],
    ids=["missing", "empty", "garbage", "wrong"],
)
def test_a_bad_or_missing_signature_is_refused(signature: str | None) -> None:
    raw = webhook_body(event(USER, "text", text="hi"))
    with pytest.raises(BadSignature):
        LineWebhook(SECRET).parse(raw, signature)


def test_a_body_changed_after_signing_is_refused() -> None:
    raw = webhook_body(event(USER, "text", text="hi"))
    signature = sign(SECRET, raw)
    with pytest.raises(BadSignature):
        LineWebhook(SECRET).parse(raw.replace(b"hi", b"ho"), signature)


def test_without_a_channel_secret_everything_is_refused() -> None:
    raw = webhook_body(event(USER, "text", text="hi"))
    with pytest.raises(BadSignature):
        LineWebhook("").parse(raw, sign("", raw))


def test_group_chats_are_not_read() -> None:
    group = event(USER, "text", text="hi")
    group["source"] = {"type": "group", "groupId": "C" + "1" * 32, "userId": USER}
    raw = webhook_body(group)
    assert LineWebhook(SECRET).parse(raw, sign(SECRET, raw)) == []
