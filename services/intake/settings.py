"""The intake service's settings: `SIANG_INTAKE_*` plus the shared `SIANG_KAFKA_*` and `SIANG_MONGO_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.contract.events import ComplaintType, Kind
from shared.contract.survey_token import SurveySettings
from shared.contract.tracking_pin import TrackingSettings
from shared.infra.auth import AuthSettings
from shared.infra.settings import ServiceSettings

DEV_PEPPER = TrackingSettings.model_fields["pepper"].default


class LineSettings(BaseModel):
    """The LINE Official Account channel (`SIANG_INTAKE_LINE__*`). Without a channel
    secret the webhook refuses every call (401)."""

    model_config = ConfigDict(extra="forbid")

    channel_secret: SecretStr = SecretStr("")
    channel_token: SecretStr = SecretStr("")
    # The Messaging API and its content host; `make dev` and tests point both at
    # `deploy/local/line_standin.py`.
    api_base_url: str = "https://api.line.me"
    data_base_url: str = "https://api-data.line.me"
    timeout_seconds: float = Field(default=10.0, gt=0)
    # A photo sent in a conversation is kept (JPEG or PNG) up to this size.
    max_photo_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)


class FacebookSettings(BaseModel):
    """The Facebook Page's Messenger channel (`SIANG_INTAKE_FACEBOOK__*`). Without an app
    secret the webhook refuses every event (401); without a verify token Facebook cannot
    subscribe it (403)."""

    model_config = ConfigDict(extra="forbid")

    app_secret: SecretStr = SecretStr("")
    verify_token: SecretStr = SecretStr("")
    page_token: SecretStr = SecretStr("")
    # The Graph API; `make dev` and tests point it at `deploy/local/facebook_standin.py`.
    graph_base_url: str = "https://graph.facebook.com"
    api_version: str = Field(default="v19.0", pattern=r"^v[0-9]+\.[0-9]+$")
    # The hosts a photo a person sent may be fetched from (its URL is in the webhook).
    image_hosts: tuple[str, ...] = ("fbcdn.net", "fbsbx.com")
    timeout_seconds: float = Field(default=10.0, gt=0)
    max_photo_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)


class EmailSettings(BaseModel):
    """The office's mailbox, read over IMAP (`SIANG_INTAKE_EMAIL__*`). Without a host the
    e-mail channel is off; `make dev` points it at the local Dovecot
    (`deploy/local/dovecot.py`)."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = None
    port: int = Field(default=993, ge=1, le=65535)
    # Implicit TLS (IMAPS, port 993); off only for a server on this machine.
    tls: bool = True
    user: str = ""
    password: SecretStr = SecretStr("")
    folder: str = "INBOX"
    # Without IDLE, how often to look; with it, how long one IDLE lasts (RFC 2177: < 29 min).
    poll_seconds: float = Field(default=60.0, gt=0, le=1740)
    retry_seconds: float = Field(default=15.0, gt=0)
    timeout_seconds: float = Field(default=30.0, gt=0)
    # The addresses Siang sends from (notifications' SMTP from address): never taken in.
    own_addresses: list[str] = Field(default_factory=lambda: ["saraban@example.go.th"])
    # A mail says neither kind nor category: these, until staff re-triage it.
    kind: Kind = Kind.complaint
    complaint_type: ComplaintType = ComplaintType.service
    category: str = "other"
    max_attachments: int = Field(default=5, ge=0)
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIANG_INTAKE_", extra="forbid", env_nested_delimiter="__"
    )

    port: int = Field(default=8001, ge=1, le=65535)
    # The office's categories; the shipped default is a Thai educational district office.
    catalogue_path: Path | None = None
    # Where people track their submission; the tracking URL in the 202 answer starts here.
    public_base_url: str = "http://127.0.0.1:8001"
    # The PIN pepper (`SIANG_TRACKING_PEPPER`) and the lock-out after wrong PINs
    # (`SIANG_TRACKING_MAX_WRONG_PINS`, `SIANG_TRACKING_LOCKOUT_SECONDS`) of the tracking
    # door. Set the pepper in production: with the default, anyone holding the database
    # could brute-force the 10^6 PINs.
    tracking: TrackingSettings = Field(default_factory=TrackingSettings)
    # The survey-token secret, shared with notifications (`SIANG_SURVEY_SECRET`).
    survey: SurveySettings = Field(default_factory=SurveySettings)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # Files sent with a submission on the web form or keyed in by staff (photos, scanned
    # letters, PDFs): how many and how large each (more: 413). The form reader takes at
    # most 4 files a request.
    max_attachments: int = Field(default=3, ge=0, le=4)
    max_attachment_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, le=15 * 1024 * 1024)
    # Staff tokens (`SIANG_AUTH_*`, as workflow signs them) for staff-keyed entry.
    auth: AuthSettings = Field(default_factory=AuthSettings)
    # Public web channel (no key), per client address across every replica: `burst`
    # requests in each window of burst / rate minutes (defaults: 5 per 30 s).
    web_rate_per_minute: float = Field(default=10.0, gt=0)
    web_burst: int = Field(default=5, ge=1)
    # Tracking lookups: a brake on guessing PINs (defaults: 10 per 20 s).
    track_rate_per_minute: float = Field(default=30.0, gt=0)
    track_burst: int = Field(default=10, ge=1)
    # How often each replica adds its requests to the shared counts (one statement per
    # address and period): another replica's requests of the last period may pass the
    # limit before this one knows of them.
    rate_limit_flush_seconds: float = Field(default=0.25, gt=0)
    # How long adding to the shared counts may take before it is tried again later.
    rate_limit_timeout_seconds: float = Field(default=1.0, gt=0)
    # Submissions arriving within this window share one transaction (a group commit):
    # a longer one makes fewer, larger transactions under a steady load, and costs each
    # submission up to that much more before its answer.
    commit_group_ms: float = Field(default=5.0, ge=0, le=100)
    # How long each durable path may take before trying the other, then 503.
    mongo_commit_timeout_seconds: float = Field(default=3.0, gt=0)
    kafka_publish_timeout_seconds: float = Field(default=3.0, gt=0)
    retry_after_seconds: int = Field(default=5, ge=1)
    # A revoked key stops working within this many seconds on every replica (each caches
    # the keys it has seen in memory; one read per key and period).
    api_key_cache_seconds: float = Field(default=5.0, ge=0)
    # Submissions accepted through Kafka while MongoDB was away, whose tracking records
    # wait in memory to be written; past this many, answer 503 rather than grow forever.
    max_backlog: int = Field(default=10_000, ge=0)
    run_outbox_relay: bool = True
    # Intake's group on `siang.participation.v1`: the consultations it checks opinions against.
    consumer_group: str = "siang-intake"
    line: LineSettings = Field(default_factory=LineSettings)
    email: EmailSettings = Field(default_factory=EmailSettings)
    facebook: FacebookSettings = Field(default_factory=FacebookSettings)
    # Open311 GeoReport v2 (`/open311/v2/`): the office's one jurisdiction id; a request
    # naming another is 404.
    open311_jurisdiction_id: str = Field(default="siang.local", min_length=1, max_length=100)
