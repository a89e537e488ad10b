"""The deadline scanner: a periodic task that reports each case's clocks crossing 50% and
75% (`case.sla_warning`) and 100% (`case.sla_breached`, escalated to the unit's
supervisor), exactly once per case, clock and threshold.

Safe in several replicas: each case is updated under its version, so when two scanners
race for a case one of them changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import PyMongoError

from services.workflow.adapters.case_store import (
    StaleVersion,
    clocks_doc,
    clocks_of,
)
from services.workflow.context import WorkflowContext
from services.workflow.domain.assignment import unit_supervisors
from services.workflow.domain.sla import due_thresholds, mark_emitted
from services.workflow.domain.sla_schedule import next_check_at
from services.workflow.handlers.policies import in_force
from services.workflow.handlers.privacy import retention_once
from shared.contract.events import CaseSlaBreached, CaseSlaWarning
from shared.infra.mongo import Document, in_transaction
from shared.thai.dates import to_bangkok

log = logging.getLogger(__name__)


async def scan_once(ctx: WorkflowContext, limit: int = 500) -> int:
    """Check every case whose next threshold is due; returns the events emitted."""
    # Thresholds are counted on the office's calendar: its closures may have changed
    # through another replica.
    await in_force(ctx)
    now = ctx.clock.now()
    emitted = 0
    for doc in await ctx.store.due_for_check(now, limit):

        async def check(session: AsyncClientSession, doc: Document = doc) -> int:
            fresh = await ctx.store.get(doc["_id"], session)
            return await _check(ctx, fresh, session)

        try:
            emitted += await in_transaction(ctx.client, check)
        except StaleVersion:
            continue  # another replica (or a command) got there first; next scan sees it
    if emitted:
        ctx.relay.wake()
    return emitted


async def _check(ctx: WorkflowContext, doc: Document, session: AsyncClientSession) -> int:
    now = ctx.clock.now()
    clocks = clocks_of(doc)
    events: list[Any] = []
    supervisor: str | None = None
    for clock, state in clocks.items():
        crossed = due_thresholds(state, now, ctx.calendar)
        if not crossed:
            continue
        for threshold in crossed:
            if threshold == 100:
                if supervisor is None:
                    members, _ = await ctx.directory.members(doc["unit"], session)
                    on = to_bangkok(now).date()
                    found = unit_supervisors(
                        members, doc["unit"], on, doc.get("excluded_assignees", [])
                    )
                    supervisor = found[0] if found else None
                events.append(
                    CaseSlaBreached(
                        case_id=doc["_id"],
                        clock=clock,
                        due_at=state.due_at,
                        unit=doc["unit"],
                        assignee=doc.get("assignee"),
                        escalated_to=supervisor,
                    )
                )
            else:
                events.append(
                    CaseSlaWarning(
                        case_id=doc["_id"],
                        clock=clock,
                        threshold_percent=threshold,
                        due_at=state.due_at,
                        unit=doc["unit"],
                        assignee=doc.get("assignee"),
                    )
                )
        clocks[clock] = mark_emitted(state, crossed)
    changes = {
        "clocks": clocks_doc(clocks),
        "next_check_at": next_check_at(clocks, now, ctx.calendar),
    }
    envelopes = [ctx.envelope(doc["_id"], e) for e in events]
    timeline = None
    breached = [e.clock.value for e in events if isinstance(e, CaseSlaBreached)]
    if breached:
        timeline = {
            "at": now,
            "actor": "system",
            "role": "system",
            "command": "escalate",
            "from_status": doc["status"],
            "to_status": doc["status"],
            "visibility": "internal",
            "reason": f"deadline passed; escalated to {supervisor}",
            "public_reason": None,
            # What the console names in words: the deadlines passed, the supervisor told.
            "clocks": breached,
            "escalated_to": supervisor,
        }
    await ctx.store.update(doc, changes, timeline, envelopes, session)
    if ctx.metrics:
        for e in events:
            kind = "breach" if isinstance(e, CaseSlaBreached) else "warning"
            ctx.metrics.sla_events.labels(doc["unit"], e.clock.value, kind).inc()
    return len(envelopes)


async def run_scanner(ctx: WorkflowContext, interval: float) -> None:
    """The deadline scan every `interval` seconds and, far less often, the retention job
    (erasing the people of cases closed longer than their kind is kept)."""
    next_retention = time.monotonic()
    while True:
        try:
            await scan_once(ctx)
        except asyncio.CancelledError:
            raise
        except PyMongoError as exc:
            log.warning("deadline scan failed, will retry: %r", exc)
        if time.monotonic() >= next_retention:
            next_retention = time.monotonic() + ctx.settings.retention_interval_seconds
            await _retention(ctx)
        await asyncio.sleep(interval)


async def _retention(ctx: WorkflowContext) -> None:
    settings = ctx.settings
    try:
        # Batch after batch until none is left, so a backlog clears in one run.
        while await retention_once(ctx, settings.retention, settings.retention_batch_size):
            pass
    except asyncio.CancelledError:
        raise
    except (PyMongoError, StaleVersion) as exc:
        log.warning("retention job failed, will retry: %r", exc)


def start_scanner(ctx: WorkflowContext, interval: float) -> asyncio.Task[None]:
    return asyncio.create_task(run_scanner(ctx, interval), name="sla-scanner")


async def stop_task(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
