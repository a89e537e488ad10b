"""The notifications service built by its real factory, on the real Kafka and MongoDB,
delivering to a real SMTP server and a real HTTP receiver started for each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, SecretStr

from services.notifications.app import create_app
from services.notifications.context import NotificationsContext
from services.notifications.settings import (
    DeliverySettings,
    DigestSettings,
    LineSettings,
    NotificationsSettings,
    RetrySettings,
    SmsSettings,
    SmtpSettings,
    SurveySettings,
    WebhookSubscriberSettings,
)
from shared.contract import topics
from shared.contract.events import (
    CaseOpened,
    Channel,
    Clock,
    CloudEvent,
    Consent,
    Contact,
    Kind,
    Language,
    Priority,
    make_event,
)
from shared.infra.kafka import EventPublisher
from shared.infra.mongo import Document, create_mongo_client, database
from shared.infra.personal_data import PersonalData
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.notifications.receivers import HttpReceiver, Mailbox
from tests.support import eventually, read_topic

SURVEY_SECRET = "survey-secret-for-integration-tests"
WEBHOOK_SECRET = "partner-webhook-secret"
LINE_TOKEN = "line-channel-token"
SMS_KEY = "sms-gateway-key"
LINE_USER = "U" + "0123456789abcdef" * 2

STAFF: list[Document] = [
    {
        "_id": "promotion.head",
        "name": "สุนทร ศรีงาม",
        "unit": "promotion",
        "role": "supervisor",
        "email": "promotion.head@siang.invalid",
        "active": True,
    },
    {
        "_id": "promotion.a",
        "name": "ปวีณา แสงทอง",
        "unit": "promotion",
        "role": "staff",
        "email": "promotion.a@siang.invalid",
        "active": True,
    },
    {
        "_id": "finance.head",
        "name": "ชาตรี มั่นคง",
        "unit": "finance",
        "role": "supervisor",
        "email": "finance.head@siang.invalid",
        "active": True,
    },
    {
        "_id": "finance.deputy",
        "name": "อรุณี ทองดี",
        "unit": "finance",
        "role": "supervisor",
        "email": "finance.deputy@siang.invalid",
        "active": True,
    },
    {
        "_id": "finance.old",
        "name": "ผู้เกษียณ",
        "unit": "finance",
        "role": "supervisor",
        "email": "finance.old@siang.invalid",
        "active": False,
    },
]


@dataclass
class Service:
    app: FastAPI
    publisher: EventPublisher
    kafka: KafkaSettings
    settings: NotificationsSettings
    mailbox: Mailbox
    receiver: HttpReceiver

    @property
    def ctx(self) -> NotificationsContext:
        return self.app.state.ctx  # type: ignore[no-any-return]

    @property
    def db(self) -> Any:
        return self.ctx.ledger.rows.database

    async def publish(self, *events: CloudEvent[Any]) -> None:
        """Publish `events`, their complainants first written to the personal-data store
        (as intake does before any event names them)."""
        now = datetime.now(UTC)
        await PersonalData(self.db).insert_many(
            [
                PersonalData.document(
                    e.data.person_id, PEOPLE[e.data.person_id], source="web", at=now
                )
                for e in events
                if isinstance(e.data, CaseOpened) and e.data.person_id in PEOPLE
            ]
        )
        for event in events:
            await self.publisher.publish(event)

    async def processed(self, *events: CloudEvent[Any]) -> None:
        """Wait until the service has applied `events` (its processed-event records)."""

        async def done() -> bool:
            for e in events:
                if not await self.ctx.processed.seen(e.id):
                    return False
            return True

        await eventually(done, timeout=30, what="events processed")

    async def settled(self) -> None:
        """Wait until no delivery is scheduled or in flight."""

        async def idle() -> bool:
            waiting, _ = await self.ctx.ledger.backlog()
            return waiting == 0

        await eventually(idle, timeout=30, what="deliveries settled")

    async def notifications(self, count: int) -> list[CloudEvent[Any]]:
        from shared.contract.events import parse_event

        records = await read_topic(
            self.kafka.bootstrap_servers,
            self.publisher.topic(topics.NOTIFICATIONS),
            count,
        )
        return [parse_event(r.value) for r in records]


def case_event(data: BaseModel, case_id: str, **kw: Any) -> CloudEvent[Any]:
    return make_event(
        data, source="/siang/workflow", subject=case_id, correlation_id="corr-t", **kw
    )


# The complainants of the cases `opened` made, by person id: what intake would have
# written to the personal-data store. `Service.publish` writes them there.
PEOPLE: dict[str, Contact] = {}


def opened(**changes: Any) -> CaseOpened:
    """A case.opened event; `contact=` gives its complainant's contact (None: anonymous),
    which the event names only by a fresh `person_id`."""
    now = datetime.now(UTC)
    contact = changes.pop(
        "contact", Contact(name="มาลี ใจงาม", email=f"malee.{uuid4().hex[:6]}@example.com")
    )
    person_id = f"p-{uuid4().hex[:20]}" if contact is not None else None
    if person_id is not None:
        PEOPLE[person_id] = contact
    fields: dict[str, Any] = {
        "case_id": uuid4().hex,
        "submission_id": uuid4().hex,
        "tracking_code": f"SG-{uuid4().hex[:4].upper()}-{uuid4().hex[:4].upper()}",
        "channel": Channel.web,
        "kind": Kind.complaint,
        "category": "school-lunch",
        "unit": "promotion",
        "priority": Priority.normal,
        "language": Language.th,
        "subject": "อาหารกลางวันโรงเรียนบ้านหนองบัวไม่ครบตามจำนวนนักเรียน",
        "received_at": now,
        "deadlines": {
            Clock.first_response: now + timedelta(days=7),
            Clock.resolution: now + timedelta(days=30),
        },
        "person_id": person_id,
        "consent": Consent(contact_me=True),
    }
    fields.update(changes)
    return CaseOpened(**fields)


def email_of(data: CaseOpened) -> str:
    contact = PEOPLE.get(data.person_id or "")
    assert contact is not None and contact.email is not None
    return contact.email


def service_settings(
    kafka: KafkaSettings,
    mongo: MongoSettings,
    mailbox: Mailbox,
    receiver: HttpReceiver,
    **overrides: Any,
) -> NotificationsSettings:
    fields: dict[str, Any] = {
        "kafka": kafka,
        "mongo": mongo,
        "smtp": SmtpSettings(
            host="127.0.0.1", port=mailbox.port, from_address="saraban@siang.invalid"
        ),
        "line": LineSettings(base_url=f"{receiver.url}/line", channel_token=SecretStr(LINE_TOKEN)),
        "sms": SmsSettings(url=f"{receiver.url}/sms", api_key=SecretStr(SMS_KEY)),
        "webhooks": [
            WebhookSubscriberSettings(
                id="partner",
                url=f"{receiver.url}/hooks/partner",
                secrets=[SecretStr(WEBHOOK_SECRET)],
            )
        ],
        "survey": SurveySettings(secret=SecretStr(SURVEY_SECRET)),
        # Fast retries: at most 0.05 s, 0.1 s, 0.2 s between the four attempts.
        "retry": RetrySettings(max_attempts=4, base_seconds=0.05, cap_seconds=0.2),
        "delivery": DeliverySettings(poll_seconds=0.05, lease_seconds=5, housekeeping_seconds=3600),
        "digest": DigestSettings(enabled=False),
    }
    fields.update(overrides)
    return NotificationsSettings(**fields)


StartService = Callable[..., AbstractAsyncContextManager[Service]]


@pytest.fixture
async def start_service(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[StartService]:
    """`async with start_service(**setting_overrides) as svc:` a running service."""
    mailbox = Mailbox()
    mailbox.controller.start()
    receiver = HttpReceiver()
    await receiver.start()
    client = create_mongo_client(mongo_settings)
    await database(client, mongo_settings)["staff"].insert_many(STAFF)
    await client.close()

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Service]:
        settings = service_settings(kafka_settings, mongo_settings, mailbox, receiver, **overrides)
        app = create_app(settings)
        async with EventPublisher(kafka_settings) as publisher, app.router.lifespan_context(app):
            await app.state.runtime.wait_connected(30)
            yield Service(app, publisher, kafka_settings, settings, mailbox, receiver)

    try:
        yield start
    finally:
        await receiver.stop()
        mailbox.controller.stop()


@pytest.fixture
async def service(start_service: StartService) -> AsyncIterator[Service]:
    async with start_service() as svc:
        yield svc
