"""The events reporting counts: cases, surveys, notifications and participation, applied
to the views in batches through `shared.infra.kafka.EventConsumer.subscribe_batch` (one
consumer, one group, every topic: a batch of mixed topics is still one transaction).

A batch is applied in one transaction (one transaction per event caps the views near
200 events/s on the local server); the ledger in it makes the redelivery of a committed
batch harmless. `submission.received` is not a case yet and the reducers ignore it: not
subscribed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from services.reporting.context import ReportingContext
from services.reporting.domain.minimise import minimised
from shared.contract import topics
from shared.contract.events import CloudEvent
from shared.infra.kafka import TRANSIENT, Rejected

log = logging.getLogger(__name__)

TOPICS = (topics.CASES, topics.SURVEYS, topics.NOTIFICATIONS, topics.PARTICIPATION, topics.UNITS)


async def apply_events(ctx: ReportingContext, events: list[CloudEvent[Any]]) -> None:
    """Apply a batch to the views in one transaction and record how it went. The units'
    names are kept apart from the views (a rebuild keeps them), each newest one once."""
    events = await ctx.units.take(events)
    if not events:
        return
    started = time.perf_counter()
    out = await ctx.store.apply([minimised(e) for e in events])
    ctx.metrics.record(len(events), out, time.perf_counter() - started)


async def apply_event(ctx: ReportingContext, event: CloudEvent[Any]) -> None:
    """Apply one event of a failed batch alone. An error of the infrastructure comes again;
    any other is the event's own and final (the reducers would refuse it every time), so
    it becomes a dead letter at once instead of rewinding the batch for more attempts."""
    try:
        await apply_events(ctx, [event])
    except (Rejected, *TRANSIENT):
        raise
    except Exception as exc:
        log.exception("cannot apply %s %s", event.type, event.id)
        raise Rejected(f"reporting cannot apply it: {exc!r}") from exc
