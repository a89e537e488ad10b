"""Prometheus helpers: one registry per app, so apps built side by side in tests never
collide, and a request-latency middleware labelled by route template, not raw path.

What the alert rules (`deploy/prometheus/alerts.yml`) need beside the counters is measured
when Prometheus scrapes, by the samplers parts of the runtime register (`sample()`): the
readiness checks, each consumer group's lag, each outbox's backlog and age. No background
loop, and the values are as fresh as the scrape; the disk gauges read `statvfs` likewise.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from pathlib import Path

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

#: Something measured just before a scrape is rendered (a database count, a Kafka offset).
Sampler = Callable[[], Awaitable[None]]
#: The longest a sampler may take: a scrape must answer even while MongoDB or Kafka hangs.
SAMPLE_TIMEOUT = 2.0

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class ServiceMetrics:
    """The metrics every service exposes; services add their own to `registry`."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "siang_http_requests_total",
            "HTTP requests answered",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "siang_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.events_consumed = Counter(
            "siang_events_consumed_total",
            "Events handled, by type and outcome",
            ["type", "outcome"],
            registry=self.registry,
        )
        self.events_published = Counter(
            "siang_events_published_total",
            "Events published to Kafka, by type",
            ["type"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "siang_dead_letters_total",
            "Records sent to a dead-letter topic",
            ["topic"],
            registry=self.registry,
        )
        self.producer_renewals = Counter(
            "siang_kafka_producer_renewals_total",
            "Kafka producers replaced because the broker refused their sequence numbers",
            registry=self.registry,
        )
        self.dependency_up = Gauge(
            "siang_dependency_up",
            "1 while the dependency answers the readiness check, 0 while it does not "
            "(checked at each scrape)",
            ["dependency"],
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "siang_consumer_lag",
            "Records of a partition the consumer group has not yet handled (end offset minus "
            "committed offset), for the partitions this process is assigned",
            ["group", "topic", "partition"],
            registry=self.registry,
        )
        self.outbox_backlog = Gauge(
            "siang_outbox_backlog",
            "Outbox events not yet published, by outbox",
            ["outbox"],
            registry=self.registry,
        )
        self.outbox_oldest = Gauge(
            "siang_outbox_oldest_seconds",
            "Age of the oldest outbox row not yet published (0 when the outbox is empty)",
            ["outbox"],
            registry=self.registry,
        )
        self.samplers: list[Sampler] = []
        self._disks = DiskCollector(())
        self.registry.register(self._disks)

    def watch_disks(self, paths: Iterable[Path | str]) -> None:
        """Report the free and total bytes of the file systems holding `paths`."""
        self._disks.paths = tuple(str(p) for p in paths)

    async def sample(self, timeout: float = SAMPLE_TIMEOUT) -> None:
        """Run every sampler at once, each within `timeout`; one that fails or hangs leaves
        its gauges as they were (the readiness gauges then say why)."""

        async def run(sampler: Sampler) -> None:
            try:
                await asyncio.wait_for(sampler(), timeout)
            except Exception as exc:  # noqa: BLE001 - a scrape must never fail for a sample
                log.debug("metrics sampler %r failed: %r", sampler, exc)

        await asyncio.gather(*(run(s) for s in list(self.samplers)))

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class DiskCollector(Collector):
    """`siang_disk_free_bytes` and `siang_disk_size_bytes` of the watched paths, read at
    each scrape: the local Kafka and SecantusDB keep their data on this machine and no
    node exporter runs beside them, so a service says how full their disk is."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = tuple(paths)

    def collect(self) -> Iterator[Metric]:
        free = GaugeMetricFamily(
            "siang_disk_free_bytes",
            "Bytes free for unprivileged writers on the file system of a watched path",
            labels=["path"],
        )
        size = GaugeMetricFamily(
            "siang_disk_size_bytes", "Size of the file system of a watched path", labels=["path"]
        )
        for path in self.paths:
            try:
                st = os.statvfs(path)
            except OSError:
                continue  # not created yet: no sample rather than a false "disk full"
            free.add_metric([path], st.f_bavail * st.f_frsize)
            size.add_metric([path], st.f_blocks * st.f_frsize)
        yield free
        yield size


def _route_of(request: Request) -> str:
    # The route template ("/v1/cases/{case_id}"), never the raw path: bounded label values.
    route = request.scope.get("route")
    if route is not None:
        return str(getattr(route, "path", "unmatched"))
    for candidate in request.app.router.routes:
        match, _ = candidate.matches(request.scope)
        if match == Match.FULL:
            return str(getattr(candidate, "path", "unmatched"))
    return "unmatched"


class _Measure:
    """Plain ASGI, not `@app.middleware("http")`: Starlette's BaseHTTPMiddleware spends
    a task group and memory streams on every request, which was a third of intake's CPU."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = _route_of(Request(scope))
            method = scope["method"]
            self.metrics.http_latency.labels(method, route).observe(time.perf_counter() - start)
            self.metrics.http_requests.labels(method, route, str(status)).inc()


def instrument(app: FastAPI, metrics: ServiceMetrics) -> None:
    app.add_middleware(_Measure, metrics=metrics)
