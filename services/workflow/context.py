"""Everything a workflow handler needs, built once per process by the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pymongo import AsyncMongoClient

from services.workflow.adapters.case_store import CaseStore
from services.workflow.adapters.clock import ServiceClock
from services.workflow.adapters.staff_directory import StaffDirectory
from services.workflow.domain.lifecycle import LifecyclePolicy
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from shared.contract.catalogue import Catalogue
from shared.contract.events import CloudEvent, make_event
from shared.infra import correlation
from shared.infra.outbox import OutboxRelay
from shared.infra.processed import ProcessedEvents
from shared.thai.calendar import ThaiCalendar

if TYPE_CHECKING:
    from services.workflow.metrics import WorkflowMetrics

SOURCE = "/siang/workflow"


@dataclass
class WorkflowContext:
    client: AsyncMongoClient[dict[str, Any]]
    store: CaseStore
    directory: StaffDirectory
    processed: ProcessedEvents
    relay: OutboxRelay
    catalogue: Catalogue
    routing: RoutingConfig
    sla: SlaConfig
    calendar: ThaiCalendar
    policy: LifecyclePolicy
    clock: ServiceClock
    contact_key: bytes
    metrics: WorkflowMetrics | None = None

    def envelope(self, case_id: str, data: Any) -> CloudEvent[Any]:
        return make_event(
            data,
            source=SOURCE,
            subject=case_id,
            correlation_id=correlation.current(),
            time=self.clock.now(),
        )
