"""Sample notices for the template previews: one realistic case (a school-lunch complaint
made on the web) played through the same rules that decide real notices, so a preview
shows each template with the context production gives it, in Thai or English.

Nothing here is sent or stored; the people and numbers are made up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from services.notifications.domain import rules
from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.digest import UnitCounts, plan_digest
from services.notifications.domain.notice import (
    PUBLIC_ROLES,
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from services.notifications.domain.office import Office, SurveyLinks
from services.notifications.domain.outcome_notice import outcome_notices
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseInfoAdded,
    CaseOpened,
    CaseSlaBreached,
    CaseSlaWarning,
    CaseStatus,
    CaseStatusChanged,
    Channel,
    Clock,
    CloseReason,
    CloudEvent,
    Consent,
    Contact,
    Kind,
    Language,
    OutcomePublished,
    OutcomeStatus,
    PersonToTell,
    Priority,
    Visibility,
    make_event,
)

CASE_ID = "00000000-0000-4000-8000-000000000001"
TRACKING_CODE = "SG-7K2P-9QXM"
PERSON = "p-sample"
CONTACT = Contact(
    name="นางสาวสมศรี ใจดี",
    email="somsri.j@example.com",
    phone="+66812345678",
    line_user_id="U" + "4af4980629" * 3 + "ab",
)
SUBJECT = {
    Language.th: "อาหารกลางวันโรงเรียนบ้านหนองบัวไม่ครบตามจำนวนนักเรียน",
    Language.en: "School lunch at Ban Nong Bua school is short for the number of pupils",
}
# What staff and people wrote, in the language of the preview.
WORDS = {
    Language.th: {
        "answer": "สำนักงานได้ตรวจสอบและสั่งการให้โรงเรียนจัดอาหารกลางวันให้ครบตามจำนวนนักเรียนแล้ว",
        "ask": "ขอทราบชื่อโรงเรียนและชั้นเรียนของบุตร",
        "comment": "ได้ประสานโรงเรียนบ้านหนองบัวแล้ว จะแจ้งผลภายในสัปดาห์นี้",
        "why_assigned": "มีประสบการณ์เรื่องอาหารกลางวัน",
        "referred_to": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
        "referral": "เรื่องนี้อยู่ในอำนาจหน้าที่ของ สพฐ. โดยตรง",
        "added": "โรงเรียนบ้านหนองบัว ชั้น ป.3",
    },
    Language.en: {
        "answer": "We checked, and the school has been told to serve lunch to every pupil.",
        "ask": "Please tell us the name of the school and your child's class.",
        "comment": "We have contacted Ban Nong Bua school and will tell you more this week.",
        "why_assigned": "Knows school lunches well",
        "referred_to": "Office of the Basic Education Commission",
        "referral": "This is for the Office of the Basic Education Commission to decide.",
        "added": "Ban Nong Bua school, year 3",
    },
}
UNIT = "promotion"
ASSIGNEE, SUPERVISOR = "somchai.r", "sup.malee"

#: Who each template speaks to (from the rules' table), and so on which channels it goes:
#: the public on the one channel they are reached by, staff by e-mail.
PERSON_CHANNELS = (
    DeliveryChannel.email,
    DeliveryChannel.line,
    DeliveryChannel.facebook,
    DeliveryChannel.sms,
)
STAFF_CHANNELS = (DeliveryChannel.email,)


@dataclass(frozen=True, slots=True)
class Sample:
    notice: Notice

    @property
    def audience(self) -> RecipientRole:
        return self.notice.recipient_role

    @property
    def channels(self) -> tuple[DeliveryChannel, ...]:
        return PERSON_CHANNELS if self.audience in PUBLIC_ROLES else STAFF_CHANNELS


def sample(
    template: TemplateName, language: Language, office: Office, links: SurveyLinks, now: datetime
) -> Sample:
    """`template` as the rules would send it about the sample case, in `language` (the
    complainant's language for their notices, the office's staff language for staff's)."""
    staff_office = office.model_copy(update={"staff_language": language})
    opened = _opened(language, now)
    case = CaseFacts.from_opened(opened, assignee=ASSIGNEE, supervisor=SUPERVISOR)
    if template is TemplateName.daily_digest:
        counts = UnitCounts(open=12, overdue=3, new=4, due_soon=2)
        return Sample(plan_digest(UNIT, counts, now.date(), staff_office, [SUPERVISOR])[0])
    if template is TemplateName.outcome_published:
        event = _event(_outcome(language), now)
        return Sample(outcome_notices(event, {PERSON: CONTACT}, staff_office)[0])
    data = (
        opened
        if template is TemplateName.case_received
        else _event_data(template, WORDS[language], now)
    )
    notices = rules.plan(_event(data, now), case, staff_office, links, (), CONTACT)
    return Sample(next(n for n in notices if n.template is template))


def _opened(language: Language, now: datetime) -> CaseOpened:
    return CaseOpened(
        case_id=CASE_ID,
        submission_id="sample",
        tracking_code=TRACKING_CODE,
        channel=Channel.web,
        kind=Kind.complaint,
        category="school-lunch",
        unit=UNIT,
        priority=Priority.high,
        language=language,
        subject=SUBJECT[language],
        received_at=now - timedelta(days=2),
        deadlines={
            Clock.first_response: now + timedelta(days=13),
            Clock.resolution: now + timedelta(days=43),
        },
        person_id=PERSON,
        consent=Consent(contact_me=True),
    )


def _event(data: BaseModel, now: datetime) -> CloudEvent[Any]:
    return make_event(data, source="/siang/preview", subject=CASE_ID, event_id="sample", time=now)


def _status(to: CaseStatus, public_reason: str) -> CaseStatusChanged:
    return CaseStatusChanged.model_validate(
        {
            "case_id": CASE_ID,
            "from": CaseStatus.in_progress,
            "to": to,
            "command": "sample",
            "public_reason": public_reason,
            "actor": ASSIGNEE,
        }
    )


def _event_data(template: TemplateName, words: dict[str, str], now: datetime) -> BaseModel:
    due = now + timedelta(days=3)
    match template:
        case TemplateName.case_assigned:
            return CaseAssigned(
                case_id=CASE_ID,
                unit=UNIT,
                assignee="kanya.s",
                actor=SUPERVISOR,
                reason=words["why_assigned"],
            )
        case TemplateName.status_update:
            return _status(CaseStatus.awaiting_info, words["ask"])
        case TemplateName.public_comment:
            return CaseCommented(
                case_id=CASE_ID,
                comment_id="sample",
                visibility=Visibility.public,
                text=words["comment"],
                author=ASSIGNEE,
            )
        case TemplateName.sla_warning:
            return CaseSlaWarning(
                case_id=CASE_ID,
                clock=Clock.first_response,
                threshold_percent=75,
                due_at=due,
                unit=UNIT,
            )
        case TemplateName.sla_breached:
            return CaseSlaBreached(
                case_id=CASE_ID,
                clock=Clock.first_response,
                due_at=now - timedelta(hours=2),
                unit=UNIT,
                assignee=ASSIGNEE,
                escalated_to=SUPERVISOR,
            )
        case TemplateName.case_resolved:
            return _status(CaseStatus.resolved, words["answer"])
        case TemplateName.case_closed:
            return CaseClosed(
                case_id=CASE_ID,
                reason=CloseReason.referred,
                actor=SUPERVISOR,
                referred_to=words["referred_to"],
                public_answer=words["referral"],
            )
        case TemplateName.complainant_added_info:
            return CaseInfoAdded(
                case_id=CASE_ID,
                follow_up_id="sample",
                text=words["added"],
                attachments=["sample"],
                channel=Channel.web,
                resumed=True,
                assignee=ASSIGNEE,
            )
        case TemplateName.complainant_withdrew:
            return CaseClosed(case_id=CASE_ID, reason=CloseReason.withdrawn, actor="complainant")
    raise ValueError(f"no sample event for {template}")


def _outcome(language: Language) -> OutcomePublished:
    return OutcomePublished(
        outcome_id="sample",
        consultation_id="sample",
        fiscal_year=2570,
        mission_item="S2",
        topic_th="อาหารกลางวันในโรงเรียน",
        you_said_th="อยากให้มีผลไม้ในมื้อกลางวันทุกวัน",
        we_did_th="เพิ่มงบประมาณผลไม้ในอาหารกลางวันของทุกโรงเรียน",
        status=OutcomeStatus.done,
        people=[PersonToTell(person_id=PERSON, language=language)],
        actor="coord.anong",
    )
