"""The history page says each change in the office's words: a category and a unit by
their names, a priority, role or clock in the page's language, a secret never shown."""

from __future__ import annotations

from datetime import UTC, datetime

from services.workflow.domain.admin_history import Subject, entry_for
from services.workflow.web.admin_history import history_rows
from services.workflow.web.texts import Texts
from shared.contract.catalogue import load_catalogue

CATALOGUE = load_catalogue()
AT = datetime(2026, 1, 5, 3, tzinfo=UTC)


def lines(subject: Subject, before: dict, after: dict, lang: str = "th", **extra: object):
    entry = entry_for(
        at=AT, by="admin", by_name="ผู้ดูแล", subject=subject, before=before, after=after, **extra
    )
    [row] = history_rows([entry], Texts(lang), CATALOGUE, lang)
    return row, [(c.field, c.before, c.after, c.secret) for c in row.changes]


def test_a_routing_change_names_the_category_and_units() -> None:
    before = {"category_units": {}, "priority": {"by_category": {"corruption": "high"}}}
    after = {
        "category_units": {"documents": "legal"},
        "priority": {"by_category": {"corruption": "urgent"}},
    }
    row, said = lines(Subject.routing, before, after)
    assert row.what == "การส่งต่อเรื่อง"
    assert said[0] == (
        "กลุ่มงานที่รับเรื่อง: หนังสือราชการ การขอเอกสารและหนังสือรับรอง",
        "กลุ่มอำนวยการ (ตามบัญชีหมวดหมู่)",
        "กลุ่มกฎหมายและคดี",
        False,
    )
    assert said[1][0] == "ความเร่งด่วน: การทุจริตและประพฤติมิชอบ"
    _, english = lines(Subject.routing, before, after, "en")
    assert english[1][1:3] == ("high", "urgent")


def test_a_deadline_rule_and_an_account_in_words() -> None:
    _, said = lines(
        Subject.sla, {"rules": [{"first_response": 3}]}, {"rules": [{"first_response": 2}]}, "en"
    )
    assert said == [("Rule 1 · First response", "3", "2", False)]
    row, said = lines(
        Subject.staff,
        {"role": "staff", "active": True},
        {"role": "supervisor", "active": False},
        target="legal.a",
        password_set=True,
    )
    assert row.what == "บัญชีเจ้าหน้าที่: legal.a"
    assert said == [
        ("สถานะ", "ใช้งานอยู่", "ปิดการใช้งาน", False),
        ("บทบาท", "เจ้าหน้าที่", "หัวหน้ากลุ่มงาน", False),
        ("รหัสผ่าน", "—", "—", True),
    ]
