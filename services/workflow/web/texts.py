"""Words of the staff console, in Thai and English."""

from __future__ import annotations

from shared.contract.vocabulary import PRIORITY_LABELS, STATUS_LABELS, keyed

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
    "into_case_id": ("รหัสเรื่องที่ซ้ำ", "Duplicate of case"),
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
    "clock.acknowledge": ("ตอบรับเรื่อง", "acknowledge"),
    "clock.first_response": ("แจ้งผลเบื้องต้น", "first response"),
    "clock.resolution": ("แก้ไขแล้วเสร็จ", "resolution"),
}


class Texts:
    """`t["key"]` in a template: the Thai or English words, or the key itself."""

    def __init__(self, lang: str) -> None:
        self.index = 1 if lang == "en" else 0

    def __getitem__(self, key: str) -> str:
        pair = _T.get(key)
        return pair[self.index] if pair else key
