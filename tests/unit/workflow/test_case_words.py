"""A case in words for the console: codes by their Thai or English words, people by name
with their id beside it, the timeline's steps with what they did; an unknown code shows
as it is instead of failing the page."""

from __future__ import annotations

from datetime import UTC, datetime

from services.workflow.web.case_words import CaseWords, Person
from services.workflow.web.texts import Texts
from shared.contract.catalogue import load_catalogue

AT = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
NAMES = {"personnel.a": "จันทร์เพ็ญ ใจดี", "personnel.head": "สมหมาย หัวหน้า"}


def words(lang: str = "th") -> CaseWords:
    return CaseWords(Texts(lang), lang, load_catalogue(), NAMES)


def test_codes_read_as_words_in_each_language() -> None:
    th, en = words("th"), words("en")
    assert (th.kind("question"), en.kind("question")) == ("สอบถาม", "Question")
    assert th.category("personnel-matters") == "การบรรจุ แต่งตั้ง ย้าย และสวัสดิการบุคลากร"
    assert en.unit("personnel") == "Personnel Administration Division"
    assert (th.channel("walk_in"), en.channel("email")) == ("มาด้วยตนเอง", "E-mail")
    assert th.complaint_type("misconduct") == "การประพฤติมิชอบของเจ้าหน้าที่"
    assert en.clock("first_response") == "First response"
    assert th.close_reason("duplicate").startswith("ซ้ำกับเรื่องอื่น")
    assert th.reason("fewest open cases") == "มอบหมายอัตโนมัติ: ผู้มีเรื่องค้างน้อยที่สุดในกลุ่มงาน"


def test_an_unknown_code_shows_as_it_is() -> None:
    w = words()
    assert w.kind("petition") == "petition"
    assert w.category("retired-category") == "retired-category"
    assert w.unit("closed-unit") == "closed-unit"
    assert w.channel(None) == ""
    assert w.reason("ย้ายงานให้คนที่รู้เรื่อง") == "ย้ายงานให้คนที่รู้เรื่อง"  # a person's own words
    assert w.person("gone.person") == Person("gone.person", None)
    unknown = w.step({"at": AT, "actor": "x", "command": "teleport", "to_status": "somewhere"})
    assert unknown.what == "teleport" and unknown.to_status == "somewhere"


def test_people_by_name_with_their_id_the_system_in_words() -> None:
    assert words().person("personnel.a") == Person("จันทร์เพ็ญ ใจดี", "personnel.a")
    assert words().person("system") == Person("ระบบ (อัตโนมัติ)", None)
    assert words("en").person("survey") == Person("The satisfaction survey", None)


def test_a_step_says_what_it_did() -> None:
    w = words()
    assigned = w.step(
        {
            "at": AT,
            "actor": "system",
            "command": "assign",
            "from_status": "triaged",
            "to_status": "assigned",
            "assignee": "personnel.a",
            "reason": "fewest open cases",
            "visibility": "public",
        }
    )
    assert assigned.what == "มอบหมาย" and assigned.who.name == "ระบบ (อัตโนมัติ)"
    assert assigned.to_status == "มอบหมายผู้รับผิดชอบแล้ว"
    assert assigned.details == ("ผู้รับผิดชอบ: จันทร์เพ็ญ ใจดี (personnel.a)",)
    assert assigned.internal_text and "น้อยที่สุด" in assigned.internal_text
    escalated = words("en").step(
        {
            "at": AT,
            "actor": "system",
            "command": "escalate",
            "from_status": "in_progress",
            "to_status": "in_progress",
            "reason": "deadline passed; escalated to personnel.head",
            "visibility": "internal",
            "clocks": ["resolution"],
            "escalated_to": "personnel.head",
        }
    )
    assert escalated.to_status is None and escalated.internal
    assert escalated.details == (
        "Deadline passed: Resolution",
        "Supervisor told: สมหมาย หัวหน้า (personnel.head)",
    )
    assert escalated.internal_text is None


def test_an_erasure_says_its_legal_basis_in_words() -> None:
    entry = {
        "at": AT,
        "actor": "system",
        "command": "erase_personal_data",
        "from_status": "closed",
        "to_status": "closed",
        "reason": "personal data erased (retention)",
        "legal_basis": "retention",
        "visibility": "internal",
    }
    thai, english = words("th").step(entry), words("en").step(entry)
    assert thai.what == "ลบข้อมูลส่วนบุคคลแล้ว" and english.what == "Personal data erased"
    assert thai.details == ("ฐานทางกฎหมาย: ครบระยะเวลาการเก็บรักษาข้อมูล",)
    assert english.details == ("Legal basis: Retention period ended",)
    assert thai.internal_text is None and english.internal_text is None
    # A line written before it carried its basis reads the same from its note.
    older = {k: v for k, v in entry.items() if k != "legal_basis"}
    older["reason"] = "personal data erased (consent_withdrawn)"
    assert words("en").step(older).details == ("Legal basis: Consent withdrawn",)
