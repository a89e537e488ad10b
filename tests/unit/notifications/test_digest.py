"""The daily digest per unit for supervisors."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.notifications.domain.digest import (
    UnitCounts,
    digest_context,
    digest_source_id,
    plan_digest,
)
from services.notifications.domain.notice import DeliveryChannel, RecipientRole, TemplateName

DAY = date(2026, 11, 30)


def test_one_digest_per_supervisor(office):
    counts = UnitCounts(open=12, overdue=3, new=4)
    notices = plan_digest("promotion", counts, DAY, office, ["sup.malee", "sup.anan"])
    assert [n.recipient for n in notices] == ["sup.malee", "sup.anan"]
    for n in notices:
        assert n.recipient_role is RecipientRole.supervisor
        assert n.channel is DeliveryChannel.email
        assert n.template is TemplateName.daily_digest
        assert n.source_event_id == "digest:promotion:2026-11-30"
        assert n.case_id is None
    assert len({n.ledger_key for n in notices}) == 2


def test_without_named_supervisors_the_unit_group_gets_it(office):
    [n] = plan_digest("promotion", UnitCounts(open=1, overdue=0, new=0), DAY, office)
    assert n.recipient == "@unit:promotion"


def test_a_quiet_unit_gets_no_digest(office):
    assert plan_digest("promotion", UnitCounts(open=0, overdue=0, new=0), DAY, office) == []


def test_the_same_day_twice_has_the_same_keys(office):
    counts = UnitCounts(open=5, overdue=1, new=2)
    first = plan_digest("promotion", counts, DAY, office, ["s"])
    second = plan_digest("promotion", counts, DAY, office, ["s"])
    assert [n.ledger_key for n in first] == [n.ledger_key for n in second]
    next_day = plan_digest("promotion", counts, date(2026, 12, 1), office, ["s"])
    assert first[0].ledger_key != next_day[0].ledger_key


def test_context(office):
    ctx = digest_context("promotion", UnitCounts(open=8, overdue=3, new=2, due_soon=1), DAY, office)
    assert ctx["unit_name"] == "กลุ่มส่งเสริมการจัดการศึกษา"
    assert ctx["overdue_percent"] == 38
    assert ctx["day"] == "2026-11-30"
    assert ctx["dashboard_url"] == "https://siang.example.go.th/staff?unit=promotion"
    assert (
        digest_context("x", UnitCounts(open=0, overdue=0, new=1), DAY, office)["overdue_percent"]
        == 0
    )


def test_counts_are_never_negative():
    with pytest.raises(ValidationError):
        UnitCounts(open=-1, overdue=0, new=0)


def test_source_id():
    assert digest_source_id("legal", DAY) == "digest:legal:2026-11-30"
