"""Wiring of the reporting service: built by `create_app(settings)`, never at import time."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting.settings import ReportingSettings
from shared.runtime import Runtime, service_app

SERVICE = "reporting"


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    runtime = Runtime(SERVICE, settings)
    return service_app(
        runtime,
        title="Siang reporting",
        description="Summary views, dashboards, the public transparency page and the ITA report.",
    )
