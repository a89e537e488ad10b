"""The supervisor view's reads of cases: a unit's open cases with only what the view
shows, and the cases chosen for a hand-over, as the lifecycle needs them."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from services.workflow.adapters.case_store import clocks_of
from services.workflow.domain.supervision import OpenCase
from shared.contract.events import CaseStatus
from shared.contract.vocabulary import ACTIVE_STATUSES
from shared.infra.by_ids import find_in
from shared.infra.mongo import Document

_SHOWN = {
    "tracking_code": 1,
    "subject": 1,
    "status": 1,
    "version": 1,
    "assignee": 1,
    "clocks": 1,
}
# What the hand-over reads: all but the long parts no command looks at.
_WHOLE = {"timeline": 0, "description": 0}


def _in_unit(unit: str, hidden_from: str) -> Document:
    # A case naming the supervisor is not theirs to see, nor to count.
    return {"unit": unit, "excluded_assignees": {"$ne": hidden_from}}


async def open_in_unit(
    cases: AsyncCollection[Document],
    unit: str,
    *,
    hidden_from: str,
    assignee: str | None = None,
) -> list[OpenCase]:
    """The unit's cases still to be worked (one person's, with `assignee`), oldest first."""
    query = {**_in_unit(unit, hidden_from), "status": {"$in": [s.value for s in ACTIVE_STATUSES]}}
    if assignee is not None:
        query["assignee"] = assignee
    cursor = cases.find(query, _SHOWN).sort([("received_at", 1), ("_id", 1)])
    return [open_case(d) async for d in cursor]


async def chosen(
    cases: AsyncCollection[Document],
    unit: str,
    case_ids: Sequence[str],
    *,
    hidden_from: str,
    session: AsyncClientSession,
) -> dict[str, Document]:
    """Those of `case_ids` that are the unit's and not hidden from the reader, by id."""
    found = await find_in(
        cases, "_id", case_ids, _in_unit(unit, hidden_from), _WHOLE, session=session
    )
    return {d["_id"]: d for d in found}


def open_case(doc: Document) -> OpenCase:
    return OpenCase(
        case_id=doc["_id"],
        tracking_code=doc["tracking_code"],
        subject=doc.get("subject", ""),
        status=CaseStatus(doc["status"]),
        version=int(doc["version"]),
        assignee=doc.get("assignee"),
        clocks=clocks_of(doc),
    )
