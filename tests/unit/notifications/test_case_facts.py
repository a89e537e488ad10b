"""What notifications remembers about a case, folded from the events."""

from __future__ import annotations

from services.notifications.domain.case_facts import CaseFacts, evolve
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseReopened,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Clock,
    CloseReason,
    Consent,
    Priority,
    Visibility,
)

from .sample import CASE_ID, FIRST_RESPONSE_DUE, TRACKING, event, opened_data


def _changed(to: CaseStatus, public_reason: str | None = None) -> CaseStatusChanged:
    return CaseStatusChanged.model_validate(
        {
            "case_id": CASE_ID,
            "from": CaseStatus.in_progress,
            "to": to,
            "command": "x",
            "public_reason": public_reason,
            "actor": "a",
        }
    )


def test_from_opened_keeps_what_messages_need():
    case = CaseFacts.from_opened(opened_data(), supervisor="sup.malee")
    assert case.tracking_code == TRACKING
    assert case.deadlines[Clock.first_response] == FIRST_RESPONSE_DUE
    assert case.consent.contact_me is True
    assert case.supervisor == "sup.malee"
    assert case.status is CaseStatus.received
    assert case.answer_sent is False


def test_evolve_follows_the_case():
    case = CaseFacts.from_opened(opened_data())
    triaged = CaseTriaged(
        case_id=CASE_ID, unit="legal", priority=Priority.urgent, category="misconduct", actor="a"
    )
    case = evolve(case, event(triaged))
    assert (case.unit, case.priority, case.category) == ("legal", Priority.urgent, "misconduct")
    case = evolve(case, event(CaseAssigned(case_id=CASE_ID, unit="legal", assignee="w", actor="s")))
    assert case.assignee == "w"
    case = evolve(case, event(_changed(CaseStatus.awaiting_info, "ขอข้อมูล")))
    assert case.status is CaseStatus.awaiting_info and not case.answer_sent
    case = evolve(case, event(_changed(CaseStatus.resolved, "คำตอบ")))
    assert case.status is CaseStatus.resolved and case.answer_sent
    reopened = CaseReopened(case_id=CASE_ID, reason="r", actor="a", reopen_count=1)
    case = evolve(case, event(reopened))
    assert case.status is CaseStatus.in_progress and not case.answer_sent
    closed = CaseClosed(case_id=CASE_ID, reason=CloseReason.withdrawn, actor="a")
    case = evolve(case, event(closed))
    assert case.status is CaseStatus.closed and not case.answer_sent


def test_closing_as_resolved_counts_as_answered():
    case = CaseFacts.from_opened(opened_data())
    closed = CaseClosed(case_id=CASE_ID, reason=CloseReason.resolved, actor="a")
    assert evolve(case, event(closed)).answer_sent


def test_events_that_change_nothing_leave_the_facts_alone():
    case = CaseFacts.from_opened(opened_data())
    comment = CaseCommented(
        case_id=CASE_ID, comment_id="c", visibility=Visibility.public, text="t", author="a"
    )
    assert evolve(case, event(comment)) == case


def test_forget_contact_erases_personal_data():
    case = CaseFacts.from_opened(opened_data()).forget_contact()
    assert case.person_id is None
    assert case.consent == Consent()
