"""The participation service's own Prometheus metrics, beside the ones every service has."""

from __future__ import annotations

import asyncio
import logging

from prometheus_client import Counter, Gauge

from services.participation.adapters.consultation_store import ConsultationStore
from shared.infra.metrics import ServiceMetrics

log = logging.getLogger(__name__)


class ParticipationMetrics:
    def __init__(self, base: ServiceMetrics) -> None:
        r = base.registry
        self.opinions = Counter(
            "siang_participation_opinions_total",
            "Opinions given on consultations, by stakeholder group, channel and outcome",
            ["group", "channel", "outcome"],
            registry=r,
        )
        self.transitions = Counter(
            "siang_consultation_transitions_total",
            "Consultation commands applied",
            ["command", "from_status", "to_status"],
            registry=r,
        )
        self.outcomes = Counter(
            "siang_participation_outcomes_total",
            "Outcomes recorded or moved, by status reached",
            ["status"],
            registry=r,
        )
        self.open_consultations = Gauge(
            "siang_open_consultations", "Consultations taking opinions", registry=r
        )


async def refresh(store: ConsultationStore, metrics: ParticipationMetrics) -> None:
    """Gauges that come from the database, refreshed periodically (the outbox backlog is
    every service's, sampled at each scrape: shared.infra.metrics)."""
    metrics.open_consultations.set(await store.count_open())


async def run_refresher(
    store: ConsultationStore, metrics: ParticipationMetrics, interval: float = 15.0
) -> None:
    while True:
        try:
            await refresh(store, metrics)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - metrics must never stop the service
            log.debug("metrics refresh failed: %r", exc)
        await asyncio.sleep(interval)
