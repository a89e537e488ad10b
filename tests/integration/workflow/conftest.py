"""A workflow service built by its real factory, against the real Kafka and MongoDB."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from services.workflow.app import create_app
from services.workflow.context import WorkflowContext
from services.workflow.settings import WorkflowSettings
from shared.contract.events import (
    Channel,
    ComplaintType,
    Consent,
    Contact,
    Kind,
    SubmissionReceived,
    make_event,
)
from shared.infra.kafka import EventPublisher
from shared.infra.personal_data import PersonalData, person_id_for
from shared.infra.settings import KafkaSettings, MongoSettings

DEMO_PASSWORD = "siang-demo-2569"


@dataclass
class Workflow:
    app: FastAPI
    http: httpx.AsyncClient
    publisher: EventPublisher
    kafka: KafkaSettings

    @property
    def ctx(self) -> WorkflowContext:
        return self.app.state.ctx  # type: ignore[no-any-return]

    async def login(self, username: str) -> dict[str, str]:
        r = await self.http.post(
            "/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    async def submit(self, **overrides: Any) -> SubmissionReceived:
        """Publish a submission as intake does: its sender's `contact=` (None: anonymous)
        written first to the personal-data store, the event naming only the reference."""
        contact = overrides.pop("contact", MALEE)
        sub = submission(**overrides, person=contact is not None)
        if contact is not None and sub.person_id is not None:
            doc = PersonalData.document(sub.person_id, contact, source="web", at=sub.received_at)
            await self.ctx.store.people.insert_many([doc])
        await self.publisher.publish(make_event(sub, source="/tests", subject=sub.submission_id))
        return sub


MALEE = Contact(name="มาลี ใจงาม", email="malee@example.com")


def submission(*, person: bool = True, **overrides: Any) -> SubmissionReceived:
    submission_id = overrides.pop("submission_id", uuid4().hex)
    fields: dict[str, Any] = {
        "submission_id": submission_id,
        "tracking_code": f"SG-{uuid4().hex[:4].upper()}-{uuid4().hex[:4].upper()}",
        "channel": Channel.web,
        "kind": Kind.complaint,
        "complaint_type": ComplaintType.service,
        "category": "documents",
        "subject": "ขอหนังสือรับรองล่าช้า",
        "description": "ยื่นคำขอหนังสือรับรองการทำงานมาสามสัปดาห์แล้วยังไม่ได้รับ",
        "person_id": person_id_for(submission_id) if person else None,
        "consent": Consent(contact_me=True),
        "received_at": datetime.now(UTC),
    }
    fields.update(overrides)
    return SubmissionReceived(**fields)


@asynccontextmanager
async def running_workflow(settings: WorkflowSettings) -> AsyncIterator[Workflow]:
    """The service built by its factory with `settings`, started, and an HTTP client."""
    app = create_app(settings)
    async with EventPublisher(settings.kafka) as publisher, app.router.lifespan_context(app):
        await app.state.runtime.wait_connected(30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://workflow") as http:
            yield Workflow(app, http, publisher, settings.kafka)


@pytest.fixture
async def workflow(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Workflow]:
    settings = WorkflowSettings(
        kafka=kafka_settings,
        mongo=mongo_settings,
        allow_clock_override=True,
        scan_interval_seconds=3600,
    )
    async with running_workflow(settings) as workflow:
        yield workflow
