"""Everything the intake's routes and handlers need, built once per process by
`build_context` (tests build it through the app) and reached from a request by
`context_of`."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi import Request

from services.intake.adapters.api_keys import ApiKeys, CachedKeyCheck
from services.intake.adapters.case_progress import CaseProgressReader
from services.intake.adapters.consultation_book import ConsultationBook
from services.intake.adapters.facebook_messenger import FacebookMessenger
from services.intake.adapters.facebook_webhook import FacebookWebhook
from services.intake.adapters.follow_ups import FollowUpStore
from services.intake.adapters.idempotency import IdempotencyAnswers
from services.intake.adapters.imap_mailbox import ImapMailbox, MailboxSettings
from services.intake.adapters.line_conversations import FACEBOOK_COLLECTION, LineConversations
from services.intake.adapters.line_messaging import LineMessaging
from services.intake.adapters.line_photos import LinePhotos
from services.intake.adapters.line_webhook import LineWebhook
from services.intake.adapters.mail_attachments import MailAttachments
from services.intake.adapters.open311_requests import Open311Requests
from services.intake.adapters.rate_counts import RateCounts
from services.intake.adapters.store import MongoSubmissionStore
from services.intake.adapters.submission_files import SubmissionFiles
from services.intake.adapters.submissions import TrackingRecords
from services.intake.adapters.surveys import SurveyAnswers
from services.intake.adapters.tracking_attempts import TrackingAttempts
from services.intake.domain.files import FileRules
from services.intake.domain.lockout import Lockout
from services.intake.domain.rate_limit import WindowLimit
from services.intake.handlers.backlog import Backlog
from services.intake.handlers.email import CaseReplies, MailDefaults, MailDesk, MailPoller
from services.intake.handlers.facebook import FacebookDesk
from services.intake.handlers.follow_up import ComplainantDesk
from services.intake.handlers.line import LineDesk
from services.intake.handlers.open311 import Open311Desk
from services.intake.handlers.rate_limit import RateLimit
from services.intake.handlers.receive import Reception
from services.intake.handlers.track import Tracker
from services.intake.metrics import IntakeMetrics
from services.intake.settings import EmailSettings, IntakeSettings
from shared.contract.catalogue import Catalogue, load_catalogue
from shared.infra.attachments import DOCUMENTS
from shared.infra.outbox import Outbox, OutboxRelay
from shared.infra.personal_data import PersonalData
from shared.infra.runtime import Runtime
from shared.infra.sessions import SessionCheck
from shared.infra.unit_directory import UnitDirectory

SERVICE = "intake"
UNITS = "intake_units"


@dataclass
class IntakeContext:
    settings: IntakeSettings
    catalogue: Catalogue
    # The units' names an admin gave (`unit.changed`), laid over the file's when a page
    # or an answer names a case's unit; `catalogue` stays the file (categories, forms).
    units: UnitDirectory
    records: TrackingRecords
    answers: IdempotencyAnswers
    outbox: Outbox
    relay: OutboxRelay
    backlog: Backlog
    reception: Reception
    tracker: Tracker
    # The complainant's follow-ups and withdrawals, through the same tracking door.
    complainant: ComplainantDesk
    keys: CachedKeyCheck
    # The keys' records, as the admin pages list, mint and revoke them.
    key_store: ApiKeys
    # Per-address limits of the public doors, counted across replicas.
    web_limiter: RateLimit
    track_limiter: RateLimit
    metrics: IntakeMetrics
    surveys: SurveyAnswers
    line_webhook: LineWebhook
    line: LineDesk
    line_client: httpx.AsyncClient  # the chat channels' client (LINE and Facebook)
    facebook_webhook: FacebookWebhook
    facebook: FacebookDesk
    open311: Open311Desk
    # The consultations published on `siang.participation.v1`, as intake keeps them.
    consultations: ConsultationBook
    # Staff tokens checked against the account (staff-keyed entry).
    sessions: SessionCheck
    # How many files a submission may carry, how large, of which types.
    file_rules: FileRules
    # The office's mailbox, read when `SIANG_INTAKE_EMAIL__HOST` is set.
    mail: MailPoller | None = None

    def tracking_url(self, code: str) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}/track/{code}"

    async def ensure_indexes(self) -> None:
        await self.records.ensure_indexes()
        await self.answers.ensure_indexes()
        await self.outbox.ensure_indexes()
        await TrackingAttempts(self.records.collection.database).ensure_indexes()
        await Open311Requests(self.records.collection.database).ensure_indexes()
        await SubmissionFiles(self.records.collection.database).ensure_indexes()
        await RateCounts(
            self.records.collection.database, timeout=self.settings.rate_limit_timeout_seconds
        ).ensure_indexes()


def build_context(settings: IntakeSettings, runtime: Runtime) -> IntakeContext:
    records = TrackingRecords(runtime.db)
    answers = IdempotencyAnswers(runtime.db)
    outbox = Outbox(runtime.db)
    relay = OutboxRelay(outbox, runtime.publisher, name="intake-submissions")
    store = MongoSubmissionStore(
        runtime.mongo,
        records,
        answers,
        outbox,
        group_window=settings.commit_group_ms / 1000,
        read_timeout=settings.mongo_commit_timeout_seconds,
    )
    backlog = Backlog(store, limit=settings.max_backlog)
    consultations = ConsultationBook(runtime.db)
    base = settings.public_base_url.rstrip("/")
    reception = Reception(
        store,
        runtime.publisher,
        backlog,
        pepper=settings.tracking.pepper.encode(),
        tracking_url=lambda code: f"{base}/track/{code}",
        commit_timeout=settings.mongo_commit_timeout_seconds,
        publish_timeout=settings.kafka_publish_timeout_seconds,
        retry_after=settings.retry_after_seconds,
        on_committed=relay.wake,
        consultations=consultations,
    )
    catalogue = load_catalogue(settings.catalogue_path)
    units = UnitDirectory(runtime.db, UNITS, catalogue)
    key_store = ApiKeys(runtime.db)
    keys = CachedKeyCheck(key_store, ttl=settings.api_key_cache_seconds)
    line = settings.line
    facebook = settings.facebook
    line_client = httpx.AsyncClient()
    progress = CaseProgressReader(runtime.db)
    tracker = Tracker(
        records,
        progress,
        TrackingAttempts(runtime.db),
        pepper=settings.tracking.pepper.encode(),
        lockout=Lockout(
            max_wrong_pins=settings.tracking.max_wrong_pins,
            lockout_seconds=settings.tracking.lockout_seconds,
        ),
    )
    complainant = ComplainantDesk(
        tracker,
        FollowUpStore(
            runtime.mongo, records, outbox, timeout=settings.mongo_commit_timeout_seconds
        ),
        on_committed=relay.wake,
    )
    replies = CaseReplies(progress=progress, people=PersonalData(runtime.db), desk=complainant)
    rate_counts = RateCounts(runtime.db, timeout=settings.rate_limit_timeout_seconds)
    return IntakeContext(
        settings=settings,
        catalogue=catalogue,
        units=units,
        records=records,
        answers=answers,
        outbox=outbox,
        relay=relay,
        backlog=backlog,
        reception=reception,
        tracker=tracker,
        complainant=complainant,
        keys=keys,
        key_store=key_store,
        web_limiter=RateLimit(
            "web",
            WindowLimit.of(rate_per_minute=settings.web_rate_per_minute, burst=settings.web_burst),
            rate_counts,
            flush_seconds=settings.rate_limit_flush_seconds,
        ),
        track_limiter=RateLimit(
            "track",
            WindowLimit.of(
                rate_per_minute=settings.track_rate_per_minute, burst=settings.track_burst
            ),
            rate_counts,
            flush_seconds=settings.rate_limit_flush_seconds,
        ),
        metrics=IntakeMetrics(runtime.metrics),
        surveys=SurveyAnswers(runtime.mongo, runtime.db, outbox),
        line_webhook=LineWebhook(line.channel_secret.get_secret_value()),
        line=LineDesk(
            LineConversations(runtime.db, secret=line.channel_secret.get_secret_value()),
            LineMessaging(
                line_client,
                api_base_url=line.api_base_url,
                data_base_url=line.data_base_url,
                channel_token=line.channel_token.get_secret_value(),
                timeout=line.timeout_seconds,
            ),
            reception,
            catalogue,
            LinePhotos(runtime.db),
            max_photo_bytes=line.max_photo_bytes,
        ),
        line_client=line_client,
        mail=_mail_poller(settings.email, reception, records, catalogue, runtime, replies)
        if settings.email.host
        else None,
        facebook_webhook=FacebookWebhook(facebook.app_secret.get_secret_value()),
        open311=Open311Desk(
            Open311Requests(runtime.db),
            keys,
            reception,
            catalogue,
            jurisdiction_id=settings.open311_jurisdiction_id,
            names=units.catalogue,
        ),
        facebook=FacebookDesk(
            LineConversations(
                runtime.db,
                secret=facebook.app_secret.get_secret_value(),
                collection=FACEBOOK_COLLECTION,
            ),
            FacebookMessenger(
                line_client,
                graph_base_url=facebook.graph_base_url,
                api_version=facebook.api_version,
                page_token=facebook.page_token.get_secret_value(),
                timeout=facebook.timeout_seconds,
                image_hosts=facebook.image_hosts,
            ),
            reception,
            catalogue,
            LinePhotos(runtime.db, channel="facebook"),
            max_photo_bytes=facebook.max_photo_bytes,
        ),
        consultations=consultations,
        sessions=SessionCheck(runtime.db, settings.auth),
        file_rules=FileRules(
            max_count=settings.max_attachments,
            max_bytes=settings.max_attachment_bytes,
            accepted=DOCUMENTS,
        ),
    )


def _mail_poller(
    email: EmailSettings,
    reception: Reception,
    records: TrackingRecords,
    catalogue: Catalogue,
    runtime: Runtime,
    replies: CaseReplies,
) -> MailPoller:
    assert email.host is not None
    mailbox = MailboxSettings(
        host=email.host,
        port=email.port,
        tls=email.tls,
        user=email.user,
        password=email.password.get_secret_value(),
        folder=email.folder,
        timeout=email.timeout_seconds,
    )
    desk = MailDesk(
        reception,
        records,
        MailAttachments(runtime.db),
        catalogue,
        MailDefaults(
            kind=email.kind,
            complaint_type=email.complaint_type,
            category=email.category,
            own_addresses=frozenset(a.lower() for a in email.own_addresses),
            max_attachments=email.max_attachments,
            max_attachment_bytes=email.max_attachment_bytes,
        ),
        replies,
    )
    return MailPoller(
        lambda: ImapMailbox(mailbox),
        desk,
        poll_seconds=email.poll_seconds,
        retry_seconds=email.retry_seconds,
    )


async def context_of(request: Request) -> IntakeContext:
    """FastAPI dependency: the parts of the app serving this request. Async on purpose:
    FastAPI runs a plain `def` dependency in its thread pool, a hop on every request."""
    ctx: IntakeContext = request.app.state.ctx
    return ctx
