"""Wiring of the workflow service: built by `create_app(settings)`, never at import time.

One process serves the staff API, consumes `siang.submissions.v1` in its consumer group,
relays its outbox to `siang.cases.v1` and runs the deadline scanner.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from services.workflow.api import admin, auth, case_files, cases, privacy
from services.workflow.api.errors import install_error_handlers
from services.workflow.api.openapi import document_catalogue
from services.workflow.context import SERVICE, build_context
from services.workflow.handlers.follow_ups import apply_from_complainant, is_from_complainant
from services.workflow.handlers.policies import announce_units, restore_saved
from services.workflow.handlers.submissions import open_case, open_cases
from services.workflow.handlers.surveys import on_survey_answered
from services.workflow.metrics import run_refresher
from services.workflow.scheduled import start_scanner, stop_task
from services.workflow.settings import WorkflowSettings
from services.workflow.web import (
    account,
    admin_pages,
    admin_staff,
    console,
    queue_page,
    supervision,
)
from shared.contract import topics
from shared.contract.events import CloudEvent, SubmissionReceived, SurveyAnswered
from shared.infra.kafka import Rejected
from shared.infra.runtime import Runtime, service_app


def create_app(settings: WorkflowSettings | None = None) -> FastAPI:
    settings = settings or WorkflowSettings()
    runtime = Runtime(SERVICE, settings)
    ctx = build_context(settings, runtime)
    tasks: dict[str, asyncio.Task[None]] = {}

    async def on_submission(event: CloudEvent[Any]) -> None:
        if is_from_complainant(event):
            await apply_from_complainant(ctx, event)
            return
        if not isinstance(event.data, SubmissionReceived):
            raise Rejected(f"{event.type} does not belong on {topics.SUBMISSIONS}")
        await open_case(ctx, event)

    async def on_survey(event: CloudEvent[Any]) -> None:
        if not isinstance(event.data, SurveyAnswered):
            raise Rejected(f"{event.type} does not belong on {topics.SURVEYS}")
        await on_survey_answered(ctx, event, timedelta(days=settings.survey_reopen_days))

    async def on_submissions(events: list[CloudEvent[Any]]) -> None:
        later = [e for e in events if is_from_complainant(e)]
        received = [e for e in events if not is_from_complainant(e)]
        if any(not isinstance(e.data, SubmissionReceived) for e in received):
            raise Rejected("an event that is not a submission")  # one by one isolates it
        # The cases first: a follow-up in the same batch as its submission needs its case.
        if received:
            await open_cases(ctx, received)
        for event in later:
            await apply_from_complainant(ctx, event)

    async def prepare() -> None:
        await ctx.store.ensure_indexes()
        await ctx.directory.ensure_indexes()
        await ctx.sign_ins.ensure_indexes()
        await ctx.history.ensure_indexes()
        if settings.staff_seed_path is not None:
            await ctx.directory.seed(settings.staff_seed_path)
        await restore_saved(ctx)
        await announce_units(ctx)

    runtime.prepare.append(prepare)

    async def on_start(rt: Runtime) -> None:
        rt.consumer.subscribe(topics.SURVEYS, settings.consumer_group, on_survey)
        rt.consumer.subscribe_batch(
            topics.SUBMISSIONS,
            settings.consumer_group,
            on_submissions,
            on_submission,
            max_records=settings.batch_size,
        )
        ctx.relay.start()
        tasks["scanner"] = start_scanner(ctx, settings.scan_interval_seconds)
        tasks["metrics"] = asyncio.create_task(run_refresher(ctx.store, ctx.metrics))

    async def on_stop(rt: Runtime) -> None:
        await stop_task(tasks.pop("scanner", None))
        await stop_task(tasks.pop("metrics", None))
        await ctx.relay.stop()

    app = service_app(
        runtime,
        title="Siang workflow",
        description="Cases: routing, assignment, lifecycle and Thai-calendar deadlines; staff API.",
        on_start=on_start,
        on_stop=on_stop,
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    app.include_router(auth.router)
    app.include_router(cases.router)
    app.include_router(case_files.router)
    app.include_router(admin.router)
    app.include_router(privacy.router)
    app.include_router(console.router)
    app.include_router(queue_page.router)
    app.include_router(account.router)
    app.include_router(supervision.router)
    app.include_router(admin_pages.router)
    app.include_router(admin_staff.router)
    document_catalogue(app, ctx.catalogue)
    return app


__all__ = ["SERVICE", "create_app"]
