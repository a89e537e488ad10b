"""Words of the staff pages for committees, their papers and meetings, and reviews, in
Thai and English."""

from __future__ import annotations

_TEXTS: dict[str, tuple[str, str]] = {
    "switch": ("English", "ภาษาไทย"),
    "console": ("งานการมีส่วนร่วม", "Participation work"),
    "committees": ("คณะกรรมการ", "Committees"),
    "reviews": ("การทบทวนผลการดำเนินงาน", "Reviews of performance"),
    "no_committees": ("ยังไม่มีคณะกรรมการที่ท่านเข้าถึงได้", "No committee you can read yet."),
    "term": ("วาระ", "Term"),
    "from": ("ตั้งแต่", "from"),
    "until": ("ถึง", "to"),
    "open_ended": ("ไม่กำหนด", "open-ended"),
    "order": ("คำสั่งแต่งตั้ง", "Appointment order"),
    "orders": ("คำสั่งแต่งตั้ง (เอกสาร)", "Appointment orders (documents)"),
    "no_orders": ("ยังไม่ได้แนบเอกสารคำสั่ง", "No order document attached yet."),
    "number": ("เลขที่คำสั่ง", "Order number"),
    "signed_on": ("ลงวันที่", "Signed on"),
    "title": ("เรื่อง", "Title"),
    "file": ("ไฟล์ (PDF, JPEG หรือ PNG)", "File (PDF, JPEG or PNG)"),
    "download": ("ดาวน์โหลด", "Download"),
    "attach": ("แนบคำสั่งแต่งตั้ง", "Attach an appointment order"),
    "members": ("กรรมการ", "Members"),
    "name": ("ชื่อ", "Name"),
    "group": ("กลุ่มผู้มีส่วนได้ส่วนเสีย", "Stakeholder group"),
    "role": ("ตำแหน่ง", "Role"),
    "retired": ("พ้นจากตำแหน่ง", "retired"),
    "meetings": ("การประชุม", "Meetings"),
    "no_meetings": ("ยังไม่มีการบันทึกการประชุม", "No meeting recorded yet."),
    "record_meeting": ("บันทึกการประชุม", "Record a meeting"),
    "held_on": ("วันที่ประชุม", "Held on"),
    "meeting_title": ("ชื่อการประชุม", "Meeting"),
    "agenda": ("วาระการประชุม (บรรทัดละหนึ่งวาระ)", "Agenda (one item a line)"),
    "attendance": ("การเข้าประชุม", "Attendance"),
    "present": ("มาประชุม", "present"),
    "absent": ("ไม่มาประชุม", "absent"),
    "not_recorded": ("ไม่บันทึก", "not recorded"),
    "minutes": ("รายงานการประชุม", "Minutes"),
    "resolutions": ("มติที่ประชุม", "Resolutions"),
    "resolutions_help": (
        "บรรทัดละหนึ่งมติ ถ้าเกี่ยวกับพันธกิจ/ยุทธศาสตร์ ให้ขึ้นต้นด้วยรหัสและ | เช่น S2 | เพิ่มผลไม้",
        "One resolution a line; if it is about a mission item, start with its code and | "
        "(S2 | more fruit)",
    ),
    "status.recorded": ("บันทึกแล้ว", "recorded"),
    "status.closed": ("รับรองรายงานแล้ว", "closed"),
    "close_meeting": ("รับรองรายงานการประชุม (ปิด)", "Approve the minutes (close)"),
    "present_count": ("มา", "present"),
    "absent_count": ("ไม่มา", "absent"),
    "back": ("กลับ", "Back"),
    "save": ("บันทึก", "Save"),
    "plan_review": ("วางแผนการทบทวน", "Plan a review"),
    "no_reviews": ("ยังไม่มีการทบทวนในปีงบประมาณนี้", "No review in this fiscal year yet."),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "mission_item": ("พันธกิจ/ยุทธศาสตร์", "Mission or strategy item"),
    "kind": ("รูปแบบ", "Kind"),
    "kind.meeting": ("การประชุม", "meeting"),
    "kind.survey_round": ("การสำรวจ", "survey round"),
    "planned_on": ("กำหนดวันที่", "Planned for"),
    "participants": ("ผู้เข้าร่วม", "Participants"),
    "findings": ("ข้อค้นพบ (บรรทัดละหนึ่งข้อ)", "Findings (one a line)"),
    "outcomes": ("ผลการดำเนินการที่เกิดจากการทบทวน", "Outcomes it led to"),
    "review.planned": ("วางแผนแล้ว", "planned"),
    "review.held": ("ดำเนินการแล้ว", "held"),
    "review.reported": ("รายงานผลแล้ว", "reported"),
    "hold": ("บันทึกการจัดทบทวน", "Record it held"),
    "report": ("รายงานผลการทบทวน", "Report the review"),
    "sign_in_first": (
        "กรุณาเข้าสู่ระบบที่หน้าคอนโซลเจ้าหน้าที่ก่อน",
        "Please sign in at the staff console first.",
    ),
    "sign_in": ("เข้าสู่ระบบ", "Sign in"),
    "not_found": ("ไม่พบรายการนี้", "Not found"),
    "csrf": (
        "แบบฟอร์มหมดอายุหรือไม่ได้มาจากหน้านี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
        "The form expired or did not come from this page; reload it and try again.",
    ),
    "problem": ("ไม่สามารถบันทึกได้", "Could not save"),
    "done": ("บันทึกแล้ว", "Saved"),
    "busy": ("ระบบไม่ว่าง กรุณาลองใหม่อีกครั้ง", "The system is busy; please try again."),
}


class StaffTexts:
    """`t["attach"]` in the staff templates: the text in the page's language."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __getitem__(self, key: str) -> str:
        th, en = _TEXTS.get(key, (key, key))
        return th if self.language == "th" else en

    def pick(self, thai: str, english: str | None) -> str:
        return english if self.language == "en" and english else thai
