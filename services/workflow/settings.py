"""The workflow service's settings: `SIANG_WORKFLOW_*` plus the shared `SIANG_KAFKA_*`,
`SIANG_MONGO_*` and `SIANG_AUTH_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.workflow.domain.retention import RetentionSettings
from shared.infra.auth import AuthSettings
from shared.infra.settings import ServiceSettings

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "config"


class WorkflowSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIANG_WORKFLOW_", extra="forbid", env_nested_delimiter="__"
    )

    port: int = Field(default=8002, ge=1, le=65535)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    catalogue_path: Path = CONFIG / "catalogue.yaml"
    routing_path: Path = CONFIG / "routing.yaml"
    sla_path: Path = CONFIG / "sla.yaml"
    # Loaded into an empty staff directory on start (the demo accounts).
    staff_seed_path: Path | None = CONFIG / "staff.yaml"
    # Office closures beside the public and government holidays (ISO dates).
    office_closures: list[str] = Field(default_factory=list)
    # Secret for hashing contact details into duplicate-detection keys.
    contact_key: str = Field(
        default="siang-local-contact-key", json_schema_extra={"development_secret": True}
    )
    reopen_limit: int = Field(default=2, ge=0)
    reopen_window_days: int = Field(default=30, ge=0)
    # A "not solved" survey answer reopens the case only this many days after resolution.
    survey_reopen_days: int = Field(default=14, ge=0)
    scan_interval_seconds: float = Field(default=30.0, gt=0)
    # How often each replica asks whether an admin changed the routing rules or deadline
    # policies through another replica (one small read): the most a change takes to apply.
    config_check_seconds: float = Field(default=2.0, gt=0)
    # Lets tests and demos move the service's clock (POST /v1/admin/clock); off in production.
    allow_clock_override: bool = False
    consumer_group: str = "siang-workflow"
    # Submissions opened per transaction: bigger batches, fewer round trips.
    batch_size: int = Field(default=200, ge=1, le=2000)
    # How long a closed case keeps its complainant's personal data, per kind (days; see
    # domain/retention.py for the defaults: complaints 10 years, the others 2), and how
    # often and how many cases at a time the retention job erases.
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    retention_interval_seconds: float = Field(default=3600.0, gt=0)
    retention_batch_size: int = Field(default=200, ge=1, le=5000)
    # Intake, where the console's "new case" form (phone, walk-in, letter) sends what staff
    # key in, on the member of staff's own token; and how large that form may be (its
    # files: intake's own limits then apply).
    intake_url: str = "http://127.0.0.1:8001"
    intake_timeout_seconds: float = Field(default=15.0, gt=0)
    new_case_max_bytes: int = Field(default=24 * 1024 * 1024, ge=64 * 1024)
    # Where a browser finds intake's and notifications' admin pages (channel keys, notice
    # templates), linked from the console's admin page.
    intake_pages_url: str = "http://127.0.0.1:8001"
    notifications_pages_url: str = "http://127.0.0.1:8003"
    # The console's "due soon" tab: resolution deadlines within this many business days.
    queue_due_soon_days: int = Field(default=3, ge=1, le=30)
    # The reporting dashboard, linked from the console's header (the browser's address:
    # it signs in with the same cookie).
    reporting_url: str = "http://127.0.0.1:8004/dashboard"
