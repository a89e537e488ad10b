"""A command on a case (from staff, a supervisor, the system or the complainant): checked
against the lifecycle table, applied with an optimistic version check, its events
written to the case's event store and the outbox in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import (
    StaleVersion,
    clocks_doc,
    clocks_of,
    state_of,
)
from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import InvalidField
from services.workflow.domain.lifecycle import (
    Actor,
    Command,
    CommandPayload,
    Decision,
    decide,
    is_office_answer,
)
from services.workflow.domain.sla import apply_transition
from services.workflow.domain.sla_schedule import next_check_at
from services.workflow.handlers.policies import in_force
from shared.contract.events import CaseStatus, CloudEvent
from shared.contract.vocabulary import ACTIVE_STATUSES
from shared.infra.mongo import Document, in_transaction


async def run_command(
    ctx: WorkflowContext,
    case_id: str,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    *,
    expected_version: int | None = None,
) -> Document:
    """Apply `command`; returns the case after it. Raises the lifecycle's typed errors,
    `CaseNotFound`, or `StaleVersion` when `expected_version` is given and the case moved
    on (or another command won a race for it)."""
    await in_force(ctx)  # a pause's end moves deadlines by the office's closures

    async def work(session: AsyncClientSession) -> Document:
        doc = await ctx.store.get(case_id, session)
        if expected_version is not None and doc["version"] != expected_version:
            raise StaleVersion(case_id)
        return await apply_decision(ctx, doc, command, actor, payload, session)

    result = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    return result


@dataclass(frozen=True)
class Change:
    """A command decided on a case and not yet written: what `CaseStore.update` writes."""

    doc: Document
    decision: Decision
    changes: Document
    timeline: Document
    events: list[CloudEvent[Any]]

    @property
    def after(self) -> Document:
        """The case as it is once the change is written."""
        return {
            **self.doc,
            **self.changes,
            "version": self.doc["version"] + 1,
            "timeline": [*self.doc.get("timeline", []), self.timeline],
        }

    @property
    def open_cases(self) -> dict[str, int]:
        """How the change moves the officers' open-case counts."""
        before, after = state_of(self.doc), self.decision.case
        return open_case_moves(before.assignee, before.status, after.assignee, after.status)


def decide_change(
    ctx: WorkflowContext,
    doc: Document,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
) -> Change:
    """`command` on the case `doc` checked against the lifecycle table (its typed errors
    when refused) and what it changes, with its events and timeline entry; nothing is
    written. What the command names (people, units, cases) is checked before, by
    `_check_references` or its caller."""
    now = ctx.clock.now()
    before = state_of(doc)
    decision: Decision = decide(before, command, actor, payload, now, ctx.policy)
    after = decision.case
    entry = decision.timeline
    clocks = apply_transition(
        clocks_of(doc),
        command=command,
        from_status=entry.from_status,
        to_status=entry.to_status,
        at=now,
        calendar=ctx.calendar,
        public_comment=is_office_answer(entry),
    )
    changes: Document = {
        **after.model_dump(mode="python", exclude={"case_id", "excluded_assignees"}),
        "clocks": clocks_doc(clocks),
        "next_check_at": next_check_at(clocks, now, ctx.calendar),
        "updated_at": now,
    }
    if after.status is CaseStatus.resolved and before.status is not CaseStatus.resolved:
        changes["resolved_at"] = now
    if command is Command.merge:
        # The case it duplicates, named on both cases' pages (the event says it too).
        changes["merged_into"] = payload.into_case_id
    events = [ctx.envelope(doc["_id"], data) for data in decision.events]
    return Change(doc, decision, changes, entry.model_dump(mode="python"), events)


def count_transition(ctx: WorkflowContext, change: Change) -> None:
    if ctx.metrics:
        entry = change.decision.timeline
        ctx.metrics.transitions.labels(
            entry.command.value, entry.from_status.value, entry.to_status.value
        ).inc()


async def apply_decision(
    ctx: WorkflowContext,
    doc: Document,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    session: AsyncClientSession,
) -> Document:
    await _check_references(ctx, doc, command, actor, payload, session)
    change = decide_change(ctx, doc, command, actor, payload)
    await ctx.store.update(doc, change.changes, change.timeline, change.events, session)
    count_transition(ctx, change)
    await ctx.directory.add_open_many(change.open_cases, session)
    return change.after


async def _check_references(
    ctx: WorkflowContext,
    doc: Document,
    command: Command,
    actor: Actor,
    payload: CommandPayload,
    session: AsyncClientSession,
) -> None:
    """What only the database can tell: the people, units and cases a command names."""
    if command is Command.assign and payload.assignee:
        person = await ctx.directory.get(payload.assignee, session)
        if person is None or not person.get("active", True):
            raise InvalidField(command, "assignee", "is not an active member of staff")
        if person.get("unit") != doc["unit"]:
            raise InvalidField(command, "assignee", f"is not in unit {doc['unit']}")
    units = {u.code for u in ctx.catalogue.units}
    if command is Command.triage and payload.unit and payload.unit not in units:
        raise InvalidField(command, "unit", "is not a unit of the office")
    if command is Command.merge and payload.into_case_id:
        into = await ctx.store.cases.find_one(
            {"_id": payload.into_case_id}, {"excluded_assignees": 1}, session=session
        )
        # A case that names the actor is not theirs to know of: it answers as no case at
        # all, so merging cannot find it, nor fold a case into it.
        if into is None or actor.id in into.get("excluded_assignees", []):
            raise InvalidField(command, "into_case_id", "is not a case")


def open_case_moves(
    old: str | None, old_status: CaseStatus, new: str | None, new_status: CaseStatus
) -> dict[str, int]:
    """The change to officers' open-case counts when a case goes from (`old`,
    `old_status`) to (`new`, `new_status`); empty when nobody's count moves."""
    # An officer's open cases are those still to be worked: a resolved one no longer counts.
    was = old if old_status in ACTIVE_STATUSES else None
    now = new if new_status in ACTIVE_STATUSES else None
    if was == now:
        return {}
    return {who: delta for who, delta in ((was, -1), (now, 1)) if who is not None}


def actor_payload(data: dict[str, Any]) -> CommandPayload:
    return CommandPayload.model_validate(data)
