"""Intake's own metrics, on the service registry (request latency comes from shared)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from shared.infra.metrics import ServiceMetrics

DURABLE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 3.0)


class IntakeMetrics:
    def __init__(self, service: ServiceMetrics) -> None:
        self.submissions = Counter(
            "siang_intake_submissions_total",
            "Submissions by channel, kind and outcome "
            "(accepted, duplicate, rejected, unavailable, rate_limited)",
            ["channel", "kind", "outcome"],
            registry=service.registry,
        )
        self.time_to_durable = Histogram(
            "siang_intake_time_to_durable_seconds",
            "From minted to durable (MongoDB commit or Kafka acks=all), by path",
            ["path"],
            buckets=DURABLE_BUCKETS,
            registry=service.registry,
        )
        self.backlog = Gauge(
            "siang_intake_backlog_records",
            "Tracking records accepted through Kafka, waiting for MongoDB",
            registry=service.registry,
        )
