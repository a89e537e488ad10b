"""The reporting service's settings: `SIANG_REPORTING_*` plus the shared `SIANG_KAFKA_*` and `SIANG_MONGO_*`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIANG_REPORTING_", extra="forbid", env_nested_delimiter="__"
    )

    port: int = Field(default=8004, ge=1, le=65535)
