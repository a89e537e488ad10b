"""Words of the reporting pages in Thai and English, and names of codes (units,
categories, kinds, channels, statuses, months) in the reader's language."""

from __future__ import annotations

from datetime import date

from shared.contract.catalogue import Catalogue
from shared.contract.events import Kind
from shared.contract.vocabulary import (
    CHANNEL_LABELS,
    CLOCK_LABELS,
    COMPLAINT_TYPE_LABELS,
    CONSULTATION_STATUS_LABELS,
    DELIVERY_CHANNEL_LABELS,
    KIND_LABELS,
    OUTCOME_STATUS_LABELS,
    PRACTICE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    keyed,
)
from shared.thai.dates import (
    ENGLISH_MONTHS_SHORT,
    THAI_MONTHS_FULL,
    THAI_MONTHS_SHORT,
    buddhist_year,
    format_date,
    to_thai_digits,
)
from shared.thai.fiscal import fiscal_year_label

_TEXTS: dict[str, tuple[str, str]] = {
    "switch": ("English", "ภาษาไทย"),
    "dashboard": ("ภาพรวมเรื่องร้องเรียนและข้อเสนอแนะ", "Complaints and feedback dashboard"),
    "transparency": ("รายงานเรื่องร้องเรียนต่อสาธารณะ", "Complaints: public report"),
    "transparency_intro": (
        "สถิติเรื่องร้องเรียน ข้อเสนอแนะ และคำถามที่สำนักงานได้รับ ตามปีงบประมาณ "
        "ไม่มีข้อมูลส่วนบุคคล ช่องที่มีน้อยกว่า 5 เรื่องจะไม่แสดงตัวเลข เพื่อไม่ให้ระบุตัวบุคคลได้",
        "What the office received and how it answered, per fiscal year. No personal data; "
        "figures under 5 cases are not shown, so that no one can be singled out.",
    ),
    # A hidden cell holds fewer than 5, or a figure from which such a count could be
    # worked out (the complementary cell): "fewer than 5" would be untrue of the second.
    "suppressed": ("ไม่แสดง", "not shown"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "round": ("รอบ", "Round"),
    "round.1": ("รอบที่ 1 (ต.ค.–มี.ค.)", "Round 1 (Oct–Mar)"),
    "round.2": ("รอบที่ 2 (เม.ย.–ก.ย.)", "Round 2 (Apr–Sep)"),
    "whole_year": ("ทั้งปี", "Whole year"),
    "unit": ("หน่วยงาน", "Unit"),
    "all_units": ("ทุกหน่วยงาน", "All units"),
    "show": ("แสดง", "Show"),
    "received": ("รับเรื่อง", "Received"),
    "in_progress": ("อยู่ระหว่างดำเนินการ", "In progress"),
    "completed": ("ดำเนินการแล้วเสร็จ", "Completed"),
    "answered_15": ("ตอบภายใน 15 วัน", "Answered within 15 days"),
    "satisfaction": ("ความพึงพอใจเฉลี่ย (1–5)", "Average satisfaction (1–5)"),
    "responses": ("ผู้ตอบแบบประเมิน", "Survey responses"),
    "response_rate": ("อัตราการตอบแบบประเมิน", "Response rate"),
    "by_month": ("จำนวนเรื่องตามเดือนที่รับ", "Cases by month received"),
    "by_channel": ("จำนวนเรื่องตามช่องทาง", "Cases by channel"),
    "by_category": ("จำนวนเรื่องตามหมวดหมู่", "Cases by category"),
    "by_kind": ("จำนวนเรื่องตามประเภท", "Cases by kind"),
    "by_unit": ("จำนวนเรื่องตามหน่วยงาน", "Cases by unit"),
    "by_status": ("สถานะของเรื่อง", "Cases by status"),
    "sla": ("การดำเนินการตามกำหนดเวลา", "Deadlines met"),
    "deadline": ("กำหนดเวลา", "Deadline"),
    "met": ("ทันเวลา", "Met"),
    "missed": ("ไม่ทันเวลา", "Missed"),
    "breaches": ("แจ้งเกินกำหนด", "Breach alerts"),
    "share_met": ("สัดส่วนทันเวลา", "Share met"),
    "stages": ("ระยะเวลาดำเนินการ (ชั่วโมง)", "Time taken (hours)"),
    "stage": ("ขั้นตอน", "Stage"),
    "cases": ("จำนวนเรื่อง", "Cases"),
    "median": ("มัธยฐาน", "Median"),
    "p90": ("เปอร์เซ็นไทล์ที่ 90", "90th percentile"),
    "ratings": ("การกระจายคะแนนความพึงพอใจ", "Satisfaction ratings"),
    "notifications": ("การแจ้งเตือนผู้ร้อง", "Notifications"),
    "sent": ("ส่งสำเร็จ", "Sent"),
    "failed": ("ส่งไม่สำเร็จ", "Failed"),
    "channel": ("ช่องทาง", "Channel"),
    "downloads": ("ดาวน์โหลด CSV", "Download CSV"),
    "ita_report": ("รายงาน ITA", "ITA report"),
    "no_data": ("ยังไม่มีข้อมูล", "No data yet"),
    "updated": ("ข้อมูลล่าสุดถึง", "Figures up to"),
    "scope_unit": ("เฉพาะหน่วยงาน", "Unit only"),
    "span.received_to_assigned": ("รับเรื่อง → มอบหมาย", "Received → assigned"),
    "span.received_to_answered": ("รับเรื่อง → ตอบผู้ร้อง", "Received → first answer"),
    "span.assigned_to_resolved": ("มอบหมาย → แก้ไขแล้ว", "Assigned → resolved"),
    "span.received_to_resolved": ("รับเรื่อง → แก้ไขแล้ว", "Received → resolved"),
    "span.received_to_closed": ("รับเรื่อง → ปิดเรื่อง", "Received → closed"),
    "deadline.s38_answer_15_days": ("ตอบภายใน 15 วัน (ม.38)", "Answer within 15 days (s.38)"),
    **keyed("deadline", CLOCK_LABELS),
    **keyed("kind", KIND_LABELS),
    # A complaint's row among the kinds' rows: the kind, then what it is about.
    **{
        f"complaint_type.{ctype.value}": (
            f"{KIND_LABELS[Kind.complaint].th}{about.th}",
            f"{KIND_LABELS[Kind.complaint].en} about {about.en[0].lower()}{about.en[1:]}",
        )
        for ctype, about in COMPLAINT_TYPE_LABELS.items()
    },
    "complaint_type.none": ("ร้องเรียน (ไม่ระบุลักษณะ)", "Complaint (type not given)"),
    **keyed("channel", CHANNEL_LABELS),
    # What a notice went by, in the dashboard's notifications table.
    **keyed("delivery", DELIVERY_CHANNEL_LABELS),
    # Who is signed in, in the dashboard's header.
    **keyed("staff_role", ROLE_LABELS),
    **keyed("status", STATUS_LABELS),
    "reason.resolved": ("ปิด: แก้ไขแล้ว", "Closed: resolved"),
    "reason.duplicate": ("ปิด: เรื่องซ้ำ", "Closed: duplicate"),
    "reason.referred": ("ปิด: ส่งต่อหน่วยงานอื่น", "Closed: referred"),
    "reason.not_in_scope": ("ปิด: ไม่อยู่ในอำนาจ", "Closed: not in scope"),
    "reason.rejected": ("ปิด: ไม่รับพิจารณา", "Closed: rejected"),
    "reason.withdrawn": ("ปิด: ผู้ร้องถอนเรื่อง", "Closed: withdrawn"),
    # ---- the participation report (seed measure 2.6)
    # How stakeholders take part in an item, as the office's plan says (measure 2.2).
    "how_take_part": ("การมีส่วนร่วมตามแผน", "How stakeholders take part, by the plan"),
    "how_groups": ("ผู้มีส่วนได้ส่วนเสีย", "Stakeholders"),
    "how_practices": ("วิธีการ", "Practices"),
    "how_channels": ("ช่องทาง", "Channels"),
    "how_process": ("ขั้นตอน", "Process"),
    **keyed("practice", PRACTICE_LABELS),
    "participation": (
        "รายงานผลการมีส่วนร่วมของผู้รับบริการและผู้มีส่วนได้ส่วนเสีย",
        "Report on the participation of service recipients and stakeholders",
    ),
    "participation_public_intro": (
        "ผลการรับฟังความคิดเห็น การประชุมคณะกรรมการ การทบทวนผลการดำเนินงาน "
        "การสำรวจความพึงพอใจ และการนำผลไปใช้ จำแนกตามพันธกิจและกลยุทธ์ของสำนักงาน "
        "ไม่มีข้อมูลส่วนบุคคล “*” คือจำนวนที่ไม่แสดง: น้อยกว่า 5 "
        "หรือเป็นตัวเลขที่จะทำให้คำนวณจำนวนที่น้อยกว่า 5 ได้",
        "What the office asked its stakeholders, who took part (consultations, committee "
        "meetings, reviews, satisfaction surveys) and what it did with the results, per "
        "mission and strategy item. No personal data; “*” marks a count not shown: under 5, "
        "or one from which a count under 5 could be worked out.",
    ),
    "months.6": ("รอบ 6 เดือน (ตุลาคม–มีนาคม)", "6-month round (October–March)"),
    "months.12": ("รอบ 12 เดือน (ทั้งปีงบประมาณ)", "12-month round (the whole fiscal year)"),
    "period": ("ระหว่างวันที่", "Period"),
    "to": ("ถึงวันที่", "to"),
    "overview": ("ภาพรวม", "Overview"),
    "consultations": ("การรับฟังความคิดเห็น", "Consultations"),
    "consultation_count": ("จำนวนเรื่องที่รับฟังความคิดเห็น", "Consultations held"),
    "participants": ("ผู้แสดงความคิดเห็น (คน)", "People who gave an opinion"),
    "by_group": ("ผู้แสดงความคิดเห็นจำแนกตามกลุ่มผู้มีส่วนได้ส่วนเสีย", "Opinions by stakeholder group"),
    "group": ("กลุ่มผู้มีส่วนได้ส่วนเสีย", "Stakeholder group"),
    "opinions": ("ความคิดเห็น", "Opinions"),
    "topic": ("ประเด็น", "Topic"),
    "status": ("สถานะ", "Status"),
    "open_period": ("ช่วงเวลารับฟัง", "Open for opinions"),
    "results": ("สรุปผลการรับฟัง", "Results"),
    "no_summary": ("ยังไม่ได้สรุปผล", "Not concluded yet"),
    "outcomes": ("การนำผลไปใช้ (ท่านเสนอ เราทำ)", "How the results were used (you said, we did)"),
    "you_said": ("ท่านเสนอ", "You said"),
    "we_did": ("เราทำ", "We did"),
    "owner_unit": ("ผู้รับผิดชอบ", "Owner"),
    "due_on": ("กำหนดแล้วเสร็จ", "Due"),
    "done_on": ("แล้วเสร็จเมื่อ", "Done on"),
    "why_not": ("เหตุผล", "Why not"),
    "not_published": ("ยังไม่เผยแพร่", "not published"),
    "outcome_count": ("การดำเนินการจากผลการรับฟัง", "Actions taken on the results"),
    "no_participation": (
        "ยังไม่มีการมีส่วนร่วมที่บันทึกไว้ในช่วงเวลานี้",
        "Nothing recorded in this period yet",
    ),
    "as_of": ("ข้อมูล ณ วันที่", "As of"),
    "small": ("*", "*"),
    "pdf": ("PDF สำหรับพิมพ์/เผยแพร่", "PDF to print or publish"),
    "public_page": ("หน้าสำหรับประชาชน", "Public page"),
    "mission_item": ("พันธกิจ/กลยุทธ์", "Mission or strategy item"),
    "no_item": ("ไม่ระบุพันธกิจ", "No mission item"),
    # Taking part per group: occasions, never people (see domain.participation_report).
    "taking_part": (
        "การมีส่วนร่วมจำแนกตามกลุ่มผู้มีส่วนได้ส่วนเสีย (ครั้ง)",
        "Taking part by stakeholder group (occasions)",
    ),
    "taking_part_note": (
        "นับเป็นจำนวนครั้ง ไม่ใช่จำนวนคน บุคคลหนึ่งอาจนับในหลายช่อง และกรรมการที่เข้าประชุมสองครั้งนับเป็นสองครั้ง",
        "Occasions, not people: one person may count in several columns, and a committee "
        "member at two meetings counts twice.",
    ),
    "take.opinions": ("แสดงความคิดเห็น", "Opinions given"),
    "take.attendances": ("เข้าประชุมคณะกรรมการ", "Committee meeting attendances"),
    "take.reviews": ("ร่วมทบทวนผลการดำเนินงาน", "Review participants"),
    "take.survey_answers": ("ตอบแบบสำรวจความพึงพอใจ", "Satisfaction survey answers"),
    "take.total": ("รวม (ครั้ง)", "Total (occasions)"),
    # The PDF's narrow columns (A4): short heads, each explained under the table.
    "take_short.opinions": ("ความเห็น", "Opinions"),
    "take_short.attendances": ("เข้าประชุม", "Meetings"),
    "take_short.reviews": ("ทบทวนผล", "Reviews"),
    "take_short.survey_answers": ("แบบสำรวจ", "Surveys"),
    "take_short.total": ("รวม (ครั้ง)", "Total"),
    "meeting_count": ("การประชุมคณะกรรมการ (ครั้ง)", "Committee meetings held"),
    "review_count": ("การทบทวนผลการดำเนินงาน (ครั้ง)", "Reviews held with stakeholders"),
    "survey_responses": ("ผู้ตอบแบบสำรวจความพึงพอใจ", "Satisfaction survey responses"),
    "committees": ("คณะกรรมการผู้มีส่วนได้ส่วนเสีย", "Stakeholder committees"),
    "orders": ("คำสั่งแต่งตั้งคณะกรรมการ", "Appointment orders"),
    "committee": ("คณะกรรมการ", "Committee"),
    "order_number": ("คำสั่งที่", "Order no."),
    "signed_on": ("ลงวันที่", "signed on"),
    "meetings": ("การประชุมคณะกรรมการ", "Committee meetings"),
    "meeting_of": ("การประชุม", "Meeting of"),
    "held_on": ("วันที่จัด", "Held on"),
    "agenda_items": ("จำนวนวาระ", "Agenda items"),
    "present": ("ผู้เข้าประชุม (คน)", "Members present"),
    "absent": ("ไม่ได้เข้าประชุม (คน)", "Members absent"),
    "resolutions": ("มติที่ประชุม", "Resolutions"),
    "no_resolution": ("ไม่มีมติเกี่ยวกับพันธกิจนี้", "No resolution about this item"),
    "meeting.closed": ("รับรองรายงานการประชุมแล้ว", "minutes approved"),
    "meeting.recorded": ("ยังไม่รับรองรายงานการประชุม", "minutes not yet approved"),
    "reviews": (
        "การทบทวนผลการดำเนินงานร่วมกับผู้มีส่วนได้ส่วนเสีย",
        "Reviews of performance with stakeholders",
    ),
    "review.planned": ("อยู่ในแผน", "planned"),
    "review.held": ("จัดแล้ว รอรายงานผล", "held, not yet reported"),
    "review.reported": ("รายงานผลแล้ว", "reported"),
    "review_kind.meeting": ("การประชุม", "meeting"),
    "review_kind.survey_round": ("รอบการสำรวจ", "survey round"),
    "planned_on": ("กำหนดจัด", "Planned for"),
    "reported_on": ("รายงานผลเมื่อ", "Reported on"),
    "review_participants": ("ผู้เข้าร่วม (คน)", "Participants"),
    "findings": ("ข้อค้นพบ", "Findings"),
    "led_to": ("นำไปสู่การดำเนินการ", "Led to"),
    "surveys": ("ผลการสำรวจความพึงพอใจ", "Satisfaction survey results"),
    "respondents": ("ผู้ตอบ", "Responses"),
    "likert_item": ("ข้อคำถาม", "Statement"),
    "mean": ("ค่าเฉลี่ย (เต็ม 5)", "Mean (of 5)"),
    "answers": ("ผู้ตอบข้อนี้", "Answers"),
    "scores_note": (
        "จำนวนผู้ให้คะแนน 1 (น้อยที่สุด) ถึง 5 (มากที่สุด)",
        "How many scored 1 (least satisfied) to 5 (most)",
    ),
    "links": ("ลิงก์เฉพาะบุคคลที่ส่ง / ตอบผ่านลิงก์", "Personal links sent / answered"),
    "survey.open": ("เปิดรับคำตอบ", "open"),
    "survey.closed": ("ปิดรับคำตอบแล้ว", "closed"),
    **keyed("consultation", CONSULTATION_STATUS_LABELS),
    **keyed("outcome", OUTCOME_STATUS_LABELS),
}


class Texts:
    def __init__(self, lang: str, catalogue: Catalogue, thai_digits: bool = False) -> None:
        self.lang = "en" if lang == "en" else "th"
        self.catalogue = catalogue
        self.thai_digits = thai_digits and self.lang == "th"

    def __getitem__(self, key: str) -> str:
        pair = _TEXTS.get(key)
        if pair is None:
            return key.split(".", 1)[-1]
        return pair[0] if self.lang == "th" else pair[1]

    def d(self, text: str) -> str:
        """`text` with Thai digits when the reader asked for them."""
        return to_thai_digits(text) if self.thai_digits else text

    def n(self, value: float | int | None, digits: int = 0, percent: bool = False) -> str:
        """A number for the reader: grouped, Thai digits if asked, "–" for none."""
        if value is None:
            return "–"
        text = f"{value * 100:.1f}%" if percent else f"{value:,.{digits}f}"
        return to_thai_digits(text) if self.thai_digits else text

    def unit(self, code: object) -> str:
        try:
            u = self.catalogue.unit(str(code))
        except KeyError:
            return str(code)
        return u.name_th if self.lang == "th" else u.name_en

    def category(self, code: object) -> str:
        try:
            c = self.catalogue.category(str(code))
        except LookupError:
            return str(code)
        return c.name_th if self.lang == "th" else c.name_en

    def month(self, key: str) -> str:
        """ "2026-10" -> "ต.ค. 69" / "Oct 26" (short, for chart labels)."""
        year, month = int(key[:4]), int(key[5:7])
        if self.lang == "th":
            text = f"{THAI_MONTHS_SHORT[month - 1]} {str(buddhist_year(year))[2:]}"
            return to_thai_digits(text) if self.thai_digits else text
        return f"{ENGLISH_MONTHS_SHORT[month - 1]} {str(year)[2:]}"

    def month_long(self, key: str) -> str:
        year, month = int(key[:4]), int(key[5:7])
        if self.lang == "th":
            text = f"{THAI_MONTHS_FULL[month - 1]} {buddhist_year(year)}"
            return to_thai_digits(text) if self.thai_digits else text
        return f"{ENGLISH_MONTHS_SHORT[month - 1]} {year}"

    def date(self, value: date) -> str:
        return format_date(value, self.lang, "full", self.thai_digits)

    def year(self, fiscal_year: int) -> str:
        """A fiscal year as the reader names it: B.E. in Thai ("2570"), the C.E. years it
        spans in English ("2026–27")."""
        text = fiscal_year_label(fiscal_year, self.lang)
        return to_thai_digits(text) if self.thai_digits and self.lang == "th" else text
