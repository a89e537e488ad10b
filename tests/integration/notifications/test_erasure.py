"""`case.personal_data_erased` on the real MongoDB: the complainant's pending and failed
deliveries and dead letters of the case lose their notice (with the address) and are never
sent; the deliveries to staff and of other cases stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from services.notifications.adapters.dead_letters import COLLECTION as LETTERS
from services.notifications.adapters.ledger import COLLECTION as LEDGER
from services.notifications.handlers.case_events import handle_case_event
from shared.contract.events import CasePersonalDataErased, LegalBasis
from tests.integration.notifications.conftest import Service, case_event

ADDRESS = "somsri.erase@example.org"


def _row(case_id: str, role: str, state: str) -> dict[str, Any]:
    return {
        "_id": uuid4().hex,
        "case_id": case_id,
        "recipient_role": role,
        "state": state,
        "next_attempt_at": datetime(2100, 1, 1, tzinfo=UTC),
        "notice": {"recipient": ADDRESS if role == "complainant" else "staff@example.org"},
        "last_error": f"550 {ADDRESS} unknown" if state == "failed" else None,
    }


async def test_the_complainant_s_pending_notices_and_dead_letters_are_scrubbed(
    service: Service,
) -> None:
    case_id, other = uuid4().hex, uuid4().hex
    rows = [
        _row(case_id, "complainant", "scheduled"),
        _row(case_id, "complainant", "failed"),
        _row(case_id, "assignee", "scheduled"),
        _row(other, "complainant", "scheduled"),
    ]
    await service.db[LEDGER].insert_many(rows)
    letter = {
        "_id": uuid4().hex,
        "case_id": case_id,
        "recipient_role": "complainant",
        "status": "open",
        "published_at": None,
        "reason": f"550 {ADDRESS} unknown",
        "notice": {"recipient": ADDRESS},
        "failed_at": datetime.now(UTC),
    }
    await service.db[LETTERS].insert_one(letter)

    erased = CasePersonalDataErased(
        case_id=case_id, person_id="p-x", erasure_id="e-1", legal_basis=LegalBasis.retention
    )
    assert await handle_case_event(service.ctx, case_event(erased, case_id)) == []

    found = {
        d["_id"]: d
        async for d in service.db[LEDGER].find({"_id": {"$in": [r["_id"] for r in rows]}})
    }
    for row in rows[:2]:
        after = found[row["_id"]]
        assert after["state"] == "erased" and "notice" not in after
        assert ADDRESS not in repr(after)
    assert found[rows[2]["_id"]]["state"] == "scheduled"  # to staff: unchanged
    assert found[rows[3]["_id"]]["notice"]["recipient"] == ADDRESS  # another case
    scrubbed = await service.db[LETTERS].find_one({"_id": letter["_id"]})
    assert scrubbed["status"] == "erased" and ADDRESS not in repr(scrubbed)
    # Housekeeping never republishes it (it has nothing left to publish).
    unpublished = await service.ctx.dead_letters.unpublished(datetime(2100, 1, 1, tzinfo=UTC))
    assert letter["_id"] not in [d["_id"] for d in unpublished]
