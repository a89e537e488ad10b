"""Wiring of the notifications service: built by `create_app(settings)`, never at import time."""

from __future__ import annotations

from fastapi import FastAPI

from services.notifications.settings import NotificationsSettings
from shared.runtime import Runtime, service_app

SERVICE = "notifications"


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    runtime = Runtime(SERVICE, settings)
    return service_app(
        runtime,
        title="Siang notifications",
        description="Tells complainants, staff and supervisors what changed: e-mail, LINE, SMS, webhooks.",
    )
