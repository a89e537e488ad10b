"""Two reporting replicas on the real MongoDB-wire server: each report reads the views as
committed, whichever replica wrote them, and a replica far behind catches up in full."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from services.reporting.adapters import view_store
from services.reporting.adapters.view_store import ViewStore
from services.reporting.domain import views as v
from services.reporting.read_cache.cells import flat_cell
from shared.contract.events import CaseStatus, CloudEvent
from shared.infra.mongo import create_mongo_client, database
from shared.infra.settings import MongoSettings
from tests.integration.reporting.harness import without_ids
from tests.unit.reporting.histories import T0, Case

DAY = timedelta(days=1)


@pytest.fixture
async def replicas(mongo_settings: MongoSettings) -> AsyncIterator[tuple[ViewStore, ViewStore]]:
    client = create_mongo_client(mongo_settings)
    db = database(client, mongo_settings)
    writer, reader = ViewStore(client, db), ViewStore(client, db)
    await writer.ensure()
    try:
        yield writer, reader
    finally:
        await client.close()


def batches(count: int) -> list[list[CloudEvent[Any]]]:
    """Batches that open cases, move them on and close some, across units and months."""
    out = []
    for i in range(count):
        c = Case(f"c{i}", T0 + i * DAY)
        unit = ("admin", "finance")[i % 2]
        events = [c.opened(unit=unit), c.assigned(unit, after=DAY)]
        if i % 3 == 0:
            events.append(c.status(CaseStatus.assigned, CaseStatus.resolved, after=DAY))
        out.append(events)
        if i and (i - 1) % 3:  # the previous case, unless resolved, moves on now
            prev = Case(f"c{i - 1}", T0 + (i - 1) * DAY)
            out[-1].append(prev.status(CaseStatus.assigned, CaseStatus.in_progress, after=DAY))
    return out


async def stored(store: ViewStore) -> dict[str, list[dict[str, Any]]]:
    """The views as the database holds them, as flat cells."""
    views = await store.current()
    return {
        name: without_ids(
            [flat_cell(d, key) async for d in store.db[views.name(name)].find({}, {"_id": 0})]
        )
        for name, key in v.VIEW_KEYS.items()
    }


async def read(store: ViewStore) -> dict[str, list[dict[str, Any]]]:
    return {name: without_ids(await store.documents(name)) for name in v.VIEW_KEYS}


async def test_a_replica_reports_what_another_replica_wrote_batch_by_batch(
    replicas: tuple[ViewStore, ViewStore],
) -> None:
    writer, reader = replicas
    assert (await read(reader))[v.CASES] == []
    for batch in batches(6):
        await writer.apply(batch)
        assert await read(reader) == await stored(writer)
        assert await read(writer) == await read(reader)
    admin = await reader.documents(v.CASES, {"unit": "admin"})
    assert {c["unit"] for c in admin} == {"admin"} and sum(c["received"] for c in admin) == 3


async def test_a_replica_behind_the_kept_deltas_loads_the_views_afresh(
    replicas: tuple[ViewStore, ViewStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view_store, "_KEEP_DELTAS", 3)
    monkeypatch.setattr(view_store, "_PRUNE_EVERY", 2)
    writer, reader = replicas
    work = batches(10)
    await writer.apply(work[0])
    assert await read(reader) == await stored(writer)
    for batch in work[1:]:
        await writer.apply(batch)
    # The deltas the reader would need (2 to 4) are pruned: it must not miss them.
    assert await writer.deltas.count_documents({}) <= 3 + 2
    assert await writer.deltas.find_one({"_id": 2}) is None
    assert await read(reader) == await stored(writer)
    assert sum(c["received"] for c in await reader.documents(v.CASES)) == 10


async def test_a_journal_made_before_pages_loses_its_index_by_case(
    replicas: tuple[ViewStore, ViewStore],
) -> None:
    writer, _ = replicas
    await writer.journal.create_index([("case_id", 1), ("stored_at", 1), ("n", 1)])
    await writer.ensure()
    await writer.ensure()  # and again, with nothing left to drop
    assert set(await writer.journal.index_information()) == {"_id_", "stored_at_1_n_1"}
