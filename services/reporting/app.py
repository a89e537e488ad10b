"""Wiring of the reporting service: built by `create_app(settings)`, never at import time.

One process consumes the cases, surveys and notifications topics in its consumer group
(in batches, see `handlers.events`), serves the staff report API, the dashboard, the
public transparency page and JSON, and the ITA report.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from services.reporting.api import admin, public, reports
from services.reporting.context import SERVICE, build_context
from services.reporting.errors import install_error_handlers
from services.reporting.handlers.events import TOPICS, apply_event, apply_events
from services.reporting.scheduled import start_refresh, stop_task
from services.reporting.settings import ReportingSettings
from services.reporting.web import pages
from shared.contract.events import CloudEvent
from shared.infra.runtime import Runtime, service_app


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    runtime = Runtime(SERVICE, settings)
    ctx = build_context(settings, runtime)
    tasks: dict[str, asyncio.Task[None]] = {}

    async def on_events(events: list[CloudEvent[Any]]) -> None:
        await apply_events(ctx, events)

    async def on_event(event: CloudEvent[Any]) -> None:
        await apply_event(ctx, event)

    async def on_start(rt: Runtime) -> None:
        await ctx.store.ensure()
        rt.consumer.subscribe_batch(
            TOPICS,
            settings.consumer_group,
            on_events,
            on_event,
            max_records=settings.batch_size,
            batch_timeout_ms=settings.batch_timeout_ms,
        )
        tasks["metrics"] = start_refresh(ctx.store, ctx.metrics, settings.metrics_refresh_seconds)

    async def on_stop(rt: Runtime) -> None:
        await stop_task(tasks.pop("metrics", None))

    app = service_app(
        runtime,
        title="Siang reporting",
        description="Summary views, dashboards, the public transparency page and the ITA report.",
        on_start=on_start,
        on_stop=on_stop,
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    app.include_router(reports.router)
    app.include_router(admin.router)
    app.include_router(public.router)
    app.include_router(pages.router)
    return app


__all__ = ["SERVICE", "create_app"]
