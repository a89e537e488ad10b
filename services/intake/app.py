"""Wiring of the intake service: built by `create_app(settings)`, never at import time."""

from __future__ import annotations

from fastapi import FastAPI

from services.intake.settings import IntakeSettings
from shared.runtime import Runtime, service_app

SERVICE = "intake"


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = Runtime(SERVICE, settings)
    return service_app(
        runtime,
        title="Siang intake",
        description="Every channel's submissions, validated, made durable and published; public form and tracking.",
    )
