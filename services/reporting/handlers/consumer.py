"""One consumer group on the cases, surveys and notifications topics, in batches.

Why not `shared.infra.kafka.EventConsumer`: it hands over one record at a time, and one
MongoDB transaction per event caps the views near 200 events/s on the local server.
Here FastStream delivers up to `batch_size` records at once and the whole batch is
applied in one transaction; the rules of `EventConsumer` are kept: a malformed record
is a dead letter and the stream flows on; an infrastructure error nacks the batch (every
partition rewinds to its first record of the batch) so nothing is skipped; an event that
can never be applied goes to the dead letters after the batch was retried one event at a
time, so one bad event does not hold back the others. Offsets are committed only after
the transaction, and the ledger in it makes the redelivery of a committed batch harmless.
`submission.received` is not a case yet and the reducers ignore it: not subscribed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from faststream import AckPolicy
from faststream.kafka.annotations import KafkaMessage

from services.reporting.adapters.view_store import ViewStore
from services.reporting.metrics import ReportingMetrics
from shared.contract import topics
from shared.contract.events import CloudEvent, MalformedEvent, parse_event
from shared.infra import correlation
from shared.infra.kafka import TRANSIENT
from shared.infra.runtime import Runtime

log = logging.getLogger(__name__)

TOPICS = (topics.CASES, topics.SURVEYS, topics.NOTIFICATIONS)


class BatchConsumer:
    def __init__(
        self,
        runtime: Runtime,
        store: ViewStore,
        metrics: ReportingMetrics,
        retry_delay: float = 1.0,
    ) -> None:
        self.runtime = runtime
        self.store = store
        self.metrics = metrics
        self.retry_delay = retry_delay

    def subscribe(self, group_id: str, batch_size: int, batch_timeout_ms: int) -> None:
        publisher = self.runtime.publisher
        subscriber = self.runtime.broker.subscriber(
            *(publisher.topic(t) for t in TOPICS),
            group_id=group_id,
            batch=True,
            max_records=batch_size,
            batch_timeout_ms=batch_timeout_ms,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            max_poll_interval_ms=600_000,
        )

        async def on_batch(message: KafkaMessage) -> None:
            raw = message.raw_message
            await self.handle(list(raw) if isinstance(raw, tuple) else [raw])

        subscriber(on_batch)

    def _logical(self, topic: str) -> str:
        prefix = self.runtime.publisher.prefix
        return topic[len(prefix) :] if prefix and topic.startswith(prefix) else topic

    async def handle(self, records: list[Any]) -> None:
        """Parse the records, dead-letter the malformed ones, apply the rest in one go."""
        events: list[tuple[Any, CloudEvent[Any]]] = []
        for record in records:
            try:
                events.append((record, parse_event(record.value or b"")))
            except MalformedEvent as exc:
                self.runtime.metrics.events_consumed.labels("malformed", "dead_letter").inc()
                await self._dead_letter(record, str(exc))
        if not events:
            return
        try:
            await self._apply([e for _, e in events])
        except TRANSIENT as exc:
            log.warning("views not reachable, the batch will come again: %r", exc)
            await asyncio.sleep(self.retry_delay)
            raise
        except Exception:
            log.exception("batch of %d events failed; applying them one by one", len(events))
            for record, event in events:
                await self._apply_alone(record, event)

    async def _apply(self, events: list[CloudEvent[Any]]) -> None:
        started = time.perf_counter()
        out = await self.store.apply(events)
        self.metrics.record(len(events), out, time.perf_counter() - started)
        for e in events:
            self.runtime.metrics.events_consumed.labels(e.type, "ok").inc()

    async def _apply_alone(self, record: Any, event: CloudEvent[Any]) -> None:
        token = correlation.set_current(event.correlationid)
        try:
            await self._apply([event])
        except TRANSIENT:
            raise
        except Exception as exc:
            log.exception("cannot apply %s %s", event.type, event.id)
            self.runtime.metrics.events_consumed.labels(event.type, "dead_letter").inc()
            await self._dead_letter(record, f"rejected by reporting: {exc!r}")
        finally:
            correlation.reset(token)

    async def _dead_letter(self, record: Any, error: str) -> None:
        key = record.key.decode("utf-8", errors="replace") if record.key else None
        await self.runtime.publisher.dead_letter(
            topic=self._logical(record.topic),
            key=key,
            value=record.value or b"",
            error=error,
            attempts=1,
            partition=record.partition,
            offset=record.offset,
        )
