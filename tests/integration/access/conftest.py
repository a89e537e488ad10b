"""The whole office for the access tests, against the real Kafka and MongoDB."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.access.office import Office, running


@pytest.fixture
async def office(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Office]:
    async with running(kafka_settings, mongo_settings) as o:
        yield o
