"""The record of which case events notifications applied, kept on the case facts it
writes anyway (`adapters/applied_events.py`), on the real servers: an event delivered
again, whether applied, parked or recorded the old way in `processed_events`, changes
nothing and schedules nothing, and no `processed_events` row is written for it."""

from __future__ import annotations

from typing import Any

from services.notifications.adapters.case_facts_store import COLLECTION
from services.notifications.handlers.case_events import handle_case_events
from shared.contract.events import CaseAssigned, CloudEvent
from tests.integration.notifications.conftest import Service, case_event, opened

ASSIGNEE = "promotion.a@siang.invalid"


def assignment(
    case_id: str, assignee: str = "promotion.a", actor: str = "promotion.head"
) -> CloudEvent[Any]:
    return case_event(
        CaseAssigned(case_id=case_id, unit="promotion", assignee=assignee, actor=actor),
        case_id,
    )


async def test_an_event_delivered_again_changes_nothing(service: Service) -> None:
    data = opened()
    opening, assigned = case_event(data, data.case_id), assignment(data.case_id)
    first = await handle_case_events(service.ctx, [opening, assigned])
    assert first  # the receipt, the assignee's notice and the partner's webhook
    facts = service.db[COLLECTION]
    before = await facts.find_one({"_id": data.case_id})
    assert before is not None
    assert set(before["applied"]) == {opening.id, assigned.id}

    assert await handle_case_events(service.ctx, [assigned, opening]) == []
    after = await facts.find_one({"_id": data.case_id})
    assert after == before  # not even written again
    await service.settled()
    assert len(service.mailbox.to(ASSIGNEE)) == 1
    assert await service.db.processed_events.count_documents({"consumer": "notifications"}) == 0


async def test_an_event_parked_and_delivered_again_is_applied_once(service: Service) -> None:
    data = opened()
    opening, assigned = case_event(data, data.case_id), assignment(data.case_id)
    assert await handle_case_events(service.ctx, [assigned]) == []  # waits for the opening
    # Delivered again while it waits: still one parked copy, no duplicate key.
    assert await handle_case_events(service.ctx, [assigned]) == []
    assert await service.ctx.parked.events.count_documents({"_id": assigned.id}) == 1
    assert await service.ctx.processed.seen(assigned.id)

    await handle_case_events(service.ctx, [opening, assigned])
    await service.settled()
    assert len(service.mailbox.to(ASSIGNEE)) == 1
    assert await service.ctx.parked.events.count_documents({}) == 0
    doc = await service.db[COLLECTION].find_one({"_id": data.case_id})
    assert doc is not None and set(doc["applied"]) == {opening.id, assigned.id}


async def test_a_case_stored_before_the_list_still_knows_its_events(service: Service) -> None:
    """Facts written by the previous version carry no list; their events were recorded in
    `processed_events`, which is still asked for those cases, even after a later write."""
    data = opened()
    opening, assigned = case_event(data, data.case_id), assignment(data.case_id)
    await handle_case_events(service.ctx, [opening, assigned])
    facts = service.db[COLLECTION]
    await facts.update_one({"_id": data.case_id}, {"$unset": {"applied": ""}})
    await service.db.processed_events.insert_many(
        [{"_id": f"notifications:{e.id}", "consumer": "notifications"} for e in (opening, assigned)]
    )

    assert await handle_case_events(service.ctx, [assigned]) == []
    moved = assignment(data.case_id, "promotion.head", actor="promotion.a")
    assert await handle_case_events(service.ctx, [moved])  # a new event is applied
    doc = await facts.find_one({"_id": data.case_id})
    assert doc is not None and doc["legacy"] is True and doc["applied"] == [moved.id]
    assert await handle_case_events(service.ctx, [opening, assigned, moved]) == []
    await service.settled()
    assert len(service.mailbox.to(ASSIGNEE)) == 1
