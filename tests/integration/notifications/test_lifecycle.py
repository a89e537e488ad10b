"""A case's life, as real events on the real Kafka, produces exactly the messages the
rules call for: to the right people, in Thai, on their channel, and signed for partners."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import orjson

from services.notifications.domain.signing import verify
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseSlaBreached,
    CaseSlaWarning,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Channel,
    Clock,
    CloseReason,
    Contact,
    NotificationSent,
    Priority,
    Visibility,
)
from shared.contract.survey_token import verify_survey_token
from tests.integration.notifications.conftest import (
    LINE_TOKEN,
    LINE_USER,
    SMS_KEY,
    SURVEY_SECRET,
    WEBHOOK_SECRET,
    Service,
    case_event,
    email_of,
    opened,
)

HOOK = "/hooks/partner"


async def test_case_lifecycle_sends_exactly_the_expected_messages(service: Service) -> None:
    data = opened()
    cid = data.case_id
    complainant = email_of(data)
    due = datetime.now(UTC) + timedelta(days=3)
    events = [
        case_event(data, cid),
        case_event(
            CaseTriaged(
                case_id=cid,
                unit="promotion",
                priority=Priority.high,
                category="school-lunch",
                actor="triage.head",
            ),
            cid,
        ),
        case_event(
            CaseAssigned(
                case_id=cid, unit="promotion", assignee="promotion.a", actor="promotion.head"
            ),
            cid,
        ),
        case_event(
            CaseCommented(
                case_id=cid,
                comment_id="c1",
                visibility=Visibility.internal,
                text="โทรถามผู้อำนวยการโรงเรียนแล้ว (ภายใน)",
                author="promotion.a",
            ),
            cid,
        ),
        case_event(
            CaseCommented(
                case_id=cid,
                comment_id="c2",
                visibility=Visibility.public,
                text="เจ้าหน้าที่ลงพื้นที่ตรวจสอบในวันที่ 3 ธันวาคม",
                author="promotion.a",
            ),
            cid,
        ),
        case_event(
            CaseSlaWarning(
                case_id=cid,
                clock=Clock.resolution,
                threshold_percent=75,
                due_at=due,
                unit="promotion",
                assignee="promotion.a",
            ),
            cid,
        ),
        case_event(
            CaseSlaBreached(
                case_id=cid,
                clock=Clock.resolution,
                due_at=due,
                unit="promotion",
                assignee="promotion.a",
            ),
            cid,
        ),
        case_event(
            CaseStatusChanged.model_validate(
                {
                    "case_id": cid,
                    "from": CaseStatus.in_progress,
                    "to": CaseStatus.resolved,
                    "command": "resolve",
                    "public_reason": "โรงเรียนจัดอาหารครบตามจำนวนนักเรียนแล้ว",
                    "actor": "promotion.a",
                }
            ),
            cid,
        ),
        case_event(
            CaseClosed(case_id=cid, reason=CloseReason.resolved, actor="promotion.head"), cid
        ),
    ]
    await service.publish(*events)
    await service.processed(*events)
    await service.settled()
    await asyncio.sleep(0.3)  # anything extra would have been scheduled by now

    mails = service.mailbox.mails
    assert sorted(m.to for m in mails) == sorted(
        [complainant] * 3
        + ["promotion.a@siang.invalid"] * 2  # assigned, deadline warning
        + ["promotion.head@siang.invalid"]  # breach, escalated to the unit's supervisor
    )
    to_them = service.mailbox.to(complainant)
    received, comment, resolved = to_them
    assert received.subject.startswith("[สพป.เชียงใหม่ เขต 1] ได้รับเรื่องร้องเรียนของท่านแล้ว")
    assert data.tracking_code in received.subject
    text = received.part("plain")
    assert text.startswith("เรียน มาลี ใจงาม")
    assert f"รหัสติดตามเรื่อง: {data.tracking_code}" in text
    assert f"{datetime.now(UTC).year + 543}" in text  # dates in the Buddhist Era
    assert data.tracking_code in received.part("html")
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.message["Content-Language"] == "th"
    assert "เจ้าหน้าที่ลงพื้นที่ตรวจสอบ" in comment.part("plain")
    assert all("(ภายใน)" not in m.part("plain") for m in mails)  # internal never leaks

    answer = resolved.part("plain")
    assert "โรงเรียนจัดอาหารครบตามจำนวนนักเรียนแล้ว" in answer
    token = answer.split("/survey/")[1].split()[0]
    assert verify_survey_token(token, secret=SURVEY_SECRET).case_id == cid

    staff = service.mailbox.to("promotion.a@siang.invalid")
    assert data.tracking_code in staff[0].subject
    assert complainant not in staff[0].part("plain")  # staff never get the contact details
    assert "ปวีณา แสงทอง" in str(staff[0].message["To"])

    hooks = service.receiver.accepted(HOOK)
    assert [h.json()["template"] for h in hooks] == [
        "case_received",
        "public_comment",
        "case_resolved",
    ]
    for hook in hooks:
        verify(hook.body, hook.headers, WEBHOOK_SECRET)
        assert complainant.encode() not in hook.body  # partners get no personal data
        assert hook.json()["case"]["tracking_code"] == data.tracking_code

    sent = await service.notifications(9)
    assert all(isinstance(e.data, NotificationSent) for e in sent)
    assert len({e.data.notification_id for e in sent}) == 9
    assert {e.correlationid for e in sent} == {"corr-t"}


async def test_line_and_sms_complainants_hear_on_their_own_channel(service: Service) -> None:
    by_line = opened(channel=Channel.line, contact=Contact(name="Somchai", line_user_id=LINE_USER))
    by_phone = opened(channel=Channel.phone, contact=Contact(phone="081-234-5678"))
    events = [case_event(by_line, by_line.case_id), case_event(by_phone, by_phone.case_id)]
    await service.publish(*events)
    await service.processed(*events)
    await service.settled()

    [push] = service.receiver.accepted("/line/v2/bot/message/push")
    assert push.headers["authorization"] == f"Bearer {LINE_TOKEN}"
    body = push.json()
    assert body["to"] == LINE_USER
    assert by_line.tracking_code in body["messages"][0]["text"]
    assert "ได้รับ" in body["messages"][0]["text"]
    assert push.headers["x-line-retry-key"]

    [sms] = service.receiver.accepted("/sms")
    assert sms.headers["authorization"] == f"Bearer {SMS_KEY}"
    sms_body = orjson.loads(sms.body)
    assert sms_body["to"] == "+66812345678"
    assert by_phone.tracking_code in sms_body["text"]
    assert service.mailbox.mails == []
