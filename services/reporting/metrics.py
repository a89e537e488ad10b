"""The reporting service's own Prometheus metrics, on the runtime's registry."""

from __future__ import annotations

import time
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from services.reporting.domain.batch import BatchOutcome

REBUILD_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)
BATCH_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ReportingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.applied = Counter(
            "siang_reporting_events_applied_total",
            "Events applied to the summary views, by type",
            ["type"],
            registry=registry,
        )
        self.duplicates = Counter(
            "siang_reporting_events_duplicate_total",
            "Deliveries skipped because the views already hold the event",
            registry=registry,
        )
        self.parked = Gauge(
            "siang_reporting_parked_events",
            "Surveys kept until their case is opened and resolved",
            registry=registry,
        )
        self.batch_seconds = Histogram(
            "siang_reporting_batch_seconds",
            "Time to apply one batch of events in one transaction",
            buckets=BATCH_BUCKETS,
            registry=registry,
        )
        self.newest_event = Gauge(
            "siang_reporting_newest_event_timestamp_seconds",
            "Time of the newest event applied to the views (Unix seconds)",
            registry=registry,
        )
        self.lag = Gauge(
            "siang_reporting_view_lag_seconds",
            "Now minus the time of the newest event applied to the views",
            registry=registry,
        )
        self.lag.set_function(self._lag)
        self.rebuild_seconds = Gauge(
            "siang_reporting_last_rebuild_seconds",
            "Duration of the last completed rebuild of the views",
            registry=registry,
        )
        self.rebuild_duration = Histogram(
            "siang_reporting_rebuild_duration_seconds",
            "Durations of rebuilds run by this process",
            buckets=REBUILD_BUCKETS,
            registry=registry,
        )
        self._newest: float | None = None

    def _lag(self) -> float:
        return 0.0 if self._newest is None else max(time.time() - self._newest, 0.0)

    def saw(self, newest: datetime | None) -> None:
        """Move the newest applied event time forward (never back)."""
        if newest is None:
            return
        stamp = newest.timestamp()
        if self._newest is None or stamp > self._newest:
            self._newest = stamp
            self.newest_event.set(stamp)

    def record(self, requested: int, out: BatchOutcome, seconds: float) -> None:
        self.batch_seconds.observe(seconds)
        for event_type, n in out.counts_by_type().items():
            self.applied.labels(event_type).inc(n)
        self.duplicates.inc(max(requested - len(out.applied), 0))
        self.saw(out.newest)
