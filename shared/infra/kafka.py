"""Kafka plumbing (FastStream over aiokafka): the broker factory, the event publisher and
the consumer every service subscribes through, one record at a time or in batches.

Producers wait for all in-sync replicas (`acks="all"`) with idempotence on, so a retried
send is never written twice. Consumers always join a group, start from the earliest
offset, and commit only after the handler succeeded (at least once: the handlers' ledgers
make a redelivery harmless). A malformed record, or one a handler refuses, goes to
`<topic>.dlq` with the reason, and the stream behind it keeps flowing; an error of the
infrastructure rewinds to the record (or the batch) so it comes again; a batch that fails
for another reason is retried one event at a time, so one bad event cannot hold back the
others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError, WTimeoutError

from shared.contract import topics
from shared.contract.events import CloudEvent, DeadLetter, MalformedEvent, parse_event
from shared.infra import correlation, tracing
from shared.infra.metrics import ServiceMetrics
from shared.infra.mongo import TransactionConflict
from shared.infra.producer import RenewingProducer, aiokafka_sender
from shared.infra.settings import KafkaSettings

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"

EventHandler = Callable[[CloudEvent[Any]], Awaitable[None]]
BatchHandler = Callable[[list[CloudEvent[Any]]], Awaitable[None]]


class Rejected(Exception):
    """A handler's verdict that an event can never be applied (a dead letter, not a retry)."""


# Errors of the infrastructure: the event is fine, so it is retried until it goes through.
TRANSIENT = (
    ConnectionFailure,
    ServerSelectionTimeoutError,
    WTimeoutError,
    TransactionConflict,
    TimeoutError,
    OSError,
)


def create_broker(settings: KafkaSettings, *, client_id: str) -> KafkaBroker:
    """A broker whose producer waits for `acks=all` with idempotence on."""
    return KafkaBroker(
        settings.bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=settings.request_timeout_ms,
        logger=logging.getLogger(f"faststream.{client_id}"),
    )


async def ensure_topics(settings: KafkaSettings) -> list[str]:
    """Create Siang's topics and their dead-letter topics (under the prefix) where missing;
    returns the names it created."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # type: ignore[import-untyped]
    from aiokafka.errors import TopicAlreadyExistsError  # type: ignore[import-untyped]

    wanted = [
        topics.with_prefix(settings.topic_prefix, t)
        for base in topics.ALL
        for t in (base, topics.dead_letters(base))
    ]
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=settings.request_timeout_ms
    )
    await admin.start()
    try:
        missing = [t for t in wanted if t not in set(await admin.list_topics())]
        if missing:
            # Another service may create them meanwhile: that is fine.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(
                            t,
                            settings.partitions,
                            settings.replication_factor,
                            topic_configs=_configs_of(settings.topic_prefix, t),
                        )
                        for t in missing
                    ]
                )
        return missing
    finally:
        await admin.close()


def _configs_of(prefix: str, name: str) -> dict[str, str]:
    """A compacted topic keeps the latest record per key for good (its dead letters do not)."""
    compacted = {topics.with_prefix(prefix, t) for t in topics.COMPACTED}
    return {"cleanup.policy": "compact"} if name in compacted else {}


async def kafka_ok(broker: KafkaBroker, timeout: float = 2.0) -> bool:
    """A real request to the cluster (describe-cluster), not just a socket check."""
    return await broker.ping(timeout=timeout)


class EventPublisher:
    """Publishes CloudEvents to their registry topic, keyed by subject, with the
    correlation id and the W3C `traceparent` in headers; returns once the broker
    acknowledged (acks=all)."""

    def __init__(
        self,
        settings: KafkaSettings,
        metrics: ServiceMetrics | None = None,
        *,
        client_id: str = "siang",
        producer: RenewingProducer | None = None,
    ) -> None:
        self.producer = producer or RenewingProducer(
            aiokafka_sender(settings, client_id),
            on_renewal=metrics.producer_renewals.inc if metrics else None,
        )
        self.prefix = settings.topic_prefix
        self.metrics = metrics

    async def stop(self) -> None:
        await self.producer.stop()

    async def __aenter__(self) -> EventPublisher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def topic(self, name: str) -> str:
        return topics.with_prefix(self.prefix, name)

    async def publish(self, event: CloudEvent[Any]) -> None:
        await self.publish_raw(
            topic=event.topic,
            key=event.subject,
            value=event.to_json(),
            correlation_id=event.correlationid or correlation.current(),
            traceparent=event.traceparent or tracing.for_event(),
        )
        if self.metrics:
            self.metrics.events_published.labels(event.type).inc()

    async def publish_raw(
        self,
        *,
        topic: str,
        key: str | None,
        value: bytes,
        correlation_id: str | None,
        traceparent: str | None = None,
    ) -> None:
        """Publish bytes as they are to the (unprefixed) `topic`; returns once acknowledged."""
        future = await self.send_raw(
            topic=topic,
            key=key,
            value=value,
            correlation_id=correlation_id,
            traceparent=traceparent,
        )
        await future

    async def send_raw(
        self,
        *,
        topic: str,
        key: str | None,
        value: bytes,
        correlation_id: str | None,
        traceparent: str | None = None,
    ) -> asyncio.Future[Any]:
        """Queue bytes for the (unprefixed) `topic` without waiting: await the returned
        future for the acknowledgement. Sends queued in order keep their order per
        partition (the producer is idempotent), so a batch can be pipelined."""
        return await self.producer.send(
            self.topic(topic),
            value=value,
            key=key.encode() if key is not None else None,
            headers=self._headers(correlation_id, traceparent),
        )

    @staticmethod
    def _headers(correlation_id: str | None, traceparent: str | None) -> list[tuple[str, bytes]]:
        headers = [("content-type", CONTENT_TYPE.encode())]
        if correlation_id:
            headers.append((correlation.KAFKA_HEADER, correlation_id.encode()))
        if traceparent:
            headers.append((tracing.KAFKA_HEADER, traceparent.encode()))
        return headers

    async def dead_letter(
        self,
        *,
        topic: str,
        key: str | None,
        value: bytes,
        error: str,
        attempts: int,
        partition: int | None = None,
        offset: int | None = None,
    ) -> None:
        letter = DeadLetter(
            topic=topic,
            partition=partition,
            offset=offset,
            key=key,
            value=value.decode("utf-8", errors="replace"),
            error=error[:4000],
            attempts=attempts,
            failed_at=datetime.now(UTC),
        )
        await self.publish_raw(
            topic=topics.dead_letters(topic),
            key=key,
            value=letter.model_dump_json().encode(),
            correlation_id=correlation.current(),
            traceparent=tracing.for_event(),
        )
        if self.metrics:
            self.metrics.dead_letters.labels(topic).inc()
        log.warning("dead letter on %s: %s", topics.dead_letters(topic), error[:500])


class _SingleRecord:
    """One record of a batch, shaped like the message `EventConsumer.handle` takes."""

    def __init__(self, raw: Any) -> None:
        self.raw_message = raw
        self.body = raw.value or b""
        self.headers = {k: v.decode() for k, v in (raw.headers or [])}


# Enough for a large batch (a few hundred events of 1-2 KB): a fetch holding this much is
# answered at once, however long `batch_wait_ms`.
_BATCH_BYTES = 512 * 1024


class EventConsumer:
    """Subscribes typed handlers to topics in a consumer group, a record at a time
    (`subscribe`) or a batch at a time (`subscribe_batch`, which every service's main
    stream uses: one transaction for many events).

    Per record: parse the CloudEvent (malformed → dead letter); run the handler; on a
    transient infrastructure error, nack so the record comes again (nothing is skipped
    while MongoDB or Kafka is away); on `Rejected` or after `max_attempts` failures of
    another kind, dead-letter it and move on. A batch keeps the same rules, see
    `handle_batch`.
    """

    def __init__(
        self,
        broker: KafkaBroker,
        publisher: EventPublisher,
        metrics: ServiceMetrics,
        *,
        max_attempts: int = 5,
        retry_delay: float = 0.2,
        batch_wait_ms: int = 0,
    ) -> None:
        self.broker = broker
        self.publisher = publisher
        self.metrics = metrics
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.batch_wait_ms = batch_wait_ms
        self._attempts: dict[tuple[str, int, int], int] = {}
        # Each subscriber with its group, for the lag (`sample_lag`).
        self._subscribers: list[tuple[str, Any]] = []
        metrics.samplers.append(self.sample_lag)

    async def sample_lag(self) -> None:
        """`siang_consumer_lag` of each group's partitions assigned to this process: the
        end offset minus what the group committed (FastStream commits after the handler
        succeeded), so a stuck or slow consumer shows as a growing number. Per subscriber
        one ListOffsets request (it waits behind the consumer's long-poll fetch on the same
        connection, up to half a second, so the subscribers are asked at once) and one
        OffsetFetch per partition to the coordinator."""
        found = await asyncio.gather(*(self._lag_of(g, sub) for g, sub in self._subscribers))
        # Replaced at once: partitions another replica took over drop out.
        self.metrics.consumer_lag.clear()
        for lags in found:
            for labels, lag in lags.items():
                self.metrics.consumer_lag.labels(*labels).set(lag)

    async def _lag_of(self, group: str, subscriber: Any) -> dict[tuple[str, str, str], int]:
        consumer = getattr(subscriber, "consumer", None)  # only once the broker started
        if consumer is None or not (assigned := list(consumer.assignment())):
            return {}
        ends = await consumer.end_offsets(assigned)
        lags: dict[tuple[str, str, str], int] = {}
        for tp in assigned:
            done = await consumer.committed(tp)
            if done is None:  # nothing committed yet: all the partition keeps is behind
                done = 0 if ends[tp] == 0 else (await consumer.beginning_offsets([tp]))[tp]
            lags[(group, self._logical(tp.topic), str(tp.partition))] = max(ends[tp] - done, 0)
        return lags

    def subscribe(self, topic: str, group_id: str, handler: EventHandler) -> None:
        subscriber = self.broker.subscriber(
            self.publisher.topic(topic),
            group_id=group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            max_poll_interval_ms=600_000,
        )
        self._subscribers.append((group_id, subscriber))

        async def on_record(message: KafkaMessage) -> None:
            await self.handle(topic, message, handler)

        subscriber(on_record)

    def subscribe_batch(
        self,
        topic: str | Sequence[str],
        group_id: str,
        handler: BatchHandler,
        single: EventHandler,
        *,
        max_records: int = 200,
        batch_timeout_ms: int = 50,
    ) -> None:
        """Like `subscribe`, but hands the handler up to `max_records` events at once (one
        transaction for many), from one topic or several in the same group. Malformed
        records are dead-lettered first; when a batch fails for a reason other than the
        infrastructure, its events are retried one by one through `single`, so one poison
        event cannot hold the others back."""
        names = (topic,) if isinstance(topic, str) else tuple(topic)
        # The broker holds each fetch until `_BATCH_BYTES` are there or `batch_wait_ms`
        # has passed: every batch costs its consumer a transaction and a dozen statements
        # whatever its size. Without a wait, Kafka's defaults: whatever has arrived.
        min_bytes, max_wait = (_BATCH_BYTES, self.batch_wait_ms) if self.batch_wait_ms else (1, 500)
        subscriber = self.broker.subscriber(
            *(self.publisher.topic(t) for t in names),
            group_id=group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            max_poll_interval_ms=600_000,
            batch=True,
            max_records=max_records,
            batch_timeout_ms=batch_timeout_ms,
            fetch_min_bytes=min_bytes,
            fetch_max_wait_ms=max_wait,
        )
        self._subscribers.append((group_id, subscriber))

        async def on_batch(message: KafkaMessage) -> None:
            await self.handle_batch(message, handler, single)

        subscriber(on_batch)

    async def handle_batch(self, message: Any, handler: BatchHandler, single: EventHandler) -> None:
        """Parse the batch's records, dead-letter the malformed ones, hand the rest over at
        once. An infrastructure error propagates (the nack rewinds every partition to its
        first record of the batch); any other error retries the events one by one."""
        events: list[CloudEvent[Any]] = []
        parsed: list[Any] = []
        for raw in message.raw_message:
            try:
                events.append(parse_event(raw.value or b""))
                parsed.append(raw)
            except MalformedEvent as exc:
                self.metrics.events_consumed.labels("malformed", "dead_letter").inc()
                await self._dead_letter(
                    self._logical(raw.topic), raw, raw.value or b"", str(exc), 1
                )
        if not events:
            return
        try:
            await handler(events)
        except TRANSIENT as exc:
            log.warning("transient error on a batch of %d, will retry: %r", len(events), exc)
            await asyncio.sleep(min(5.0, self.retry_delay * 4))
            raise
        except Exception as exc:  # noqa: BLE001 - isolate the event that cannot be applied
            log.warning("batch of %d failed (%r); applying one by one", len(events), exc)
            for raw in parsed:
                await self.handle(self._logical(raw.topic), _SingleRecord(raw), single)
            return
        for e in events:
            self.metrics.events_consumed.labels(e.type, "ok").inc()

    def _logical(self, kafka_topic: str) -> str:
        """The registry name of a (prefixed) topic a record came from: dead letters and
        handlers speak registry names."""
        return kafka_topic.removeprefix(self.publisher.prefix)

    async def handle(self, topic: str, message: Any, handler: EventHandler) -> None:
        raw = message.raw_message
        body: bytes = message.body if isinstance(message.body, bytes) else bytes(message.body)
        cid = message.headers.get(correlation.KAFKA_HEADER) or None
        token = correlation.set_current(cid)
        # This consumer's span: a child of the publisher's, or a new trace.
        parent = message.headers.get(tracing.KAFKA_HEADER)
        trace_token = tracing.set_current(tracing.continue_from(parent))
        position = (raw.topic, raw.partition, raw.offset)
        try:
            try:
                event = parse_event(body)
            except MalformedEvent as exc:
                self.metrics.events_consumed.labels("malformed", "dead_letter").inc()
                await self._dead_letter(topic, raw, body, str(exc), 1)
                return
            if event.correlationid and not cid:
                correlation.set_current(event.correlationid)
            if event.traceparent and not tracing.parse(parent):
                tracing.set_current(tracing.continue_from(event.traceparent))
            try:
                await handler(event)
            except Rejected as exc:
                self.metrics.events_consumed.labels(event.type, "rejected").inc()
                await self._dead_letter(topic, raw, body, f"rejected: {exc}", 1)
                return
            except TRANSIENT as exc:
                self.metrics.events_consumed.labels(event.type, "retry").inc()
                log.warning("transient error on %s, will retry: %r", event.type, exc)
                await asyncio.sleep(min(5.0, self.retry_delay * 4))
                raise
            except Exception as exc:
                attempts = self._attempts.get(position, 0) + 1
                self._attempts[position] = attempts
                if attempts >= self.max_attempts:
                    self._attempts.pop(position, None)
                    self.metrics.events_consumed.labels(event.type, "dead_letter").inc()
                    log.exception("giving up on %s after %d attempts", event.type, attempts)
                    await self._dead_letter(topic, raw, body, repr(exc), attempts)
                    return
                self.metrics.events_consumed.labels(event.type, "retry").inc()
                await asyncio.sleep(min(5.0, self.retry_delay * 2**attempts))
                raise
            self._attempts.pop(position, None)
            self.metrics.events_consumed.labels(event.type, "ok").inc()
        finally:
            tracing.reset(trace_token)
            correlation.reset(token)

    async def _dead_letter(
        self, topic: str, raw: Any, body: bytes, error: str, attempts: int
    ) -> None:
        await self.publisher.dead_letter(
            topic=topic,
            key=raw.key.decode("utf-8", errors="replace") if raw.key else None,
            value=body,
            error=error,
            attempts=attempts,
            partition=raw.partition,
            offset=raw.offset,
        )
