"""Which events a version of the views holds, kept where the effects are written.

A case event (or survey) folded into its case's facts is recorded in the facts document's
`applied` list, which the batch reads and writes anyway; a survey waiting for its case is
recorded by its own parked document (`_id` = event id). Only what has no case facts to
live on goes to the versioned ledger `report_applied_v<N>`, one document per event:
notifications, participation events, and case events of a case never opened here. So a
redelivered event, a batch retried after a conflict, or an event published again by a
relay after a crash finds its id and changes nothing, as with a row per event, without
the row (five of a case's six or seven events).

The ledger is asked only about events that may be in it: those of no case, of a case
with no facts at the batch's start and not opened in the batch (an event of a case is
never applied before the case's opening otherwise: one case's events share a partition,
in order), and of a case whose facts were stored before the list was kept (`legacy`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.reducers import case_id_of
from shared.contract.events import CaseOpened, CloudEvent
from shared.infra.by_ids import ids_in
from shared.infra.mongo import Document


@dataclass(slots=True)
class StoredFacts:
    """The case facts a batch read, with the events each already holds."""

    facts: dict[str, CaseFacts] = field(default_factory=dict)
    applied: dict[str, list[str]] = field(default_factory=dict)
    # Cases whose facts were stored before they listed their events: those are in the
    # ledger, and stay looked up there.
    legacy: set[str] = field(default_factory=set)

    def note(self, case_id: str, doc: Mapping[str, Any], facts: CaseFacts) -> None:
        self.facts[case_id] = facts
        self.applied[case_id] = list(doc.get("applied") or ())
        if doc.get("legacy") or "applied" not in doc:
            self.legacy.add(case_id)

    def applied_after(self, case_id: str, recorded: Sequence[str]) -> list[str]:
        """The list to store with the case's new facts: what it held, then `recorded`."""
        before = self.applied.get(case_id, [])
        known = set(before)
        return before + [i for i in recorded if i not in known]


async def fresh_events(
    ledger: AsyncCollection[Document],
    events: Sequence[CloudEvent[Any]],
    stored: StoredFacts,
    parked: Mapping[str, Sequence[CloudEvent[Any]]],
    session: AsyncClientSession,
) -> list[CloudEvent[Any]]:
    """`events` (distinct, in order) that these views do not hold yet."""
    parked_ids = {e.id for waiting in parked.values() for e in waiting}
    opening = {str(e.data.case_id) for e in events if isinstance(e.data, CaseOpened)}
    held: set[str] = set()
    ask: list[str] = []
    for e in events:
        case_id = case_id_of(e)
        if case_id is None:
            ask.append(e.id)
        elif e.id in parked_ids or e.id in stored.applied.get(case_id, ()):
            held.add(e.id)
        elif case_id in stored.legacy or (case_id not in stored.facts and case_id not in opening):
            ask.append(e.id)
    if ask:
        held |= await ids_in(ledger, ask, session=session)
    return [e for e in events if e.id not in held]
