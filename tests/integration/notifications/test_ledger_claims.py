"""The delivery ledger's claims on the real MongoDB-wire server: a claimed delivery is
not taken by another worker while its lease runs, and is taken, as in doubt, after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import ASCENDING

from services.notifications.adapters.ledger import DeliveryLedger, DeliveryState
from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from shared.events import Language
from shared.mongo import create_mongo_client, database
from shared.settings import MongoSettings

LEASE = timedelta(seconds=30)


def notice(n: int) -> Notice:
    return Notice(
        source_event_id=f"evt-{n}",
        case_id=f"case-{n}",
        recipient_role=RecipientRole.subscriber,
        recipient="partner",
        channel=DeliveryChannel.webhook,
        template=TemplateName.status_update,
        language=Language.th,
        context={"tracking_code": f"SG-{n:04d}", "status": "in_progress"},
    )


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
    await ledger.schedule([notice(1), notice(2)], event_time=now, now=now)
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
