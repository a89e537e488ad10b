"""Wiring of the participation service: built by `create_app(settings)`, never at import
time.

One process serves the staff API (consultations, opinions, outcomes, committees, the
mission plan),
the public API and pages (consultations, the opinion form, "you said, we did"), relays
its outbox to `siang.participation.v1` and closes consultations past their last day.
It consumes `siang.submissions.v1`: a submission with `consultation_id` is an opinion;
and `siang.units.v1`: the units' names an admin gave, which its pages show.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from services.participation.adapters.plan_files import load_missions
from services.participation.api import (
    committees,
    consultations,
    meetings,
    mission_surveys,
    missions,
    outcomes,
    papers,
    public,
    reviews,
)
from services.participation.api.errors import install_error_handlers
from services.participation.api.openapi import document_config
from services.participation.context import SERVICE, build_context
from services.participation.handlers import opinions
from services.participation.metrics import run_refresher
from services.participation.scheduled import start_closer, stop_task
from services.participation.settings import ParticipationSettings
from services.participation.web import (
    pages,
    staff,
    staff_consultations,
    staff_outcomes,
    staff_plan,
    staff_surveys,
    survey_pages,
    take_part,
)
from shared.contract import topics
from shared.contract.events import CloudEvent
from shared.infra.runtime import Runtime, service_app

# One consumer group: submissions (opinions) and the units' names.
TOPICS = (topics.SUBMISSIONS, topics.UNITS)


def create_app(settings: ParticipationSettings | None = None) -> FastAPI:
    settings = settings or ParticipationSettings()
    runtime = Runtime(SERVICE, settings)
    ctx = build_context(settings, runtime)
    shipped_plans = load_missions(settings.missions_path)
    tasks: dict[str, asyncio.Task[None]] = {}

    async def prepare() -> None:
        await ctx.consultations.ensure_indexes()
        await ctx.outcomes.ensure_indexes()
        await ctx.committees.ensure_indexes()
        await ctx.meetings.ensure_indexes()
        await ctx.reviews.ensure_indexes()
        await ctx.surveys.ensure_indexes()
        await ctx.plans.seed(shipped_plans, ctx.now())

    runtime.prepare.append(prepare)

    async def on_submission(event: CloudEvent[Any]) -> None:
        await on_submissions([event])

    async def on_submissions(events: list[CloudEvent[Any]]) -> None:
        submissions = await ctx.unit_directory.take(events)
        # Most submissions are complaints and pass straight through; an opinion is
        # counted in its own transaction (a refused one then goes one by one to the DLQ).
        for event in submissions:
            await opinions.count_submitted(ctx, event)

    async def on_start(rt: Runtime) -> None:
        rt.consumer.subscribe_batch(TOPICS, settings.consumer_group, on_submissions, on_submission)
        ctx.relay.start()
        tasks["closer"] = start_closer(ctx, settings.close_interval_seconds)
        tasks["metrics"] = asyncio.create_task(run_refresher(ctx.consultations, ctx.metrics))

    async def on_stop(rt: Runtime) -> None:
        await stop_task(tasks.pop("closer", None))
        await stop_task(tasks.pop("metrics", None))
        await ctx.relay.stop()

    app = service_app(
        runtime,
        title="Siang participation",
        description=(
            "Consultations, opinions counted per stakeholder group, and "
            '"you said, we did" outcomes per mission item and fiscal year.'
        ),
        on_start=on_start,
        on_stop=on_stop,
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    document_config(
        app,
        ctx.groups,
        # The file's units: the document is made once, before an admin's units are read.
        frozenset(u.code for u in ctx.catalogue.units),
        frozenset(c.code for c in ctx.catalogue.categories),
    )
    app.include_router(consultations.router)
    app.include_router(outcomes.router)
    app.include_router(committees.router)
    app.include_router(papers.router)
    app.include_router(meetings.router)
    app.include_router(reviews.router)
    app.include_router(mission_surveys.router)
    app.include_router(missions.router)
    app.include_router(public.router)
    app.include_router(mission_surveys.public_router)
    app.include_router(pages.router)
    app.include_router(take_part.router)
    app.include_router(staff.router)
    app.include_router(staff_plan.router)
    app.include_router(staff_consultations.router)
    app.include_router(staff_outcomes.router)
    app.include_router(staff_surveys.router)
    app.include_router(survey_pages.router)
    return app


__all__ = ["SERVICE", "create_app"]
