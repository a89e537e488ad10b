"""Wiring of the workflow service: built by `create_app(settings)`, never at import time."""

from __future__ import annotations

from fastapi import FastAPI

from services.workflow.settings import WorkflowSettings
from shared.runtime import Runtime, service_app

SERVICE = "workflow"


def create_app(settings: WorkflowSettings | None = None) -> FastAPI:
    settings = settings or WorkflowSettings()
    runtime = Runtime(SERVICE, settings)
    return service_app(
        runtime,
        title="Siang workflow",
        description="Cases: routing, assignment, lifecycle and Thai-calendar deadlines; staff API.",
    )
