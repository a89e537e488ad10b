"""Everything the reporting routes and handlers need, built once per process by
`build_context` (tests build it through the app) and reached from a request by
`context_of`."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from services.reporting.adapters.participation_names import (
    MissionNames,
    Name,
    RecordNames,
    load_group_names,
)
from services.reporting.adapters.view_store import ViewStore
from services.reporting.handlers.rebuild import Rebuilder
from services.reporting.metrics import ReportingMetrics
from services.reporting.settings import ReportingSettings
from shared.contract.catalogue import Catalogue, load_catalogue
from shared.infra.runtime import Runtime
from shared.infra.sessions import SessionCheck
from shared.infra.unit_directory import UnitDirectory

SERVICE = "reporting"
UNITS = "report_units"


@dataclass(frozen=True, slots=True)
class ReportingContext:
    store: ViewStore
    rebuilder: Rebuilder
    catalogue: Catalogue
    # The units' names an admin gave and the units added (`unit.changed`), over the file.
    units: UnitDirectory
    settings: ReportingSettings
    metrics: ReportingMetrics
    # Staff tokens are checked against workflow's `staff` collection (a cross-service read).
    sessions: SessionCheck
    # The participation report's names: participation's plan (read only) and groups file.
    missions: MissionNames
    groups: dict[str, Name]
    # Committees' names and surveys' item statements (participation's, read only).
    records: RecordNames


def build_context(settings: ReportingSettings, runtime: Runtime) -> ReportingContext:
    store = ViewStore(runtime.mongo, runtime.db)
    catalogue = load_catalogue(settings.catalogue_path)
    return ReportingContext(
        store=store,
        rebuilder=Rebuilder(store, runtime.db[settings.event_store_collection]),
        catalogue=catalogue,
        units=UnitDirectory(runtime.db, UNITS, catalogue),
        settings=settings,
        metrics=ReportingMetrics(runtime.metrics.registry),
        sessions=SessionCheck(runtime.db, settings.auth),
        missions=MissionNames(runtime.db),
        groups=load_group_names(settings.stakeholder_groups_path),
        records=RecordNames(runtime.db),
    )


async def context_of(request: Request) -> ReportingContext:
    """FastAPI dependency: the parts of the app serving this request. Async on purpose:
    FastAPI runs a plain `def` dependency in its thread pool, a hop on every request."""
    ctx: ReportingContext = request.app.state.ctx
    return ctx
