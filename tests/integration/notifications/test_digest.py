"""The daily digest: counted from the case facts the service keeps, sent to every active
supervisor of each unit with cases, once a day however often the job runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.notifications.handlers.digest import plan_daily_digest
from shared.contract.events import Clock
from tests.integration.notifications.conftest import Service, case_event, opened


async def test_daily_digest_goes_to_each_units_supervisors_once(service: Service) -> None:
    past = datetime.now(UTC) - timedelta(days=40)
    cases = [
        opened(contact=None),
        opened(contact=None, received_at=past, deadlines={Clock.resolution: past}),
        opened(contact=None, unit="finance", category="procurement"),
    ]
    events = [case_event(c, c.case_id) for c in cases]
    await service.publish(*events)
    await service.processed(*events)
    day = date.today()

    assert len(await plan_daily_digest(service.ctx, day)) == 3
    assert await plan_daily_digest(service.ctx, day) == []  # the job ran twice: once
    await service.settled()

    mails = {m.to: m for m in service.mailbox.mails}
    # finance.old is a supervisor no longer active.
    assert sorted(mails) == [
        "finance.deputy@siang.invalid",
        "finance.head@siang.invalid",
        "promotion.head@siang.invalid",
    ]
    promotion = mails["promotion.head@siang.invalid"]
    assert "สรุปเรื่องประจำวันที่" in promotion.subject
    assert "(เกินกำหนด 1 เรื่อง)" in promotion.subject
    text = promotion.part("plain")
    assert "เรื่องใหม่นับจากสรุปครั้งก่อน: 1 เรื่อง" in text
    assert "เรื่องที่ยังไม่แล้วเสร็จ: 2 เรื่อง" in text
    assert "เรื่องที่เกินกำหนด: 1 เรื่อง" in text
