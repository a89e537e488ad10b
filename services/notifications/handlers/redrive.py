"""Re-drive: chosen dead letters go back on the schedule with a fresh set of attempts.

The ledger row keeps its key, so a re-driven delivery is still the same delivery (same
notification id); the worker picks it up at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession

from services.notifications.adapters.dead_letters import DeadLetterStore
from services.notifications.adapters.ledger import DeliveryLedger
from shared.infra.mongo import Document, in_transaction


async def redrive(
    client: AsyncMongoClient[Document],
    letters: DeadLetterStore,
    ledger: DeliveryLedger,
    ids: Sequence[str],
    now: datetime,
) -> list[str]:
    """Re-queue the open dead letters among `ids`; returns the ids re-queued."""

    async def work(session: AsyncClientSession) -> list[str]:
        found = await letters.take_for_redrive(ids, now, session)
        await ledger.reschedule([d["ledger_key"] for d in found], now, session)
        return [d["_id"] for d in found]

    return await in_transaction(client, work)
