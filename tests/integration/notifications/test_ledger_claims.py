"""The delivery ledger's claims on the real MongoDB-wire server: a claimed delivery is
not taken by another worker while its lease runs, and is taken, as in doubt, after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import ASCENDING

from services.notifications.adapters.ledger import DeliveryLedger, DeliveryState, Handover
from shared.infra.mongo import create_mongo_client, database
from shared.infra.settings import MongoSettings
from tests.unit.notifications.sample import partner_notice

LEASE = timedelta(seconds=30)


def handed_to_a(now: datetime, limit: int = 10) -> Handover:
    """The hand-over of worker A, whose claims last `LEASE`."""
    return Handover(token="worker-a", lease_until=now + LEASE, limit=limit)


@pytest.fixture
async def ledger(mongo_settings: MongoSettings) -> AsyncIterator[DeliveryLedger]:
    client = create_mongo_client(mongo_settings)
    try:
        ledger = DeliveryLedger(database(client, mongo_settings))
        yield ledger
    finally:
        await client.close()


async def test_a_claimed_delivery_waits_for_its_lease_then_is_claimed_in_doubt(
    ledger: DeliveryLedger,
) -> None:
    await ledger.ensure_indexes()
    now = datetime.now(UTC)
    await ledger.schedule([partner_notice(1), partner_notice(2)], event_time=now, now=now)
    first = await ledger.claim(now, LEASE, limit=1)
    assert [c.notice.case_id for c in first] == ["case-1"] and not first[0].in_doubt

    # Another worker, while the lease runs: only the delivery nobody holds.
    during = await ledger.claim(now + LEASE - timedelta(seconds=1), LEASE, limit=10)
    assert [c.notice.case_id for c in during] == ["case-2"]
    assert await ledger.claim(now + timedelta(seconds=2), LEASE, limit=10) == []

    # The first worker died: once its lease is over, its delivery is taken, in doubt.
    after = await ledger.claim(now + LEASE + timedelta(seconds=1), LEASE, limit=10)
    assert [(c.notice.case_id, c.in_doubt, c.attempts) for c in after] == [("case-1", True, 2)]
    assert not await ledger.settle_sent(first[0], now)  # the old claim settles nothing
    assert await ledger.settle_sent(after[0], now)
    row = await ledger.get(after[0].key)
    assert row is not None and row["state"] == DeliveryState.sent.value


async def test_a_ledger_made_with_the_separate_lease_index_loses_it(
    ledger: DeliveryLedger,
) -> None:
    await ledger.rows.create_index([("state", ASCENDING), ("lease_until", ASCENDING)])
    await ledger.ensure_indexes()
    await ledger.ensure_indexes()  # and again, with nothing left to drop
    names = set((await ledger.rows.index_information()).keys())
    assert names == {"_id_", "state_1_next_attempt_at_1"}


async def test_a_handover_records_the_first_rows_as_claimed_and_schedules_the_rest(
    ledger: DeliveryLedger,
) -> None:
    await ledger.ensure_indexes()
    now = datetime.now(UTC)
    planned = [(partner_notice(n), now) for n in (1, 2, 3)]
    handover = handed_to_a(now, limit=2)
    scheduled = await ledger.schedule_many(planned, now=now, handover=handover)
    assert [n.case_id for n in scheduled.notices] == ["case-1", "case-2", "case-3"]
    assert [(c.notice.case_id, c.claim, c.attempts) for c in scheduled.claimed] == [
        ("case-1", "worker-a", 1),
        ("case-2", "worker-a", 1),
    ]
    # Another worker's search finds only the row nobody was handed.
    found = await ledger.claim(now + timedelta(seconds=1), LEASE, limit=10)
    assert [c.notice.case_id for c in found] == ["case-3"]
    # The handed-over claims settle like any claim.
    assert await ledger.settle_sent_many(scheduled.claimed, now) == 2
    # Planned again (a redelivered batch): nothing new, nothing handed over twice.
    again = await ledger.schedule_many(planned, now=now, handover=handover)
    assert again.notices == [] and again.claimed == []


async def test_a_handover_whose_process_died_is_claimed_in_doubt_after_its_lease(
    ledger: DeliveryLedger,
) -> None:
    await ledger.ensure_indexes()
    now = datetime.now(UTC)
    handover = handed_to_a(now)
    [held] = (
        await ledger.schedule_many([(partner_notice(1), now)], now=now, handover=handover)
    ).claimed
    assert await ledger.claim(now + LEASE - timedelta(seconds=1), LEASE, limit=10) == []
    [after] = await ledger.claim(now + LEASE + timedelta(seconds=1), LEASE, limit=10)
    assert (after.in_doubt, after.attempts) == (True, 2)
    assert not await ledger.settle_sent(held, now)


async def test_released_claims_are_due_at_once_with_the_attempt_uncounted(
    ledger: DeliveryLedger,
) -> None:
    await ledger.ensure_indexes()
    now = datetime.now(UTC)
    handover = handed_to_a(now)
    held = (
        await ledger.schedule_many(
            [(partner_notice(1), now), (partner_notice(2), now)], now=now, handover=handover
        )
    ).claimed
    later = now + timedelta(seconds=5)
    # Another worker took the second over meanwhile: releasing it changes nothing.
    await ledger.rows.update_one({"_id": held[1].key}, {"$set": {"claim": "worker-b"}})
    assert await ledger.release(held, later) == 1
    [again] = await ledger.claim(later, LEASE, limit=10)
    assert (again.notice.case_id, again.in_doubt, again.attempts) == ("case-1", False, 1)


async def test_a_backlog_is_claimed_oldest_first_each_delivery_once(
    ledger: DeliveryLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claims read a backlog window by window from the oldest due (the server reads
    every row a query matches, whatever its limit); none is skipped or taken twice."""
    await ledger.ensure_indexes()
    start = datetime.now(UTC) - timedelta(minutes=10)
    # 120 deliveries due over ten minutes, in four bursts with quiet gaps between them.
    for i in range(120):
        due = start + timedelta(seconds=(i // 30) * 150 + (i % 30) * 0.5)
        await ledger.schedule([partner_notice(f"backlog-{i}")], event_time=due, now=due)
    now = datetime.now(UTC)
    claimed: list[str] = []
    for _ in range(10):
        batch = await ledger.claim(now, LEASE, limit=25)
        # A claim's rows come in any order; the worker sends them in planning order.
        claimed += [c.notice.case_id for c in sorted(batch, key=lambda c: c.seq)]
    assert claimed == [f"case-backlog-{i}" for i in range(120)]

    # A delivery due before the oldest any claim has seen (another replica's slow write)
    # is found by the next full read.
    monkeypatch.setattr("services.notifications.adapters.ledger._FULL_READ_SECONDS", 0.0)
    late = start - timedelta(hours=1)
    await ledger.schedule([partner_notice("backlog-late")], event_time=late, now=late)
    assert [c.notice.case_id for c in await ledger.claim(now, LEASE, limit=25)] == [
        "case-backlog-late"
    ]
