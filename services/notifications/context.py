"""Everything the handlers need, built once per process by `build_context` (tests build it
through the app) and reached from a request by `context_of`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import Request
from pymongo import AsyncMongoClient

from services.notifications.adapters.applied_events import AppliedEvents
from services.notifications.adapters.case_facts_store import CaseFactsStore
from services.notifications.adapters.channels.channel import ChannelAdapter
from services.notifications.adapters.channels.facebook import FacebookChannel
from services.notifications.adapters.channels.http_post import Poster
from services.notifications.adapters.channels.line import LineChannel
from services.notifications.adapters.channels.sms import SmsChannel
from services.notifications.adapters.channels.smtp import SmtpChannel
from services.notifications.adapters.channels.webhook import WebhookChannel
from services.notifications.adapters.complainant_contacts import ComplainantContacts
from services.notifications.adapters.dead_letters import DeadLetterStore
from services.notifications.adapters.ledger import DeliveryLedger
from services.notifications.adapters.mail_archive import MailArchive
from services.notifications.adapters.parked_events import ParkedEvents
from services.notifications.adapters.staff_directory import StaffDirectory
from services.notifications.adapters.unit_names import COLLECTION as UNITS
from services.notifications.adapters.unit_names import OfficeUnits
from services.notifications.domain.backoff import RetryPolicy
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.office import Office, SurveyLinks, WebhookSubscriber
from services.notifications.domain.templates import Renderer
from services.notifications.handlers.handover import HandoverQueue
from services.notifications.metrics import NotificationMetrics
from services.notifications.settings import (
    DeliverySettings,
    DigestSettings,
    NotificationsSettings,
)
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Language
from shared.infra.auth import AuthSettings
from shared.infra.kafka import EventPublisher
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.processed import ProcessedEvents
from shared.infra.runtime import Runtime
from shared.infra.sessions import SessionCheck
from shared.infra.unit_directory import UnitDirectory

SERVICE = "notifications"
SOURCE = "/siang/notifications"
OUTBOX = "notifications_outbox"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _nothing() -> None:
    return None


@dataclass
class NotificationsContext:
    client: AsyncMongoClient[Document]
    cases: CaseFactsStore
    directory: StaffDirectory
    # Complainants' contacts, from the personal-data store by the facts' person_id.
    people: ComplainantContacts
    ledger: DeliveryLedger
    parked: ParkedEvents
    dead_letters: DeadLetterStore
    # The case events applied, recorded on the case facts (see `AppliedEvents`).
    processed: AppliedEvents
    # The daily digest's "already planned today" record, apart from the case events'.
    digest_runs: ProcessedEvents
    outbox: Outbox
    relay: OutboxRelay
    publisher: EventPublisher
    # The office as the next letters name it: replaced by `units.office()` before a batch
    # or a digest is planned, so a unit renamed by an admin is named so.
    office: Office
    units: OfficeUnits
    survey_links: SurveyLinks
    subscribers: Sequence[WebhookSubscriber]
    channels: Mapping[DeliveryChannel, ChannelAdapter]
    policy: RetryPolicy
    delivery: DeliverySettings
    digest: DigestSettings
    metrics: NotificationMetrics
    # Staff sessions (the console's cookie) for the template previews, which render as
    # the channels do.
    sessions: SessionCheck
    auth: AuthSettings
    renderer: Renderer
    clock: Callable[[], datetime] = utc_now
    # Set by the delivery worker: new deliveries are due now, look at once.
    wake_worker: Callable[[], None] = field(default=_nothing)
    # Set by the delivery worker: where new deliveries go already claimed (None: to the
    # ledger only, for any worker to find).
    handovers: HandoverQueue | None = None
    # A mail archive to purge of an erased person's e-mails (None: there is none).
    mail_archive: MailArchive | None = None


def build_channels(
    settings: NotificationsSettings, renderer: Renderer, http: Poster
) -> dict[DeliveryChannel, ChannelAdapter]:
    office = settings.office
    return {
        DeliveryChannel.email: SmtpChannel(settings.smtp, renderer, office.name(Language.th)),
        DeliveryChannel.line: LineChannel(settings.line, renderer, http),
        DeliveryChannel.sms: SmsChannel(settings.sms, renderer, http),
        DeliveryChannel.facebook: FacebookChannel(settings.facebook, renderer, http),
        DeliveryChannel.webhook: WebhookChannel(
            settings.all_webhooks(), http, settings.webhook_timeout_seconds
        ),
    }


def build_context(
    settings: NotificationsSettings, runtime: Runtime, http: Poster
) -> NotificationsContext:
    db = runtime.db
    outbox = Outbox(db, OUTBOX)
    renderer = Renderer(date_style=settings.date_style, thai_digits=settings.thai_digits)
    office = settings.office_with_catalogue()
    directory = UnitDirectory(db, UNITS, load_catalogue(settings.catalogue_path))
    return NotificationsContext(
        client=runtime.mongo,
        cases=CaseFactsStore(db),
        directory=StaffDirectory(db, cache_seconds=settings.staff_cache_seconds),
        people=ComplainantContacts(db, cache_seconds=settings.staff_cache_seconds),
        ledger=DeliveryLedger(db),
        parked=ParkedEvents(db),
        dead_letters=DeadLetterStore(db),
        processed=AppliedEvents(db, SERVICE),
        digest_runs=ProcessedEvents(db, f"{SERVICE}-digest"),
        outbox=outbox,
        relay=OutboxRelay(outbox, runtime.publisher, name="notifications-outbox"),
        publisher=runtime.publisher,
        office=office,
        units=OfficeUnits(directory, office),
        survey_links=settings.survey_links(),
        subscribers=[w.subscriber() for w in settings.all_webhooks()],
        channels=build_channels(settings, renderer, http),
        policy=settings.retry.policy(),
        delivery=settings.delivery,
        digest=settings.digest,
        metrics=NotificationMetrics(runtime.metrics),
        mail_archive=(
            MailArchive(settings.mail_archive_purge_url, settings.mail_archive_timeout_seconds)
            if settings.mail_archive_purge_url
            else None
        ),
        sessions=SessionCheck(db, settings.auth),
        renderer=renderer,
        auth=settings.auth,
    )


async def context_of(request: Request) -> NotificationsContext:
    """FastAPI dependency: the parts of the app serving this request. Async on purpose:
    FastAPI runs a plain `def` dependency in its thread pool, a hop on every request."""
    ctx: NotificationsContext = request.app.state.ctx
    return ctx
