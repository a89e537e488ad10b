"""Words of the mission-survey pages (public and staff), in Thai and English; what they
do not say here, the public pages' and staff pages' own words say (their headers)."""

from __future__ import annotations

from services.participation.web.staff_texts import StaffTexts
from services.participation.web.texts import Texts
from shared.contract.events import Language

_TEXTS: dict[str, tuple[str, str]] = {
    "surveys": ("แบบสำรวจความพึงพอใจ", "Satisfaction surveys"),
    "survey_intro": (
        "แบบสำรวจความพึงพอใจต่อการดำเนินงานตามพันธกิจ ไม่ต้องระบุชื่อ ตอบแต่ละข้อจาก "
        "1 (พอใจน้อยที่สุด) ถึง 5 (พอใจมากที่สุด)",
        "A survey of your satisfaction with the office's work on its mission. You need not "
        "give your name. Score each statement from 1 (least satisfied) to 5 (most satisfied).",
    ),
    "for_group": ("สำหรับ", "For"),
    "mission_item": ("พันธกิจ/ยุทธศาสตร์", "Mission or strategy item"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "period": ("ระยะเวลา", "Period"),
    "until": ("ถึง", "to"),
    "score.1": ("1 น้อยที่สุด", "1 least"),
    "score.2": ("2 น้อย", "2 low"),
    "score.3": ("3 ปานกลาง", "3 fair"),
    "score.4": ("4 มาก", "4 high"),
    "score.5": ("5 มากที่สุด", "5 most"),
    "no_score": ("ไม่ตอบ", "no answer"),
    "send": ("ส่งแบบสำรวจ", "Send"),
    "errors_heading": ("กรุณาแก้ไขข้อมูลต่อไปนี้", "Please correct the following"),
    "thanks": ("ขอบคุณที่ตอบแบบสำรวจ", "Thank you for answering"),
    "thanks_note": (
        "สำนักงานจะนำผลไปปรับปรุงการดำเนินงาน และรายงานผลในรายงานการมีส่วนร่วม",
        "The office will use the results to improve its work and report them in its "
        "participation report.",
    ),
    "reference": ("เลขที่อ้างอิง", "Reference"),
    "not_found": ("ไม่พบแบบสำรวจนี้", "No such survey"),
    "closed": (
        "แบบสำรวจนี้ปิดแล้ว ไม่รับคำตอบเพิ่ม",
        "This survey has closed; it takes no more answers.",
    ),
    "not_open": ("แบบสำรวจนี้ยังไม่เปิดรับคำตอบ", "This survey is not open for answers yet."),
    "answered": (
        "ลิงก์นี้ใช้ตอบแบบสำรวจไปแล้ว ลิงก์ส่วนบุคคลตอบได้ครั้งเดียว ขอบคุณที่ร่วมตอบ",
        "This link has been used to answer already: a personal link answers once. "
        "Thank you for taking part.",
    ),
    "expired": (
        "ลิงก์นี้หมดอายุแล้ว กรุณาตอบผ่านลิงก์สาธารณะของแบบสำรวจ",
        "This link has expired; please answer through the survey's public link.",
    ),
    "bad_link": (
        "ลิงก์นี้ไม่ถูกต้อง กรุณาตรวจสอบลิงก์ที่ได้รับอีกครั้ง",
        "This link is not valid; please check the link you were sent.",
    ),
    "csrf": (
        "แบบฟอร์มหมดอายุ กรุณาเปิดหน้าแบบสำรวจใหม่แล้วส่งอีกครั้ง",
        "The form has expired; open the survey again and send it once more.",
    ),
    "busy": ("ระบบไม่ว่าง กรุณาลองใหม่อีกครั้ง", "The system is busy; please try again."),
    "too_large": ("ข้อความยาวเกินไป", "What you sent is too long."),
    "problem.score": ("กรุณาเลือกคะแนน 1 ถึง 5", "Please pick a score from 1 to 5."),
    "problem.empty": ("กรุณาตอบอย่างน้อยหนึ่งข้อ", "Please answer at least one question."),
    "problem.invalid": ("ข้อมูลนี้ไม่ถูกต้อง", "This is not valid."),
    "results": ("ผลการสำรวจ", "Results"),
    "responses": ("จำนวนผู้ตอบ", "Responses"),
    "mean": ("ค่าเฉลี่ย", "Mean"),
    "item": ("ข้อ", "Statement"),
    "answered_n": ("ตอบ", "Answered"),
    "personal_link": ("ลิงก์ส่วนบุคคล", "Personal link"),
    # Staff pages.
    "no_surveys": ("ยังไม่มีแบบสำรวจในปีงบประมาณนี้", "No survey in this fiscal year yet."),
    "title": ("แบบสำรวจ", "Survey"),
    "group": ("กลุ่มผู้มีส่วนได้ส่วนเสีย", "Stakeholder group"),
    "status": ("สถานะ", "Status"),
    "status.draft": ("ร่าง", "draft"),
    "status.open": ("เปิดรับคำตอบ", "open"),
    "status.closed": ("ปิดแล้ว", "closed"),
    "via_public": ("ผ่านลิงก์สาธารณะ", "through the public link"),
    "via_personal": ("ผ่านลิงก์ส่วนบุคคล", "through personal links"),
    "links_sent": ("ลิงก์ส่วนบุคคลที่ส่ง", "Personal links sent"),
    "public_link": ("ลิงก์สาธารณะ", "Public link"),
    "texts": (
        "คำตอบปลายเปิด (สำหรับเจ้าหน้าที่ ไม่เผยแพร่)",
        "Free-text answers (staff only, never published)",
    ),
    "no_texts": ("ยังไม่มีคำตอบปลายเปิด", "No free-text answer yet."),
    "distribution": ("จำนวนผู้ให้คะแนน 1 / 2 / 3 / 4 / 5", "How many gave 1 / 2 / 3 / 4 / 5"),
    "new_survey": ("สร้างแบบสำรวจ (ร่าง)", "Create a survey (draft)"),
    "title_th": ("ชื่อแบบสำรวจ (ภาษาไทย)", "Title (Thai)"),
    "title_en": ("ชื่อแบบสำรวจ (ภาษาอังกฤษ ถ้ามี)", "Title (English, optional)"),
    "description_th": ("คำชี้แจง", "Introduction"),
    "opens_on": ("เปิดรับคำตอบวันที่", "Opens on"),
    "closes_on": ("วันสุดท้ายที่รับคำตอบ", "Last day for answers"),
    "likert_items": ("ข้อคำถามให้คะแนน 1-5", "Statements scored 1-5"),
    "likert_help": (
        "บรรทัดละหนึ่งข้อ ถ้ามีภาษาอังกฤษ ให้ต่อท้ายด้วย | เช่น คุณภาพการสอน | Teaching quality",
        "One a line; add the English after | (คุณภาพการสอน | Teaching quality)",
    ),
    "text_questions": ("คำถามปลายเปิด", "Free-text questions"),
    "text_questions_help": (
        "บรรทัดละหนึ่งข้อ ไม่บังคับ คำตอบเห็นเฉพาะเจ้าหน้าที่",
        "One a line, optional; the answers are for staff only",
    ),
    "survey_cmd.open": ("เปิดรับคำตอบ", "Open for answers"),
    "survey_cmd.close": ("ปิดรับคำตอบ", "Close"),
    "survey_cmd_note.open": (
        "เมื่อเปิดแล้วจะแก้ไขข้อคำถามไม่ได้ ลิงก์สาธารณะจะใช้ได้",
        "Once open its statements cannot change; the public link works.",
    ),
    "survey_cmd_note.close": (
        "ปิดแล้วไม่รับคำตอบเพิ่ม และเปิดใหม่ไม่ได้",
        "Once closed it takes no more answers and cannot open again.",
    ),
    "mint_links": ("สร้างลิงก์ส่วนบุคคล", "Make personal links"),
    "mint_links_csv": ("สร้างลิงก์เป็นไฟล์ CSV", "Make them as a CSV file"),
    "recipients": ("ผู้รับ (บรรทัดละหนึ่งคน)", "Recipients (one a line)"),
    "recipients_help": (
        "ชื่อ โรงเรียน หรือเลขที่ ใช้แสดงคู่กับลิงก์เท่านั้น ระบบไม่เก็บไว้ แต่ละลิงก์ตอบได้ครั้งเดียว",
        "A name, a school or a number, shown beside its link only and kept nowhere; "
        "each link answers once.",
    ),
    "links_title": ("ลิงก์ส่วนบุคคล", "Personal links"),
    "links_once": (
        "ลิงก์เหล่านี้แสดงครั้งเดียว ระบบไม่เก็บไว้ กรุณาดาวน์โหลดหรือคัดลอกไปส่งตอนนี้",
        "These links are shown once and kept nowhere: download or copy them now.",
    ),
    "links_expire": ("ใช้ได้ถึง", "They work until"),
    "download_csv": ("ดาวน์โหลดเป็น CSV", "Download as CSV"),
    "recipient": ("ผู้รับ", "Recipient"),
    "sign_in_first": (
        "กรุณาเข้าสู่ระบบที่คอนโซลเจ้าหน้าที่ก่อน",
        "Please sign in at the staff console first.",
    ),
}


class SurveyTexts:
    """`t["send"]` in the survey templates: the text in the page's language."""

    def __init__(self, language: Language | str, staff: bool = False) -> None:
        self.language = Language(language)
        self._others = StaffTexts(self.language.value) if staff else Texts(self.language)

    def __getitem__(self, key: str) -> str:
        if key not in _TEXTS:
            return self._others[key]
        th, en = _TEXTS[key]
        return th if self.language == Language.th else en

    def pick(self, thai: str, english: str | None) -> str:
        """A record's own words: its English when the page is English and it has one."""
        return english if self.language == Language.en and english else thai
