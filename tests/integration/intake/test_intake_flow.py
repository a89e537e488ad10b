"""Intake against the real Kafka and MongoDB-wire server: a submission is on
`siang.submissions.v1` as a valid CloudEvent keyed by its id; a retried key publishes once;
an invalid body is a 422 naming the field; with Kafka away the outbox keeps every accepted
submission and relays each exactly once when Kafka is back; with MongoDB away, Kafka alone
makes it durable (for an anonymous submission; one with contact details is refused
with 503 instead, since its details may reach no store but the erasable one); contact
details are written once to `personal_data` and nowhere else."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.contract import topics
from shared.contract.events import SubmissionReceived, make_event, parse_event
from shared.infra import correlation
from shared.infra.kafka import EventPublisher
from shared.infra.mongo import create_mongo_client, database
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.personal_data import PEOPLE, person_id_for
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.support import read_topic

BODY = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอหนังสือรับรองแล้วไม่ได้รับ",
    "description": "ยื่นคำขอเมื่อ 3 สัปดาห์ก่อน",
    "contact": {"phone": "081-234-5678"},
}
NOWHERE_KAFKA = "127.0.0.1:1"
NOWHERE_MONGO = "mongodb://127.0.0.1:1/?retryWrites=false&directConnection=true"


@contextlib.asynccontextmanager
async def running(
    settings: IntakeSettings, *, wait_kafka: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        if wait_kafka:
            await app.state.runtime.wait_connected(60)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://intake", timeout=30
        ) as client:
            yield client


def settings_for(kafka: KafkaSettings, mongo: MongoSettings, **extra: Any) -> IntakeSettings:
    return IntakeSettings(kafka=kafka, mongo=mongo, web_burst=100, **extra)


async def test_submission_is_a_cloudevent_keyed_by_its_id(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    cid = "corr-intake-0001"
    async with running(settings_for(kafka_settings, mongo_settings)) as client:
        r = await client.post("/v1/submissions", json=BODY, headers={correlation.HTTP_HEADER: cid})
        assert r.status_code == 202, r.text
        answer = r.json()
        [record] = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
            1,
        )
        track = await client.get(
            f"/v1/track/{answer['tracking_code']}",
            headers={"X-Tracking-PIN": answer["tracking_pin"]},
        )
    event = parse_event(record.value)
    assert record.key.decode() == answer["submission_id"]
    assert event.type == "th.go.siang.submission.received.v1"
    assert event.subject == answer["submission_id"]
    assert event.correlationid == cid
    assert dict(record.headers)[correlation.KAFKA_HEADER].decode() == cid
    data = event.data
    assert isinstance(data, SubmissionReceived)
    assert data.tracking_code == answer["tracking_code"]
    assert data.person_id == person_id_for(answer["submission_id"])
    assert "812345678" not in record.value.decode()
    assert data.tracking_pin_hash and answer["tracking_pin"] not in record.value.decode()
    assert track.status_code == 200 and track.json()["status"] == "received"
    assert "contact" not in track.json()


async def test_retried_idempotency_key_publishes_once(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    headers = {"Idempotency-Key": "retry-me-1"}
    async with running(settings_for(kafka_settings, mongo_settings)) as client:
        answers = [
            (await client.post("/v1/submissions", json=BODY, headers=headers)) for _ in range(3)
        ]
        marker = await client.post("/v1/submissions", json={**BODY, "subject": "marker"})
        assert {a.status_code for a in answers} == {202} and marker.status_code == 202
        assert answers[0].json() == answers[1].json() == answers[2].json()
        records = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
            2,
            settle=1.5,
        )
    keys = sorted(r.key.decode() for r in records)
    assert keys == sorted([answers[0].json()["submission_id"], marker.json()["submission_id"]])


async def test_invalid_body_is_422_naming_the_field(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with running(settings_for(kafka_settings, mongo_settings)) as client:
        r = await client.post(
            "/v1/submissions",
            json={**BODY, "occurred_on": "2999-01-01"},
            headers={"Accept-Language": "en"},
        )
    assert r.status_code == 422
    assert r.json()["fields"] == [
        {"field": "occurred_on", "code": "date_in_future", "message": "must not be in the future"}
    ]


async def test_kafka_away_outbox_keeps_all_and_relays_each_once(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    away = KafkaSettings(bootstrap_servers=NOWHERE_KAFKA, topic_prefix=kafka_settings.topic_prefix)
    ids = []
    async with running(settings_for(away, mongo_settings), wait_kafka=False) as client:
        for i in range(5):
            r = await client.post("/v1/submissions", json={**BODY, "subject": f"s{i}"})
            assert r.status_code == 202, r.text
            assert r.headers["x-durable-via"] == "mongodb"
            ids.append(r.json()["submission_id"])
    # Kafka is back: a relay (here a fresh one on the same database) publishes the backlog.
    client_ = create_mongo_client(mongo_settings)
    try:
        outbox = Outbox(database(client_, mongo_settings))
        assert await outbox.pending_count() == 5
        async with EventPublisher(kafka_settings) as publisher:
            assert await OutboxRelay(outbox, publisher).relay_once() == 5
        assert await outbox.pending_count() == 0
    finally:
        await client_.close()
    records = await read_topic(
        kafka_settings.bootstrap_servers,
        topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
        5,
        settle=1.0,
    )
    # Once each. (Order across submissions does not matter: each has its own key.)
    assert sorted(r.key.decode() for r in records) == sorted(ids)


async def test_mongodb_away_kafka_alone_makes_it_durable(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    away = MongoSettings(
        url=NOWHERE_MONGO, database=mongo_settings.database, server_selection_timeout_ms=300
    )
    settings = settings_for(kafka_settings, away, mongo_commit_timeout_seconds=1.0)
    anonymous = {k: v for k, v in BODY.items() if k != "contact"}
    async with running(settings) as client:
        r = await client.post("/v1/submissions", json=anonymous)
        assert r.status_code == 202, r.text
        assert r.headers["x-durable-via"] == "kafka"
        [record] = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
            1,
        )
    assert record.key.decode() == r.json()["submission_id"]


@pytest.mark.mongo
async def test_both_away_is_503_with_retry_after(mongo_settings: MongoSettings) -> None:
    away_mongo = MongoSettings(url=NOWHERE_MONGO, database="x", server_selection_timeout_ms=300)
    away_kafka = KafkaSettings(bootstrap_servers=NOWHERE_KAFKA)
    settings = settings_for(
        away_kafka,
        away_mongo,
        mongo_commit_timeout_seconds=1.0,
        kafka_publish_timeout_seconds=1.0,
        retry_after_seconds=11,
    )
    async with running(settings, wait_kafka=False) as client:
        r = await client.post("/v1/submissions", json=BODY)
    assert r.status_code == 503 and r.headers["retry-after"] == "11"


async def test_concurrent_submissions_share_commits_and_a_raced_key_counts_once(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    import asyncio

    async with running(settings_for(kafka_settings, mongo_settings)) as client:

        def post(i: int, key: str) -> Any:
            return client.post(
                "/v1/submissions",
                json={**BODY, "subject": f"เรื่อง {i}"},
                headers={"Idempotency-Key": key},
            )

        # 30 at once (grouped into few transactions); two of them race with one key.
        answers = await asyncio.gather(
            *(post(i, f"group-{i}") for i in range(28)), post(99, "raced"), post(99, "raced")
        )
        assert {a.status_code for a in answers} == {202}
        assert answers[-1].json() == answers[-2].json()
        records = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
            29,
            settle=1.5,
        )
    ids = [r.key.decode() for r in records]
    assert len(ids) == len(set(ids)) == 29
    assert set(ids) == {a.json()["submission_id"] for a in answers}


THAI_PERSON = {
    "name": "สมศรี ใจงาม",
    "phone": "089-123-4567",
    "email": "somsri.jai@example.org",
    "line_user_id": "@somsri.j",
}
# How each detail may be written once normalised (the phone in E.164, without the dashes).
SECRETS = ("สมศรี ใจงาม", "0891234567", "891234567", "somsri.jai@example.org", "@somsri.j")


def _strings(value: Any) -> list[str]:
    """Every string inside a document, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


async def test_contact_details_are_stored_once_apart_and_never_on_kafka(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    body = {**BODY, "contact": THAI_PERSON, "consent": {"contact_me": True}}
    async with running(settings_for(kafka_settings, mongo_settings)) as client:
        r = await client.post("/v1/submissions", json=body, headers={"Idempotency-Key": "pd-1"})
        again = await client.post("/v1/submissions", json=body, headers={"Idempotency-Key": "pd-1"})
        assert r.status_code == again.status_code == 202, r.text
        [record] = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
            1,
            settle=1.0,
        )
    submission_id = r.json()["submission_id"]
    wire = record.value.decode()
    assert parse_event(record.value).data.person_id == person_id_for(submission_id)
    client_ = create_mongo_client(mongo_settings)
    try:
        db = database(client_, mongo_settings)
        [person] = await db[PEOPLE].find({}).to_list()
        assert person["_id"] == person_id_for(submission_id)
        assert person["contact"]["name"] == "สมศรี ใจงาม"
        assert person["contact"]["phone"] == "+66891234567"
        elsewhere = [
            s
            for name in await db.list_collection_names()
            if name != PEOPLE
            async for doc in db[name].find({})
            for s in _strings(doc)
        ]
    finally:
        await client_.close()
    for secret in SECRETS:
        assert secret not in wire
        assert not [s for s in elsewhere if secret in s], secret


async def test_mongodb_away_a_submission_with_contact_details_is_503_not_sent_to_kafka(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    away = MongoSettings(
        url=NOWHERE_MONGO, database=mongo_settings.database, server_selection_timeout_ms=300
    )
    settings = settings_for(
        kafka_settings, away, mongo_commit_timeout_seconds=1.0, retry_after_seconds=9
    )
    async with running(settings) as client:
        r = await client.post("/v1/submissions", json=BODY)
        assert r.status_code == 503 and r.headers["retry-after"] == "9"
    # A marker published after it: the only record on the topic, so the refused
    # submission went nowhere. (Not an anonymous submission through intake: that one
    # would wait in the backlog for MongoDB, and a backlog flush under way when the app
    # stops can hold its shutdown.)
    marker = SubmissionReceived.model_validate(
        {
            **_anonymous(),
            "submission_id": "marker",
            "tracking_code": "SG-MARK-ER00",
            "channel": "api",
            "received_at": "2026-01-01T00:00:00+00:00",
        }
    )
    async with EventPublisher(kafka_settings) as publisher:
        await publisher.publish(make_event(marker, source="/tests", subject="marker"))
    records = await read_topic(
        kafka_settings.bootstrap_servers,
        topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
        1,
        settle=1.0,
    )
    assert [r.key.decode() for r in records] == ["marker"]


def _anonymous() -> dict[str, Any]:
    return {**{k: v for k, v in BODY.items() if k != "contact"}, "subject": "marker"}
