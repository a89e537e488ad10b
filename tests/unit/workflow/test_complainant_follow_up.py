"""The complainant's own commands: adding information (which ends an awaiting-info pause
and moves the deadline by the business days it waited) and withdrawing."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.workflow.domain.errors import Forbidden, IllegalTransition
from services.workflow.domain.lifecycle import (
    Actor,
    CaseState,
    Command,
    CommandPayload,
    Role,
    decide,
)
from services.workflow.domain.sla import SlaPolicy, apply_decision, pause, start_clocks
from shared.contract.events import (
    CaseClosed,
    CaseInfoAdded,
    CaseStatus,
    CaseStatusChanged,
    Channel,
    Clock,
    CloseReason,
    Visibility,
)
from shared.thai.calendar import ThaiCalendar
from shared.thai.dates import BANGKOK

CAL = ThaiCalendar()
COMPLAINANT = Actor(id="complainant", role=Role.complainant)
OPENED = datetime(2025, 3, 10, 10, 0, tzinfo=BANGKOK)  # a Monday, no holiday near
ASKED = datetime(2025, 3, 11, 10, 0, tzinfo=BANGKOK)  # staff asked for information
ANSWERED = datetime(2025, 3, 14, 10, 0, tzinfo=BANGKOK)  # Friday: three business days on


def case_in(status: CaseStatus, assignee: str | None = "bob") -> CaseState:
    return CaseState(
        case_id="c-1", status=status, unit="admin", category="service-quality", assignee=assignee
    )


def follow_up(text: str = "The lamp is at the corner of soi 5.") -> CommandPayload:
    return CommandPayload(
        text=text, follow_up_id="f-1", attachments=("65f0a1",), channel=Channel.email
    )


def test_information_added_while_waiting_resumes_the_case_and_says_so() -> None:
    decision = decide(
        case_in(CaseStatus.awaiting_info), Command.add_info, COMPLAINANT, follow_up(), ANSWERED
    )

    assert decision.status is CaseStatus.in_progress
    change, added = decision.events
    assert isinstance(change, CaseStatusChanged)
    assert (change.from_status, change.to_status) == ("awaiting_info", "in_progress")
    assert isinstance(added, CaseInfoAdded)
    assert added.resumed is True
    assert added.assignee == "bob"
    assert (added.follow_up_id, added.attachments, added.channel) == ("f-1", ["65f0a1"], "email")
    # Their words are on the public timeline, as theirs.
    entry = decision.timeline
    assert entry.visibility is Visibility.public
    assert entry.public_reason == "The lamp is at the corner of soi 5."
    assert entry.reason is None


def test_the_paused_resolution_clock_runs_again_with_its_deadline_moved() -> None:
    clocks = start_clocks(SlaPolicy(), OPENED, CAL)
    paused = {c: pause(s, ASKED) for c, s in clocks.items()}
    decision = decide(
        case_in(CaseStatus.awaiting_info), Command.add_info, COMPLAINANT, follow_up(), ANSWERED
    )

    after = apply_decision(paused, decision, CAL)

    resolution = after[Clock.resolution]
    assert resolution.running
    assert resolution.paused_total == 3
    assert resolution.due_at == CAL.add_business_days(clocks[Clock.resolution].due_at, 3)


@pytest.mark.parametrize("status", ["received", "triaged", "assigned", "in_progress", "resolved"])
def test_information_added_otherwise_leaves_the_status_and_every_clock(status: str) -> None:
    clocks = start_clocks(SlaPolicy(), OPENED, CAL)
    decision = decide(
        case_in(CaseStatus(status)), Command.add_info, COMPLAINANT, follow_up(), ANSWERED
    )

    assert decision.status == status
    [added] = decision.events
    assert isinstance(added, CaseInfoAdded) and added.resumed is False
    # The complainant's own words are no answer from the office: no clock stops.
    assert apply_decision(clocks, decision, CAL) == clocks


def test_a_complainants_comment_is_no_first_response() -> None:
    clocks = start_clocks(SlaPolicy(), OPENED, CAL)
    decision = decide(
        case_in(CaseStatus.in_progress),
        Command.comment,
        COMPLAINANT,
        CommandPayload(text="any news?"),
        ANSWERED,
    )

    assert apply_decision(clocks, decision, CAL)[Clock.first_response].stopped_at is None


def test_a_closed_case_takes_no_information_and_staff_cannot_add_it_for_them() -> None:
    with pytest.raises(IllegalTransition):
        decide(case_in(CaseStatus.closed), Command.add_info, COMPLAINANT, follow_up(), ANSWERED)
    with pytest.raises(Forbidden):
        decide(
            case_in(CaseStatus.in_progress),
            Command.add_info,
            Actor(id="alice", role=Role.staff),
            follow_up(),
            ANSWERED,
        )


def test_withdrawing_closes_as_withdrawn_with_their_reason_on_the_public_timeline() -> None:
    decision = decide(
        case_in(CaseStatus.awaiting_info),
        Command.withdraw,
        COMPLAINANT,
        CommandPayload(reason="The road was repaired meanwhile."),
        ANSWERED,
    )

    assert decision.status is CaseStatus.closed
    assert decision.close_reason is CloseReason.withdrawn
    [closed] = [e for e in decision.events if isinstance(e, CaseClosed)]
    assert (closed.reason, closed.actor) == (CloseReason.withdrawn, "complainant")
    assert decision.timeline.visibility is Visibility.public
    assert decision.timeline.public_reason == "The road was repaired meanwhile."


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_an_answered_or_closed_case_cannot_be_withdrawn(status: str) -> None:
    with pytest.raises(IllegalTransition):
        decide(
            case_in(CaseStatus(status)), Command.withdraw, COMPLAINANT, CommandPayload(), ANSWERED
        )
