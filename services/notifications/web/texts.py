"""Words of notifications' admin pages (the template previews), in Thai and English."""

from __future__ import annotations

from shared.contract.vocabulary import DELIVERY_CHANNEL_LABELS, keyed

_TEXTS: dict[str, tuple[str, str]] = {
    "switch": ("English", "ภาษาไทย"),
    "title": ("แม่แบบข้อความแจ้งเตือน", "Notification templates"),
    "intro": (
        "ข้อความแต่ละแบบตามที่ระบบส่งจริง ในภาษาไทยและภาษาอังกฤษ ทุกช่องทางที่ใช้ "
        "ตัวอย่างใช้เรื่องสมมุติ (อาหารกลางวันโรงเรียน) และข้อมูลสำนักงานที่ตั้งค่าไว้ ไม่มีการส่งจริง",
        "Each message as it is sent, in Thai and English, on every channel it goes by. "
        "The samples use a made-up case (a school-lunch complaint) and this office's "
        "settings; nothing is sent.",
    ),
    "console": ("คอนโซลเจ้าหน้าที่", "Staff console"),
    "signed_in_as": ("เข้าสู่ระบบในชื่อ", "Signed in as"),
    "template": ("แม่แบบ", "Template"),
    "audience": ("ผู้รับ", "Sent to"),
    "channels": ("ช่องทาง", "Channels"),
    "preview": ("ตัวอย่าง", "Preview"),
    "all_templates": ("แม่แบบทั้งหมด", "All templates"),
    "in_thai": ("ภาษาไทย", "Thai"),
    "in_english": ("ภาษาอังกฤษ", "English"),
    "subject": ("หัวเรื่อง", "Subject"),
    "body": ("เนื้อความ", "Body"),
    "email_html": ("ดูอีเมลแบบ HTML", "See the HTML e-mail"),
    "chat_note": (
        "LINE และ Messenger ส่งเนื้อความเดียวกับอีเมลแบบข้อความล้วน",
        "LINE and Messenger send the plain-text body of the e-mail.",
    ),
    "characters": ("{n} ตัวอักษร", "{n} characters"),
    "sms_cost": (
        "{chars} ตัวอักษร · รหัส {encoding} · คิดเป็น {count} ข้อความ",
        "{chars} characters · {encoding} · {count} SMS",
    ),
    "sms_note": (
        "ภาษาไทยส่งแบบ UCS-2: 70 ตัวอักษรต่อข้อความ หรือ 67 ต่อส่วนเมื่อยาวกว่านั้น",
        "Thai goes as UCS-2: 70 characters in one SMS, 67 a part when longer.",
    ),
    "cannot_render": ("แสดงแม่แบบนี้ไม่ได้", "This template cannot be rendered"),
    "forbidden": (
        "หน้านี้สำหรับผู้ดูแลระบบ (admin) เท่านั้น",
        "This page is for administrators (role admin) only.",
    ),
    "not_found": ("ไม่พบแม่แบบนี้", "No such template."),
    "sign_in_again": ("เข้าสู่ระบบด้วยบัญชีอื่น", "Sign in as someone else"),
    "audience.complainant": ("ผู้ร้อง", "The complainant"),
    "audience.assignee": ("เจ้าหน้าที่ผู้รับผิดชอบเรื่อง", "The officer in charge"),
    "audience.supervisor": ("หัวหน้ากลุ่มงาน", "The unit's supervisors"),
    "audience.participant": ("ผู้แสดงความคิดเห็น", "People who gave an opinion"),
    "audience.subscriber": ("ระบบคู่ความร่วมมือ", "Partner systems"),
    **keyed("channel", DELIVERY_CHANNEL_LABELS),
    "template.case_received": ("รับเรื่องแล้ว", "Case received"),
    "template.case_assigned": ("มอบหมายเรื่อง", "Case assigned"),
    "template.status_update": ("ความคืบหน้าของเรื่อง", "Status update"),
    "template.public_comment": ("ข้อความจากเจ้าหน้าที่", "Message from the office"),
    "template.sla_warning": ("ใกล้ครบกำหนด", "Deadline approaching"),
    "template.sla_breached": ("เกินกำหนด", "Deadline missed"),
    "template.case_resolved": ("แจ้งผลการดำเนินการ", "Case resolved"),
    "template.case_closed": ("ยุติเรื่อง", "Case closed"),
    "template.complainant_added_info": ("ผู้ร้องส่งข้อมูลเพิ่ม", "Complainant added information"),
    "template.complainant_withdrew": ("ผู้ร้องถอนเรื่อง", "Complainant withdrew"),
    "template.daily_digest": ("สรุปเรื่องประจำวัน", "Daily summary"),
    "template.outcome_published": ("ผลจากความคิดเห็น", "What we did with your opinion"),
}


class Texts:
    """`t["title"]` in the templates: the text in the page's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        th, en = _TEXTS.get(key, (key, key))
        return th if self.lang == "th" else en
