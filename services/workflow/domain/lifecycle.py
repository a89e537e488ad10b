"""The case lifecycle: one transition table, checked on every command.

    received → triaged → assigned → in_progress ⇄ awaiting_info → resolved → closed
                                        ↑                              │
                                        └──────── reopen ──────────────┘

The complainant acts on their own case too (through intake's tracking door, which checks
the code and PIN): `add_info` is their message on a case still open, and takes an
`awaiting_info` case back to `in_progress` (its clock resumes); `withdraw` closes a case
with work still to do as withdrawn.

`decide(case, command, actor, payload, now)` refuses an illegal command with a typed
error, or returns the case after the command, the events to write to the outbox (data
models from `shared.contract.events`, in the order to publish) and the timeline entry.

The role check here is about the kind of actor. Which cases an actor may touch (their
unit, their own queue, the person a misconduct complaint names) is checked by the API
before calling `decide`, except the one rule the case itself knows: a case is never
assigned to a person it names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeAlias

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from services.workflow.domain.errors import (
    ConflictOfInterest,
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
    ReopenRefused,
)
from shared.contract.events import (
    CaseAssigned,
    CaseClosed,
    CaseCommented,
    CaseInfoAdded,
    CaseMerged,
    CaseReopened,
    CaseStatus,
    CaseStatusChanged,
    CaseTriaged,
    Channel,
    CloseReason,
    Priority,
    Visibility,
)
from shared.contract.vocabulary import ACTIVE_STATUSES, OPEN_STATUSES

# The data of an event from `shared.contract.events`; the outbox wraps it in its envelope.
EventData: TypeAlias = BaseModel


class Role(StrEnum):
    system = "system"
    staff = "staff"
    supervisor = "supervisor"
    admin = "admin"
    committee = "committee"
    # A participation coordinator: no command on any case (no rule names it).
    participation = "participation"
    # A member of the public acting on their own case (tracking code and PIN).
    complainant = "complainant"


class Command(StrEnum):
    triage = "triage"
    assign = "assign"
    start = "start"
    request_info = "request_info"
    info_received = "info_received"
    resolve = "resolve"
    close = "close"
    reopen = "reopen"
    merge = "merge"
    refer = "refer"
    reject = "reject"
    withdraw = "withdraw"
    comment = "comment"
    # The complainant adds information (their `submission.follow_up`).
    add_info = "add_info"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Actor(_Model):
    id: str = Field(min_length=1)
    role: Role


class CommandPayload(_Model):
    """Everything a command may carry; which fields each command needs is in the table."""

    reason: str | None = None  # why, for staff only
    public_reason: str | None = None  # what the complainant reads
    public_answer: str | None = None
    unit: str | None = None
    priority: Priority | None = None
    category: str | None = None
    duplicate_hint: str | None = None
    assignee: str | None = None
    into_case_id: str | None = None
    referred_to: str | None = None
    text: str | None = None
    visibility: Visibility = Visibility.internal
    comment_id: str | None = None
    # A complainant's follow-up (`add_info`) only, from its event: hidden from the staff
    # API's documented body, which never carries them.
    follow_up_id: SkipJsonSchema[str | None] = None
    attachments: SkipJsonSchema[tuple[str, ...]] = ()
    channel: SkipJsonSchema[Channel | None] = None


class CaseState(_Model):
    """What the lifecycle needs to know about a case."""

    case_id: str
    status: CaseStatus = CaseStatus.received
    unit: str
    category: str
    priority: Priority = Priority.normal
    assignee: str | None = None
    # Staff ids (or names) the case must never go to: the person a complaint names.
    # Compared without regard to case; see assignment.named_staff_ids.
    excluded_assignees: frozenset[str] = frozenset()
    reopen_count: int = Field(default=0, ge=0)
    close_reason: CloseReason | None = None
    closed_at: AwareDatetime | None = None
    public_answer: str | None = None


class TimelineEntry(_Model):
    """One line of a case's history: who, when, from, to, why."""

    at: AwareDatetime
    actor: str
    role: Role
    command: Command
    from_status: CaseStatus
    to_status: CaseStatus
    reason: str | None = None
    public_reason: str | None = None
    visibility: Visibility
    unit: str | None = None
    assignee: str | None = None
    close_reason: CloseReason | None = None


class LifecyclePolicy(_Model):
    """Limits on reopening: how many times, and how long after closing as resolved."""

    reopen_limit: int = Field(default=2, ge=0)
    reopen_window_days: int = Field(default=30, ge=0)


@dataclass(frozen=True)
class Decision:
    case: CaseState
    events: tuple[EventData, ...]
    timeline: TimelineEntry

    @property
    def status(self) -> CaseStatus:
        return self.case.status

    @property
    def close_reason(self) -> CloseReason | None:
        return self.case.close_reason


@dataclass(frozen=True)
class Rule:
    """One row of the table: the resulting state, who may, and what the payload needs."""

    to: CaseStatus
    roles: frozenset[Role]
    requires: tuple[str, ...] = ()
    close_reason: CloseReason | None = None


# ------------------------------------------------------------------ the table

S = CaseStatus
R = Role
_OFFICE = frozenset({R.staff, R.supervisor, R.admin})
_MANAGERS = frozenset({R.supervisor, R.admin})
_COMMENTERS = frozenset({R.system, R.staff, R.supervisor, R.admin, R.complainant})


def _closing(reason: CloseReason, roles: frozenset[Role], *requires: str) -> dict[S, Rule]:
    # From any status with work still to do; a resolved case closes through `close`.
    return {s: Rule(S.closed, roles, requires, reason) for s in ACTIVE_STATUSES}


TRANSITIONS: dict[Command, dict[CaseStatus, Rule]] = {
    Command.triage: {
        S.received: Rule(S.triaged, _OFFICE | {R.system}, ("unit",)),
        # Re-routing to another unit, or handing an assigned case back to a unit queue.
        S.triaged: Rule(S.triaged, _OFFICE | {R.system}, ("unit",)),
        S.assigned: Rule(S.triaged, _OFFICE, ("unit",)),
    },
    Command.assign: {
        # Staff may take an unowned case from their unit queue, for themselves only.
        S.triaged: Rule(S.assigned, _MANAGERS | {R.system, R.staff}, ("assignee",)),
        S.assigned: Rule(S.assigned, _MANAGERS | {R.system}, ("assignee",)),
        # Reassigning work under way keeps its state (and a paused clock paused).
        S.in_progress: Rule(S.in_progress, _MANAGERS | {R.system}, ("assignee",)),
        S.awaiting_info: Rule(S.awaiting_info, _MANAGERS | {R.system}, ("assignee",)),
    },
    Command.start: {S.assigned: Rule(S.in_progress, _OFFICE)},
    Command.request_info: {S.in_progress: Rule(S.awaiting_info, _OFFICE, ("public_reason",))},
    Command.info_received: {
        S.awaiting_info: Rule(S.in_progress, _OFFICE | {R.system, R.complainant})
    },
    Command.resolve: {
        S.in_progress: Rule(S.resolved, _OFFICE, ("public_answer",)),
        # The complainant never answered: the office answers with what it has.
        S.awaiting_info: Rule(S.resolved, _OFFICE, ("public_answer",)),
    },
    Command.close: {
        S.resolved: Rule(S.closed, _OFFICE | {R.system}, (), CloseReason.resolved),
        **_closing(CloseReason.not_in_scope, _OFFICE, "public_reason"),
    },
    Command.reopen: {
        S.resolved: Rule(S.in_progress, _MANAGERS | {R.system, R.complainant}, ("reason",)),
        # Only a case closed as resolved, within the window (see _check_reopen).
        S.closed: Rule(S.in_progress, _MANAGERS | {R.system}, ("reason",)),
    },
    # Never automatic: routing only hints at a duplicate, a person merges.
    Command.merge: _closing(CloseReason.duplicate, _OFFICE, "into_case_id"),
    Command.refer: _closing(CloseReason.referred, _MANAGERS, "referred_to"),
    Command.reject: _closing(CloseReason.rejected, _MANAGERS, "public_reason"),
    Command.withdraw: _closing(CloseReason.withdrawn, _OFFICE | {R.complainant}),
    Command.comment: {s: Rule(s, _COMMENTERS, ("text",)) for s in CaseStatus},
    # What the complainant adds reaches the case while it is open; waiting for it, the
    # case goes back to work and the paused clock runs again. A closed case takes none
    # (intake answers 409; one that raced a close is kept as a comment by the consumer).
    Command.add_info: {
        s: Rule(
            S.in_progress if s is S.awaiting_info else s,
            frozenset({R.complainant}),
            ("text", "follow_up_id"),
        )
        for s in OPEN_STATUSES
    },
}


def allowed_commands(status: CaseStatus, role: Role) -> list[Command]:
    """The commands `role` may issue on a case in `status` (for the UI's buttons)."""
    return [c for c, rows in TRANSITIONS.items() if status in rows and role in rows[status].roles]


# ------------------------------------------------------------------ deciding


def decide(
    case: CaseState,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    now: datetime,
    policy: LifecyclePolicy | None = None,
) -> Decision:
    """Check `command` against the table and return its effect, or raise.

    Raises `Forbidden` when the role may never issue the command (or not from this
    state), `IllegalTransition` when the state does not allow it, `MissingField` when
    the payload lacks what the command needs, and the more specific `ReopenRefused`,
    `ConflictOfInterest`, `InvalidField`.
    """
    rows = TRANSITIONS[command]
    if not any(actor.role in rule.roles for rule in rows.values()):
        raise Forbidden(actor.role, command)
    rule = rows.get(case.status)
    if rule is None:
        raise IllegalTransition(case.status, command)
    if actor.role not in rule.roles:
        raise Forbidden(actor.role, command, f"not while the case is {case.status}")
    for name in rule.requires:
        if not _given(getattr(payload, name)):
            raise MissingField(command, name)
    _check_payload(case, command, actor, payload, now, policy or LifecyclePolicy())
    return _apply(case, command, actor, payload, now, rule)


def _given(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _check_payload(
    case: CaseState,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    now: datetime,
    policy: LifecyclePolicy,
) -> None:
    if command is Command.assign:
        if actor.role is Role.staff and payload.assignee != actor.id:
            raise Forbidden(actor.role, command, "staff may only take a case for themselves")
        if _names_anyone(payload.assignee, case.excluded_assignees):
            raise ConflictOfInterest(actor.role, command, "the case names this person")
    elif command is Command.merge and payload.into_case_id == case.case_id:
        raise InvalidField(command, "into_case_id", "is this case itself")
    elif command is Command.reopen:
        _check_reopen(case, now, policy)


def _names_anyone(person: str | None, excluded: frozenset[str]) -> bool:
    return person is not None and person.strip().casefold() in {
        e.strip().casefold() for e in excluded
    }


def _comment_visibility(actor: Actor, payload: CommandPayload) -> Visibility:
    # What a complainant writes is theirs to see; it is never an internal note.
    return Visibility.public if actor.role is Role.complainant else payload.visibility


def is_office_answer(entry: TimelineEntry) -> bool:
    """A comment the complainant reads, written by the office: it counts as a first
    response. The complainant's own words never answer them."""
    return (
        entry.command is Command.comment
        and entry.visibility is Visibility.public
        and entry.role is not Role.complainant
    )


def _check_reopen(case: CaseState, now: datetime, policy: LifecyclePolicy) -> None:
    if case.reopen_count >= policy.reopen_limit:
        raise ReopenRefused(
            case.status, Command.reopen, f"already reopened {case.reopen_count} times"
        )
    if case.status is not CaseStatus.closed:
        return
    if case.close_reason is not CloseReason.resolved:
        raise ReopenRefused(case.status, Command.reopen, f"closed as {case.close_reason}")
    window = timedelta(days=policy.reopen_window_days)
    if case.closed_at is None or now - case.closed_at > window:
        raise ReopenRefused(
            case.status, Command.reopen, f"closed more than {policy.reopen_window_days} days ago"
        )


def _apply(
    case: CaseState,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    now: datetime,
    rule: Rule,
) -> Decision:
    after = _next_state(case, command, payload, now, rule)
    public_reason = payload.public_answer if command is Command.resolve else payload.public_reason
    events: list[EventData] = []
    if after.status is not case.status:
        events.append(
            CaseStatusChanged.model_validate(
                {
                    "case_id": case.case_id,
                    "from": case.status,
                    "to": after.status,
                    "command": command,
                    "reason": payload.reason,
                    "public_reason": public_reason,
                    "actor": actor.id,
                }
            )
        )
    events.extend(_command_events(case, after, command, actor, payload))
    reason = payload.reason
    visibility = Visibility.public if after.status is not case.status else Visibility.internal
    if command is Command.comment:
        visibility = _comment_visibility(actor, payload)
        if visibility is Visibility.public:
            reason, public_reason = None, payload.text
        else:
            reason = payload.text
    elif command is Command.add_info:
        # The complainant's own words: on the public timeline, as theirs.
        visibility, reason, public_reason = Visibility.public, None, payload.text
    elif command is Command.withdraw and actor.role is Role.complainant:
        # Their reason for withdrawing is theirs to read again, and staff's to read.
        visibility, reason, public_reason = Visibility.public, None, payload.reason
    entry = TimelineEntry(
        at=now,
        actor=actor.id,
        role=actor.role,
        command=command,
        from_status=case.status,
        to_status=after.status,
        reason=reason,
        public_reason=public_reason,
        visibility=visibility,
        unit=after.unit if command is Command.triage else None,
        assignee=after.assignee if command is Command.assign else None,
        close_reason=rule.close_reason,
    )
    return Decision(case=after, events=tuple(events), timeline=entry)


def _next_state(
    case: CaseState, command: Command, payload: CommandPayload, now: datetime, rule: Rule
) -> CaseState:
    changes: dict[str, object] = {"status": rule.to}
    if command is Command.triage:
        changes.update(
            unit=payload.unit,
            priority=payload.priority or case.priority,
            category=payload.category or case.category,
            assignee=None,
        )
    elif command is Command.assign:
        changes["assignee"] = payload.assignee
    elif command is Command.resolve:
        changes["public_answer"] = payload.public_answer
    elif command is Command.reopen:
        changes.update(reopen_count=case.reopen_count + 1, close_reason=None, closed_at=None)
    if rule.close_reason is not None:
        changes.update(close_reason=rule.close_reason, closed_at=now)
    return case.model_copy(update=changes)


def _command_events(
    case: CaseState, after: CaseState, command: Command, actor: Actor, payload: CommandPayload
) -> list[EventData]:
    cid, who = case.case_id, actor.id
    if command is Command.triage:
        return [
            CaseTriaged(
                case_id=cid,
                unit=after.unit,
                priority=after.priority,
                category=after.category,
                actor=who,
                duplicate_hint=payload.duplicate_hint,
            )
        ]
    if command is Command.assign:
        assert payload.assignee is not None  # required by the table
        return [
            CaseAssigned(
                case_id=cid,
                unit=after.unit,
                assignee=payload.assignee,
                previous_assignee=case.assignee,
                actor=who,
                reason=payload.reason,
            )
        ]
    if command is Command.reopen:
        assert payload.reason is not None  # required by the table
        return [
            CaseReopened(
                case_id=cid, reason=payload.reason, actor=who, reopen_count=after.reopen_count
            )
        ]
    if command is Command.add_info:
        assert payload.text is not None and payload.follow_up_id is not None  # the table
        return [
            CaseInfoAdded(
                case_id=cid,
                follow_up_id=payload.follow_up_id,
                text=payload.text,
                attachments=list(payload.attachments),
                channel=payload.channel or Channel.web,
                resumed=case.status is CaseStatus.awaiting_info,
                assignee=after.assignee,
            )
        ]
    if command is Command.comment:
        assert payload.text is not None  # required by the table
        return [
            CaseCommented(
                case_id=cid,
                comment_id=payload.comment_id or str(uuid.uuid4()),
                visibility=_comment_visibility(actor, payload),
                text=payload.text,
                author=who,
            )
        ]
    if after.close_reason is None or after.status is not CaseStatus.closed:
        return []
    events: list[EventData] = []
    if command is Command.merge:
        assert payload.into_case_id is not None  # required by the table
        events.append(CaseMerged(case_id=cid, into_case_id=payload.into_case_id, actor=who))
    events.append(
        CaseClosed(
            case_id=cid,
            reason=after.close_reason,
            actor=who,
            duplicate_of=payload.into_case_id if command is Command.merge else None,
            referred_to=payload.referred_to if command is Command.refer else None,
            public_answer=after.public_answer
            if after.close_reason is CloseReason.resolved
            else payload.public_reason,
        )
    )
    return events
