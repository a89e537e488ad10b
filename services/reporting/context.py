"""What the reporting endpoints need, built once by `create_app` and kept on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from services.reporting.adapters.view_store import ViewStore
from services.reporting.handlers.rebuild import Rebuilder
from services.reporting.metrics import ReportingMetrics
from services.reporting.settings import ReportingSettings
from shared.contract.catalogue import Catalogue


@dataclass(frozen=True, slots=True)
class ReportingContext:
    store: ViewStore
    rebuilder: Rebuilder
    catalogue: Catalogue
    settings: ReportingSettings
    metrics: ReportingMetrics


def context_of(request: Request) -> ReportingContext:
    ctx: ReportingContext = request.app.state.reporting
    return ctx
