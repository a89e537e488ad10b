"""Settings shared by every service, read from the environment (pydantic-settings).

Infrastructure settings have one name everywhere (`SIANG_KAFKA_*`, `SIANG_MONGO_*`), so
docker-compose, `make dev` and the tests set them once; each service adds its own
settings under its own prefix (`SIANG_INTAKE_*`, `SIANG_WORKFLOW_*`, ...).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIANG_KAFKA_", extra="forbid")

    bootstrap_servers: str = "127.0.0.1:9092"
    # Prefixes every topic name, so tests and side-by-side stacks never see each other.
    topic_prefix: str = ""
    request_timeout_ms: int = Field(default=10_000, ge=1000)
    # Siang's topics are created at start with these, before anyone subscribes: a
    # consumer never waits for an auto-created topic to show up in its metadata.
    partitions: int = Field(default=3, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    # How long the broker may gather records for a batch consumer before handing them
    # over (sooner once a large batch's worth is there): fewer, larger transactions when
    # events come steadily, each at most this much later. 0: whatever has arrived.
    batch_wait_ms: int = Field(default=100, ge=0, le=500)


class MongoSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIANG_MONGO_", extra="forbid")

    # SecantusDB slows down past 10,000 retryable writes: the local URL turns them off.
    url: str = "mongodb://127.0.0.1:27017/?retryWrites=false&directConnection=true"
    database: str = "siang"
    server_selection_timeout_ms: int = Field(default=5_000, ge=100)


class MetricsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIANG_METRICS_", extra="forbid")

    # Directories whose file system's free space `/metrics` reports (`siang_disk_free_bytes`):
    # `make dev` names the local Kafka's and SecantusDB's data, which no exporter watches.
    disk_paths: list[Path] = Field(default_factory=list)


class ServiceSettings(BaseSettings):
    """Base of each service's settings: infrastructure plus HTTP and logging."""

    model_config = SettingsConfigDict(extra="forbid", env_nested_delimiter="__")

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    mongo: MongoSettings = Field(default_factory=MongoSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_file: str | None = None
