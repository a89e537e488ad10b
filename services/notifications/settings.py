"""The notifications service's settings: `SIANG_NOTIFICATIONS_*` plus the shared
`SIANG_KAFKA_*`, `SIANG_MONGO_*` and `SIANG_SURVEY_*`.

Nested groups use `__`: `SIANG_NOTIFICATIONS_SMTP__HOST`, `SIANG_NOTIFICATIONS_RETRY__BASE_SECONDS`,
`SIANG_NOTIFICATIONS_OFFICE__NAME_TH`. Webhook subscribers come from a YAML file
(`SIANG_NOTIFICATIONS_WEBHOOKS_PATH`) or JSON in `SIANG_NOTIFICATIONS_WEBHOOKS`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from services.notifications.domain.backoff import RetryPolicy
from services.notifications.domain.office import Office, SurveyLinks, WebhookSubscriber
from shared.contract.catalogue import DEFAULT_PATH as CATALOGUE_PATH
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Channel
from shared.contract.survey_token import SurveySettings
from shared.infra.auth import AuthSettings
from shared.infra.settings import ServiceSettings


class SmtpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=25, ge=1, le=65535)
    # STARTTLS after EHLO (port 587); `ssl` for implicit TLS (port 465). Never both.
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password: SecretStr | None = None
    from_address: str = "saraban@example.go.th"
    # Shown beside the address; None: the office's name in Thai.
    from_name: str | None = None
    reply_to: str | None = None
    timeout_seconds: float = Field(default=15.0, gt=0)
    # Idle connections kept open between messages: one handshake per burst, not per mail.
    pool_size: int = Field(default=8, ge=0)


class LineSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api.line.me"
    channel_token: SecretStr = SecretStr("")
    timeout_seconds: float = Field(default=10.0, gt=0)


class FacebookSettings(BaseModel):
    """The Facebook Page's Messenger, for complainants who wrote to the Page
    (`SIANG_NOTIFICATIONS_FACEBOOK__*`): the Send API with the Page's access token. Without
    a token a Messenger notice is a dead letter saying so."""

    model_config = ConfigDict(extra="forbid")

    # The Graph API; `make dev` and tests point it at `deploy/local/facebook_standin.py`.
    graph_base_url: str = "https://graph.facebook.com"
    api_version: str = Field(default="v19.0", pattern=r"^v[0-9]+\.[0-9]+$")
    # Empty: Messenger is off, as for LINE's token (not a development secret: an office
    # without a Page sets none, and production mode must not demand one).
    page_token: SecretStr = SecretStr("")
    # Outside the 24 hours after a person's last message the Send API takes only a
    # tagged message; ACCOUNT_UPDATE is the tag for "a non-recurring change to their
    # application or account", which a notice about their complaint is.
    message_tag: Literal["ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE"] = "ACCOUNT_UPDATE"
    timeout_seconds: float = Field(default=10.0, gt=0)


class SmsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # A generic JSON gateway: POST {"to", "text", "sender", "reference"}; None: SMS off.
    url: str | None = None
    api_key: SecretStr = SecretStr("")
    sender: str = "SIANG"
    timeout_seconds: float = Field(default=10.0, gt=0)


class WebhookSubscriberSettings(BaseModel):
    """One partner system: where to post, how to sign, what it wants."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    url: str
    # Newest first; every one signs while a secret rotates (one `v1=` each).
    secrets: list[SecretStr] = Field(min_length=1)
    events: frozenset[str] = frozenset()
    channels: frozenset[Channel] = frozenset()

    def subscriber(self) -> WebhookSubscriber:
        return WebhookSubscriber(id=self.id, events=self.events, channels=self.channels)


class RetrySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(default=6, ge=1)
    base_seconds: float = Field(default=5.0, gt=0)
    cap_seconds: float = Field(default=1800.0, gt=0)

    def policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.max_attempts,
            base=timedelta(seconds=self.base_seconds),
            cap=timedelta(seconds=max(self.cap_seconds, self.base_seconds)),
        )


class DeliverySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Sends in flight at once; a slow receiver holds one slot, never the queue. Each claim
    # takes as many due deliveries as there are free slots, and on SecantusDB a claim
    # costs about as much for 100 rows as for 10: 128 slots gave 216-244 deliveries/s
    # where 32 gave 169-187 (`bench.notifications --count 3000`).
    concurrency: int = Field(default=128, ge=1)
    # Deliveries the consumer may hand straight to this process's worker, recorded as
    # claimed (no search, no claiming update); more wait in the ledger to be found.
    handover_capacity: int = Field(default=512, ge=0)
    # How long the consumer waits for room among those before scheduling the rest.
    handover_wait_seconds: float = Field(default=2.0, ge=0)
    # How often the worker looks for due retries when nothing woke it.
    poll_seconds: float = Field(default=1.0, gt=0)
    # A claimed delivery not settled within this is "in doubt" (the process died while
    # sending) and is tried again with the same idempotency key.
    lease_seconds: float = Field(default=120.0, gt=0)
    # A success waits up to this long for others to be settled with it (or until a
    # slice of 32 is there): each settle costs a transaction, an update, an outbox row
    # and the relay's read and delete whatever its size. 0 settles whatever is there.
    settle_wait_seconds: float = Field(default=0.05, ge=0)
    # Metric gauges refreshed, unpublished dead letters published again, this often.
    housekeeping_seconds: float = Field(default=15.0, gt=0)


class DigestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    # Local (Bangkok) hour after which the day's digest goes out.
    hour: int = Field(default=7, ge=0, le=23)
    check_seconds: float = Field(default=60.0, gt=0)
    # Cases whose resolution deadline falls within this many days count as "due soon".
    due_soon_days: int = Field(default=2, ge=0)


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIANG_NOTIFICATIONS_", extra="forbid", env_nested_delimiter="__"
    )

    port: int = Field(default=8003, ge=1, le=65535)
    # Staff tokens (`SIANG_AUTH_*`, as workflow signs them): the template previews are
    # for admins signed in at the console.
    auth: AuthSettings = Field(default_factory=AuthSettings)
    consumer_group: str = "siang-notifications"
    # Case events handled per transaction: bigger batches, fewer round trips.
    batch_size: int = Field(default=200, ge=1, le=2000)
    catalogue_path: Path = CATALOGUE_PATH
    # How long a staff member's address, read from the directory to send, is reused.
    staff_cache_seconds: float = Field(default=5.0, ge=0)
    # Who is speaking: names, contacts, public and staff URLs (units come from the catalogue).
    office: Office = Field(default_factory=Office)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    line: LineSettings = Field(default_factory=LineSettings)
    sms: SmsSettings = Field(default_factory=SmsSettings)
    facebook: FacebookSettings = Field(default_factory=FacebookSettings)
    webhooks: list[WebhookSubscriberSettings] = Field(default_factory=list)
    webhooks_path: Path | None = None
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    survey: SurveySettings = Field(default_factory=SurveySettings)
    # A mail archive keeping copies of the e-mails sent (`make dev`: the mail catcher's
    # `/purge`). On an erasure it is asked to forget the person's notices,
    # `DELETE {url}?notification_id=...`, until it confirms (2xx, or 404/410: it holds
    # none). None, production's default: no archive to ask.
    mail_archive_purge_url: str | None = Field(default=None, pattern=r"^https?://")
    mail_archive_timeout_seconds: float = Field(default=10.0, gt=0)
    # Where intake serves the survey; `{token}` becomes the signed token.
    survey_url_template: str = "https://siang.example.go.th/survey/{token}"
    retry: RetrySettings = Field(default_factory=RetrySettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    date_style: Literal["full", "short"] = "full"
    thai_digits: bool = False

    def office_with_catalogue(self) -> Office:
        fields = self.office.model_dump(exclude={"units", "categories"})
        return Office.with_catalogue(load_catalogue(self.catalogue_path), **fields)

    def survey_links(self) -> SurveyLinks:
        return SurveyLinks(
            url_template=self.survey_url_template,
            secret=self.survey.secret,
            ttl=timedelta(days=self.survey.ttl_days),
        )

    def all_webhooks(self) -> list[WebhookSubscriberSettings]:
        """Subscribers from the environment, then from the YAML file; ids must be unique."""
        found = list(self.webhooks)
        if self.webhooks_path is not None:
            found += load_webhooks(self.webhooks_path)
        ids = [w.id for w in found]
        if len(set(ids)) != len(ids):
            raise ValueError(f"webhook subscriber ids must be unique: {ids}")
        return found


def load_webhooks(path: Path) -> list[WebhookSubscriberSettings]:
    """The subscribers in a YAML file: `subscribers: [{id, url, secrets, events, channels}]`."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [WebhookSubscriberSettings.model_validate(s) for s in doc.get("subscribers", [])]
