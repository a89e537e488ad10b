"""Words of the staff console, in Thai and English."""

from __future__ import annotations

from shared.contract.vocabulary import (
    CHANNEL_LABELS,
    CLOCK_LABELS,
    CLOSE_REASON_LABELS,
    COMPLAINT_TYPE_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    keyed,
)

# The console's English badges and timeline are in lower case ("→ resolved"), like its
# priorities; the words are the shared ones.
_STATUSES = {key: (th, en.lower()) for key, (th, en) in keyed("status", STATUS_LABELS).items()}

_T: dict[str, tuple[str, str]] = {
    "console": ("ระบบจัดการเรื่องร้องเรียน", "Case console"),
    "switch": ("English", "ภาษาไทย"),
    "login": ("เข้าสู่ระบบ", "Sign in"),
    "logout": ("ออกจากระบบ", "Sign out"),
    "username": ("ชื่อผู้ใช้", "Username"),
    "password": ("รหัสผ่าน", "Password"),
    "bad_login": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password"),
    "locked": (
        "ลงชื่อเข้าใช้ผิดหลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่",
        "Too many failed sign-ins. Wait {minutes} minutes and try again.",
    ),
    "sign_out_everywhere": ("ออกจากระบบทุกเครื่อง", "Sign out everywhere"),
    "csrf": (
        "แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากหน้านี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
        "This form has expired or did not come from this site. Reload the page and try again.",
    ),
    "mine": ("เรื่องของฉัน", "My cases"),
    "unit": ("เรื่องในกลุ่มงาน", "Unit queue"),
    "all": ("ทั้งหมด", "All"),
    "open": ("ยังไม่ปิด", "Open"),
    "overdue": ("เกินกำหนด", "Overdue"),
    "tracking": ("รหัสติดตาม", "Tracking code"),
    "subject": ("เรื่อง", "Subject"),
    "status": ("สถานะ", "Status"),
    "priority": ("ความเร่งด่วน", "Priority"),
    "assignee": ("ผู้รับผิดชอบ", "Assignee"),
    "due": ("กำหนดตอบ", "Answer due"),
    "received": ("วันที่รับเรื่อง", "Received"),
    "kind": ("ประเภท", "Kind"),
    "category": ("หมวดหมู่", "Category"),
    "channel": ("ช่องทาง", "Channel"),
    "description": ("รายละเอียด", "Description"),
    "contact": ("ผู้ร้อง", "Complainant"),
    "anonymous": ("ไม่ประสงค์ออกนาม หรือไม่ยินยอมให้ติดต่อ", "Anonymous, or no consent to contact"),
    "deadlines": ("กำหนดเวลา", "Deadlines"),
    "timeline": ("ลำดับเหตุการณ์", "Timeline"),
    "actions": ("ดำเนินการ", "Actions"),
    "none": ("ไม่มีเรื่อง", "No cases"),
    "next": ("หน้าถัดไป", "Next page"),
    "back": ("กลับไปหน้ารายการ", "Back to the list"),
    "public_answer": ("คำตอบถึงผู้ร้อง (ผู้ร้องเห็นข้อความนี้)", "Answer to the complainant (they see it)"),
    "public_reason": ("ข้อความถึงผู้ร้อง (ผู้ร้องเห็นข้อความนี้)", "Message to the complainant (they see it)"),
    "reason": ("เหตุผล (ภายใน)", "Reason (internal)"),
    "text": ("ข้อความ", "Text"),
    "internal": ("บันทึกภายใน", "Internal note"),
    "public": ("แจ้งผู้ร้อง", "Tell the complainant"),
    "into_case_id": (
        "รหัสติดตามของเรื่องเดิมที่เรื่องนี้ซ้ำ (เช่น SG-7KQ4-M9XT-3PW5)",
        "Tracking code of the case this one repeats (e.g. SG-7KQ4-M9XT-3PW5)",
    ),
    "referred_to": ("ส่งต่อไปยังหน่วยงาน", "Referred to"),
    "stopped": ("หยุดแล้ว", "stopped"),
    "paused": ("พักนับเวลา", "paused"),
    "warned": ("แจ้งเตือนแล้ว", "warned at"),
    "duplicate_hint": ("อาจซ้ำกับเรื่อง", "May duplicate case"),
    "version_conflict": (
        "เรื่องนี้ถูกแก้ไขโดยผู้อื่นระหว่างนี้ โปรดตรวจสอบอีกครั้ง",
        "Someone changed this case meanwhile; please check it again",
    ),
    "done": ("บันทึกแล้ว", "Saved"),
    "cmd.triage": ("ส่งต่อกลุ่มงาน", "Route to unit"),
    "cmd.assign": ("มอบหมาย", "Assign"),
    "cmd.start": ("เริ่มดำเนินการ", "Start work"),
    "cmd.request_info": ("ขอข้อมูลเพิ่มเติม", "Ask for information"),
    "cmd.info_received": ("ได้รับข้อมูลแล้ว", "Information received"),
    "cmd.resolve": ("ตอบและแก้ไขแล้ว", "Resolve"),
    "cmd.close": ("ปิดเรื่อง", "Close"),
    "cmd.reopen": ("เปิดเรื่องใหม่", "Reopen"),
    "cmd.merge": ("รวมกับเรื่องซ้ำ", "Merge as duplicate"),
    "cmd.refer": ("ส่งต่อหน่วยงานอื่น", "Refer elsewhere"),
    "cmd.reject": ("ไม่รับเรื่อง", "Reject"),
    "cmd.withdraw": ("ผู้ร้องถอนเรื่อง", "Withdrawn"),
    "cmd.comment": ("บันทึกความคิดเห็น", "Comment"),
    "cmd.add_info": ("ผู้ร้องส่งข้อมูลเพิ่มเติม", "The complainant added information"),
    "cmd.open": ("รับเรื่อง", "Received"),
    "cmd.escalate": ("เกินกำหนด แจ้งหัวหน้า", "Escalated"),
    "cmd.erase_personal_data": ("ลบข้อมูลส่วนบุคคลแล้ว", "Personal data erased"),
    **_STATUSES,
    **keyed("priority", PRIORITY_LABELS),
    **keyed("clock", CLOCK_LABELS),
    # A case's place, files and keyer; the "new case" page (phone, walk-in, letter).
    "place": ("สถานที่", "Place"),
    "map": ("ดูบนแผนที่ (OpenStreetMap)", "Show on a map (OpenStreetMap)"),
    "files": ("ภาพถ่ายและเอกสาร", "Photos and documents"),
    "file.pdf": ("เอกสาร PDF", "PDF document"),
    "file.open": ("เปิดไฟล์", "Open"),
    "keyed_by": ("บันทึกโดย", "Keyed in by"),
    "letter": ("หนังสือ", "Letter"),
    "letter.number": ("เลขที่หนังสือ", "Letter number"),
    "letter.dated": ("ลงวันที่", "Dated"),
    "new_case": ("บันทึกเรื่องใหม่", "New case"),
    "new_case.title": (
        "บันทึกเรื่องใหม่ (โทรศัพท์ / มาด้วยตนเอง / หนังสือ)",
        "New case (phone / walk-in / letter)",
    ),
    "new_case.intro": (
        "บันทึกเรื่องที่รับทางโทรศัพท์ ผู้มาติดต่อด้วยตนเอง หรือหนังสือราชการ ระบบจะบันทึกว่าท่านเป็นผู้บันทึก",
        "Key in what a person told the office by phone, at the counter or in a letter. "
        "You are recorded as the one who keyed it in.",
    ),
    **keyed("channel", CHANNEL_LABELS),
    "letter.hint": (
        "เฉพาะหนังสือ: เลขที่หนังสือ และวันที่ลงในหนังสือ (เช่น 5/3/2568)",
        "Letters only: its number and the date it bears (e.g. 2025-03-05 or 5/3/2568 B.E.)",
    ),
    **keyed("kind", KIND_LABELS),
    **keyed("complaint_type", COMPLAINT_TYPE_LABELS),
    "complaint_type.none": ("— ไม่ใช่เรื่องร้องเรียน —", "— not a complaint —"),
    "category.choose": ("— เลือกหมวดหมู่ —", "— choose a category —"),
    "occurred_on": ("วันที่เกิดเหตุ (ถ้าทราบ)", "When it happened (if known)"),
    "location.text": ("สถานที่ (ที่อยู่ หรือจุดสังเกต)", "Where (an address or a landmark)"),
    "named_person": ("ชื่อบุคคลที่เกี่ยวข้อง (ถ้ามี)", "Person concerned (if any)"),
    "person": ("ผู้ร้อง (ไม่บังคับ)", "The person (optional)"),
    "contact.name": ("ชื่อ-นามสกุล", "Name"),
    "contact.phone": ("โทรศัพท์", "Phone"),
    "contact.email": ("อีเมล", "E-mail"),
    "consent.contact_me": ("ผู้ร้องยินยอมให้ติดต่อกลับ", "The person agrees to be contacted"),
    "consent.share_name_with_unit": (
        "ผู้ร้องยินยอมให้เปิดเผยชื่อแก่หน่วยงานที่รับผิดชอบ",
        "The person agrees to their name being shared with the unit",
    ),
    "attachments": ("สำเนาหนังสือ ภาพถ่าย หรือเอกสาร (ไม่บังคับ)", "Scan, photos or documents (optional)"),
    "attachments.hint": (
        "ไฟล์ JPEG, PNG หรือ PDF (ตรวจจากเนื้อไฟล์)",
        "JPEG, PNG or PDF (checked by content)",
    ),
    "attachment1": ("ไฟล์ที่ 1", "File 1"),
    "attachment2": ("ไฟล์ที่ 2", "File 2"),
    "attachment3": ("ไฟล์ที่ 3", "File 3"),
    "save": ("บันทึกเรื่อง", "Save"),
    "errors_heading": ("กรุณาแก้ไขข้อมูลต่อไปนี้", "Please correct the following"),
    "new_case.done": ("บันทึกเรื่องแล้ว", "Saved"),
    "new_case.read_out": (
        "กรุณาแจ้งรหัสติดตามและ PIN นี้แก่ผู้ร้อง (PIN แสดงเพียงครั้งเดียว) ผู้ร้องใช้ติดตามเรื่องได้ที่",
        "Read this tracking code and PIN to the person (the PIN is shown only this once). "
        "They follow their case at",
    ),
    "tracking_pin": ("PIN", "PIN"),
    "new_case.another": ("บันทึกเรื่องอื่น", "Key in another"),
    "new_case.queued": (
        "เรื่องจะเข้าสู่คิวของหน่วยงานที่รับผิดชอบภายในไม่กี่วินาที",
        "The case reaches the responsible unit's queue within seconds.",
    ),
    "intake_unavailable": (
        "ระบบรับเรื่องไม่ตอบในขณะนี้ ยังไม่ได้บันทึกเรื่อง กรุณาลองใหม่อีกครั้ง",
        "The intake service did not answer; nothing was saved. Please try again.",
    ),
    "too_large": (
        "ไฟล์รวมกันมีขนาดใหญ่เกินไป ยังไม่ได้บันทึกเรื่อง",
        "The files are too large in total; nothing was saved.",
    ),
    "not_keyer": (
        "เฉพาะเจ้าหน้าที่ หัวหน้าหน่วยงาน และผู้ดูแลระบบบันทึกเรื่องแทนผู้ร้องได้",
        "Only staff, supervisors and admins key in cases.",
    ),
    # The case page: every field in words (see case_words), the survey answer, the
    # related cases, and the command forms.
    "skip": ("ข้ามไปยังเนื้อหาหลัก", "Skip to the main content"),
    "contact.line_user_id": ("LINE", "LINE"),
    "unit_field": ("กลุ่มงาน", "Unit"),
    "responsible_unit": ("กลุ่มงานที่รับผิดชอบ", "Responsible unit"),
    "complaint_type": ("ลักษณะเรื่องร้องเรียน", "Complaint about"),
    "occurred": ("วันที่เกิดเหตุ", "When it happened"),
    "close_reason": ("เหตุที่ปิดเรื่อง", "Closed as"),
    "reopen_count": ("เปิดเรื่องใหม่แล้ว", "Reopened"),
    "times": ("ครั้ง", "times"),
    "case_details": ("ข้อมูลเรื่อง", "Case details"),
    "unassigned": ("ยังไม่มีผู้รับผิดชอบ", "Nobody yet"),
    "survey": ("ผลแบบสอบถามความพึงพอใจ", "Satisfaction survey"),
    "survey.rating": ("ความพึงพอใจ", "Satisfaction"),
    "survey.of_five": ("จาก 5", "out of 5"),
    "survey.solved": ("ได้รับการแก้ไขแล้วหรือไม่", "Was it solved?"),
    "survey.comment": ("ความคิดเห็นของผู้ร้อง", "The complainant's comment"),
    "survey.no_comment": ("ไม่มีความคิดเห็นเพิ่มเติม", "No comment"),
    "survey.answered_at": ("ตอบเมื่อ", "Answered"),
    "yes": ("ใช่ ได้รับการแก้ไขแล้ว", "Yes, solved"),
    "no": ("ยังไม่ได้รับการแก้ไข", "No, not solved"),
    "related": ("เรื่องที่เกี่ยวข้อง", "Related cases"),
    "possible_duplicate": (
        "อาจซ้ำกับเรื่องก่อนหน้าของผู้ร้องรายเดียวกัน",
        "May repeat an earlier case of the same person",
    ),
    "merged_into": ("รวมเข้ากับเรื่อง", "Merged into"),
    "merged_cases": ("เรื่องซ้ำที่รวมเข้ามาในเรื่องนี้", "Duplicates merged into this case"),
    "open_cases": ("เรื่องค้าง {n} เรื่อง", "{n} open cases"),
    "absent_today": ("ลาวันนี้", "away today"),
    "who_reads": ("ผู้อ่านข้อความ", "Who reads it"),
    "escalated.clocks": ("กำหนดที่เลยมาแล้ว", "Deadline passed"),
    "escalated.to": ("แจ้งหัวหน้า", "Supervisor told"),
    "missing_field": ("กรุณากรอก: {field}", "Please fill in: {field}"),
    "conflict_of_interest": (
        "มอบหมายให้บุคคลที่เรื่องนี้กล่าวถึงไม่ได้",
        "The case cannot go to a person it names",
    ),
    "no_such_case": (
        "ไม่พบเรื่องตามรหัสติดตามที่ระบุ",
        "No case has that tracking code",
    ),
    "refused": ("ดำเนินการไม่ได้", "Not done"),
    **keyed("close_reason", CLOSE_REASON_LABELS),
}


class Texts:
    """`t["key"]` in a template: the Thai or English words, or the key itself."""

    def __init__(self, lang: str) -> None:
        self.index = 1 if lang == "en" else 0

    def __getitem__(self, key: str) -> str:
        pair = _T.get(key)
        return pair[self.index] if pair else key

    def get(self, key: str, fallback: str) -> str:
        """The words for `key`, or `fallback` (e.g. the code itself) when there are none."""
        pair = _T.get(key)
        return pair[self.index] if pair else fallback
