"""Everything a participation handler or route needs, built once per process by
`build_context` (tests build it through the app) and reached from a request by
`context_of`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request
from pymongo import AsyncMongoClient

from services.participation.adapters.committee_store import CommitteeStore
from services.participation.adapters.consultation_store import ConsultationStore
from services.participation.adapters.meeting_store import MeetingStore
from services.participation.adapters.mission_survey_store import MissionSurveyStore
from services.participation.adapters.outcome_store import OutcomeStore
from services.participation.adapters.papers import CommitteePapers
from services.participation.adapters.plan_files import load_groups
from services.participation.adapters.plan_store import PlanStore
from services.participation.adapters.review_store import ReviewStore
from services.participation.domain.plan import StakeholderGroups
from services.participation.metrics import ParticipationMetrics
from services.participation.settings import ParticipationSettings
from shared.contract.catalogue import Catalogue, load_catalogue
from shared.contract.events import CloudEvent, make_event
from shared.infra import correlation, tracing
from shared.infra.outbox import OutboxRelay
from shared.infra.runtime import Runtime
from shared.infra.sessions import SessionCheck
from shared.infra.unit_directory import UnitDirectory
from shared.thai.dates import local_date

SERVICE = "participation"
SOURCE = "/siang/participation"
UNITS = "participation_units"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ParticipationContext:
    settings: ParticipationSettings
    client: AsyncMongoClient[dict[str, Any]]
    plans: PlanStore
    consultations: ConsultationStore
    outcomes: OutcomeStore
    committees: CommitteeStore
    meetings: MeetingStore
    reviews: ReviewStore
    papers: CommitteePapers
    surveys: MissionSurveyStore
    relay: OutboxRelay
    # Staff tokens are checked against workflow's `staff` collection (a cross-service read).
    sessions: SessionCheck
    groups: StakeholderGroups
    catalogue: Catalogue
    # The units' names an admin gave and the units added (`unit.changed`), over the file.
    unit_directory: UnitDirectory
    metrics: ParticipationMetrics
    clock: Callable[[], datetime] = field(default=_utc_now)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The office's date: opening and closing days are Bangkok days."""
        return local_date(self.clock())

    async def units(self) -> frozenset[str]:
        """The codes of the units, those an admin added included."""
        return frozenset(u.code for u in (await self.unit_directory.catalogue()).units)

    def envelope(self, subject: str, data: Any) -> CloudEvent[Any]:
        return make_event(
            data,
            source=SOURCE,
            subject=subject,
            correlation_id=correlation.current(),
            time=self.now(),
            traceparent=tracing.for_event(),
        )


def build_context(settings: ParticipationSettings, runtime: Runtime) -> ParticipationContext:
    consultations = ConsultationStore(runtime.db)
    catalogue = load_catalogue(settings.catalogue_path)
    return ParticipationContext(
        settings=settings,
        client=runtime.mongo,
        plans=PlanStore(runtime.db),
        consultations=consultations,
        outcomes=OutcomeStore(runtime.db, consultations.outbox),
        committees=CommitteeStore(runtime.db, consultations.people, consultations.outbox),
        meetings=MeetingStore(runtime.db, consultations.outbox),
        reviews=ReviewStore(runtime.db, consultations.outbox),
        papers=CommitteePapers(runtime.db),
        surveys=MissionSurveyStore(runtime.db, consultations.outbox),
        relay=OutboxRelay(consultations.outbox, runtime.publisher, name="participation-outbox"),
        sessions=SessionCheck(runtime.db, settings.auth),
        groups=load_groups(settings.stakeholder_groups_path),
        catalogue=catalogue,
        unit_directory=UnitDirectory(runtime.db, UNITS, catalogue),
        metrics=ParticipationMetrics(runtime.metrics),
    )


async def context_of(request: Request) -> ParticipationContext:
    """FastAPI dependency: the parts of the app serving this request. Async on purpose:
    FastAPI runs a plain `def` dependency in its thread pool, a hop on every request."""
    ctx: ParticipationContext = request.app.state.ctx
    return ctx
