"""The reporting service's settings: `SIANG_REPORTING_*` plus the shared `SIANG_KAFKA_*`,
`SIANG_MONGO_*` and `SIANG_AUTH_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.contract.catalogue import DEFAULT_PATH as DEFAULT_CATALOGUE
from shared.infra.auth import AuthSettings
from shared.infra.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIANG_REPORTING_", extra="forbid", env_nested_delimiter="__"
    )

    port: int = Field(default=8004, ge=1, le=65535)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    consumer_group: str = "siang-reporting"
    # Events applied per MongoDB transaction: one transaction per event caps the
    # consumer near 200 events/s on the local server; see bench/reporting.py.
    batch_size: int = Field(default=1000, ge=1, le=5000)
    batch_timeout_ms: int = Field(default=200, ge=1)
    # The workflow's event store, the source of a rebuild (same database by default).
    event_store_collection: str = "case_events"
    catalogue_path: Path = DEFAULT_CATALOGUE
    # The stakeholder groups the participation report names (the participation service's file).
    stakeholder_groups_path: Path = DEFAULT_CATALOGUE.parent / "stakeholder_groups.yaml"
    # How often the metrics of other instances and of the last rebuild are re-read.
    metrics_refresh_seconds: float = Field(default=15.0, gt=0)
    # Printed at the head of the ITA report and the public page.
    office_name_th: str = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"
    office_name_en: str = "Primary Educational Service Area Office"
