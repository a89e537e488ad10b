"""Everything a workflow handler or route needs, built once per process by `build_context`
(tests build it through the app) and reached from a request by `context_of`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request
from pymongo import AsyncMongoClient

from services.workflow.adapters.admin_history import AdminHistory
from services.workflow.adapters.case_store import CaseStore
from services.workflow.adapters.clock import ServiceClock
from services.workflow.adapters.policy_files import load_routing_config, load_sla_config
from services.workflow.adapters.settings_store import SettingsStore
from services.workflow.adapters.sign_in_attempts import SignInAttempts
from services.workflow.adapters.staff_directory import StaffDirectory
from services.workflow.domain.closures import Closure, calendar_of
from services.workflow.domain.lifecycle import LifecyclePolicy
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from services.workflow.metrics import WorkflowMetrics
from services.workflow.settings import WorkflowSettings
from shared.contract.catalogue import Catalogue, load_catalogue
from shared.contract.events import CloudEvent, make_event
from shared.infra import correlation, tracing
from shared.infra.outbox import OutboxRelay
from shared.infra.processed import ProcessedEvents
from shared.infra.runtime import Runtime
from shared.infra.sessions import SessionCheck
from shared.thai.calendar import ThaiCalendar

SERVICE = "workflow"
SOURCE = "/siang/workflow"


@dataclass
class WorkflowContext:
    settings: WorkflowSettings
    client: AsyncMongoClient[dict[str, Any]]
    store: CaseStore
    directory: StaffDirectory
    sign_ins: SignInAttempts
    sessions: SessionCheck
    settings_store: SettingsStore
    processed: ProcessedEvents
    relay: OutboxRelay
    catalogue: Catalogue
    routing: RoutingConfig
    sla: SlaConfig
    calendar: ThaiCalendar
    policy: LifecyclePolicy
    clock: ServiceClock
    contact_key: bytes
    metrics: WorkflowMetrics
    # What admins changed (the history page); the office's own closures, from which
    # `calendar` is built (the settings' list until an admin saves one).
    history: AdminHistory
    closures: tuple[Closure, ...]

    def envelope(
        self, case_id: str, data: Any, cause: CloudEvent[Any] | None = None
    ) -> CloudEvent[Any]:
        """An event of `case_id`. In a batch the request context is not the event's:
        `cause` (the event acted on) gives its correlation id and trace."""
        return make_event(
            data,
            source=SOURCE,
            subject=case_id,
            correlation_id=cause.correlationid if cause else correlation.current(),
            time=self.clock.now(),
            traceparent=tracing.for_event(cause.traceparent if cause else None),
        )


def build_context(settings: WorkflowSettings, runtime: Runtime) -> WorkflowContext:
    store = CaseStore(runtime.db)
    closures = tuple(Closure(day=date.fromisoformat(d)) for d in settings.office_closures)
    return WorkflowContext(
        settings=settings,
        client=runtime.mongo,
        store=store,
        directory=StaffDirectory(runtime.db),
        sign_ins=SignInAttempts(runtime.db),
        sessions=SessionCheck(runtime.db, settings.auth),
        settings_store=SettingsStore(runtime.db, check_seconds=settings.config_check_seconds),
        processed=ProcessedEvents(runtime.db, SERVICE),
        relay=OutboxRelay(store.outbox, runtime.publisher, name="workflow-outbox"),
        catalogue=load_catalogue(settings.catalogue_path),
        routing=load_routing_config(settings.routing_path),
        sla=load_sla_config(settings.sla_path),
        calendar=calendar_of(closures),
        policy=LifecyclePolicy(
            reopen_limit=settings.reopen_limit, reopen_window_days=settings.reopen_window_days
        ),
        clock=ServiceClock(),
        contact_key=settings.contact_key.encode(),
        metrics=WorkflowMetrics(runtime.metrics),
        history=AdminHistory(runtime.db),
        closures=closures,
    )


async def context_of(request: Request) -> WorkflowContext:
    """FastAPI dependency: the parts of the app serving this request. Async on purpose:
    FastAPI runs a plain `def` dependency in its thread pool, a hop on every request."""
    ctx: WorkflowContext = request.app.state.ctx
    return ctx
