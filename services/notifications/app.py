"""Wiring of the notifications service: built by `create_app(settings)`, never at import time.

One process consumes `siang.cases.v1` and `siang.participation.v1` (group
`siang-notifications`; of the latter, the outcomes published) into the delivery ledger,
and `siang.units.v1` (the units' names an admin gave, which the letters use), runs the
delivery worker, relays `notification.sent` / `notification.failed`
from its outbox to `siang.notifications.v1`, and plans the daily digest.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from services.notifications.adapters.channels.http_post import AiohttpPoster
from services.notifications.context import SERVICE, build_context
from services.notifications.handlers.case_events import handle_case_events
from services.notifications.handlers.deliveries import DeliveryWorker
from services.notifications.handlers.participation_events import handle_participation_events
from services.notifications.scheduled import run_digest, run_housekeeping, stop_task
from services.notifications.settings import NotificationsSettings
from services.notifications.web import template_pages
from shared.contract import topics
from shared.contract.events import REGISTRY, CloudEvent
from shared.infra.runtime import Runtime, service_app

#: What the consumer reads: case events, participation's for the outcomes published, and
#: the units' names.
TOPICS = (topics.CASES, topics.PARTICIPATION, topics.UNITS)


def _on_participation(event: CloudEvent[Any]) -> bool:
    known = REGISTRY.get(event.type)
    return known is not None and known.topic == topics.PARTICIPATION


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    runtime = Runtime(SERVICE, settings)
    http = AiohttpPoster("Siang-Notifications/1")
    ctx = build_context(settings, runtime, http)
    worker = DeliveryWorker(ctx)
    ctx.wake_worker = worker.wake
    ctx.handovers = worker.handovers
    tasks: dict[str, asyncio.Task[None]] = {}

    async def on_event(event: CloudEvent[Any]) -> None:
        await on_events([event])

    async def on_events(events: list[CloudEvent[Any]]) -> None:
        # One group reads the three topics; each handler takes its own topic's events.
        events = await ctx.units.take(events)
        # The letters planned from here on name the units as they are named now.
        ctx.office = await ctx.units.office()
        outcomes = [e for e in events if _on_participation(e)]
        cases = [e for e in events if not _on_participation(e)]
        if cases:
            await handle_case_events(ctx, cases)
        if outcomes:
            await handle_participation_events(ctx, outcomes)

    async def on_start(rt: Runtime) -> None:
        await ctx.ledger.ensure_indexes()
        await ctx.dead_letters.ensure_indexes()
        await ctx.cases.ensure_indexes()
        await ctx.parked.ensure_indexes()
        await ctx.outbox.ensure_indexes()
        rt.consumer.subscribe_batch(
            TOPICS,
            settings.consumer_group,
            on_events,
            on_event,
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
    app.include_router(template_pages.router)
    app.state.worker = worker
    return app


__all__ = ["SERVICE", "create_app"]
