"""Realistic data for the notification tests: one school-lunch complaint, made on the web."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from services.notifications.domain import rules
from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from services.notifications.domain.office import Office, SurveyLinks, WebhookSubscriber
from shared.contract.events import (
    CaseOpened,
    Channel,
    Clock,
    CloudEvent,
    Consent,
    Contact,
    Kind,
    Language,
    Priority,
    make_event,
)

SURVEY_SECRET = "survey-secret-for-tests-0123456789"
CASE_ID = "0b9f4a52-7a51-4c35-9a7e-8d1f3c2b6e10"
TRACKING = "SG-7K2P-9QXM"
OPENED_AT = datetime(2026, 11, 26, 3, 15, tzinfo=UTC)  # 10.15 น. in Bangkok
FIRST_RESPONSE_DUE = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)
RESOLUTION_DUE = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
LINE_USER = "U" + "4af4980629" * 3 + "ab"
NAME = "นางสาวสมศรี ใจดี"
EMAIL = "somsri.j@example.com"
PHONE = "+66812345678"
# The complainant, as the personal-data store holds them; events and facts carry PERSON.
PERSON = "p-somsri"
CONTACT = Contact(name=NAME, email=EMAIL, phone=PHONE)
PEOPLE = {PERSON: CONTACT}


def opened_data(**changes: Any) -> CaseOpened:
    fields: dict[str, Any] = {
        "case_id": CASE_ID,
        "submission_id": "sub-1",
        "tracking_code": TRACKING,
        "channel": Channel.web,
        "kind": Kind.complaint,
        "category": "school-lunch",
        "unit": "promotion",
        "priority": Priority.normal,
        "language": Language.th,
        "subject": "อาหารกลางวันโรงเรียนบ้านหนองบัวไม่ครบตามจำนวนนักเรียน",
        "received_at": OPENED_AT,
        "deadlines": {Clock.first_response: FIRST_RESPONSE_DUE, Clock.resolution: RESOLUTION_DUE},
        "person_id": PERSON,
        "consent": Consent(contact_me=True),
    }
    fields.update(changes)
    return CaseOpened(**fields)


def event(data: BaseModel, *, event_id: str = "evt-1", **kw: Any) -> CloudEvent[Any]:
    return make_event(
        data,
        source="/siang/workflow",
        subject=CASE_ID,
        event_id=event_id,
        time=kw.pop("time", datetime(2026, 12, 1, 2, 0, tzinfo=UTC)),
        correlation_id=kw.pop("correlation_id", "corr-1"),
    )


def partner_notice(name: str | int, tracking_code: str | None = None) -> Notice:
    """A status update for the partner webhook subscriber about case `case-<name>`."""
    code = tracking_code or (f"SG-{name:04d}" if isinstance(name, int) else f"SG-{name}")
    return Notice(
        source_event_id=f"evt-{name}",
        case_id=f"case-{name}",
        recipient_role=RecipientRole.subscriber,
        recipient="partner",
        channel=DeliveryChannel.webhook,
        template=TemplateName.status_update,
        language=Language.th,
        context={"tracking_code": code, "status": "in_progress"},
    )


def plan(
    event: CloudEvent[Any],
    case: CaseFacts,
    office: Office,
    survey_links: SurveyLinks,
    subscribers: Sequence[WebhookSubscriber] = (),
    people: Mapping[str, Contact] = PEOPLE,
) -> list[Notice]:
    """`rules.plan`, given the complainant's contact the way the handler reads it: the
    person the rules ask for (`rules.wants_contact`), looked up in `people`."""
    person_id = rules.wants_contact(event, case)
    contact = people.get(person_id) if person_id else None
    return rules.plan(event, case, office, survey_links, subscribers, contact)
