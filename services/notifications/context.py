"""Everything the handlers need, built once by `app.build_context` (tests build it too)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pymongo import AsyncMongoClient

from services.notifications.adapters.case_facts_store import CaseFactsStore
from services.notifications.adapters.channels.channel import ChannelAdapter
from services.notifications.adapters.dead_letters import DeadLetterStore
from services.notifications.adapters.ledger import DeliveryLedger
from services.notifications.adapters.parked_events import ParkedEvents
from services.notifications.adapters.staff_directory import StaffDirectory
from services.notifications.domain.backoff import RetryPolicy
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.office import Office, SurveyLinks, WebhookSubscriber
from services.notifications.handlers.handover import HandoverQueue
from services.notifications.metrics import NotificationMetrics
from services.notifications.settings import DeliverySettings, DigestSettings
from shared.infra.kafka import EventPublisher
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.processed import ProcessedEvents

SOURCE = "/siang/notifications"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _nothing() -> None:
    return None


@dataclass
class NotificationsContext:
    client: AsyncMongoClient[Document]
    cases: CaseFactsStore
    directory: StaffDirectory
    ledger: DeliveryLedger
    parked: ParkedEvents
    dead_letters: DeadLetterStore
    processed: ProcessedEvents
    # The daily digest's "already planned today" record, apart from the case events'.
    digest_runs: ProcessedEvents
    outbox: Outbox
    relay: OutboxRelay
    publisher: EventPublisher
    office: Office
    survey_links: SurveyLinks
    subscribers: Sequence[WebhookSubscriber]
    channels: Mapping[DeliveryChannel, ChannelAdapter]
    policy: RetryPolicy
    delivery: DeliverySettings
    digest: DigestSettings
    metrics: NotificationMetrics
    clock: Callable[[], datetime] = utc_now
    # Set by the delivery worker: new deliveries are due now, look at once.
    wake_worker: Callable[[], None] = field(default=_nothing)
    # Set by the delivery worker: where new deliveries go already claimed (None: to the
    # ledger only, for any worker to find).
    handovers: HandoverQueue | None = None
