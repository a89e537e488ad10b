"""The case lifecycle, checked against the expected table written out here by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from services.workflow.domain.errors import (
    ConflictOfInterest,
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
    ReopenRefused,
)
from services.workflow.domain.lifecycle import (
    Actor,
    CaseState,
    Command,
    CommandPayload,
    Decision,
    LifecyclePolicy,
    Role,
    allowed_commands,
    decide,
)
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseMerged,
    CaseReopened,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    CloseReason,
    Priority,
    Visibility,
)

NOW = datetime(2025, 3, 10, 3, 0, tzinfo=UTC)
OPEN = ("received", "triaged", "assigned", "in_progress", "awaiting_info")
ALL_STATES = (*OPEN, "resolved", "closed")
OFFICE = {"staff", "supervisor", "admin"}
MANAGERS = {"supervisor", "admin"}

# (command, from state) -> (to state, roles allowed). Anything absent is illegal.
EXPECTED: dict[tuple[str, str], tuple[str, set[str]]] = {
    ("triage", "received"): ("triaged", OFFICE | {"system"}),
    ("triage", "triaged"): ("triaged", OFFICE | {"system"}),
    ("triage", "assigned"): ("triaged", OFFICE),
    ("assign", "triaged"): ("assigned", MANAGERS | {"system", "staff"}),
    ("assign", "assigned"): ("assigned", MANAGERS | {"system"}),
    ("assign", "in_progress"): ("in_progress", MANAGERS | {"system"}),
    ("assign", "awaiting_info"): ("awaiting_info", MANAGERS | {"system"}),
    ("start", "assigned"): ("in_progress", OFFICE),
    ("request_info", "in_progress"): ("awaiting_info", OFFICE),
    ("info_received", "awaiting_info"): ("in_progress", OFFICE | {"system", "complainant"}),
    ("resolve", "in_progress"): ("resolved", OFFICE),
    ("resolve", "awaiting_info"): ("resolved", OFFICE),
    ("close", "resolved"): ("closed", OFFICE | {"system"}),
    **{("close", s): ("closed", OFFICE) for s in OPEN},
    ("reopen", "resolved"): ("in_progress", MANAGERS | {"system", "complainant"}),
    ("reopen", "closed"): ("in_progress", MANAGERS | {"system"}),
    **{("merge", s): ("closed", OFFICE) for s in OPEN},
    **{("refer", s): ("closed", MANAGERS) for s in OPEN},
    **{("reject", s): ("closed", MANAGERS) for s in OPEN},
    **{("withdraw", s): ("closed", OFFICE | {"complainant"}) for s in OPEN},
    **{("comment", s): (s, OFFICE | {"system", "complainant"}) for s in ALL_STATES},
    # The complainant's follow-up: on any open case; waiting for it, the case resumes.
    **{("add_info", s): (s, {"complainant"}) for s in (*OPEN, "resolved") if s != "awaiting_info"},
    ("add_info", "awaiting_info"): ("in_progress", {"complainant"}),
}
EXPECTED_CLOSE_REASON = {
    "merge": "duplicate",
    "refer": "referred",
    "reject": "rejected",
    "withdraw": "withdrawn",
}
ILLEGAL = [
    (c, s) for c, s in product([c.value for c in Command], ALL_STATES) if (c, s) not in EXPECTED
]

FULL = CommandPayload(
    reason="internal note",
    public_reason="what the complainant reads",
    public_answer="The school lunch supplier has been replaced.",
    unit="promotion",
    priority=Priority.high,
    assignee="alice",
    into_case_id="C-0001",
    referred_to="Office of the Basic Education Commission",
    text="a comment",
    follow_up_id="f-1",
)


def case_in(status: str, **changes: object) -> CaseState:
    fields: dict[str, object] = {
        "case_id": "C-0042",
        "status": status,
        "unit": "admin",
        "category": "service-quality",
        "assignee": "bob" if status not in ("received", "triaged") else None,
    }
    if status == "closed":
        fields.update(close_reason=CloseReason.resolved, closed_at=NOW - timedelta(days=3))
    if status in ("resolved", "closed"):
        fields["public_answer"] = "Fixed."
    fields.update(changes)
    return CaseState.model_validate(fields)


def as_(role: str, who: str = "alice") -> Actor:
    return Actor(id=who, role=Role(role))


# ------------------------------------------------------------- the whole table


@pytest.mark.parametrize(("command", "state"), sorted(EXPECTED))
def test_each_allowed_command_reaches_its_state(command: str, state: str) -> None:
    to, roles = EXPECTED[(command, state)]
    role = sorted(roles)[0]

    decision = decide(case_in(state), Command(command), as_(role), FULL, NOW)

    assert decision.status == to
    assert decision.timeline.from_status == state
    assert decision.timeline.to_status == to
    assert decision.timeline.command == command
    assert decision.timeline.actor == "alice"
    assert decision.timeline.at == NOW
    changes = [e for e in decision.events if isinstance(e, CaseStatusChanged)]
    if to == state:
        assert changes == []
    else:
        [change] = changes
        assert (change.from_status, change.to_status, change.command) == (state, to, command)
        assert decision.events[0] is change  # the transition is published first
    if to == "closed" and state != "closed":
        expected_reason = EXPECTED_CLOSE_REASON.get(
            command, "resolved" if state == "resolved" else "not_in_scope"
        )
        assert decision.close_reason == expected_reason
        assert decision.case.closed_at == NOW
        [closed] = [e for e in decision.events if isinstance(e, CaseClosed)]
        assert closed.reason == expected_reason


@pytest.mark.parametrize(("command", "state"), ILLEGAL)
def test_each_illegal_command_is_refused_naming_state_and_command(command: str, state: str) -> None:
    # Someone who may give the command from some state: the state is what refuses it.
    role = "admin" if command != "add_info" else "complainant"
    with pytest.raises(IllegalTransition) as refused:
        decide(case_in(state), Command(command), as_(role), FULL, NOW)

    assert refused.value.state == state
    assert refused.value.command == command
    assert state in str(refused.value)
    assert command in str(refused.value)


@pytest.mark.parametrize(
    ("command", "state", "role"),
    [(c, s, r) for (c, s) in sorted(EXPECTED) for r in [x.value for x in Role]],
)
def test_role_matrix(command: str, state: str, role: str) -> None:
    _, roles = EXPECTED[(command, state)]
    if role in roles:
        decide(case_in(state), Command(command), as_(role), FULL, NOW)
    else:
        with pytest.raises(Forbidden) as refused:
            decide(case_in(state), Command(command), as_(role), FULL, NOW)
        assert refused.value.role == role
        assert role in str(refused.value) and command in str(refused.value)


@pytest.mark.parametrize("command", list(Command))
def test_committee_members_read_reports_but_never_act_on_a_case(command: Command) -> None:
    with pytest.raises(Forbidden):
        decide(case_in("in_progress"), command, as_("committee"), FULL, NOW)


def test_a_role_never_allowed_is_forbidden_before_the_state_is_checked() -> None:
    # A complainant may never resolve: say so, rather than leak the case's state.
    with pytest.raises(Forbidden):
        decide(case_in("closed"), Command.resolve, as_("complainant"), FULL, NOW)


def test_allowed_commands_lists_the_buttons_a_staff_member_sees() -> None:
    assert allowed_commands(CaseStatus.in_progress, Role.staff) == [
        Command.request_info,
        Command.resolve,
        Command.close,
        Command.merge,
        Command.withdraw,
        Command.comment,
    ]
    assert allowed_commands(CaseStatus.closed, Role.complainant) == [Command.comment]


# ------------------------------------------------------------- required fields


@pytest.mark.parametrize(
    ("command", "state", "field"),
    [
        ("triage", "received", "unit"),
        ("assign", "triaged", "assignee"),
        ("request_info", "in_progress", "public_reason"),
        ("resolve", "in_progress", "public_answer"),
        ("resolve", "awaiting_info", "public_answer"),
        ("close", "in_progress", "public_reason"),
        ("reopen", "resolved", "reason"),
        ("merge", "triaged", "into_case_id"),
        ("refer", "triaged", "referred_to"),
        ("reject", "assigned", "public_reason"),
        ("comment", "closed", "text"),
    ],
)
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_missing_or_blank_required_field_is_named(
    command: str, state: str, field: str, blank: str | None
) -> None:
    payload = FULL.model_copy(update={field: blank})
    with pytest.raises(MissingField) as refused:
        decide(case_in(state), Command(command), as_("admin"), payload, NOW)
    assert refused.value.field == field
    assert field in str(refused.value)


def test_closing_a_resolved_case_needs_no_explanation_and_carries_the_answer() -> None:
    resolved = decide(
        case_in("in_progress"),
        Command.resolve,
        as_("staff"),
        CommandPayload(public_answer="The road was repaired on 3 March."),
        NOW,
    )
    closed = decide(resolved.case, Command.close, as_("system", "system"), CommandPayload(), NOW)

    [event] = [e for e in closed.events if isinstance(e, CaseClosed)]
    assert event.reason == CloseReason.resolved
    assert event.public_answer == "The road was repaired on 3 March."


def test_withdraw_needs_no_reason() -> None:
    decision = decide(
        case_in("triaged"), Command.withdraw, as_("complainant", "K7Q2"), CommandPayload(), NOW
    )
    assert decision.close_reason == CloseReason.withdrawn


# ------------------------------------------------------------- what each command emits


def test_resolve_publishes_the_answer_to_the_complainant() -> None:
    decision = decide(case_in("in_progress"), Command.resolve, as_("staff"), FULL, NOW)

    [change] = decision.events
    assert isinstance(change, CaseStatusChanged)
    assert change.public_reason == FULL.public_answer
    assert decision.case.public_answer == FULL.public_answer
    assert decision.timeline.visibility == Visibility.public
    assert decision.timeline.public_reason == FULL.public_answer


def test_status_change_serialises_with_from_and_to() -> None:
    decision = decide(case_in("assigned"), Command.start, as_("staff"), CommandPayload(), NOW)
    dumped = decision.events[0].model_dump(mode="json", by_alias=True)
    assert (dumped["from"], dumped["to"], dumped["actor"]) == ("assigned", "in_progress", "alice")


def test_merge_closes_as_duplicate_of_the_target() -> None:
    decision = decide(
        case_in("triaged"),
        Command.merge,
        as_("staff"),
        CommandPayload(into_case_id="C-0007"),
        NOW,
    )

    kinds = [type(e) for e in decision.events]
    assert kinds == [CaseStatusChanged, CaseMerged, CaseClosed]
    merged, closed = decision.events[1], decision.events[2]
    assert isinstance(merged, CaseMerged) and merged.into_case_id == "C-0007"
    assert isinstance(closed, CaseClosed) and closed.duplicate_of == "C-0007"
    assert closed.reason == CloseReason.duplicate


def test_merge_into_itself_is_refused() -> None:
    with pytest.raises(InvalidField) as refused:
        decide(
            case_in("triaged"),
            Command.merge,
            as_("staff"),
            CommandPayload(into_case_id="C-0042"),
            NOW,
        )
    assert refused.value.field == "into_case_id"


def test_refer_names_the_body_referred_to() -> None:
    decision = decide(
        case_in("in_progress"),
        Command.refer,
        as_("supervisor"),
        CommandPayload(referred_to="Provincial Office", public_reason="Not our school district"),
        NOW,
    )
    [closed] = [e for e in decision.events if isinstance(e, CaseClosed)]
    assert (closed.reason, closed.referred_to) == (CloseReason.referred, "Provincial Office")
    assert closed.public_answer == "Not our school district"


def test_triage_routes_to_a_unit_and_carries_the_duplicate_hint() -> None:
    decision = decide(
        case_in("received"),
        Command.triage,
        as_("system", "system"),
        CommandPayload(unit="promotion", priority=Priority.high, duplicate_hint="C-0003"),
        NOW,
    )

    triaged = decision.events[1]
    assert isinstance(triaged, CaseTriaged)
    assert (triaged.unit, triaged.priority, triaged.duplicate_hint) == (
        "promotion",
        Priority.high,
        "C-0003",
    )
    assert triaged.category == "service-quality"  # kept when not given
    assert decision.case.unit == "promotion"
    assert decision.timeline.unit == "promotion"


def test_triage_of_an_assigned_case_returns_it_to_a_unit_queue() -> None:
    decision = decide(
        case_in("assigned"), Command.triage, as_("staff"), CommandPayload(unit="legal"), NOW
    )
    assert decision.status == CaseStatus.triaged
    assert decision.case.assignee is None
    assert decision.case.unit == "legal"
    assert decision.case.priority == Priority.normal


def test_reassigning_while_awaiting_info_keeps_the_case_waiting() -> None:
    decision = decide(
        case_in("awaiting_info"),
        Command.assign,
        as_("supervisor", "sup-1"),
        CommandPayload(assignee="carol", reason="bob on leave"),
        NOW,
    )

    assert decision.status == CaseStatus.awaiting_info
    [assigned] = decision.events
    assert isinstance(assigned, CaseAssigned)
    assert (assigned.assignee, assigned.previous_assignee, assigned.actor) == (
        "carol",
        "bob",
        "sup-1",
    )
    assert decision.timeline.visibility == Visibility.internal
    assert decision.timeline.assignee == "carol"


def test_staff_may_take_a_queued_case_only_for_themselves() -> None:
    taken = decide(
        case_in("triaged"), Command.assign, as_("staff", "dan"), CommandPayload(assignee="dan"), NOW
    )
    assert taken.case.assignee == "dan"
    with pytest.raises(Forbidden):
        decide(
            case_in("triaged"),
            Command.assign,
            as_("staff", "dan"),
            CommandPayload(assignee="erin"),
            NOW,
        )


@pytest.mark.parametrize("named", ["somchai", "  Somchai "])
def test_a_case_is_never_assigned_to_the_person_it_names(named: str) -> None:
    case = case_in("triaged", excluded_assignees=frozenset({"SOMCHAI"}))
    with pytest.raises(ConflictOfInterest):
        decide(case, Command.assign, as_("supervisor"), CommandPayload(assignee=named), NOW)
    # Anyone else is fine.
    decide(case, Command.assign, as_("supervisor"), CommandPayload(assignee="malee"), NOW)


# ------------------------------------------------------------- comments


def test_an_internal_comment_changes_nothing_but_the_timeline() -> None:
    case = case_in("in_progress")
    decision = decide(
        case, Command.comment, as_("staff"), CommandPayload(text="called the school"), NOW
    )

    assert decision.case == case
    [comment] = decision.events
    assert isinstance(comment, CaseCommented)
    assert (comment.visibility, comment.text, comment.author) == (
        Visibility.internal,
        "called the school",
        "alice",
    )
    assert decision.timeline.visibility == Visibility.internal
    assert decision.timeline.public_reason is None


def test_a_public_comment_is_visible_on_the_public_timeline() -> None:
    decision = decide(
        case_in("in_progress"),
        Command.comment,
        as_("staff"),
        CommandPayload(text="We visited on Monday", visibility=Visibility.public, comment_id="k1"),
        NOW,
    )
    assert decision.timeline.visibility == Visibility.public
    assert decision.timeline.public_reason == "We visited on Monday"
    assert decision.timeline.reason is None
    [comment] = decision.events
    assert isinstance(comment, CaseCommented) and comment.comment_id == "k1"


def test_what_a_complainant_writes_is_never_internal() -> None:
    decision = decide(
        case_in("awaiting_info"),
        Command.comment,
        as_("complainant", "K7Q2"),
        CommandPayload(text="Photo attached", visibility=Visibility.internal),
        NOW,
    )
    [comment] = decision.events
    assert isinstance(comment, CaseCommented) and comment.visibility == Visibility.public


# ------------------------------------------------------------- reopening


def _reopen(case: CaseState, policy: LifecyclePolicy | None = None) -> Decision:
    # The complainant says "not fixed" on a resolved case; the survey does it once closed.
    actor = as_("complainant", "K7Q2") if case.status == "resolved" else as_("system", "survey")
    return decide(case, Command.reopen, actor, FULL, NOW, policy)


def test_reopen_goes_back_to_in_progress_and_counts() -> None:
    decision = _reopen(case_in("resolved"))

    assert decision.status == CaseStatus.in_progress
    assert decision.case.reopen_count == 1
    assert decision.case.assignee == "bob"
    reopened = [e for e in decision.events if isinstance(e, CaseReopened)]
    assert [r.reopen_count for r in reopened] == [1]


def test_reopen_from_closed_clears_the_close_reason() -> None:
    decision = _reopen(case_in("closed"))
    assert decision.close_reason is None
    assert decision.case.closed_at is None


def test_the_third_reopen_is_refused_by_default() -> None:
    case = case_in("resolved")
    for _ in range(2):
        reopened = _reopen(case)
        case = reopened.case.model_copy(update={"status": CaseStatus.resolved})
    with pytest.raises(ReopenRefused) as refused:
        _reopen(case)
    assert "reopen" in str(refused.value) and "2 times" in str(refused.value)
    # A higher limit allows it.
    assert _reopen(case, LifecyclePolicy(reopen_limit=3)).case.reopen_count == 3


@pytest.mark.parametrize(
    "reason", ["duplicate", "referred", "not_in_scope", "rejected", "withdrawn"]
)
def test_only_a_case_closed_as_resolved_can_be_reopened(reason: str) -> None:
    with pytest.raises(ReopenRefused):
        _reopen(case_in("closed", close_reason=reason))


def test_a_case_closed_too_long_ago_stays_closed() -> None:
    case = case_in("closed", closed_at=NOW - timedelta(days=31))
    with pytest.raises(ReopenRefused):
        _reopen(case)
    assert _reopen(case, LifecyclePolicy(reopen_window_days=60)).status == "in_progress"
    assert _reopen(case_in("closed", closed_at=NOW - timedelta(days=30))).status == "in_progress"
