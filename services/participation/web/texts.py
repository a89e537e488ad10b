"""Words of the public pages, in Thai and English; the refusals of the form, too."""

from __future__ import annotations

from shared.contract.events import ConsultationStatus, Language, OutcomeStatus
from shared.contract.vocabulary import CHANNEL_LABELS, PRACTICE_LABELS, keyed

_TEXTS: dict[str, tuple[str, str]] = {
    "switch": ("English", "ภาษาไทย"),
    "site": ("การมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย", "Stakeholder participation"),
    "list_title": ("การรับฟังความคิดเห็น", "Public consultations"),
    "list_intro": (
        "สำนักงานรับฟังความคิดเห็นของผู้รับบริการและผู้มีส่วนได้ส่วนเสียต่อการดำเนินงานตามพันธกิจ "
        "ท่านแสดงความคิดเห็นได้โดยไม่ต้องระบุชื่อ",
        "The office asks service users and stakeholders what they think of its work on its "
        "mission. You may give your opinion without giving your name.",
    ),
    "none_open": ("ขณะนี้ไม่มีการรับฟังความคิดเห็นที่เปิดอยู่", "No consultation is open now."),
    "open_now": ("เปิดรับความคิดเห็น", "Open for opinions"),
    "earlier": ("การรับฟังความคิดเห็นที่ผ่านมา", "Earlier consultations"),
    "period": ("ระยะเวลารับฟังความคิดเห็น", "Period for opinions"),
    "until": ("ถึง", "to"),
    "mission_item": ("พันธกิจ/ยุทธศาสตร์", "Mission or strategy item"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "groups_asked": ("กลุ่มผู้มีส่วนได้ส่วนเสียที่รับฟัง", "Stakeholder groups asked"),
    "opinions": ("จำนวนความคิดเห็น", "Opinions received"),
    "give": ("แสดงความคิดเห็น", "Give your opinion"),
    "group": ("ท่านเป็น", "You are"),
    "group.choose": ("— เลือกกลุ่มของท่าน —", "— choose your group —"),
    "required": ("(จำเป็น)", "(required)"),
    "no_answer": ("— ไม่ตอบ —", "— no answer —"),
    "contact": ("ช่องทางติดต่อกลับ (ไม่บังคับ)", "How to reach you (optional)"),
    "contact_note": (
        "ข้อมูลติดต่อจะเก็บแยกจากความคิดเห็น ใช้เพื่อติดต่อกลับเท่านั้น และลบได้เมื่อท่านร้องขอ",
        "Contact details are kept apart from your opinion, used only to reply to you, and "
        "erased on request.",
    ),
    "contact.name": ("ชื่อ-นามสกุล", "Name"),
    "contact.phone": ("โทรศัพท์", "Phone"),
    "contact.email": ("อีเมล", "E-mail"),
    "consent.contact_me": (
        "ยินยอมให้สำนักงานเก็บข้อมูลติดต่อเพื่อติดต่อกลับ",
        "You may keep my contact details to contact me",
    ),
    "send": ("ส่งความคิดเห็น", "Send"),
    "errors_heading": ("กรุณาแก้ไขข้อมูลต่อไปนี้", "Please correct the following"),
    "thanks": ("ขอบคุณสำหรับความคิดเห็นของท่าน", "Thank you for your opinion"),
    "thanks_note": (
        "สำนักงานจะนำความคิดเห็นไปประกอบการตัดสินใจ และรายงานผลไว้ที่หน้า “ท่านเสนอ เราทำ”",
        "The office will use it in its decision and report what it did on the "
        "“You said, we did” page.",
    ),
    "reference": ("เลขที่อ้างอิง", "Reference"),
    "closed_notice": (
        "การรับฟังความคิดเห็นเรื่องนี้ปิดแล้ว ไม่รับความคิดเห็นเพิ่ม",
        "This consultation has closed; it takes no more opinions.",
    ),
    "not_open_notice": ("เรื่องนี้ยังไม่เปิดรับความคิดเห็น", "This consultation is not open yet."),
    "not_found": ("ไม่พบการรับฟังความคิดเห็นนี้", "No such consultation"),
    "results": ("สรุปผลการรับฟังความคิดเห็น", "Summary of results"),
    "by_group": ("ความคิดเห็นแยกตามกลุ่ม", "Opinions by group"),
    "back": ("กลับไปหน้ารายการ", "Back to the list"),
    "ysw_title": ("ท่านเสนอ เราทำ", "You said, we did"),
    "ysw_intro": (
        "สิ่งที่สำนักงานดำเนินการจากความคิดเห็นของผู้มีส่วนได้ส่วนเสีย แยกตามพันธกิจและยุทธศาสตร์",
        "What the office did with its stakeholders' opinions, by mission and strategy item.",
    ),
    "ysw_none": (
        "ยังไม่มีผลการดำเนินการที่เผยแพร่ในปีงบประมาณนี้",
        "Nothing has been published for this fiscal year yet.",
    ),
    "you_said": ("ท่านเสนอ", "You said"),
    "we_did": ("เราทำ", "We did"),
    "consultation": ("จากการรับฟังความคิดเห็นเรื่อง", "From the consultation"),
    "heard.resolution": ("จากมติคณะกรรมการ", "From a committee resolution"),
    "heard.complaints": ("จากข้อร้องเรียน", "From complaints"),
    "owner_unit": ("หน่วยงานรับผิดชอบ", "Responsible unit"),
    "status": ("สถานะ", "Status"),
    "due_on": ("กำหนดแล้วเสร็จ", "Due by"),
    "done_on": ("ดำเนินการแล้วเสร็จเมื่อ", "Done on"),
    "why_not": ("เหตุผล", "Why"),
    "too_large": ("ข้อความยาวเกินไป", "What you sent is too long."),
    "busy": ("ระบบไม่ว่าง กรุณาลองใหม่อีกครั้ง", "The system is busy; please try again."),
    "ysw_link": ("ท่านเสนอ เราทำ", "You said, we did"),
    # "How you can take part" (`/missions`, seed measures 1.1 and 2.2).
    "take_part_link": ("ร่วมมีส่วนร่วมได้อย่างไร", "How you can take part"),
    "take_part_title": (
        "ช่องทางและวิธีการมีส่วนร่วมตามพันธกิจ",
        "How you can take part in the office's mission",
    ),
    "take_part_intro": (
        "สำนักงานกำหนดให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในแต่ละพันธกิจและยุทธศาสตร์ "
        "ด้วยวิธีการ ช่องทาง และขั้นตอนต่อไปนี้ ท่านร่วมแสดงความคิดเห็นได้ในเรื่องที่เปิดอยู่ "
        "และติดตามว่าสำนักงานนำความคิดเห็นไปทำอะไรได้ที่หน้า “ท่านเสนอ เราทำ”",
        "For each mission and strategy item the office says who takes part, how, through "
        "which channels and by what process. Give your opinion on what is open now, and see "
        "what the office did with what it heard on the “You said, we did” page.",
    ),
    "reach_office": ("ช่องทางติดต่อสำนักงาน", "Reaching the office"),
    "groups_involved": ("ผู้มีส่วนได้ส่วนเสียที่เกี่ยวข้อง", "Stakeholders involved"),
    "practices": ("วิธีการมีส่วนร่วม", "How they take part"),
    "channels": ("ช่องทาง", "Channels"),
    "process": ("ขั้นตอน", "The process"),
    "open_for_item": ("เปิดให้ร่วมได้ขณะนี้", "Open now"),
    "nothing_open": ("ขณะนี้ไม่มีเรื่องที่เปิดรับ", "Nothing is open for this item now."),
    "not_said": ("ยังไม่ได้กำหนด", "not said yet"),
    "opinions_until": ("รับความคิดเห็นถึง", "opinions until"),
    "answers_until": ("ตอบได้ถึง", "answers until"),
    "open_consultation": ("การรับฟังความคิดเห็น", "Consultation"),
    "open_survey": ("แบบสำรวจความพึงพอใจ", "Satisfaction survey"),
    "no_plan_year": (
        "ยังไม่มีพันธกิจและยุทธศาสตร์ของปีงบประมาณนี้",
        "The office has no mission plan for this fiscal year.",
    ),
    "report_link": ("รายงานผลการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย", "The participation report"),
    "kind.mission": ("พันธกิจ", "Mission"),
    "kind.strategy": ("ยุทธศาสตร์", "Strategy"),
    "reach.web": ("แบบฟอร์มแจ้งเรื่องบนเว็บไซต์", "The web form"),
    "reach.facebook": ("เพจ Facebook ของสำนักงาน", "The office's Facebook Page"),
    "reach.open311": ("Open311 สำหรับแอปพลิเคชันของภาคีเครือข่าย", "Open311, for partners' apps"),
    "reach.ask.line": ("บัญชี LINE ทางการของสำนักงาน", "The office's LINE Official Account"),
    "reach.ask.email": ("อีเมลของสำนักงาน", "The office's e-mail"),
    "reach.ask.facebook": ("เพจ Facebook ของสำนักงาน", "The office's Facebook Page"),
    "reach.ask.phone": ("โทรศัพท์ถึงสำนักงาน", "Telephone the office"),
    "reach.ask.walk_in": (
        "ติดต่อด้วยตนเองที่สำนักงานในวันและเวลาราชการ",
        "At the office, on working days",
    ),
    "reach.ask.letter": ("มีหนังสือถึงผู้อำนวยการสำนักงาน", "A letter to the office's director"),
    "reach.ask.open311": ("Open311 สำหรับแอปพลิเคชันของภาคีเครือข่าย", "Open311, for partners' apps"),
    **keyed("practice", PRACTICE_LABELS),
    **keyed("channel", CHANNEL_LABELS),
    f"status.{ConsultationStatus.open}": ("เปิดรับความคิดเห็น", "open"),
    f"status.{ConsultationStatus.closed}": ("ปิดรับความคิดเห็นแล้ว", "closed"),
    f"status.{ConsultationStatus.concluded}": ("สรุปผลแล้ว", "concluded"),
    f"status.{ConsultationStatus.draft}": ("ร่าง", "draft"),
    f"outcome.{OutcomeStatus.planned}": ("อยู่ในแผน", "planned"),
    f"outcome.{OutcomeStatus.in_progress}": ("กำลังดำเนินการ", "in progress"),
    f"outcome.{OutcomeStatus.done}": ("ดำเนินการแล้ว", "done"),
    f"outcome.{OutcomeStatus.not_adopted}": ("ไม่ได้นำไปดำเนินการ", "not adopted"),
    # Field refusals of the form (the API names the field in English).
    "problem.missing": ("กรุณากรอกข้อมูลนี้", "Please fill this in."),
    "problem.group": ("กรุณาเลือกกลุ่มของท่าน", "Please choose your group."),
    "problem.choice": ("กรุณาเลือกจากตัวเลือกที่มี", "Please pick one of the choices."),
    "problem.consent": (
        "กรุณาทำเครื่องหมายยินยอม หรือเว้นช่องทางติดต่อว่างไว้",
        "Tick the consent box, or leave the contact details out.",
    ),
    "problem.answers": ("กรุณาตอบอย่างน้อยหนึ่งข้อ", "Please answer at least one question."),
    "problem.invalid": ("ข้อมูลนี้ไม่ถูกต้อง", "This is not valid."),
}


class Texts:
    """`t["give"]` in templates: the text in the page's language."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __getitem__(self, key: str) -> str:
        th, en = _TEXTS.get(key, (key, key))
        return th if self.language == Language.th else en

    def pick(self, thai: str, english: str | None) -> str:
        """A record's own words: its English when the page is English and it has one."""
        return english if self.language == Language.en and english else thai
