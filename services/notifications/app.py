"""Wiring of the notifications service: built by `create_app(settings)`, never at import time.

One process consumes `siang.cases.v1` (group `siang-notifications`) into the delivery
ledger, runs the delivery worker, relays `notification.sent` / `notification.failed`
from its outbox to `siang.notifications.v1`, and plans the daily digest.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from services.notifications.adapters.case_facts_store import CaseFactsStore
from services.notifications.adapters.channels.channel import ChannelAdapter
from services.notifications.adapters.channels.http_post import AiohttpPoster, Poster
from services.notifications.adapters.channels.line import LineChannel
from services.notifications.adapters.channels.sms import SmsChannel
from services.notifications.adapters.channels.smtp import SmtpChannel
from services.notifications.adapters.channels.webhook import WebhookChannel
from services.notifications.adapters.dead_letters import DeadLetterStore
from services.notifications.adapters.ledger import DeliveryLedger
from services.notifications.adapters.parked_events import ParkedEvents
from services.notifications.adapters.staff_directory import StaffDirectory
from services.notifications.context import NotificationsContext
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.templates import Renderer
from services.notifications.handlers.case_events import handle_case_event, handle_case_events
from services.notifications.handlers.deliveries import DeliveryWorker
from services.notifications.metrics import NotificationMetrics
from services.notifications.scheduled import run_digest, run_housekeeping, stop_task
from services.notifications.settings import NotificationsSettings
from shared.contract import topics
from shared.contract.events import CloudEvent, Language
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.processed import ProcessedEvents
from shared.infra.runtime import Runtime, service_app

SERVICE = "notifications"
OUTBOX = "notifications_outbox"


def build_channels(
    settings: NotificationsSettings, renderer: Renderer, http: Poster
) -> dict[DeliveryChannel, ChannelAdapter]:
    office = settings.office
    return {
        DeliveryChannel.email: SmtpChannel(settings.smtp, renderer, office.name(Language.th)),
        DeliveryChannel.line: LineChannel(settings.line, renderer, http),
        DeliveryChannel.sms: SmsChannel(settings.sms, renderer, http),
        DeliveryChannel.webhook: WebhookChannel(
            settings.all_webhooks(), http, settings.webhook_timeout_seconds
        ),
    }


def build_context(
    settings: NotificationsSettings, runtime: Runtime, http: Poster
) -> NotificationsContext:
    db = runtime.db
    outbox = Outbox(db, OUTBOX)
    renderer = Renderer(date_style=settings.date_style, thai_digits=settings.thai_digits)
    return NotificationsContext(
        client=runtime.mongo,
        cases=CaseFactsStore(db),
        directory=StaffDirectory(db, cache_seconds=settings.staff_cache_seconds),
        ledger=DeliveryLedger(db),
        parked=ParkedEvents(db),
        dead_letters=DeadLetterStore(db),
        processed=ProcessedEvents(db, SERVICE),
        digest_runs=ProcessedEvents(db, f"{SERVICE}-digest"),
        outbox=outbox,
        relay=OutboxRelay(outbox, runtime.publisher, name="notifications-outbox"),
        publisher=runtime.publisher,
        office=settings.office_with_catalogue(),
        survey_links=settings.survey_links(),
        subscribers=[w.subscriber() for w in settings.all_webhooks()],
        channels=build_channels(settings, renderer, http),
        policy=settings.retry.policy(),
        delivery=settings.delivery,
        digest=settings.digest,
        metrics=NotificationMetrics(runtime.metrics),
    )


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    runtime = Runtime(SERVICE, settings)
    http = AiohttpPoster("Siang-Notifications/1")
    ctx = build_context(settings, runtime, http)
    worker = DeliveryWorker(ctx)
    ctx.wake_worker = worker.wake
    ctx.handovers = worker.handovers
    tasks: dict[str, asyncio.Task[None]] = {}

    async def on_case_event(event: CloudEvent[Any]) -> None:
        await handle_case_event(ctx, event)

    async def on_case_events(events: list[CloudEvent[Any]]) -> None:
        await handle_case_events(ctx, events)

    async def on_start(rt: Runtime) -> None:
        await ctx.ledger.ensure_indexes()
        await ctx.dead_letters.ensure_indexes()
        await ctx.cases.ensure_indexes()
        await ctx.parked.ensure_indexes()
        await ctx.outbox.ensure_indexes()
        rt.consumer.subscribe_batch(
            topics.CASES,
            settings.consumer_group,
            on_case_events,
            on_case_event,
            max_records=settings.batch_size,
        )
        ctx.relay.start()
        worker.start()
        tasks["digest"] = asyncio.create_task(run_digest(ctx), name="daily-digest")
        tasks["housekeeping"] = asyncio.create_task(
            run_housekeeping(ctx, settings.delivery.housekeeping_seconds), name="housekeeping"
        )

    async def on_stop(rt: Runtime) -> None:
        for name in list(tasks):
            await stop_task(tasks.pop(name))
        await worker.stop()
        await ctx.relay.stop()
        for channel in ctx.channels.values():
            await channel.close()
        await http.close()

    app = service_app(
        runtime,
        title="Siang notifications",
        description="Tells complainants, staff and supervisors what changed: e-mail, LINE, SMS, webhooks.",
        on_start=on_start,
        on_stop=on_stop,
    )
    app.state.ctx = ctx
    app.state.worker = worker
    return app
