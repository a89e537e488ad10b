"""Where reporting records the events it applied, on the real MongoDB-wire server: a
case's events on its facts (no ledger row), the rest in the ledger; an event delivered
again, or published again by a relay after later ones, changes nothing; facts stored
before they listed their events keep their events found in the ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from services.reporting.adapters.view_set import APPLIED, FACTS
from services.reporting.adapters.view_store import ViewStore
from services.reporting.domain import views as v
from shared.contract.events import CaseStatus
from shared.infra.mongo import create_mongo_client, database
from shared.infra.settings import MongoSettings
from tests.integration.reporting.harness import without_ids
from tests.unit.reporting.histories import Case, notification

DAY = timedelta(days=1)


@pytest.fixture
async def store(mongo_settings: MongoSettings) -> AsyncIterator[ViewStore]:
    client = create_mongo_client(mongo_settings)
    store = ViewStore(client, database(client, mongo_settings))
    await store.ensure()
    try:
        yield store
    finally:
        await client.close()


async def views(store: ViewStore) -> dict[str, list[dict[str, Any]]]:
    return {name: without_ids(await store.documents(name)) for name in v.VIEW_KEYS}


async def ledger(store: ViewStore) -> set[str]:
    current = await store.current()
    return {d["_id"] async for d in store.db[current.name(APPLIED)].find({})}


async def test_a_case_s_events_are_held_by_its_facts_and_counted_once(store: ViewStore) -> None:
    c = Case("c1")
    opened, assigned = c.opened(unit="admin"), c.assigned("admin", after=DAY)
    resolved = c.status(CaseStatus.assigned, CaseStatus.resolved, after=DAY)
    notice = notification("c1")
    await store.apply([opened, assigned])
    await store.apply([resolved, notice])
    counted = await views(store)
    assert await ledger(store) == {notice.id}  # the case's three events have no row
    current = await store.current()
    facts = await store.db[current.name(FACTS)].find_one({"_id": "c1"})
    assert facts is not None and facts["applied"] == [opened.id, assigned.id, resolved.id]

    # Redelivered (a consumer that died before committing its offsets), and the opening
    # published again by a relay after the later events: nothing changes.
    assert (await store.apply([opened, assigned, resolved, notice])).applied == []
    assert (await store.apply([opened])).applied == []
    assert await views(store) == counted
    assert await store.applied_count() == 4


async def test_facts_stored_before_they_listed_events_still_find_them_in_the_ledger(
    store: ViewStore,
) -> None:
    c = Case("c1")
    opened, assigned = c.opened(unit="admin"), c.assigned("admin", after=DAY)
    await store.apply([opened, assigned])
    counted = await views(store)
    # As the previous version stored them: facts without the list, every event a row.
    current = await store.current()
    await store.db[current.name(FACTS)].update_one({"_id": "c1"}, {"$unset": {"applied": ""}})
    await store.db[current.name(APPLIED)].insert_many([{"_id": opened.id}, {"_id": assigned.id}])

    assert (await store.apply([opened, assigned])).applied == []
    resolved = c.status(CaseStatus.assigned, CaseStatus.resolved, after=DAY)
    await store.apply([resolved])
    facts = await store.db[current.name(FACTS)].find_one({"_id": "c1"})
    assert facts is not None and facts["legacy"] is True and facts["applied"] == [resolved.id]
    # Still looked up in the ledger after the facts were written again.
    assert (await store.apply([opened, assigned, resolved])).applied == []
    assert (await views(store))[v.CASES] != counted[v.CASES]  # the resolution counted
