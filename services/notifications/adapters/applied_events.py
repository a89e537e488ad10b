"""Which case events notifications has applied, kept where the effect is written.

Every case event applied changes its case's facts, and the facts document is written in
the event's transaction anyway: its `applied` list (`CaseFactsStore`) is the record of
the events folded into it, so a redelivered event, or the same event published again by
a relay after a crash, finds its id there and changes nothing. An event waiting for its
case's opening is recorded by its own parked document (`ParkedEvents`, keyed by event
id). This replaces one `processed_events` document per event (five or so per case) and
two statements per batch with nothing: the facts were read and written regardless.

Deliveries stay exactly once in effect on their own: the ledger's key is unique, so
even an event applied twice (its facts deleted, say) schedules nothing new.

Cases stored before the list was kept have their events in `processed_events`; those
are looked up there too (only for such cases), so an upgrade applies nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.notifications.adapters.case_facts_store import COLLECTION as CASES
from services.notifications.adapters.case_facts_store import StoredCases
from services.notifications.adapters.parked_events import COLLECTION as PARKED
from shared.contract.events import CaseOpened, CloudEvent
from shared.infra.by_ids import ids_in
from shared.infra.mongo import Document
from shared.infra.processed import ProcessedEvents


class AppliedEvents:
    def __init__(self, db: AsyncDatabase[Document], consumer: str) -> None:
        # The record of what was applied: deleting it (as a test does to play a consumer
        # that lost track) makes an event look new again.
        self.collection = db[CASES]
        self.parked = db[PARKED]
        self.consumer = consumer
        self.legacy = ProcessedEvents(db, consumer)

    async def fresh(
        self,
        events: Sequence[CloudEvent[Any]],
        stored: StoredCases,
        session: AsyncClientSession,
    ) -> set[str]:
        """The ids of `events` not applied yet, given what `stored` holds of their cases
        (read in this transaction). Looks further only for events of cases neither stored
        nor opened in the batch (parked, nearly never) and of cases stored before the
        list."""
        fresh = {
            e.id for e in events if e.id not in stored.applied.get(e.data.case_id, frozenset())
        }
        # A case opened in this batch is unknown too, but nothing of it can be parked yet
        # unless its opening came late: those are the events that may wait for one.
        opening = {e.data.case_id for e in events if isinstance(e.data, CaseOpened)}
        unknown = [
            e.id
            for e in events
            if e.id in fresh
            and e.data.case_id not in stored.facts
            and e.data.case_id not in opening
        ]
        if unknown:
            fresh -= await ids_in(self.parked, unknown, session=session)
        older = [e.id for e in events if e.id in fresh and e.data.case_id in stored.legacy]
        if older:
            wanted = {f"{self.consumer}:{i}": i for i in older}  # `ProcessedEvents`' ids
            found = await ids_in(self.legacy.collection, wanted, session=session)
            fresh -= {wanted[k] for k in found}
        return fresh

    async def seen(self, event_id: str) -> bool:
        """Whether `event_id` was applied (or waits for its case's opening). Reads the
        facts by an unindexed field: for tests and people, not for the hot path."""
        if await self.collection.find_one({"applied": event_id}, {"_id": 1}) is not None:
            return True
        if await self.parked.find_one({"_id": event_id}, {"_id": 1}) is not None:
            return True
        return await self.legacy.seen(event_id)
