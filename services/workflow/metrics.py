"""The workflow's own Prometheus metrics, beside the ones every service has."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from services.workflow.adapters.case_store import CaseStore
from shared.infra.metrics import ServiceMetrics

log = logging.getLogger(__name__)


class WorkflowMetrics:
    def __init__(self, base: ServiceMetrics) -> None:
        r = base.registry
        self.open_cases = Gauge(
            "siang_open_cases", "Open cases by unit and status", ["unit", "status"], registry=r
        )
        self.transitions = Counter(
            "siang_case_transitions_total",
            "Case commands applied",
            ["command", "from_status", "to_status"],
            registry=r,
        )
        self.sla_events = Counter(
            "siang_sla_events_total",
            "Deadline warnings and breaches",
            ["unit", "clock", "kind"],
            registry=r,
        )
        self.processing_latency = Histogram(
            "siang_submission_to_case_seconds",
            "From submission received to case opened",
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
            registry=r,
        )
        self.sign_in_lockouts = Counter(
            "siang_sign_in_lockouts_total",
            "Usernames locked after too many wrong passwords",
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "siang_outbox_backlog", "Outbox events not yet published", registry=r
        )
        self.consumer_lag = Gauge(
            "siang_consumer_lag",
            "Records behind the end of the topic",
            ["topic", "partition"],
            registry=r,
        )


async def refresh(store: CaseStore, metrics: WorkflowMetrics, broker: Any) -> None:
    """Gauges that come from the database and the consumer, refreshed periodically."""
    counts = await store.open_counts()
    metrics.open_cases.clear()
    for (unit, status), n in counts.items():
        metrics.open_cases.labels(unit, status).set(n)
    metrics.outbox_backlog.set(await store.outbox.pending_count())
    # The aiokafka consumers exist only once the broker has started.
    consumers = [c for s in broker.subscribers if (c := getattr(s, "consumer", None))]
    for consumer in consumers:
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            with contextlib.suppress(Exception):
                position = await consumer.position(tp)
                if high is not None:
                    metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(high - position)


async def run_refresher(
    store: CaseStore, metrics: WorkflowMetrics, broker: Any, interval: float = 15.0
) -> None:
    while True:
        try:
            await refresh(store, metrics, broker)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - metrics must never stop the service
            log.debug("metrics refresh failed: %r", exc)
        await asyncio.sleep(interval)
