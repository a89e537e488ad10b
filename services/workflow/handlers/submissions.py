"""submission.received → one case, routed, triaged and (when someone can take it)
assigned, with its clocks started: all in one transaction with the outbox; the case's
id comes from the submission's, so a redelivered or re-published submission opens
nothing new.
An opinion on a consultation opens none (`opening.opens_a_case`).
The submission names its sender by `person_id`; their contact is read from the
personal-data store only to compute the duplicate hint, and stored nowhere here."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.workflow.adapters.case_store import new_case
from services.workflow.context import WorkflowContext
from services.workflow.domain import opening
from services.workflow.handlers.policies import in_force
from shared.contract.events import CloudEvent, Contact, SubmissionReceived
from shared.infra.mongo import in_transaction

log = logging.getLogger(__name__)
_CASE_NS = uuid.UUID("6f1d2c3e-5a4b-4c8d-9e0f-516961e67300")


def case_id_for(submission_id: str) -> str:
    """The case of a submission has an id derived from it: one submission, one case."""
    return f"c-{uuid.uuid5(_CASE_NS, submission_id).hex[:20]}"


async def open_case(ctx: WorkflowContext, event: CloudEvent[Any]) -> bool:
    """Open the case of one submission; False when it was already opened."""
    return await open_cases(ctx, [event]) == 1


async def open_cases(ctx: WorkflowContext, events: list[CloudEvent[Any]]) -> int:
    """Open the cases of a batch of submissions in ONE transaction; returns how many
    were new. Submissions that already have a case (a redelivered or re-published
    submission, or the same one twice in the batch) open nothing."""

    async def work(session: AsyncClientSession) -> list[tuple[str, SubmissionReceived]]:
        # No processed-event record: the case's id is derived from its submission, so a
        # redelivered or re-published submission finds its case (`existing`) and opens
        # nothing, and one that opens no case changes nothing here either.
        todo: dict[str, SubmissionReceived] = {}
        causes: dict[str, CloudEvent[Any]] = {}
        for e in events:
            if isinstance(e.data, SubmissionReceived) and opening.opens_a_case(e.data):
                todo.setdefault(case_id_for(e.data.submission_id), e.data)
                causes.setdefault(case_id_for(e.data.submission_id), e)
        for existing in await ctx.store.existing(list(todo), session):
            todo.pop(existing)
        if not todo:
            return []
        now, rules = ctx.clock.now(), _rules(ctx)
        subs = list(todo.values())
        # The senders' contacts, one read for the batch: only for the duplicate hints.
        contacts = await ctx.store.contacts(opening.person_ids(subs), session)
        directory = await _snapshot(ctx, subs, contacts, rules, now, session)
        result = opening.open_cases(list(todo.items()), directory, rules, now, contacts)
        await ctx.store.insert_many(
            [
                new_case(c, [ctx.envelope(c.case_id, d, causes[c.case_id]) for d in c.events])
                for c in result.cases
            ],
            session,
        )
        await ctx.directory.add_open_many(result.queues.added, session)
        await ctx.directory.move_cursors(result.queues.moved, session)
        return list(todo.items())

    # An admin may have changed the routing or deadline policies through another replica.
    await in_force(ctx)
    opened = await in_transaction(ctx.client, work)
    if opened:
        ctx.relay.wake()
        now = ctx.clock.now()
        for case_id, sub in opened:
            if ctx.metrics:
                ctx.metrics.processing_latency.observe(
                    max((now - sub.received_at).total_seconds(), 0)
                )
            log.info("opened case %s", case_id, extra={"case_id": case_id})
    return len(opened)


async def _snapshot(
    ctx: WorkflowContext,
    subs: list[SubmissionReceived],
    contacts: Mapping[str, Contact],
    rules: opening.OpeningRules,
    now: datetime,
    session: AsyncClientSession,
) -> opening.DirectorySnapshot:
    """What the batch's decisions read: the contacts' recent cases, then every unit's
    staff and cursor in two reads (a batch touches most units), not two per unit."""
    lookup = opening.recent_lookup(subs, rules, now, contacts)
    recent = await ctx.store.recent_by_contact(lookup.contact_keys, lookup.since, session)
    staff, counts = await ctx.directory.everyone(session)
    cursors = await ctx.directory.all_cursors(session)
    return opening.DirectorySnapshot(staff=staff, open_cases=counts, cursors=cursors, recent=recent)


def _rules(ctx: WorkflowContext) -> opening.OpeningRules:
    return opening.OpeningRules(
        catalogue=ctx.catalogue,
        routing=ctx.routing,
        sla=ctx.sla,
        lifecycle=ctx.policy,
        calendar=ctx.calendar,
        contact_key=ctx.contact_key,
    )
