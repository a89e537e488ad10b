"""Case events that arrive before their case's opening (a relay republishing after a Kafka
restart can do that), on the real servers: they wait for it and are then told, once."""

from __future__ import annotations

from services.notifications.adapters.ledger import DeliveryState
from services.notifications.handlers.case_events import handle_case_events
from shared.contract.events import CaseAssigned
from tests.integration.notifications.conftest import Service, case_event, email_of, opened
from tests.support import eventually

ASSIGNEE = "promotion.a@siang.invalid"


async def test_an_assignment_that_overtook_its_opening_is_told_once_the_case_opens(
    service: Service,
) -> None:
    data = opened()
    assigned = case_event(
        CaseAssigned(
            case_id=data.case_id, unit="promotion", assignee="promotion.a", actor="promotion.head"
        ),
        data.case_id,
    )
    opening = case_event(data, data.case_id)
    await service.publish(assigned)
    await service.processed(assigned)
    assert service.mailbox.to(ASSIGNEE) == []  # nothing to plan from yet

    await service.publish(opening)
    await service.processed(opening)
    await service.settled()

    async def told() -> bool:
        return len(service.mailbox.to(ASSIGNEE)) == 1

    await eventually(told, what="the assignee's notice")
    assert len(service.mailbox.to(email_of(data))) == 1  # the complainant's receipt
    told_assignee = await service.ctx.ledger.rows.count_documents(
        {
            "case_id": data.case_id,
            "recipient_role": "assignee",
            "state": DeliveryState.sent.value,
        }
    )
    assert told_assignee == 1
    assert await service.ctx.parked.events.count_documents({}) == 0


async def test_an_event_and_its_opening_in_one_batch_in_the_wrong_order(service: Service) -> None:
    data = opened()
    assigned = case_event(
        CaseAssigned(
            case_id=data.case_id, unit="promotion", assignee="promotion.a", actor="promotion.head"
        ),
        data.case_id,
    )
    opening = case_event(data, data.case_id)
    # One batch, as the consumer would hand it over, the opening behind the assignment.
    await handle_case_events(service.ctx, [assigned, opening, assigned])
    await service.settled()
    assert len(service.mailbox.to(ASSIGNEE)) == 1
    assert await service.ctx.parked.events.count_documents({}) == 0
