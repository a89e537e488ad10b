"""The consultation lifecycle table: who may do what from which status, and what it emits."""

from __future__ import annotations

from datetime import date

import pytest

from services.participation.domain.errors import (
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
)
from services.participation.domain.lifecycle import (
    TRANSITIONS,
    Command,
    CommandPayload,
    Role,
    allowed_commands,
    decide,
    is_past_its_last_day,
    role_of,
)
from shared.contract.events import (
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
    ConsultationStatus,
)
from tests.unit.participation.sample import (
    ADMIN,
    COORDINATOR,
    NOW,
    STAFF,
    SYSTEM,
    TODAY,
    consultation,
)

S = ConsultationStatus


def test_the_table_reaches_every_status_and_leaves_concluded_alone() -> None:
    reached = {rule.to for rows in TRANSITIONS.values() for rule in rows.values()}
    assert reached == set(ConsultationStatus)
    assert all(S.concluded not in rows for rows in TRANSITIONS.values())


def test_a_consultation_lives_draft_open_closed_concluded() -> None:
    c = consultation(S.draft)
    opened = decide(c, Command.open, COORDINATOR, CommandPayload(), NOW, TODAY)
    assert opened.consultation.status is S.open
    (event,) = opened.events
    assert isinstance(event, ConsultationOpened)
    assert event.fiscal_year == 2570 and event.groups == ["parents", "teachers"]
    assert event.questions == 2 and not event.reopened

    closed = decide(opened.consultation, Command.close, ADMIN, CommandPayload(), NOW, TODAY)
    assert isinstance(closed.events[0], ConsultationClosed)

    concluded = decide(
        closed.consultation,
        Command.conclude,
        COORDINATOR,
        CommandPayload(summary="  ผู้ปกครองส่วนใหญ่พอใจ  "),
        NOW,
        TODAY,
    )
    assert concluded.consultation.status is S.concluded
    assert concluded.consultation.summary == "ผู้ปกครองส่วนใหญ่พอใจ"
    (done,) = concluded.events
    assert isinstance(done, ConsultationConcluded) and done.summary == "ผู้ปกครองส่วนใหญ่พอใจ"
    assert concluded.timeline.from_status is S.closed and concluded.timeline.actor == "policy.a"


@pytest.mark.parametrize(
    ("status", "command"),
    [
        (S.draft, Command.close),
        (S.draft, Command.conclude),
        (S.open, Command.open),
        (S.open, Command.conclude),
        (S.open, Command.edit),
        (S.closed, Command.edit),
        (S.concluded, Command.close),
        (S.concluded, Command.reopen),
    ],
)
def test_an_illegal_command_names_the_status(status: S, command: Command) -> None:
    payload = CommandPayload(summary="x", reason="x", closes_on=date(2027, 2, 1))
    with pytest.raises(IllegalTransition) as refused:
        decide(consultation(status), command, ADMIN, payload, NOW, TODAY)
    assert refused.value.status == status


def test_other_staff_only_read() -> None:
    with pytest.raises(Forbidden):
        decide(consultation(S.draft), Command.open, STAFF, CommandPayload(), NOW, TODAY)
    assert allowed_commands(S.open, Role.staff) == []
    assert allowed_commands(S.open, Role.participation) == [Command.close]


def test_the_system_may_close_but_not_open() -> None:
    assert decide(consultation(), Command.close, SYSTEM, CommandPayload(), NOW, TODAY)
    with pytest.raises(Forbidden):
        decide(consultation(S.draft), Command.open, SYSTEM, CommandPayload(), NOW, TODAY)


def test_concluding_needs_a_summary_and_reopening_a_reason_and_a_new_last_day() -> None:
    closed = consultation(S.closed)
    with pytest.raises(MissingField) as missing:
        decide(closed, Command.conclude, ADMIN, CommandPayload(summary="  "), NOW, TODAY)
    assert missing.value.field == "summary"
    with pytest.raises(MissingField) as missing:
        decide(closed, Command.reopen, ADMIN, CommandPayload(reason="more time"), NOW, TODAY)
    assert missing.value.field == "closes_on"
    reopened = decide(
        closed,
        Command.reopen,
        ADMIN,
        CommandPayload(reason="more time", closes_on=date(2027, 2, 28)),
        NOW,
        TODAY,
    )
    assert reopened.consultation.closes_on == date(2027, 2, 28)
    assert isinstance(reopened.events[0], ConsultationOpened) and reopened.events[0].reopened


def test_a_period_that_has_ended_cannot_open() -> None:
    late = consultation(S.draft, opens_on=date(2026, 11, 1), closes_on=date(2026, 11, 30))
    with pytest.raises(InvalidField) as refused:
        decide(late, Command.open, ADMIN, CommandPayload(), NOW, TODAY)
    assert refused.value.field == "closes_on"
    assert is_past_its_last_day(late.model_copy(update={"status": S.open}), TODAY)
    assert not is_past_its_last_day(consultation(), TODAY)


def test_closing_carries_the_counts_per_group() -> None:
    c = consultation(opinions=5, by_group={"parents": 3, "teachers": 2})
    (event,) = decide(c, Command.close, ADMIN, CommandPayload(), NOW, TODAY).events
    assert isinstance(event, ConsultationClosed)
    assert event.opinions == 5 and event.by_group == {"parents": 3, "teachers": 2}


def test_staff_roles_map_onto_the_lifecycle() -> None:
    assert role_of("admin") is Role.admin
    assert role_of("participation") is Role.participation
    assert role_of("supervisor") is Role.staff and role_of("committee") is Role.staff
