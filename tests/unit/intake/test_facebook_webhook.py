"""Reading a Facebook Page webhook: only a body signed with the app secret is read; a
tapped quick reply is read as its payload, the Page's own echoes and read receipts are
not a person speaking, and a malformed body names the field."""

from __future__ import annotations

import orjson
import pytest

from deploy.local.facebook_standin import messaging, sign, webhook_body
from services.intake.adapters.facebook_messenger import message_of
from services.intake.adapters.facebook_webhook import (
    BadSignature,
    FacebookWebhook,
    MalformedWebhook,
)
from services.intake.domain.line_conversation import Action, Arrived, Choice, Reply

SECRET = "unit-secret"
PSID = "1234567890"


def _parse(body: bytes, secret: str = SECRET) -> list[object]:
    return list(FacebookWebhook(SECRET).parse(body, sign(secret, body)))


def test_only_a_body_signed_with_the_app_secret_is_read() -> None:
    body = webhook_body(messaging(PSID, "text", text="สวัสดี"))
    hook = FacebookWebhook(SECRET)
    right = sign(SECRET, body)
    # One hex digit changed (always to another: "0" unless it was "0" already).
    tampered = right[:-1] + ("1" if right.endswith("0") else "0")
    for signature in (None, "", sign("other", body), tampered, "sha1=x"):
        with pytest.raises(BadSignature):
            hook.parse(body, signature)
    with pytest.raises(BadSignature):  # no secret configured: nothing is read
        FacebookWebhook("").parse(body, sign("", body))


def test_messages_postbacks_and_quick_replies_become_what_the_conversation_reads() -> None:
    body = webhook_body(
        messaging(PSID, "text", text="สวัสดี", mid="m1"),
        messaging(PSID, "quick_reply", payload="kind=feedback", mid="m2"),
        messaging(PSID, "postback", payload="GET_STARTED", mid="m3"),
        messaging(PSID, "image", url="https://scontent.xx.fbcdn.net/p.jpg", mid="m4"),
        messaging(PSID, "location", lat=13.75, long=100.5, title="สพป.", mid="m5"),
    )
    events = FacebookWebhook(SECRET).parse(body, sign(SECRET, body))
    assert [(e.incoming.arrived, e.incoming.text) for e in events] == [
        (Arrived.text, "สวัสดี"),
        (Arrived.postback, "kind=feedback"),
        (Arrived.postback, "GET_STARTED"),
        (Arrived.image, ""),
        (Arrived.location, ""),
    ]
    assert {e.psid for e in events} == {PSID}
    assert events[3].photo_url == "https://scontent.xx.fbcdn.net/p.jpg"
    assert (events[4].incoming.lat, events[4].incoming.place) == (13.75, "สพป.")
    assert [e.incoming.event_id for e in events] == ["m1", "m2", "m3", "m4", "m5"]


def test_echoes_and_read_receipts_are_not_a_person_speaking() -> None:
    echo = messaging(PSID, "text", text="our own reply")
    echo["message"]["is_echo"] = True
    read = {"sender": {"id": PSID}, "recipient": {"id": "1"}, "read": {"watermark": 1}}
    body = webhook_body(echo, read)
    assert FacebookWebhook(SECRET).parse(body, sign(SECRET, body)) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (b'{"object":"instagram","entry":[]}', "object"),
        (b'{"object":"page"}', "entry"),
        (b'{"object":"page","entry":[{"id":"1"}]}', "entry[0].messaging"),
        (
            b'{"object":"page","entry":[{"messaging":[{"sender":{"id":"x1"}}]}]}',
            "entry[0].messaging[0].sender.id",
        ),
    ],
)
def test_a_signed_body_that_is_no_page_webhook_names_the_field(body: bytes, field: str) -> None:
    with pytest.raises(MalformedWebhook) as refused:
        FacebookWebhook(SECRET).parse(body, sign(SECRET, body))
    assert refused.value.field == field


def test_a_reply_is_one_message_with_its_choices_as_quick_replies() -> None:
    reply = Reply(
        "ส่งรูปภาพ" * 500,
        (Choice("ถ่ายรูป", action=Action.camera), Choice("ข้าม", "skip"), Choice("ยกเลิก", "cancel")),
    )
    message = message_of(reply)
    assert len(message["text"]) == 2000  # the Send API's limit
    assert message["quick_replies"] == [
        {"content_type": "text", "title": "ข้าม", "payload": "skip"},
        {"content_type": "text", "title": "ยกเลิก", "payload": "cancel"},
    ]
    assert orjson.dumps(message)
