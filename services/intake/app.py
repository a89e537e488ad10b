"""Wiring of the intake service: built by `create_app(settings)`, never at import time.

Its one consumer group reads `siang.participation.v1` (the consultations open for
opinions) and `siang.units.v1` (the units' names an admin gave, which the tracking page,
the tracking and categories API and Open311's requests show)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI

from services.intake.api import (
    categories,
    facebook,
    line,
    open311,
    staff_entry,
    submissions,
    tracking,
)
from services.intake.api.errors import install_error_handlers
from services.intake.context import SERVICE, build_context
from services.intake.domain.files import file_fields
from services.intake.domain.submission import SubmissionRequest
from services.intake.domain.submission_schema import body_schema, form_schema
from services.intake.handlers.consultations import learn
from services.intake.settings import DEV_PEPPER, IntakeSettings
from services.intake.web import admin_keys, pages, survey, track_pages
from shared.contract import topics
from shared.contract.catalogue import Catalogue
from shared.contract.events import CloudEvent
from shared.infra.runtime import Runtime, service_app

log = logging.getLogger(__name__)

# One consumer group: the consultations and the units' names.
TOPICS = (topics.PARTICIPATION, topics.UNITS)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = Runtime(SERVICE, settings)
    ctx = build_context(settings, runtime)

    async def on_event(event: CloudEvent[Any]) -> None:
        await on_events([event])

    async def on_events(events: list[CloudEvent[Any]]) -> None:
        for event in await ctx.units.take(events):
            await learn(ctx.consultations, event)

    async def on_start(runtime: Runtime) -> None:
        if settings.tracking.pepper == DEV_PEPPER:
            log.warning("SIANG_TRACKING_PEPPER is the development default; set it")
        try:
            await ctx.ensure_indexes()
        except Exception as exc:  # noqa: BLE001 - MongoDB may come later; Kafka path works
            log.warning("could not create indexes yet: %r", exc)
        runtime.consumer.subscribe_batch(TOPICS, settings.consumer_group, on_events, on_event)
        if settings.run_outbox_relay:
            ctx.relay.start()
        ctx.backlog.start()
        if ctx.mail is not None:
            ctx.mail.start()

    async def on_stop(runtime: Runtime) -> None:
        await ctx.relay.stop()
        if ctx.mail is not None:
            await ctx.mail.stop()
        await ctx.backlog.stop()
        await ctx.web_limiter.close()
        await ctx.track_limiter.close()
        await ctx.line_client.aclose()

    app = service_app(
        runtime,
        title="Siang intake",
        description=(
            "Every channel's submissions, validated, made durable and published; "
            "public form and tracking. รับเรื่องร้องเรียน ข้อเสนอแนะ และคำถามจากทุกช่องทาง"
        ),
        on_start=on_start,
        on_stop=on_stop,
    )
    app.state.ctx = ctx
    install_error_handlers(app, retry_after_seconds=settings.retry_after_seconds)
    app.include_router(submissions.router)
    app.include_router(staff_entry.router)
    app.include_router(categories.router)
    app.include_router(tracking.router)
    app.include_router(line.router)
    app.include_router(facebook.router)
    app.include_router(open311.router)
    app.include_router(track_pages.router)
    app.include_router(pages.router)
    app.include_router(survey.router)
    app.include_router(admin_keys.router)
    _document_submission_body(app, ctx.catalogue, settings.max_attachments)
    return app


def _document_submission_body(app: FastAPI, catalogue: Catalogue, files: int) -> None:
    """The submission body is parsed by hand (size limit, catalogue context), so FastAPI
    does not see its model: add its JSON Schema, made exact for the catalogue, to the
    OpenAPI components ourselves, and that of the same body sent as a form with as many
    files as the office takes."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        body = body_schema(
            SubmissionRequest.model_json_schema(ref_template="#/components/schemas/{model}"),
            catalogue,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(body.pop("$defs", {}))
        components["SubmissionRequest"] = body
        components["SubmissionForm"] = form_schema(catalogue, file_fields(files))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


__all__ = ["SERVICE", "create_app"]
