"""The LINE channel end to end against the real Kafka and MongoDB-wire server, with the
Messaging API stand-in (`deploy/local/line_standin.py`) serving in-process: a signed
conversation becomes exactly one `line` submission (the LINE user id only in
`personal_data`), the tracking code is replied on LINE, the photo lands in GridFS, a
restart mid-conversation resumes, a redelivered confirm submits nothing new, and a
badly signed call is 401 and leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from deploy.local.line_standin import Received, create_app, event, sign, webhook_body
from services.intake.adapters.line_conversations import COLLECTION
from services.intake.settings import IntakeSettings, LineSettings
from shared.contract import topics
from shared.contract.events import SubmissionReceived, parse_event
from shared.infra.mongo import create_mongo_client, database
from shared.infra.personal_data import PEOPLE, person_id_for
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_intake_flow import running
from tests.support import read_topic

SECRET = "integration-line-secret"
USER = "U" + "5" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


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
            create_app(received=received),
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
    line = LineSettings(
        channel_secret=SecretStr(SECRET),
        channel_token=SecretStr("token"),
        api_base_url=base,
        data_base_url=base,
    )
    return IntakeSettings(kafka=kafka, mongo=mongo, web_burst=100, line=line)


async def _post(client: httpx.AsyncClient, *events: dict[str, Any]) -> httpx.Response:
    raw = webhook_body(*events)
    return await client.post(
        "/v1/channels/line/webhook",
        content=raw,
        headers={"X-Line-Signature": sign(SECRET, raw), "Content-Type": "application/json"},
    )


def _texts(received: Received) -> list[str]:
    return [m["text"] for r in received.of("reply") for m in r["messages"]]


async def test_a_line_conversation_becomes_one_submission(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with standin() as (base, received):
        received.contents["photo-1"] = JPEG
        settings = _settings(kafka_settings, mongo_settings, base)
        async with running(settings) as client:
            for one in (
                event(USER, "follow"),
                event(USER, "postback", data="kind=complaint:service"),
                event(USER, "postback", data="category=documents"),
                event(USER, "text", text="ขอหนังสือรับรองแล้วไม่ได้รับ\nรอมาสามสัปดาห์"),
            ):
                assert (await _post(client, one)).status_code == 200
        # A new process: the conversation resumes where it was.
        async with running(settings) as client:
            for one in (
                event(USER, "image", message_id="photo-1"),
                event(USER, "location", latitude=13.75, longitude=100.5, title="สพป."),
                event(USER, "postback", data="consent=yes"),
            ):
                assert (await _post(client, one)).status_code == 200
            assert "สพป." in _texts(received)[-1]  # the summary before confirming
            confirm = event(USER, "postback", data="confirm")
            assert (await _post(client, confirm)).status_code == 200
            # LINE redelivers the same event (same webhookEventId): nothing new.
            assert (await _post(client, confirm)).status_code == 200
            [record] = await read_topic(
                kafka_settings.bootstrap_servers,
                topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
                1,
                settle=3,
            )
    submission = parse_event(record.value).data
    assert isinstance(submission, SubmissionReceived)
    assert submission.channel.value == "line"
    assert submission.kind.value == "complaint" and submission.category == "documents"
    assert submission.consent.contact_me
    assert submission.location is not None and submission.location.lat == 13.75
    assert USER.encode() not in record.value
    assert submission.person_id == person_id_for(submission.submission_id)
    receipts = [t for t in _texts(received) if submission.tracking_code in t]
    assert len(receipts) == 1
    mongo = create_mongo_client(mongo_settings)
    try:
        db = database(mongo, mongo_settings)
        person = await db[PEOPLE].find_one({"_id": submission.person_id})
        assert person is not None and person["contact"] == {"line_user_id": USER}
        [photo] = await db["attachments.files"].find({}).to_list()
        assert photo["metadata"]["submission_id"] == submission.submission_id
        assert photo["metadata"]["content_type"] == "image/jpeg"
        assert photo["metadata"]["person_id"] == submission.person_id
        [conversation] = await db[COLLECTION].find({}).to_list()
        assert USER not in str(conversation)  # keyed by a hash, back to idle
        assert conversation["state"]["step"] == "idle"
    finally:
        await mongo.close()


async def test_a_receipt_whose_reply_token_expired_is_pushed_instead(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    """The PIN is shown only once: a confirm answered too late still reaches the person."""
    async with standin() as (base, received):
        settings = _settings(kafka_settings, mongo_settings, base)
        async with running(settings) as client:
            for one in (
                event(USER, "follow"),
                event(USER, "postback", data="kind=complaint:service"),
                event(USER, "postback", data="category=documents"),
                event(USER, "text", text="ขอหนังสือรับรองแล้วไม่ได้รับ"),
                event(USER, "postback", data="skip"),
                event(USER, "postback", data="skip"),
                event(USER, "postback", data="consent=no"),
                event(USER, "postback", data="confirm", reply_token="expired-token"),
            ):
                assert (await _post(client, one)).status_code == 200
            [record] = await read_topic(
                kafka_settings.bootstrap_servers,
                topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
                1,
                settle=1,
            )
    submission = parse_event(record.value).data
    assert isinstance(submission, SubmissionReceived)
    pushed = [m["text"] for r in received.of("push", to=USER) for m in r["messages"]]
    assert any(submission.tracking_code in t for t in pushed), pushed


async def test_a_bad_signature_is_401_and_nothing_is_stored(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    raw = webhook_body(event(USER, "text", text="สวัสดี"))
    async with (
        standin() as (base, received),
        running(_settings(kafka_settings, mongo_settings, base)) as client,
    ):
        unsigned = await client.post("/v1/channels/line/webhook", content=raw)
        wrong = await client.post(
            "/v1/channels/line/webhook",
            content=raw,
            headers={"X-Line-Signature": sign("not-the-secret", raw)},
        )
    assert (unsigned.status_code, wrong.status_code) == (401, 401)
    assert received.records == []
    mongo = create_mongo_client(mongo_settings)
    try:
        assert await database(mongo, mongo_settings)[COLLECTION].count_documents({}) == 0
    finally:
        await mongo.close()
