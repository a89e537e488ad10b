"""A reporting service built by its real factory, against the real Kafka and MongoDB."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.reporting.app import create_app
from services.reporting.settings import ReportingSettings
from shared.infra.kafka import EventPublisher
from shared.infra.sessions import STAFF_COLLECTION
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.reporting.harness import Reporting, staff_accounts


@pytest.fixture
async def reporting(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Reporting]:
    settings = ReportingSettings(
        kafka=kafka_settings,
        mongo=mongo_settings,
        batch_size=200,
        metrics_refresh_seconds=0.5,
        # One group per test: a shared group rebalances whenever another test joins it.
        consumer_group=f"siang-reporting-{kafka_settings.topic_prefix}",
    )
    app = create_app(settings)
    async with EventPublisher(kafka_settings) as publisher, app.router.lifespan_context(app):
        await app.state.runtime.wait_connected(30)
        ctx = app.state.ctx
        units = [u.code for u in ctx.catalogue.units]
        await ctx.store.db[STAFF_COLLECTION].insert_many(staff_accounts(units))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as http:
            yield Reporting(app, http, publisher)
