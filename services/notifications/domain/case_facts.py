"""What notifications keeps about each case, folded from the case events.

Notifications never asks workflow for a case: it remembers the few facts it needs to
address a message (tracking code, language, the complainant's reference and consent,
unit, assignee, deadlines) from the events themselves. The complainant's contact is not
among them: it stays in the personal-data store, read by `person_id` when a notice to
them is planned, so an erasure there leaves nothing readable here. `supervisor` and
`named_person` are not carried by any event; the handler fills them from the staff
directory and intake's submission when it has them.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Channel,
    Clock,
    CloseReason,
    CloudEvent,
    ComplaintType,
    Consent,
    Kind,
    Language,
    Priority,
)


class CaseFacts(BaseModel):
    """The notification service's view of one case."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_id: str
    tracking_code: str
    language: Language = Language.th
    kind: Kind
    complaint_type: ComplaintType | None = None
    channel: Channel
    category: str
    unit: str
    priority: Priority = Priority.normal
    subject: str
    received_at: AwareDatetime
    deadlines: dict[Clock, AwareDatetime] = Field(default_factory=dict)
    # The complainant's reference in the personal-data store (only with their consent).
    person_id: str | None = None
    consent: Consent = Consent()
    status: CaseStatus = CaseStatus.received
    assignee: str | None = None
    supervisor: str | None = None
    # Staff id of the person a misconduct complaint names: never told about it.
    named_person: str | None = None
    # The complainant has been sent the answer (case_resolved) since the last reopen.
    answer_sent: bool = False

    @model_validator(mode="before")
    @classmethod
    def _without_stored_contact(cls, data: Any) -> Any:
        # Facts stored before contacts moved to the personal-data store held one inline:
        # still read, without it (such a complainant is no longer reachable from here).
        if isinstance(data, dict) and "contact" in data:
            return {k: v for k, v in data.items() if k != "contact"}
        return data

    @classmethod
    def from_opened(cls, opened: CaseOpened, **extra: Any) -> CaseFacts:
        """The facts of a newly opened case; `extra` sets supervisor or named_person."""
        return cls(
            case_id=opened.case_id,
            tracking_code=opened.tracking_code,
            language=opened.language,
            kind=opened.kind,
            complaint_type=opened.complaint_type,
            channel=opened.channel,
            category=opened.category,
            unit=opened.unit,
            priority=opened.priority,
            subject=opened.subject,
            received_at=opened.received_at,
            deadlines=dict(opened.deadlines),
            person_id=opened.person_id,
            consent=opened.consent,
            **extra,
        )

    @property
    def is_misconduct(self) -> bool:
        return self.complaint_type is ComplaintType.misconduct

    def forget_contact(self) -> CaseFacts:
        """The facts without the complainant's reference, for an erasure request (PDPA)."""
        return self.model_copy(update={"person_id": None, "consent": Consent()})


def evolve(case: CaseFacts, event: CloudEvent[Any]) -> CaseFacts:
    """The facts after `event`. Call it after `plan`, which reads the facts before."""
    data = event.data
    if isinstance(data, CaseTriaged):
        return case.model_copy(
            update={"unit": data.unit, "priority": data.priority, "category": data.category}
        )
    if isinstance(data, CaseAssigned):
        return case.model_copy(update={"unit": data.unit, "assignee": data.assignee})
    if isinstance(data, CaseStatusChanged):
        update: dict[str, Any] = {"status": data.to_status}
        if data.to_status is CaseStatus.resolved and data.public_reason:
            update["answer_sent"] = True
        return case.model_copy(update=update)
    if isinstance(data, CaseReopened):
        return case.model_copy(update={"status": CaseStatus.in_progress, "answer_sent": False})
    if isinstance(data, CaseClosed):
        answered = case.answer_sent or data.reason is CloseReason.resolved
        return case.model_copy(update={"status": CaseStatus.closed, "answer_sent": answered})
    return case
