"""Which event tells whom: `plan(event, case, ...)` returns the notices, sends nothing.

The table (the workflow emits `case.status_changed` for every move, and `case.closed`
besides when a case closes, so each fact is announced by exactly one of them):

| event                                   | who                            | template       |
|-----------------------------------------|--------------------------------|----------------|
| case.opened                             | complainant                    | case_received  |
| case.assigned (to someone else)         | assignee                       | case_assigned  |
| case.status_changed → resolved + answer | complainant                    | case_resolved  |
| case.status_changed + public_reason     | complainant                    | status_update  |
|   (not → closed: case.closed tells)     |                                |                |
| case.commented, visibility public       | complainant                    | public_comment |
| case.commented, visibility internal     | nobody, ever                   |                |
| case.reopened                           | complainant                    | status_update  |
| case.sla_warning                        | assignee, else unit supervisor | sla_warning    |
| case.sla_breached                       | escalated_to, else supervisor  | sla_breached   |
| case.closed resolved, answer not sent   | complainant                    | case_resolved  |
| case.closed other reasons               | complainant                    | case_closed    |
| case.closed withdrawn (not by assignee) | + assignee                     | complainant_withdrew |
| case.info_added                         | assignee, else unit supervisor | complainant_added_info |
| triaged, merged, anything else          | nobody                         |                |

The complainant is reached only through `contact.complainant_route` (consent, channel
they came by), with the contact the caller read from the personal-data store for the
case's `person_id` and passed in (`contact`): the facts hold only the reference. Every complainant notice is also offered to webhook subscribers, with a
payload that holds no personal data. Staff notices never carry the complainant's
contact details, and for a misconduct complaint neither the subject nor anything else
reaches the person it names. (`@unit:<code>` recipients are expanded by the staff
directory, which must leave out a misconduct case's named person; the notice says
`confidential: true`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import JsonValue

from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.contact import complainant_route
from services.notifications.domain.notice import (
    DeliveryChannel,
    Notice,
    RecipientRole,
    TemplateName,
)
from services.notifications.domain.office import Office, SurveyLinks, WebhookSubscriber
from shared.contract.events import (
    REGISTRY,
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseInfoAdded,
    CaseOpened,
    CaseReopened,
    CaseSlaBreached,
    CaseSlaWarning,
    CaseStatus,
    CaseStatusChanged,
    Clock,
    CloseReason,
    CloudEvent,
    Contact,
    Language,
    Visibility,
)

Context = dict[str, JsonValue]


def unit_supervisors(unit: str) -> str:
    """The staff recipient meaning "every supervisor of `unit`", for the directory."""
    return f"@unit:{unit}"


@dataclass(frozen=True, slots=True)
class _Input:
    event: CloudEvent[Any]
    case: CaseFacts
    office: Office
    survey_links: SurveyLinks
    subscribers: Sequence[WebhookSubscriber]
    # The complainant's contact, as the personal-data store holds it; None if anonymous.
    contact: Contact | None

    @property
    def event_name(self) -> str:
        known = REGISTRY.get(self.event.type)
        return known.name if known else self.event.type


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _notice(
    x: _Input,
    role: RecipientRole,
    recipient: str,
    channel: DeliveryChannel,
    template: TemplateName,
    language: Language,
    context: Context,
) -> Notice:
    return Notice(
        source_event_id=x.event.id,
        case_id=x.case.case_id,
        correlation_id=x.event.correlationid,
        traceparent=x.event.traceparent,
        recipient_role=role,
        recipient=recipient,
        channel=channel,
        template=template,
        language=language,
        context=context,
    )


def _deadline_context(case: CaseFacts) -> Context:
    first = case.deadlines.get(Clock.first_response) or case.deadlines.get(Clock.acknowledge)
    return {
        "respond_by": _iso(first),
        "resolve_by": _iso(case.deadlines.get(Clock.resolution)),
    }


# --------------------------------------------------------------- complainant


def _public_context(x: _Input, language: Language) -> Context:
    """What the complainant and partner systems may both read about the case."""
    case = x.case
    return {
        "office": x.office.context(language),
        "tracking_code": case.tracking_code,
        "tracking_url": f"{x.office.tracking_url.rstrip('/')}/{case.tracking_code}",
        "kind": case.kind.value,
        "unit_name": x.office.unit_name(case.unit, language),
        "received_at": case.received_at.isoformat(),
        "event_time": x.event.time.isoformat(),
    }


def _to_complainant(x: _Input, template: TemplateName, extra: Context) -> list[Notice]:
    case = x.case
    route = complainant_route(x.contact, case.consent, case.channel)
    if route is None:
        return []
    context = _public_context(x, case.language)
    context.update(
        # Their own words and name go back to them only, never to partners or staff.
        subject=case.subject,
        name=x.contact.name if x.contact else None,
        **extra,
    )
    return [
        _notice(
            x,
            RecipientRole.complainant,
            route.address,
            route.channel,
            template,
            case.language,
            context,
        )
    ]


def _to_subscribers(x: _Input, template: TemplateName, extra: Context) -> list[Notice]:
    notices = []
    for sub in x.subscribers:
        if not sub.wants(x.event_name, x.case.channel):
            continue
        context = _public_context(x, x.case.language)
        del context["office"]
        context.update(event_type=x.event_name, event_id=x.event.id, **extra)
        notices.append(
            _notice(
                x,
                RecipientRole.subscriber,
                sub.id,
                DeliveryChannel.webhook,
                template,
                x.case.language,
                context,
            )
        )
    return notices


def _public_update(
    x: _Input, template: TemplateName, public: Context, private: Context | None = None
) -> list[Notice]:
    """Tell the complainant (public + private) and the subscribers (public only)."""
    return _to_complainant(x, template, {**public, **(private or {})}) + _to_subscribers(
        x, template, public
    )


def _resolved(x: _Input, answer: str | None) -> list[Notice]:
    url, expires_at = x.survey_links.link(x.case.case_id, x.case.language, x.event.time)
    return _public_update(
        x,
        TemplateName.case_resolved,
        {"status": CaseStatus.resolved.value, "answer": answer},
        {"survey_url": url, "survey_expires_at": expires_at.isoformat()},
    )


# --------------------------------------------------------------------- staff


def _staff_recipient(x: _Input, role: RecipientRole, staff_id: str) -> str | None:
    """`staff_id`, unless a misconduct complaint names them: then the director, or nobody."""
    case = x.case
    if case.is_misconduct and case.named_person and staff_id == case.named_person:
        if role is RecipientRole.supervisor and x.office.director != staff_id:
            return x.office.director
        return None
    return staff_id


def _to_staff(
    x: _Input, role: RecipientRole, staff_id: str, template: TemplateName, extra: Context
) -> list[Notice]:
    recipient = _staff_recipient(x, role, staff_id)
    if recipient is None:
        return []
    case, office = x.case, x.office
    language = office.staff_language
    context: Context = {
        "office": office.context(language),
        "case_id": case.case_id,
        "tracking_code": case.tracking_code,
        "case_url": f"{office.staff_case_url}/{case.case_id}",
        "kind": case.kind.value,
        "category_name": office.category_name(case.category, language),
        "unit_name": office.unit_name(case.unit, language),
        "priority": case.priority.value,
        "received_at": case.received_at.isoformat(),
        # A misconduct complaint's subject may name people: staff read it in the app,
        # behind access control, never in a mailbox.
        "confidential": case.is_misconduct,
        "subject": None if case.is_misconduct else case.subject,
        **_deadline_context(case),
        **extra,
    }
    return [_notice(x, role, recipient, DeliveryChannel.email, template, language, context)]


# ---------------------------------------------------------------- per event


def _on_opened(x: _Input, data: CaseOpened) -> list[Notice]:
    return _public_update(
        x,
        TemplateName.case_received,
        {"status": CaseStatus.received.value, **_deadline_context(x.case)},
    )


def _on_assigned(x: _Input, data: CaseAssigned) -> list[Notice]:
    if data.assignee == data.actor:
        return []  # nobody needs an e-mail about what they just did themselves
    return _to_staff(
        x,
        RecipientRole.assignee,
        data.assignee,
        TemplateName.case_assigned,
        {
            "assigned_by": data.actor,
            "reason": data.reason,
            "reassigned": data.previous_assignee is not None,
            "unit_name": x.office.unit_name(data.unit, x.office.staff_language),
        },
    )


def _on_status_changed(x: _Input, data: CaseStatusChanged) -> list[Notice]:
    if data.to_status is CaseStatus.resolved and data.public_reason:
        return _resolved(x, data.public_reason)
    if data.to_status is CaseStatus.closed or not data.public_reason:
        return []
    return _public_update(
        x,
        TemplateName.status_update,
        {
            "status": data.to_status.value,
            "from_status": data.from_status.value,
            "public_reason": data.public_reason,
            "reopened": False,
        },
    )


def _on_commented(x: _Input, data: CaseCommented) -> list[Notice]:
    if data.visibility is not Visibility.public:
        return []
    return _public_update(
        x,
        TemplateName.public_comment,
        {"status": x.case.status.value, "comment": data.text},
    )


def _on_reopened(x: _Input, data: CaseReopened) -> list[Notice]:
    # `data.reason` is staff's note; the complainant only hears that work resumed.
    return _public_update(
        x,
        TemplateName.status_update,
        {
            "status": CaseStatus.in_progress.value,
            "from_status": x.case.status.value,
            "public_reason": None,
            "reopened": True,
        },
    )


def _on_sla_warning(x: _Input, data: CaseSlaWarning) -> list[Notice]:
    extra: Context = {
        "clock": data.clock.value,
        "threshold_percent": data.threshold_percent,
        "due_at": data.due_at.isoformat(),
        "unassigned": False,
    }
    assignee = data.assignee or x.case.assignee
    if assignee:
        return _to_staff(x, RecipientRole.assignee, assignee, TemplateName.sla_warning, extra)
    # Nobody holds the case yet: the unit's supervisors must hand it out.
    supervisor = x.case.supervisor or unit_supervisors(data.unit)
    extra["unassigned"] = True
    return _to_staff(x, RecipientRole.supervisor, supervisor, TemplateName.sla_warning, extra)


def _on_sla_breached(x: _Input, data: CaseSlaBreached) -> list[Notice]:
    supervisor = data.escalated_to or x.case.supervisor or unit_supervisors(data.unit)
    return _to_staff(
        x,
        RecipientRole.supervisor,
        supervisor,
        TemplateName.sla_breached,
        {
            "clock": data.clock.value,
            "due_at": data.due_at.isoformat(),
            "assignee": data.assignee or x.case.assignee,
        },
    )


def _on_info_added(x: _Input, data: CaseInfoAdded) -> list[Notice]:
    # The words themselves stay in the case (they may hold what a mailbox should not):
    # the notice says that something came and where to read it.
    extra: Context = {
        "resumed": data.resumed,
        "attachments": len(data.attachments),
        "channel": data.channel.value,
        "unassigned": False,
    }
    assignee = data.assignee or x.case.assignee
    if assignee:
        return _to_staff(
            x, RecipientRole.assignee, assignee, TemplateName.complainant_added_info, extra
        )
    extra["unassigned"] = True
    supervisor = x.case.supervisor or unit_supervisors(x.case.unit)
    return _to_staff(
        x, RecipientRole.supervisor, supervisor, TemplateName.complainant_added_info, extra
    )


def _withdrawal_to_assignee(x: _Input, data: CaseClosed) -> list[Notice]:
    """The person holding a case hears that its complainant withdrew it, unless they
    recorded the withdrawal themselves."""
    assignee = x.case.assignee
    if data.reason is not CloseReason.withdrawn or not assignee or assignee == data.actor:
        return []
    return _to_staff(
        x,
        RecipientRole.assignee,
        assignee,
        TemplateName.complainant_withdrew,
        {},
    )


def _on_closed(x: _Input, data: CaseClosed) -> list[Notice]:
    if data.reason is CloseReason.resolved:
        return [] if x.case.answer_sent else _resolved(x, data.public_answer)
    return _withdrawal_to_assignee(x, data) + _public_update(
        x,
        TemplateName.case_closed,
        {
            "status": CaseStatus.closed.value,
            "close_reason": data.reason.value,
            "referred_to": data.referred_to,
            "public_answer": data.public_answer,
        },
    )


# The events whose notices may go to the complainant (see the table above).
_COMPLAINANT_EVENTS = (CaseOpened, CaseStatusChanged, CaseCommented, CaseReopened, CaseClosed)


def wants_contact(event: CloudEvent[Any], case: CaseFacts) -> str | None:
    """The person id whose contact planning `event` may need, or None: the caller reads
    the contacts of a whole batch at once and passes each case's to `plan`."""
    if not isinstance(event.data, _COMPLAINANT_EVENTS):
        return None
    if case.person_id is None or not case.consent.contact_me:
        return None
    return case.person_id


def plan(
    event: CloudEvent[Any],
    case: CaseFacts,
    office: Office,
    survey_links: SurveyLinks,
    subscribers: Sequence[WebhookSubscriber] = (),
    contact: Contact | None = None,
) -> list[Notice]:
    """The notices `event` calls for, given what was known of the case before it.

    `case` is the state before the event (fold it in afterwards with
    `case_facts.evolve`); for `case.opened` pass `CaseFacts.from_opened(event.data)`.
    `contact` is the complainant's, read for `case.person_id` (None: nobody to answer).
    Pure and deterministic: the same event and facts always give the same notices,
    with the same ledger keys, so a redelivered event is recognised downstream.
    """
    x = _Input(event, case, office, survey_links, subscribers, contact)
    data = event.data
    if isinstance(data, CaseOpened):
        return _on_opened(x, data)
    if isinstance(data, CaseAssigned):
        return _on_assigned(x, data)
    if isinstance(data, CaseStatusChanged):
        return _on_status_changed(x, data)
    if isinstance(data, CaseCommented):
        return _on_commented(x, data)
    if isinstance(data, CaseReopened):
        return _on_reopened(x, data)
    if isinstance(data, CaseSlaWarning):
        return _on_sla_warning(x, data)
    if isinstance(data, CaseSlaBreached):
        return _on_sla_breached(x, data)
    if isinstance(data, CaseClosed):
        return _on_closed(x, data)
    if isinstance(data, CaseInfoAdded):
        return _on_info_added(x, data)
    return []
