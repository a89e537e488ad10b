"""The Facebook Page (Messenger) channel end to end against the real Kafka and MongoDB-wire
server, with the Graph API stand-in (`deploy/local/facebook_standin.py`) serving
in-process: the subscription check echoes the challenge only for the verify token; a
signed conversation becomes exactly one `facebook` submission (the PSID only in
`personal_data`), its tracking code and PIN are sent back through the Send API and the
photo lands in GridFS; a bad signature is 401 and leaves nothing behind; a signed but
malformed body is 400 naming the field; a message the conversation cannot use is
answered in Thai, asking again."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from deploy.local.facebook_standin import Received, create_app, messaging, sign, webhook_body
from services.intake.adapters.line_conversations import FACEBOOK_COLLECTION
from services.intake.settings import FacebookSettings, IntakeSettings
from shared.contract import topics
from shared.contract.events import SubmissionReceived, parse_event
from shared.infra.mongo import create_mongo_client, database
from shared.infra.personal_data import PEOPLE, person_id_for
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_intake_flow import running
from tests.support import read_topic

SECRET = "integration-facebook-secret"
VERIFY = "integration-verify-token"
TOKEN = "integration-page-token"
PSID = "2400000000000042"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
WEBHOOK = "/v1/channels/facebook/webhook"


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def standin() -> AsyncIterator[tuple[str, Received]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    received = Received()
    server = _Server(
        uvicorn.Config(
            create_app(received=received, secret=SECRET, page_token=TOKEN),
            host="127.0.0.1",
            port=port,
            log_config=None,
            access_log=False,
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        server.should_exit = True
        await task


def _settings(kafka: KafkaSettings, mongo: MongoSettings, base: str) -> IntakeSettings:
    facebook = FacebookSettings(
        app_secret=SecretStr(SECRET),
        verify_token=SecretStr(VERIFY),
        page_token=SecretStr(TOKEN),
        graph_base_url=base,
        image_hosts=("127.0.0.1",),
    )
    return IntakeSettings(kafka=kafka, mongo=mongo, web_burst=100, facebook=facebook)


async def _post(client: httpx.AsyncClient, *events: dict[str, Any]) -> httpx.Response:
    raw = webhook_body(*events)
    return await client.post(
        WEBHOOK,
        content=raw,
        headers={"X-Hub-Signature-256": sign(SECRET, raw), "Content-Type": "application/json"},
    )


async def test_the_subscription_check_echoes_the_challenge_only_for_the_verify_token(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with (
        standin() as (base, _),
        running(_settings(kafka_settings, mongo_settings, base), wait_kafka=False) as client,
    ):
        ok = await client.get(
            WEBHOOK,
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": VERIFY,
                "hub.challenge": "1158201444",
            },
        )
        wrong = await client.get(
            WEBHOOK,
            params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        )
        bare = await client.get(WEBHOOK)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert ok.headers["content-type"].startswith("text/plain")
    assert (wrong.status_code, bare.status_code) == (403, 403)
    assert "hub.verify_token" in wrong.json()["message"]


async def test_a_messenger_conversation_becomes_one_submission(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with standin() as (base, received):
        received.images["photo-1"] = JPEG
        async with running(_settings(kafka_settings, mongo_settings, base)) as client:
            for one in (
                messaging(PSID, "text", text="สวัสดีครับ"),
                messaging(PSID, "quick_reply", payload="kind=complaint:service"),
                messaging(PSID, "quick_reply", payload="category=documents"),
                messaging(PSID, "text", text="ขอหนังสือรับรองแล้วไม่ได้รับ\nรอมาสามสัปดาห์"),
                messaging(PSID, "image", url=f"{base}/standin/images/photo-1"),
                messaging(PSID, "quick_reply", payload="skip"),
                messaging(PSID, "quick_reply", payload="consent=yes"),
            ):
                assert (await _post(client, one)).status_code == 200
            assert "Messenger" in received.texts(PSID)[-1]  # the summary names the chat
            confirm = messaging(PSID, "quick_reply", payload="confirm")
            assert (await _post(client, confirm)).status_code == 200
            # Facebook redelivers the same message (same mid): nothing new.
            assert (await _post(client, confirm)).status_code == 200
            [record] = await read_topic(
                kafka_settings.bootstrap_servers,
                topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
                1,
                settle=3,
            )
    submission = parse_event(record.value).data
    assert isinstance(submission, SubmissionReceived)
    assert submission.channel.value == "facebook"
    assert submission.kind.value == "complaint" and submission.category == "documents"
    assert submission.consent.contact_me
    assert PSID.encode() not in record.value
    assert submission.person_id == person_id_for(submission.submission_id)
    receipts = [t for t in received.texts(PSID) if submission.tracking_code in t]
    assert len(receipts) == 1 and "PIN" in receipts[0]
    # The Send API was called as the Page, answering the person.
    assert all(r["messaging_type"] == "RESPONSE" for r in received.of(PSID))
    mongo = create_mongo_client(mongo_settings)
    try:
        db = database(mongo, mongo_settings)
        person = await db[PEOPLE].find_one({"_id": submission.person_id})
        assert person is not None and person["contact"] == {"facebook_psid": PSID}
        [photo] = await db["attachments.files"].find({}).to_list()
        assert photo["metadata"]["submission_id"] == submission.submission_id
        assert photo["metadata"]["channel"] == "facebook"
        assert photo["metadata"]["content_type"] == "image/jpeg"
        [conversation] = await db[FACEBOOK_COLLECTION].find({}).to_list()
        assert PSID not in str(conversation)  # keyed by a hash, back to idle
        assert conversation["state"]["step"] == "idle"
    finally:
        await mongo.close()


async def test_what_the_conversation_cannot_use_is_asked_again_in_thai(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with (
        standin() as (base, received),
        running(_settings(kafka_settings, mongo_settings, base), wait_kafka=False) as client,
    ):
        for one in (
            messaging(PSID, "text", text="สวัสดี"),
            messaging(PSID, "quick_reply", payload="kind=complaint:service"),
            messaging(PSID, "text", text="ไม่รู้"),  # not a category
        ):
            assert (await _post(client, one)).status_code == 200
    last = received.of(PSID)[-1]["message"]
    assert last["text"].startswith("เกี่ยวกับเรื่องใด")  # the category question, again
    assert any(q["payload"] == "category=documents" for q in last["quick_replies"])


async def test_a_bad_signature_is_401_and_a_malformed_body_400_and_nothing_is_stored(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    raw = webhook_body(messaging(PSID, "text", text="สวัสดี"))
    not_a_page = b'{"object":"user","entry":[]}'
    no_sender = b'{"object":"page","entry":[{"messaging":[{"message":{"text":"hi"}}]}]}'
    async with (
        standin() as (base, received),
        running(_settings(kafka_settings, mongo_settings, base), wait_kafka=False) as client,
    ):
        unsigned = await client.post(WEBHOOK, content=raw)
        wrong = await client.post(
            WEBHOOK, content=raw, headers={"X-Hub-Signature-256": sign("not-the-secret", raw)}
        )
        malformed = await client.post(
            WEBHOOK, content=not_a_page, headers={"X-Hub-Signature-256": sign(SECRET, not_a_page)}
        )
        senderless = await client.post(
            WEBHOOK, content=no_sender, headers={"X-Hub-Signature-256": sign(SECRET, no_sender)}
        )
    assert (unsigned.status_code, wrong.status_code) == (401, 401)
    assert (malformed.status_code, senderless.status_code) == (400, 400)
    assert malformed.json()["fields"][0]["field"] == "object"
    assert senderless.json()["fields"][0]["field"] == "entry[0].messaging[0].sender.id"
    assert received.records == []
    mongo = create_mongo_client(mongo_settings)
    try:
        count = await database(mongo, mongo_settings)[FACEBOOK_COLLECTION].count_documents({})
        assert count == 0
    finally:
        await mongo.close()
