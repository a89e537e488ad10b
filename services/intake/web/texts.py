"""Words of the public web pages, in Thai and English (the API's refusals are in
`domain/messages.py`)."""

from __future__ import annotations

from shared.contract.events import Language
from shared.contract.vocabulary import KIND_LABELS, STATUS_LABELS, keyed

_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("แจ้งเรื่องร้องเรียน ข้อเสนอแนะ และคำถาม", "Complaints, feedback and questions"),
    "intro": (
        "บอกเราว่าเกิดอะไรขึ้น เราจะส่งเรื่องให้หน่วยงานที่รับผิดชอบและแจ้งความคืบหน้าภายใน 15 วัน "
        "ท่านไม่จำเป็นต้องระบุชื่อ",
        "Tell us what happened. We pass it to the responsible unit and tell you what we are "
        "doing within 15 days. You do not have to give your name.",
    ),
    "switch": ("English", "ภาษาไทย"),
    "errors_heading": ("กรุณาแก้ไขข้อมูลต่อไปนี้", "Please correct the following"),
    "kind": ("ประเภทเรื่อง", "What is it?"),
    **keyed("kind", KIND_LABELS),
    "complaint_type": ("ลักษณะการร้องเรียน (เฉพาะเรื่องร้องเรียน)", "Type of complaint (complaints only)"),
    "complaint_type.none": ("— ไม่ใช่เรื่องร้องเรียน —", "— not a complaint —"),
    "complaint_type.service": ("การให้บริการ", "A service"),
    "complaint_type.misconduct": ("การประพฤติมิชอบของเจ้าหน้าที่", "Misconduct by an official"),
    "category": ("หมวดหมู่", "Category"),
    "category.choose": ("— เลือกหมวดหมู่ —", "— choose a category —"),
    "subject": ("หัวเรื่อง", "Subject"),
    "description": ("รายละเอียด", "Details"),
    "occurred_on": ("วันที่เกิดเหตุ (ถ้าทราบ)", "When it happened (if known)"),
    "location.text": ("สถานที่", "Where"),
    "named_person": ("ชื่อบุคคลที่เกี่ยวข้อง (ถ้ามี)", "Person concerned (if any)"),
    "consultation_id": (
        "รหัสการรับฟังความคิดเห็น (ถ้าเป็นความคิดเห็นต่อเรื่องที่สำนักงานรับฟัง)",
        "Consultation id (if this is an opinion on a public consultation)",
    ),
    "stakeholder_group": ("กลุ่มผู้มีส่วนได้ส่วนเสีย", "Stakeholder group"),
    "contact": ("ช่องทางติดต่อกลับ (ไม่บังคับ)", "How to reach you (optional)"),
    "contact.name": ("ชื่อ-นามสกุล", "Name"),
    "contact.phone": ("โทรศัพท์", "Phone"),
    "contact.email": ("อีเมล", "E-mail"),
    "contact.line_user_id": ("LINE ID", "LINE ID"),
    "consent": ("ความยินยอม", "Consent"),
    "consent.contact_me": ("ยินยอมให้ติดต่อกลับ", "You may contact me"),
    "consent.share_name_with_unit": (
        "ยินยอมให้เปิดเผยชื่อแก่หน่วยงานที่รับผิดชอบ",
        "You may share my name with the responsible unit",
    ),
    "send": ("ส่งเรื่อง", "Send"),
    "received": ("เราได้รับเรื่องของท่านแล้ว", "We have received your submission"),
    "keep": (
        "กรุณาจดรหัสติดตามและ PIN ไว้ PIN จะแสดงเพียงครั้งเดียว",
        "Write down the tracking code and PIN. The PIN is shown only this once.",
    ),
    "tracking_code": ("รหัสติดตาม", "Tracking code"),
    "tracking_pin": ("PIN", "PIN"),
    "track_link": ("ติดตามสถานะ", "Track its status"),
    "track_title": ("ติดตามสถานะเรื่อง", "Track a submission"),
    "pin": ("PIN 6 หลัก", "6-digit PIN"),
    "show": ("ดูสถานะ", "Show status"),
    "status": ("สถานะ", "Status"),
    "received_at": ("วันที่รับเรื่อง", "Received"),
    "updated_at": ("ปรับปรุงล่าสุด", "Last update"),
    "unit": ("หน่วยงานที่รับผิดชอบ", "Responsible unit"),
    "answer_due": ("กำหนดแจ้งผลภายใน", "Answer due by"),
    "close_reason": ("เหตุที่ยุติเรื่อง", "Why it was closed"),
    "public_answer": ("คำตอบของสำนักงาน", "The office's answer"),
    "timeline": ("ความคืบหน้า", "Progress"),
    # How the public timeline names what happened when the status did not change.
    "event.comment": ("ข้อความจากเจ้าหน้าที่", "A message from the office"),
    "event.open": ("รับเรื่องแล้ว", "Received"),
    "close_reason.resolved": ("ดำเนินการแล้วเสร็จ", "Resolved"),
    "close_reason.duplicate": (
        "เป็นเรื่องเดียวกับเรื่องที่สำนักงานได้รับไว้แล้ว",
        "The same matter as a case the office already has",
    ),
    "close_reason.referred": (
        "ส่งต่อให้หน่วยงานที่มีอำนาจหน้าที่โดยตรง",
        "Referred to the agency responsible",
    ),
    "close_reason.not_in_scope": ("ไม่อยู่ในอำนาจหน้าที่ของสำนักงาน", "Outside the office's remit"),
    "close_reason.rejected": ("ไม่อาจรับไว้พิจารณาได้", "Cannot be accepted for consideration"),
    "close_reason.withdrawn": ("ผู้ยื่นเรื่องขอถอนเรื่อง", "Withdrawn at your request"),
    "new": ("แจ้งเรื่องใหม่", "Send another"),
    **keyed("status", STATUS_LABELS),
}


class Texts:
    """`t["subject"]` in templates: the text in the page's language."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __getitem__(self, key: str) -> str:
        th, en = _TEXTS.get(key, (key, key))
        return th if self.language == Language.th else en
