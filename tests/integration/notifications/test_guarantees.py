"""Delivery guarantees on the real servers: retries without duplicates, dead letters with
`notification.failed` and a re-drive, a redelivered event sent once, a delivery in doubt
after a crash resent under the same idempotency key."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import httpx
import orjson

from services.notifications.__main__ import dead_letters
from services.notifications.adapters.ledger import DeliveryState, ledger_row
from services.notifications.scheduled import housekeeping_once
from shared.contract import topics
from shared.contract.events import (
    CaseSlaWarning,
    Channel,
    Clock,
    Contact,
    DeadLetter,
    NotificationFailed,
    NotificationSent,
)
from tests.integration.notifications.conftest import (
    Service,
    StartService,
    case_event,
    email_of,
    opened,
    read_topic,
)
from tests.support import eventually
from tests.unit.notifications.sample import partner_notice

HOOK = "/hooks/partner"


async def test_receiver_failing_twice_then_succeeding_gets_one_delivery(service: Service) -> None:
    service.receiver.fail(HOOK, 503, 503)
    data = opened()
    event = case_event(data, data.case_id)
    await service.publish(event)
    await service.processed(event)
    await service.settled()

    attempts = service.receiver.attempts(HOOK)
    assert [a.status for a in attempts] == [503, 503, 200]
    assert len(service.receiver.accepted(HOOK)) == 1
    # Every attempt is the same delivery: same id, same body, fresh signature timestamp.
    assert len({a.headers["idempotency-key"] for a in attempts}) == 1
    assert len({a.body for a in attempts}) == 1

    sent = [e.data for e in await service.notifications(2)]
    assert all(isinstance(s, NotificationSent) for s in sent)
    assert sorted((s.channel, s.attempts) for s in sent) == [("email", 1), ("webhook", 3)]

    metrics = service.ctx.metrics
    assert metrics.attempts_failed.labels("webhook", "case_received")._value.get() == 2
    assert metrics.sent.labels("webhook", "case_received")._value.get() == 1


async def test_permanent_failure_is_dead_lettered_and_can_be_redriven(service: Service) -> None:
    data = opened()
    address = email_of(data)
    service.mailbox.replies[address] = "550 5.1.1 No such user here"
    event = case_event(data, data.case_id)
    await service.publish(event)
    await service.processed(event)
    await service.settled()

    assert service.mailbox.mails == []  # refused once, never retried
    letters = await service.ctx.dead_letters.listing()
    assert len(letters) == 1
    letter = letters[0]
    assert letter["permanent"] is True and letter["attempts"] == 1
    assert "SMTP 550" in letter["reason"]

    dlq = await read_topic(
        service.kafka.bootstrap_servers,
        service.publisher.topic(topics.dead_letters(topics.NOTIFICATIONS)),
        1,
    )
    dead = DeadLetter.model_validate_json(dlq[0].value)
    assert dead.topic == topics.NOTIFICATIONS and "550" in dead.error
    assert orjson.loads(dead.value)["template"] == "case_received"

    outcomes = [e.data for e in await service.notifications(2)]
    [failed] = [o for o in outcomes if isinstance(o, NotificationFailed)]
    assert failed.permanent and failed.channel == "email" and "550" in failed.reason
    assert failed.notification_id == letter["_id"]

    out = io.StringIO()
    assert await dead_letters(["list"], service.settings, out) == 0
    assert letter["_id"] in out.getvalue() and address not in out.getvalue()

    # The address is fixed; an operator re-drives the letter and it goes out once.
    del service.mailbox.replies[address]
    out = io.StringIO()
    assert await dead_letters(["redrive", letter["_id"], "nope"], service.settings, out) == 1
    assert f"re-queued {letter['_id']}" in out.getvalue()
    await eventually(lambda: _one(service.mailbox.to(address)), what="re-driven mail")
    await service.settled()
    assert len(service.mailbox.to(address)) == 1
    assert await service.ctx.dead_letters.listing() == []
    events = [e.data for e in await service.notifications(3)]
    assert any(isinstance(e, NotificationSent) and e.channel == "email" for e in events)


async def _one(items: Sequence[object]) -> bool:
    return len(items) == 1


async def test_temporary_failures_give_up_after_max_attempts(service: Service) -> None:
    service.receiver.fail("/sms", 503, 503, 503, 503, 503)
    data = opened(channel=Channel.phone, contact=Contact(phone="+66891234567"))
    event = case_event(data, data.case_id)
    await service.publish(event)
    await service.processed(event)
    await service.settled()

    assert len(service.receiver.attempts("/sms")) == 4  # max_attempts in the test settings
    [letter] = await service.ctx.dead_letters.listing()
    assert letter["permanent"] is False
    assert "HTTP 503" in letter["reason"] and "gave up after 4 attempts" in letter["reason"]
    outcomes = [e.data for e in await service.notifications(2)]  # the webhook went out
    [failed] = [o for o in outcomes if isinstance(o, NotificationFailed)]
    assert failed.channel == "sms" and failed.attempts == 4 and not failed.permanent


async def test_unit_without_supervisor_is_dead_lettered_not_lost(service: Service) -> None:
    data = opened(unit="legal", contact=None)
    warning = CaseSlaWarning(
        case_id=data.case_id,
        clock=Clock.resolution,
        threshold_percent=50,
        due_at=datetime.now(UTC) + timedelta(days=5),
        unit="legal",
    )
    events = [case_event(data, data.case_id), case_event(warning, data.case_id)]
    await service.publish(*events)
    await service.processed(*events)
    await service.settled()
    letters = await service.ctx.dead_letters.listing()
    assert [d["template"] for d in letters] == ["sla_warning"]
    assert "no active supervisor in unit 'legal'" in letters[0]["reason"]


async def test_event_delivered_twice_sends_once(service: Service) -> None:
    data = opened()
    address = email_of(data)
    event = case_event(data, data.case_id)
    await service.publish(event, event)
    await service.processed(event)
    await service.settled()
    # Even with its processed-event record gone, the ledger knows the mail was sent.
    await service.ctx.processed.collection.delete_many({})
    await service.publish(event)
    await service.processed(event)
    await service.settled()
    assert len(service.mailbox.to(address)) == 1
    assert len(service.receiver.accepted(HOOK)) == 1
    rows = await service.ctx.ledger.rows.find({"source_event_id": event.id}).to_list()
    assert sorted(r["state"] for r in rows) == [DeliveryState.sent] * 2
    assert all("notice" not in r for r in rows)  # the address is not kept once sent


async def test_delivery_in_doubt_after_a_crash_is_resent_with_the_same_key(
    service: Service,
) -> None:
    notice = partner_notice("crashed", "SG-CRSH-0001")
    now = datetime.now(UTC)
    # What a worker that died mid-send leaves behind: claimed, lease run out.
    row = ledger_row(notice, now, now) | {
        "state": DeliveryState.sending.value,
        "attempts": 1,
        "claim": "dead-worker",
        "next_attempt_at": now - timedelta(seconds=1),
        "lease_until": now - timedelta(seconds=1),
    }
    await service.ctx.ledger.rows.insert_one(row)
    service.ctx.wake_worker()
    await eventually(lambda: _one(service.receiver.accepted(HOOK)), what="resent webhook")
    await service.settled()
    [call] = service.receiver.accepted(HOOK)
    assert call.headers["idempotency-key"] == notice.notification_id
    assert service.ctx.metrics.in_doubt.labels("webhook")._value.get() == 1
    [sent] = [e.data for e in await service.notifications(1)]
    assert isinstance(sent, NotificationSent) and sent.attempts == 2


async def test_metrics_show_deliveries_backlog_and_dead_letters(
    start_service: StartService,
) -> None:
    async with start_service() as service:
        data = opened(channel=Channel.phone, contact=Contact(phone="0812345678"))
        service.receiver.fail("/sms", 400)
        event = case_event(data, data.case_id)
        await service.publish(event)
        await service.processed(event)
        await service.settled()
        await housekeeping_once(service.ctx)
        transport = httpx.ASGITransport(app=service.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://n") as http:
            text = (await http.get("/metrics")).text
    assert 'siang_notifications_sent_total{channel="webhook",template="case_received"} 1.0' in text
    assert (
        'siang_notifications_failed_total{channel="sms",permanent="true",template="case_received"} 1.0'
        in text
    )
    assert "siang_notification_dead_letters 1.0" in text
    assert "siang_notification_retry_backlog 0.0" in text
    assert 'siang_notification_delivery_seconds_count{channel="webhook"} 1.0' in text
