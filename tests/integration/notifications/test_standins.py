"""Notices to complainants who came by phone or by LINE, delivered on the real Kafka and
MongoDB-wire server to `make dev`'s SMS-gateway and LINE stand-ins
(`deploy/local/sms_standin.py`, `deploy/local/line_standin.py`) serving in-process.

The complainant's contact is set up as intake leaves it: written once to the
personal-data store under `person_id_for(submission id)`, with the channel as source,
before `case.opened` names the person; notifications reads it from there to send."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from pydantic import SecretStr

from deploy.local import line_standin, sms_standin
from services.notifications.settings import LineSettings, SmsSettings
from shared.contract.events import (
    CaseOpened,
    Channel,
    CloudEvent,
    Contact,
    NotificationFailed,
    NotificationSent,
)
from shared.infra.personal_data import PersonalData, person_id_for
from tests.integration.notifications.conftest import (
    LINE_TOKEN,
    Service,
    StartService,
    case_event,
    opened,
)
from tests.integration.notifications.receivers import LateAnswers, serving

SMS_KEY = "integration-sms-gateway-key"
LINE_USER = "U" + "7" * 32
PUSH = "/v2/bot/message/push"
# How long the service waits for a gateway here, and how late a "lost" answer comes.
TIMEOUT = 1.0
LATE = TIMEOUT + 1.0


@dataclass
class Gateways:
    sms: sms_standin.Received
    line: line_standin.Received
    late_sms: LateAnswers
    late_line: LateAnswers


@asynccontextmanager
async def running(
    start_service: StartService, *, service_sms_key: str = SMS_KEY
) -> AsyncIterator[tuple[Service, Gateways]]:
    """The service pointed at both stand-ins (the SMS one expecting SMS_KEY)."""
    sms_box, line_box = sms_standin.Received(), line_standin.Received()
    late_sms = LateAnswers(
        sms_standin.create_app(api_key=SMS_KEY, received=sms_box), sms_standin.PATH, LATE
    )
    late_line = LateAnswers(line_standin.create_app(received=line_box), PUSH, LATE)
    async with serving(late_sms) as sms_url, serving(late_line) as line_url:
        settings = {
            "sms": SmsSettings(
                url=f"{sms_url}{sms_standin.PATH}",
                api_key=SecretStr(service_sms_key),
                timeout_seconds=TIMEOUT,
            ),
            "line": LineSettings(
                base_url=line_url, channel_token=SecretStr(LINE_TOKEN), timeout_seconds=TIMEOUT
            ),
        }
        async with start_service(**settings) as service:
            yield service, Gateways(sms_box, line_box, late_sms, late_line)


async def came_by(service: Service, channel: Channel, contact: Contact) -> CloudEvent[Any]:
    """A case opened for someone who wrote on `channel` and agreed to be answered: their
    contact in the personal-data store as intake writes it, the event naming them only."""
    submission_id = uuid4().hex
    person_id = person_id_for(submission_id)
    await PersonalData(service.db).insert_new(
        [PersonalData.document(person_id, contact, source=channel.value, at=datetime.now(UTC))]
    )
    data = opened(contact=None, channel=channel, submission_id=submission_id, person_id=person_id)
    return case_event(data, data.case_id)


async def delivered_twice(service: Service, event: CloudEvent[Any]) -> None:
    """Kafka delivers `event` twice, and once more after its processed-event record is
    gone (a consumer that crashed between its send and its commit)."""
    await service.publish(event, event)
    await service.processed(event)
    await service.settled()
    await service.ctx.processed.collection.delete_many({})
    await service.publish(event)
    await service.processed(event)
    await service.settled()


async def to_complainant(service: Service, channel: str) -> NotificationSent | NotificationFailed:
    """The outcome announced for the complainant's notice (the partner's webhook is the
    case's other notice)."""
    outcomes = [e.data for e in await service.notifications(2)]
    [mine] = [o for o in outcomes if o.channel == channel]
    assert isinstance(mine, NotificationSent | NotificationFailed)
    return mine


def _tracking_code(event: CloudEvent[Any]) -> str:
    assert isinstance(event.data, CaseOpened)
    return event.data.tracking_code


async def test_a_phone_complainant_gets_one_short_thai_sms_even_when_redelivered(
    start_service: StartService,
) -> None:
    async with running(start_service) as (service, gateways):
        event = await came_by(service, Channel.phone, Contact(name="สมหญิง", phone="081-234-5678"))
        await delivered_twice(service, event)
        sent = await to_complainant(service, "sms")
        letters = await service.ctx.dead_letters.listing()

    [sms] = gateways.sms.messages
    assert sms["to"] == "+66812345678" and sms["sender"] == "SIANG"
    # The short form: one line naming the office and the tracking code, not the letter.
    text = sms["text"]
    assert text.startswith("สพป.เชียงใหม่ เขต 1: ได้รับเรื่องของท่านแล้ว")
    assert _tracking_code(event) in text and "\n" not in text
    assert "จึงเรียนมาเพื่อโปรดทราบ" not in text
    assert sms["encoding"] == "UCS-2" and 1 <= sms["segments"] <= 3
    # The notification id is the reference and the idempotency key.
    assert isinstance(sent, NotificationSent) and sent.attempts == 1
    assert sms["reference"] == sms["idempotency_key"] == sent.notification_id
    assert gateways.sms.refused == [] and gateways.line.records == []
    assert letters == [] and service.mailbox.mails == []


async def test_a_gateway_outage_is_retried_and_the_sms_sent_once(
    start_service: StartService,
) -> None:
    async with running(start_service) as (service, gateways):
        gateways.sms.failures.extend([503, 502])
        event = await came_by(service, Channel.walk_in, Contact(phone="+66891234567"))
        await service.publish(event)
        await service.processed(event)
        await service.settled()
        sent = await to_complainant(service, "sms")
        letters = await service.ctx.dead_letters.listing()

    assert [r["status"] for r in gateways.sms.refused] == [503, 502]
    [sms] = gateways.sms.messages
    assert sms["to"] == "+66891234567"
    assert isinstance(sent, NotificationSent) and sent.attempts == 3
    assert sms["reference"] == sent.notification_id
    assert letters == []


async def test_an_sms_accepted_but_its_answer_lost_is_not_sent_twice(
    start_service: StartService,
) -> None:
    async with running(start_service) as (service, gateways):
        gateways.late_sms.count = 1  # the gateway takes it, the service hears nothing
        event = await came_by(service, Channel.phone, Contact(phone="0898765432"))
        await service.publish(event)
        await service.processed(event)
        await service.settled()
        sent = await to_complainant(service, "sms")
        letters = await service.ctx.dead_letters.listing()

    # Tried again with the same Idempotency-Key: answered as the first time, not sent.
    [sms] = gateways.sms.messages
    assert isinstance(sent, NotificationSent) and sent.attempts == 2
    assert sms["idempotency_key"] == sent.notification_id
    assert letters == []


async def test_a_gateway_refusal_ends_as_a_dead_letter_with_its_reason(
    start_service: StartService,
) -> None:
    async with running(start_service, service_sms_key="a-key-the-gateway-revoked") as (
        service,
        gateways,
    ):
        event = await came_by(service, Channel.phone, Contact(phone="0812345678"))
        await service.publish(event)
        await service.processed(event)
        await service.settled()
        failed = await to_complainant(service, "sms")
        letters = await service.ctx.dead_letters.listing()

    # Refused once, and not tried again: another attempt cannot fix a wrong key.
    assert [r["status"] for r in gateways.sms.refused] == [401]
    assert gateways.sms.messages == []
    [letter] = letters
    assert letter["permanent"] is True and letter["channel"] == "sms"
    assert "HTTP 401" in letter["reason"] and "missing or wrong API key" in letter["reason"]
    assert isinstance(failed, NotificationFailed) and failed.permanent and failed.attempts == 1
    assert "missing or wrong API key" in failed.reason
    assert "0812345678" not in letter["reason"] and "+66812345678" not in letter["reason"]


async def test_a_line_complainant_gets_one_push_even_when_redelivered(
    start_service: StartService,
) -> None:
    async with running(start_service) as (service, gateways):
        event = await came_by(service, Channel.line, Contact(line_user_id=LINE_USER))
        await delivered_twice(service, event)
        sent = await to_complainant(service, "line")

    [push] = gateways.line.of("push")
    assert push["to"] == LINE_USER
    assert push["authorization"] == f"Bearer {LINE_TOKEN}"
    [message] = push["messages"]
    assert message["type"] == "text"
    assert _tracking_code(event) in message["text"] and "ได้รับ" in message["text"]
    assert isinstance(sent, NotificationSent) and sent.attempts == 1
    assert push["retry_key"] == sent.notification_id
    assert gateways.sms.messages == [] and service.mailbox.mails == []


async def test_a_line_push_whose_answer_was_lost_counts_the_409_as_delivered(
    start_service: StartService,
) -> None:
    async with running(start_service) as (service, gateways):
        gateways.late_line.count = 1  # LINE takes the push, the service hears nothing
        event = await came_by(service, Channel.line, Contact(line_user_id=LINE_USER))
        await service.publish(event)
        await service.processed(event)
        await service.settled()
        sent = await to_complainant(service, "line")
        letters = await service.ctx.dead_letters.listing()

    # The retry carried the same X-Line-Retry-Key; LINE answered 409 and sent nothing.
    [push] = gateways.line.of("push")
    assert push["retry_key"] == sent.notification_id
    assert isinstance(sent, NotificationSent) and sent.attempts == 2
    assert letters == []
