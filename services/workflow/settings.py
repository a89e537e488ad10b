"""The workflow service's settings: `SIANG_WORKFLOW_*` plus the shared `SIANG_KAFKA_*` and `SIANG_MONGO_*`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class WorkflowSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIANG_WORKFLOW_", extra="forbid", env_nested_delimiter="__"
    )

    port: int = Field(default=8002, ge=1, le=65535)
