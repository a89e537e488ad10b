"""Deliveries handed from the consumer straight to the worker, on the real servers: one
conversation still goes one message at a time, and a worker that stops gives back what
it was handed but never started, for the next one to send at once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.notifications.adapters.ledger import DeliveryLedger, DeliveryState, ledger_row
from services.notifications.settings import DeliverySettings
from shared.contract.events import CaseStatus, CaseStatusChanged
from shared.infra.mongo import create_mongo_client, database
from shared.infra.settings import MongoSettings
from tests.integration.notifications.conftest import (
    Service,
    StartService,
    case_event,
    email_of,
    opened,
)
from tests.support import eventually
from tests.unit.notifications.sample import partner_notice

HOOK = "/hooks/partner"


def resolved(case_id: str) -> CaseStatusChanged:
    return CaseStatusChanged.model_validate(
        {
            "case_id": case_id,
            "from": CaseStatus.in_progress,
            "to": CaseStatus.resolved,
            "command": "resolve",
            "public_reason": "โรงเรียนจัดอาหารครบตามจำนวนนักเรียนแล้ว",
            "actor": "promotion.a",
        }
    )


async def test_a_notice_for_a_conversation_in_flight_waits_its_turn(service: Service) -> None:
    service.receiver.delays[HOOK] = 0.5
    data = opened()
    first = case_event(data, data.case_id)
    await service.publish(first)

    async def first_arrived() -> bool:
        return len(service.receiver.attempts(HOOK)) == 1

    await eventually(first_arrived, what="the partner's first webhook")
    # Planned while the first is still with the partner: same case, same partner.
    second = case_event(resolved(data.case_id), data.case_id)
    await service.publish(second)
    await service.processed(second)
    await service.settled()
    calls = service.receiver.accepted(HOOK)
    assert [c.json()["template"] for c in calls] == ["case_received", "case_resolved"]
    assert calls[1].started >= calls[0].answered


async def test_a_stopping_worker_gives_back_what_it_never_started(
    start_service: StartService, mongo_settings: MongoSettings
) -> None:
    # One send at a time, and leases far longer than the test may take: whatever is sent
    # after the restart was given back, not left to run out.
    slow: dict[str, Any] = {
        "delivery": DeliverySettings(
            concurrency=1, poll_seconds=0.05, lease_seconds=600, housekeeping_seconds=3600
        )
    }
    cases = [opened() for _ in range(4)]
    events = [case_event(d, d.case_id) for d in cases]
    async with start_service(**slow) as first:
        first.receiver.delays[HOOK] = 0.3
        await first.publish(*events)
        await first.processed(*events)
    client = create_mongo_client(mongo_settings)
    try:
        rows = DeliveryLedger(database(client, mongo_settings)).rows
        left = await rows.find({"state": {"$ne": DeliveryState.sent.value}}).to_list()
    finally:
        await client.close()
    assert left, "the worker finished everything before it was stopped"
    assert {r["state"] for r in left} == {DeliveryState.scheduled.value}
    assert all(r["attempts"] == 0 for r in left)

    async with start_service(**slow) as second:
        second.receiver.delays.pop(HOOK)
        await second.settled()
        assert sorted(len(second.mailbox.to(email_of(d))) for d in cases) == [1] * 4
        assert len(second.receiver.accepted(HOOK)) == 4


async def test_a_due_retry_is_not_starved_by_a_stream_of_handed_over_deliveries(
    start_service: StartService,
) -> None:
    one_at_a_time: dict[str, Any] = {
        "delivery": DeliverySettings(
            concurrency=1, poll_seconds=0.05, lease_seconds=600, housekeeping_seconds=3600
        )
    }
    async with start_service(**one_at_a_time) as svc:
        svc.receiver.delays[HOOK] = 0.2
        cases = [opened() for _ in range(15)]
        events = [case_event(d, d.case_id) for d in cases]
        await svc.publish(*events)
        await svc.processed(*events)  # thirty deliveries handed over, three seconds' work
        retry = partner_notice("retry", "SG-RTRY-0001")
        now = datetime.now(UTC)
        # A retry falling due meanwhile, as the ledger holds it.
        await svc.ctx.ledger.rows.insert_one(ledger_row(retry, now, now) | {"attempts": 1})
        await svc.settled()
        codes = [c.json()["case"]["tracking_code"] for c in svc.receiver.accepted(HOOK)]
    assert len(codes) == 16
    assert codes.index("SG-RTRY-0001") < 10, codes
