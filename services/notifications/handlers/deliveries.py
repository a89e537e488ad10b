"""The delivery worker: claims due deliveries from the ledger, sends each through its
channel, and settles the outcome.

- delivered: the row is `sent` and `notification.sent` goes to the outbox, together;
- temporary failure with attempts left: the row is due again after the retry policy's
  backoff (exponential, full jitter); the worker does not wait for it, it moves on;
- permanent failure or attempts used up: the row is `failed`, a dead letter is kept and
  `notification.failed` goes to the outbox, together; then the dead letter is published
  to `siang.notifications.v1.dlq`.

Up to `delivery.concurrency` sends are in flight; a slow receiver holds one slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from datetime import datetime, timedelta

import orjson
from pymongo.asynchronous.client_session import AsyncClientSession

from services.notifications.adapters.ledger import Claimed
from services.notifications.context import SOURCE, NotificationsContext
from services.notifications.domain.backoff import DeliveryFailure, PermanentFailure
from services.notifications.domain.notice import Notice, kafka_copy
from services.notifications.errors import as_delivery_failure
from services.notifications.handlers.handover import HandoverQueue
from services.notifications.handlers.recipients import outgoing_for
from shared.contract import topics
from shared.contract.events import CloudEvent, NotificationFailed, NotificationSent, make_event
from shared.infra import tracing
from shared.infra.by_ids import SLICE
from shared.infra.mongo import in_transaction
from shared.infra.waiting import woken

log = logging.getLogger(__name__)


class DeliveryWorker:
    def __init__(self, ctx: NotificationsContext) -> None:
        self.ctx = ctx
        self._wake = asyncio.Event()
        self._slot_freed = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        # What one person is still to hear about one case, per conversation in flight.
        self._chains: dict[tuple[str | None, str, str], deque[Claimed]] = {}
        # Left in a chain whose task was cancelled: never attempted, to be given back.
        self._unstarted: list[Claimed] = []
        self._task: asyncio.Task[None] | None = None
        self._settler = SentSettler(ctx)
        delivery = ctx.delivery
        self.handovers = HandoverQueue(
            delivery.handover_capacity, timedelta(seconds=delivery.lease_seconds), self.wake
        )

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="notification-deliveries")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming; let sends in flight settle for up to `grace` seconds; give back
        what was handed over but not started."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._in_flight:
            _, pending = await asyncio.wait(self._in_flight, timeout=grace)
            for task in pending:
                task.cancel()  # its lease runs out; the delivery is retried as in doubt
            await asyncio.gather(*pending, return_exceptions=True)
        unstarted, self._unstarted = self._unstarted + self.handovers.drain(), []
        await self._release(unstarted)

    async def _release(self, claims: list[Claimed]) -> None:
        if not claims:
            return
        try:
            await self.ctx.ledger.release(claims, self.ctx.clock())
        except Exception as exc:  # noqa: BLE001 - their leases run out instead
            log.warning("could not give back %d deliveries: %r", len(claims), exc)

    async def run(self) -> None:
        limit = self.ctx.delivery.concurrency
        poll = self.ctx.delivery.poll_seconds
        lease = timedelta(seconds=self.ctx.delivery.lease_seconds)
        loop = asyncio.get_running_loop()
        searched_at = -poll
        while True:
            free = limit - len(self._in_flight)
            if free <= 0:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            # Cleared before looking, so a wake-up that arrives meanwhile is not lost.
            self._wake.clear()
            # The ledger holds retries, and what other processes or a full queue left:
            # looked at whenever nothing was handed over, and at least every `poll` with
            # a share of the free slots kept for it, so a steady stream handed over never
            # starves them. Whatever the look leaves free goes to the queue again.
            search_due = loop.time() - searched_at >= poll
            now = self.ctx.clock()
            batch, stale = self.handovers.take(handed_over_share(free, search_due), now)
            ledger_down = False
            if len(batch) < free and (not batch or search_due):
                searched_at = loop.time()
                try:
                    batch += await self.ctx.ledger.claim(now, lease, free - len(batch))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - MongoDB away: keep trying
                    log.warning("cannot claim deliveries, will retry: %r", exc)
                    ledger_down = True
            more, late = self.handovers.take(free - len(batch), self.ctx.clock())
            batch += more
            await self._release(stale + late)
            if not batch:
                if ledger_down:
                    await asyncio.sleep(min(5.0, poll * 5))
                else:
                    await woken(self._wake, poll)
                continue
            self._start(batch)

    def _start(self, batch: list[Claimed]) -> None:
        """One person hears about one case in the order things happened: their notices
        go one after another, joining a conversation already in flight; different
        conversations go in parallel."""
        for claimed in sorted(batch, key=lambda c: c.seq):
            chain = self._chains.get(claimed.conversation)
            if chain is not None:
                chain.append(claimed)
                continue
            chain = self._chains[claimed.conversation] = deque([claimed])
            task = asyncio.create_task(self._attempt_in_order(claimed.conversation, chain))
            self._in_flight.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._slot_freed.set()

    async def _attempt_in_order(
        self, conversation: tuple[str | None, str, str], chain: deque[Claimed]
    ) -> None:
        try:
            while chain:
                claimed = chain[0]
                try:
                    await self._attempt(claimed)
                finally:
                    chain.popleft()
                    if claimed.handed_over:
                        self.handovers.finished()
        finally:
            del self._chains[conversation]
            self._unstarted.extend(chain)

    async def _attempt(self, claimed: Claimed) -> None:
        try:
            await self.attempt(claimed)
        except Exception as exc:  # noqa: BLE001 - settling failed: the lease brings it back
            log.warning("could not settle delivery %s: %r", claimed.notice.notification_id, exc)

    async def attempt(self, claimed: Claimed) -> None:
        """Send one claimed delivery and settle its outcome."""
        notice = claimed.notice
        if claimed.in_doubt:
            self.ctx.metrics.in_doubt.labels(notice.channel.value).inc()
        try:
            channel = self.ctx.channels.get(notice.channel)
            if channel is None:
                raise PermanentFailure(f"channel {notice.channel} is not configured")
            await channel.send(await outgoing_for(self.ctx.directory, notice))
        except Exception as exc:  # noqa: BLE001 - mapped to a delivery failure, once
            await self._failed(claimed, as_delivery_failure(exc))
        else:
            await self._sent(claimed)

    async def _sent(self, claimed: Claimed) -> None:
        ctx, notice = self.ctx, claimed.notice
        now = ctx.clock()
        if not await self._settler.settle(claimed, now):
            log.warning("lost the claim on %s before settling", notice.notification_id)
            return
        ctx.relay.wake()
        ctx.metrics.sent.labels(notice.channel.value, notice.template.value).inc()
        if claimed.event_time is not None:
            seconds = (now - claimed.event_time).total_seconds()
            ctx.metrics.latency.labels(notice.channel.value).observe(max(0.0, seconds))

    async def _failed(self, claimed: Claimed, failure: DeliveryFailure) -> None:
        ctx, notice = self.ctx, claimed.notice
        now = ctx.clock()
        next_at = ctx.policy.next_attempt(failure, claimed.attempts, now)
        if next_at is not None:
            await ctx.ledger.settle_retry(claimed, next_at, failure.reason)
            ctx.metrics.attempts_failed.labels(notice.channel.value, notice.template.value).inc()
            log.info(
                "delivery %s attempt %d failed (%s); next at %s",
                notice.notification_id,
                claimed.attempts,
                failure.reason,
                next_at.isoformat(),
            )
            return
        await self._give_up(claimed, failure)

    async def _give_up(self, claimed: Claimed, failure: DeliveryFailure) -> None:
        ctx, notice = self.ctx, claimed.notice
        now = ctx.clock()
        reason = failure.reason
        if not failure.permanent:
            reason = f"{reason} (gave up after {claimed.attempts} attempts)"
        failed = make_event(
            NotificationFailed(
                notification_id=notice.notification_id,
                case_id=notice.case_id,
                source_event_id=notice.source_event_id,
                channel=notice.channel.value,
                template=notice.template.value,
                recipient_role=notice.recipient_role.value,
                attempts=claimed.attempts,
                reason=reason,
                permanent=failure.permanent,
            ),
            source=SOURCE,
            subject=notice.case_id or notice.source_event_id,
            correlation_id=notice.correlation_id,
            traceparent=tracing.for_event(notice.traceparent),
        )

        async def work(session: AsyncClientSession) -> bool:
            if not await ctx.ledger.settle_failed(claimed, now, reason, session):
                return False
            await ctx.dead_letters.add(
                notice,
                ledger_key=claimed.key,
                reason=reason,
                permanent=failure.permanent,
                attempts=claimed.attempts,
                now=now,
                session=session,
            )
            await ctx.outbox.add([failed], session)
            return True

        if not await in_transaction(ctx.client, work):
            return
        ctx.relay.wake()
        ctx.metrics.failed.labels(
            notice.channel.value, notice.template.value, str(failure.permanent).lower()
        ).inc()
        log.warning("delivery %s failed for good: %s", notice.notification_id, reason)
        await publish_dead_letter(ctx, notice, reason, claimed.attempts)


def handed_over_share(free: int, search_due: bool) -> int:
    """How many of `free` slots go to handed-over deliveries; when the ledger is due a
    look, a quarter of them (at least one) are kept for what it holds."""
    return free - max(1, free // 4) if search_due else free


def sent_event(claimed: Claimed) -> CloudEvent[NotificationSent]:
    notice = claimed.notice
    return make_event(
        NotificationSent(
            notification_id=notice.notification_id,
            case_id=notice.case_id,
            source_event_id=notice.source_event_id,
            channel=notice.channel.value,
            template=notice.template.value,
            recipient_role=notice.recipient_role.value,
            attempts=claimed.attempts,
        ),
        source=SOURCE,
        subject=notice.case_id or notice.source_event_id,
        correlation_id=notice.correlation_id,
        traceparent=tracing.for_event(notice.traceparent),
    )


class _ClaimLost(Exception):
    """Inside a group settle: some row is no longer ours; settle them one by one."""


class SentSettler:
    """Group commit of successful deliveries: every delivery that succeeded while the
    previous commit ran is settled (ledger row `sent` + `notification.sent` in the
    outbox) in one transaction. A transaction costs the same for one row or hundreds,
    so this keeps settling from capping throughput at the transaction rate.
    """

    MAX_BATCH = 500
    # As many as one update statement settles (`shared.infra.by_ids.SLICE`): no reason
    # to wait for more.
    ENOUGH = SLICE

    def __init__(self, ctx: NotificationsContext) -> None:
        self.ctx = ctx
        self.wait = ctx.delivery.settle_wait_seconds
        self._queue: list[tuple[Claimed, asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._enough = asyncio.Event()

    async def settle(self, claimed: Claimed, now: datetime) -> bool:
        """True once `claimed` is recorded as sent; False if its claim was lost.

        `now` is when it was delivered; the row's `sent_at` is the commit's time.
        """
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((claimed, future))
        if len(self._queue) >= self.ENOUGH:
            self._enough.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._queue:
            await self._gather()
            batch = self._queue[: self.MAX_BATCH]
            del self._queue[: self.MAX_BATCH]
            try:
                results = await self._settle([c for c, _ in batch], self.ctx.clock())
            except Exception as exc:  # noqa: BLE001 - each waiter gets the error
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), ok in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(ok)

    async def _gather(self) -> None:
        """Wait up to `wait` seconds for `ENOUGH` successes to settle together."""
        if self.wait <= 0 or len(self._queue) >= self.ENOUGH:
            return
        self._enough.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._enough.wait(), self.wait)

    async def _settle(self, claims: list[Claimed], now: datetime) -> list[bool]:
        ctx = self.ctx

        async def together(session: AsyncClientSession) -> None:
            if await ctx.ledger.settle_sent_many(claims, now, session) != len(claims):
                raise _ClaimLost
            await ctx.outbox.add([sent_event(c) for c in claims], session)

        try:
            await in_transaction(ctx.client, together)
            return [True] * len(claims)
        except _ClaimLost:
            return [await self._settle_one(c, now) for c in claims]

    async def _settle_one(self, claimed: Claimed, now: datetime) -> bool:
        ctx = self.ctx

        async def alone(session: AsyncClientSession) -> bool:
            if not await ctx.ledger.settle_sent(claimed, now, session):
                return False
            await ctx.outbox.add([sent_event(claimed)], session)
            return True

        return await in_transaction(ctx.client, alone)


async def publish_dead_letter(
    ctx: NotificationsContext, notice: Notice, reason: str, attempts: int
) -> None:
    """The Kafka copy of a dead letter; left for housekeeping to retry if Kafka is away."""
    value, error = kafka_copy(notice, reason)
    try:
        await ctx.publisher.dead_letter(
            topic=topics.NOTIFICATIONS,
            key=notice.case_id or notice.source_event_id,
            value=orjson.dumps(value),
            error=error,
            attempts=attempts,
        )
    except Exception as exc:  # noqa: BLE001 - kept in MongoDB; published again later
        log.warning("dead letter %s not published yet: %r", notice.notification_id, exc)
        return
    await ctx.dead_letters.mark_published(notice.notification_id, ctx.clock())
