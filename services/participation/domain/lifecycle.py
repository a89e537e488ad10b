"""A consultation's lifecycle: one transition table, checked on every command.

    draft ──open──▶ open ──close──▶ closed ──conclude──▶ concluded
      ↺ edit          ▲                │
                      └─────reopen─────┘

`decide(consultation, command, actor, payload, today)` refuses an illegal command with a
typed error before anything happens, or returns the consultation after it, the events to
write to the outbox (data models from `shared.contract.events`) and the timeline entry.
Admins and participation coordinators run consultations; the system closes one whose
period has ended; other staff only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeAlias

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.participation.domain.consultation import Consultation
from services.participation.domain.errors import (
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
)
from shared.contract.events import (
    ConsultationClosed,
    ConsultationConcluded,
    ConsultationOpened,
    ConsultationStatus,
    QuestionAsked,
)

EventData: TypeAlias = BaseModel


class Role(StrEnum):
    system = "system"
    admin = "admin"
    participation = "participation"
    # Any other member of staff: reads consultations and opinions, changes nothing.
    staff = "staff"


def role_of(staff_role: str) -> Role:
    """The lifecycle role of a staff account's role (its value)."""
    return Role(staff_role) if staff_role in {Role.admin, Role.participation} else Role.staff


MANAGERS = frozenset({Role.admin, Role.participation})


class Command(StrEnum):
    edit = "edit"
    open = "open"
    close = "close"
    reopen = "reopen"
    conclude = "conclude"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Actor(_Model):
    id: str = Field(min_length=1)
    role: Role


#: Who acts when the system does (closing past the last day).
SYSTEM = Actor(id="system", role=Role.system)


class CommandPayload(_Model):
    """Everything a command may carry; which fields each command needs is in the table."""

    reason: str | None = Field(default=None, max_length=2000)
    # The results, in the office's words: what the opinions said (conclude).
    summary: str | None = Field(default=None, max_length=10000)
    # A new last day for opinions (reopen).
    closes_on: date | None = None


class TimelineEntry(_Model):
    at: AwareDatetime
    actor: str
    role: Role
    command: Command
    from_status: ConsultationStatus
    to_status: ConsultationStatus
    reason: str | None = None


@dataclass(frozen=True)
class Rule:
    to: ConsultationStatus
    roles: frozenset[Role]
    requires: tuple[str, ...] = ()


S = ConsultationStatus

TRANSITIONS: dict[Command, dict[ConsultationStatus, Rule]] = {
    # Questions and groups change only before anyone has answered.
    Command.edit: {S.draft: Rule(S.draft, MANAGERS)},
    Command.open: {S.draft: Rule(S.open, MANAGERS)},
    # The system closes a consultation once its last day has passed.
    Command.close: {S.open: Rule(S.closed, MANAGERS | {Role.system})},
    Command.reopen: {S.closed: Rule(S.open, MANAGERS, ("reason", "closes_on"))},
    Command.conclude: {S.closed: Rule(S.concluded, MANAGERS, ("summary",))},
}


def allowed_commands(status: ConsultationStatus, role: Role) -> list[Command]:
    """The commands `role` may give a consultation in `status` (for the API's hints)."""
    return [c for c, rows in TRANSITIONS.items() if status in rows and role in rows[status].roles]


@dataclass(frozen=True)
class Decision:
    consultation: Consultation
    events: tuple[EventData, ...]
    timeline: TimelineEntry


def decide(
    consultation: Consultation,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    now: datetime,
    today: date,
) -> Decision:
    """Check `command` against the table and return its effect, or raise `Forbidden`
    (the role may never give it), `IllegalTransition` (not from this status),
    `MissingField` or `InvalidField`. `today` is the office's date (Bangkok)."""
    rows = TRANSITIONS[command]
    if not any(actor.role in rule.roles for rule in rows.values()):
        raise Forbidden(actor.role, f"{command} a consultation")
    rule = rows.get(consultation.status)
    if rule is None:
        raise IllegalTransition(consultation.status, f"{command} a consultation")
    if actor.role not in rule.roles:
        raise Forbidden(actor.role, f"{command} a consultation that is {consultation.status}")
    for name in rule.requires:
        value = getattr(payload, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise MissingField(f"{command} a consultation", name)
    changes: dict[str, object] = {"status": rule.to}
    if command is Command.open and consultation.closes_on < today:
        raise InvalidField("open a consultation", "closes_on", "has passed; edit the draft")
    if command is Command.reopen:
        assert payload.closes_on is not None  # required by the table
        if payload.closes_on < today:
            raise InvalidField("reopen a consultation", "closes_on", "has passed")
        changes["closes_on"] = payload.closes_on
    if command is Command.conclude:
        changes["summary"] = (payload.summary or "").strip()
    after = consultation.model_copy(update=changes)
    entry = TimelineEntry(
        at=now,
        actor=actor.id,
        role=actor.role,
        command=command,
        from_status=consultation.status,
        to_status=rule.to,
        reason=payload.reason,
    )
    return Decision(after, _events(after, command, actor, payload), entry)


def _events(
    c: Consultation, command: Command, actor: Actor, payload: CommandPayload
) -> tuple[EventData, ...]:
    if command in (Command.open, Command.reopen):
        return (
            ConsultationOpened(
                consultation_id=c.consultation_id,
                fiscal_year=c.fiscal_year,
                mission_item=c.mission_item,
                topic=c.topic_th,
                groups=list(c.groups),
                opens_on=c.opens_on,
                closes_on=c.closes_on,
                questions=len(c.questions),
                asked=[
                    QuestionAsked(
                        id=q.id,
                        kind=q.kind.value,
                        choices=[ch.code for ch in q.choices],
                        required=q.required,
                    )
                    for q in c.questions
                ],
                reopened=command is Command.reopen,
                actor=actor.id,
            ),
        )
    if command is Command.close:
        return (
            ConsultationClosed(
                consultation_id=c.consultation_id,
                fiscal_year=c.fiscal_year,
                mission_item=c.mission_item,
                opinions=c.opinions,
                by_group=dict(c.by_group),
                actor=actor.id,
                reason=payload.reason,
            ),
        )
    if command is Command.conclude:
        return (
            ConsultationConcluded(
                consultation_id=c.consultation_id,
                fiscal_year=c.fiscal_year,
                mission_item=c.mission_item,
                topic=c.topic_th,
                summary=c.summary or "",
                opinions=c.opinions,
                by_group=dict(c.by_group),
                actor=actor.id,
            ),
        )
    return ()


def is_past_its_last_day(consultation: Consultation, today: date) -> bool:
    """An open consultation whose last day for opinions is behind us (the system closes it)."""
    return consultation.status is S.open and consultation.closes_on < today
