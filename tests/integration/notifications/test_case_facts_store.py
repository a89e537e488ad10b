"""The notifications' case facts on the real MongoDB-wire server: new cases inserted
together, known ones replaced, and an opening seen again (its processed record gone)
replacing the facts it finds instead of failing on a duplicate key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from services.notifications.adapters.case_facts_store import CaseFactsStore
from services.notifications.domain.case_facts import CaseFacts
from shared.infra.mongo import create_mongo_client, database
from shared.infra.settings import MongoSettings
from tests.integration.notifications.conftest import opened


@pytest.fixture
async def store(mongo_settings: MongoSettings) -> AsyncIterator[CaseFactsStore]:
    client = create_mongo_client(mongo_settings)
    try:
        yield CaseFactsStore(database(client, mongo_settings))
    finally:
        await client.close()


async def test_new_and_known_cases_are_saved_together(store: CaseFactsStore) -> None:
    now = datetime.now(UTC)
    a, b, c = (CaseFacts.from_opened(opened()) for _ in range(3))
    await store.save_many([a, b], now)
    moved_a = a.model_copy(update={"unit": "legal"})
    moved_b = b.model_copy(update={"unit": "finance"})
    # `a` is known from the caller's read; `b` is looked up; `c` is new.
    await store.save_many([moved_a, moved_b, c], now, stored={a.case_id})
    found = await store.get_many({a.case_id, b.case_id, c.case_id})
    assert {k: v.unit for k, v in found.items()} == {
        a.case_id: "legal",
        b.case_id: "finance",
        c.case_id: c.unit,
    }
    assert await store.cases.count_documents({}) == 3
