"""The workflow's own Prometheus metrics, beside the ones every service has."""

from __future__ import annotations

import asyncio
import logging

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


async def refresh(store: CaseStore, metrics: WorkflowMetrics) -> None:
    """Gauges that come from the database, refreshed periodically (the outbox backlog and
    the consumer lag are every service's, sampled at each scrape: shared.infra.metrics)."""
    counts = await store.open_counts()
    metrics.open_cases.clear()
    for (unit, status), n in counts.items():
        metrics.open_cases.labels(unit, status).set(n)


async def run_refresher(store: CaseStore, metrics: WorkflowMetrics, interval: float = 60.0) -> None:
    # Once a minute: the open cases per unit move slowly, and the count reads every open
    # case (a few hundred milliseconds of the database's time at 2,000 of them).
    while True:
        try:
            await refresh(store, metrics)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - metrics must never stop the service
            log.debug("metrics refresh failed: %r", exc)
        await asyncio.sleep(interval)
