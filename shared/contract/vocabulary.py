"""The words every service shares: the groups of case statuses and the labels people read.

A status belongs to exactly one of two groups, open or closed; the open statuses where
work is still to do (all but `resolved`) are also active:

- `OPEN_STATUSES`: not closed. A case counted as open on the dashboard, or in the
  console's "open" queue, is in one of these (a resolved case is open until closed).
- `ACTIVE_STATUSES`: open and not yet resolved: work is still to do. A case is closed
  without an answer (merged, referred, rejected, withdrawn) only from these, and only
  these count towards an officer's open cases.
- `CLOSED_STATUSES`: the end of the lifecycle.

Labels are the words the public pages show, one `Label` (Thai, English) per value; the
pages, the console, the reports and the notices all read them from here, so a status is
never called two things. A label is a `(th, en)` pair, the shape the web pages' text
tables keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final, NamedTuple, TypeVar

from shared.contract.events import (
    CaseStatus,
    Channel,
    Clock,
    CloseReason,
    ComplaintType,
    ConsultationStatus,
    DeliveryChannel,
    Kind,
    Language,
    LegalBasis,
    OutcomeStatus,
    Priority,
)
from shared.contract.roles import StaffRole

Value = TypeVar("Value", bound=StrEnum)


class Label(NamedTuple):
    """The Thai and the English words for one value."""

    th: str
    en: str

    def in_language(self, language: str) -> str:
        """The words in `language` ("th" or "en"); anything but English reads Thai."""
        return self.en if language == Language.en else self.th


CLOSED_STATUSES: Final[tuple[CaseStatus, ...]] = (CaseStatus.closed,)
OPEN_STATUSES: Final[tuple[CaseStatus, ...]] = tuple(
    s for s in CaseStatus if s not in CLOSED_STATUSES
)
ACTIVE_STATUSES: Final[tuple[CaseStatus, ...]] = tuple(
    s for s in OPEN_STATUSES if s is not CaseStatus.resolved
)

STATUS_LABELS: Final[Mapping[CaseStatus, Label]] = {
    CaseStatus.received: Label("รับเรื่องแล้ว", "Received"),
    CaseStatus.triaged: Label("คัดกรองแล้ว", "Triaged"),
    CaseStatus.assigned: Label("มอบหมายผู้รับผิดชอบแล้ว", "Assigned"),
    CaseStatus.in_progress: Label("อยู่ระหว่างดำเนินการ", "In progress"),
    CaseStatus.awaiting_info: Label("รอข้อมูลเพิ่มเติม", "Awaiting information"),
    CaseStatus.resolved: Label("ดำเนินการแล้วเสร็จ", "Resolved"),
    CaseStatus.closed: Label("ปิดเรื่องแล้ว", "Closed"),
}

KIND_LABELS: Final[Mapping[Kind, Label]] = {
    Kind.complaint: Label("ร้องเรียน", "Complaint"),
    Kind.feedback: Label("ความคิดเห็น", "Feedback"),
    Kind.suggestion: Label("ข้อเสนอแนะ", "Suggestion"),
    Kind.compliment: Label("ชมเชย", "Compliment"),
    Kind.question: Label("สอบถาม", "Question"),
}

# The Thai words are the urgency grades of Thai official correspondence; the English
# ones are lower case because they are read inside a sentence ("high priority").
PRIORITY_LABELS: Final[Mapping[Priority, Label]] = {
    Priority.low: Label("ไม่เร่งด่วน", "low"),
    Priority.normal: Label("ปกติ", "normal"),
    Priority.high: Label("ด่วน", "high"),
    Priority.urgent: Label("ด่วนที่สุด", "urgent"),
}


# A consultation's and an outcome's ("you said, we did") statuses, as the participation
# pages and the participation report name them.
CONSULTATION_STATUS_LABELS: Final[Mapping[ConsultationStatus, Label]] = {
    ConsultationStatus.draft: Label("ร่าง", "draft"),
    ConsultationStatus.open: Label("เปิดรับความคิดเห็น", "open"),
    ConsultationStatus.closed: Label("ปิดรับความคิดเห็นแล้ว", "closed"),
    ConsultationStatus.concluded: Label("สรุปผลแล้ว", "concluded"),
}
OUTCOME_STATUS_LABELS: Final[Mapping[OutcomeStatus, Label]] = {
    OutcomeStatus.planned: Label("อยู่ในแผน", "planned"),
    OutcomeStatus.in_progress: Label("กำลังดำเนินการ", "in progress"),
    OutcomeStatus.done: Label("ดำเนินการแล้ว", "done"),
    OutcomeStatus.not_adopted: Label("ไม่ได้นำไปดำเนินการ", "not adopted"),
}


# The channels a complaint, an opinion or a suggestion comes in by, as the reports and
# the public participation page name them.
CHANNEL_LABELS: Final[Mapping[Channel, Label]] = {
    Channel.web: Label("เว็บไซต์", "Web"),
    Channel.line: Label("LINE", "LINE"),
    Channel.email: Label("อีเมล", "E-mail"),
    Channel.phone: Label("โทรศัพท์", "Phone"),
    Channel.walk_in: Label("มาด้วยตนเอง", "Walk-in"),
    Channel.letter: Label("หนังสือ/จดหมาย", "Letter"),
    Channel.facebook: Label("Facebook", "Facebook"),
    Channel.open311: Label("Open311", "Open311"),
    Channel.api: Label("ระบบเชื่อมโยง (API)", "Partner API"),
}


# The channels a notice goes by, as the notice templates' pages and the dashboard's
# notifications table name them (e-mail and LINE as the channels above call them).
DELIVERY_CHANNEL_LABELS: Final[Mapping[DeliveryChannel, Label]] = {
    DeliveryChannel.email: CHANNEL_LABELS[Channel.email],
    DeliveryChannel.line: CHANNEL_LABELS[Channel.line],
    DeliveryChannel.sms: Label("SMS", "SMS"),
    DeliveryChannel.facebook: Label("Messenger", "Messenger"),
    DeliveryChannel.webhook: Label("เว็บฮุก", "Webhook"),
}

# What a complaint is about: a service, or the conduct of an official (which goes to a
# supervisor and is kept apart in the reports).
COMPLAINT_TYPE_LABELS: Final[Mapping[ComplaintType, Label]] = {
    ComplaintType.service: Label("การให้บริการ", "A service"),
    ComplaintType.misconduct: Label("การประพฤติมิชอบของเจ้าหน้าที่", "Misconduct by an official"),
}

# A case's deadlines, each a clock of its SLA policy.
CLOCK_LABELS: Final[Mapping[Clock, Label]] = {
    Clock.acknowledge: Label("ตอบรับเรื่อง", "Acknowledgement"),
    Clock.first_response: Label("แจ้งผลเบื้องต้น", "First response"),
    Clock.resolution: Label("แก้ไขแล้วเสร็จ", "Resolution"),
}

# Why a case was closed.
CLOSE_REASON_LABELS: Final[Mapping[CloseReason, Label]] = {
    CloseReason.resolved: Label("ดำเนินการแล้วเสร็จ", "Resolved"),
    CloseReason.duplicate: Label("ซ้ำกับเรื่องอื่น (รวมเรื่องแล้ว)", "Duplicate (merged)"),
    CloseReason.referred: Label("ส่งต่อหน่วยงานอื่น", "Referred elsewhere"),
    CloseReason.not_in_scope: Label("ไม่อยู่ในอำนาจหน้าที่", "Not within the office's remit"),
    CloseReason.rejected: Label("ไม่รับเรื่อง", "Rejected"),
    CloseReason.withdrawn: Label("ผู้ร้องถอนเรื่อง", "Withdrawn by the complainant"),
}


# Why a person's data was erased (PDPA section 33, or the office's retention rule), as the
# case page's timeline names it.
LEGAL_BASIS_LABELS: Final[Mapping[LegalBasis, Label]] = {
    LegalBasis.data_subject_request: Label("ผู้ร้องขอให้ลบข้อมูล", "The complainant asked"),
    LegalBasis.consent_withdrawn: Label("ผู้ร้องถอนความยินยอม", "Consent withdrawn"),
    LegalBasis.retention: Label("ครบระยะเวลาการเก็บรักษาข้อมูล", "Retention period ended"),
    LegalBasis.other: Label("เหตุอื่นตามกฎหมาย", "Another legal ground"),
}


class AssignmentReason(StrEnum):
    """Why the system chose a case's assignee: the reason it writes on the timeline and in
    `case.assigned` (a person who reassigns writes their own words instead). The values
    are the words cases already carry, so older cases read the same."""

    fewest_open_cases = "fewest open cases"
    misconduct_supervisor = "misconduct: supervisor"


ASSIGNMENT_REASON_LABELS: Final[Mapping[AssignmentReason, Label]] = {
    AssignmentReason.fewest_open_cases: Label(
        "มอบหมายอัตโนมัติ: ผู้มีเรื่องค้างน้อยที่สุดในกลุ่มงาน",
        "Assigned automatically: the fewest open cases in the unit",
    ),
    AssignmentReason.misconduct_supervisor: Label(
        "มอบหมายอัตโนมัติ: เรื่องร้องเรียนการประพฤติมิชอบส่งถึงหัวหน้ากลุ่มงาน",
        "Assigned automatically: a misconduct complaint goes to a supervisor",
    ),
}


class Practice(StrEnum):
    """How stakeholders take part in a mission item (seed measure 2.2): the practices an
    office's plan names per item, each one a kind of record Siang keeps."""

    consultation = "consultation"  # การรับฟังความคิดเห็น (1.2-1.3)
    committee = "committee"  # คณะกรรมการผู้แทนผู้มีส่วนได้ส่วนเสีย (2.3)
    review = "review"  # การทบทวนผลการดำเนินงานร่วมกัน (2.1)
    survey = "survey"  # การสำรวจความพึงพอใจ (2.5)
    complaints = "complaints"  # การรับเรื่องร้องเรียนและข้อเสนอแนะ (2.4)


PRACTICE_LABELS: Final[Mapping[Practice, Label]] = {
    Practice.consultation: Label("การรับฟังความคิดเห็น", "Consultation"),
    Practice.committee: Label("คณะกรรมการผู้แทนผู้มีส่วนได้ส่วนเสีย", "Stakeholder committee"),
    Practice.review: Label("การทบทวนผลการดำเนินงานร่วมกัน", "Joint review of performance"),
    Practice.survey: Label("การสำรวจความพึงพอใจ", "Satisfaction survey"),
    Practice.complaints: Label("การรับเรื่องร้องเรียนและข้อเสนอแนะ", "Complaints and suggestions"),
}


ROLE_LABELS: Final[Mapping[StaffRole, Label]] = {
    StaffRole.staff: Label("เจ้าหน้าที่", "Staff"),
    StaffRole.supervisor: Label("หัวหน้ากลุ่มงาน", "Supervisor"),
    StaffRole.admin: Label("ผู้ดูแลระบบ", "Administrator"),
    StaffRole.committee: Label("คณะกรรมการ", "Committee member"),
    StaffRole.participation: Label("ผู้ประสานงานการมีส่วนร่วม", "Participation coordinator"),
}


def keyed(prefix: str, labels: Mapping[Value, Label]) -> dict[str, Label]:
    """The labels as entries of a page's text table: `{"status.received": Label(...)}`."""
    return {f"{prefix}.{value.value}": label for value, label in labels.items()}


def in_language(labels: Mapping[Value, Label], language: str) -> dict[str, str]:
    """The labels of one language by value: `{"received": "รับเรื่องแล้ว", ...}`."""
    return {value.value: label.in_language(language) for value, label in labels.items()}


def word_for(labels: Mapping[Value, Label], code: object, language: str) -> str:
    """The words for `code` in `language`, or the code itself when no label has it (a
    value from a newer release, or a free text where a code usually stands): a page
    shows what it has rather than failing."""
    for value, label in labels.items():
        if value.value == code:
            return label.in_language(language)
    return "" if code is None else str(code)
