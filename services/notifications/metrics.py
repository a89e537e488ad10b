"""The notification service's own Prometheus metrics, beside the ones every service has."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from shared.infra.metrics import ServiceMetrics

# From the event's time to the receiver's acceptance: seconds normally, hours on retries.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600)


class NotificationMetrics:
    def __init__(self, base: ServiceMetrics) -> None:
        r = base.registry
        self.planned = Counter(
            "siang_notifications_planned_total",
            "Deliveries recorded in the ledger, by channel and template",
            ["channel", "template"],
            registry=r,
        )
        self.sent = Counter(
            "siang_notifications_sent_total",
            "Deliveries accepted by the receiver, by channel and template",
            ["channel", "template"],
            registry=r,
        )
        self.failed = Counter(
            "siang_notifications_failed_total",
            "Deliveries given up on (dead letters), by channel, template and failure kind",
            ["channel", "template", "permanent"],
            registry=r,
        )
        self.attempts_failed = Counter(
            "siang_notification_attempts_failed_total",
            "Attempts that failed temporarily and were scheduled again",
            ["channel", "template"],
            registry=r,
        )
        self.in_doubt = Counter(
            "siang_notification_in_doubt_total",
            "Deliveries resent after their sender died mid-send (same idempotency key)",
            ["channel"],
            registry=r,
        )
        self.events_without_case = Counter(
            "siang_notification_events_without_case_total",
            "Case events that came before their case.opened, parked until it comes",
            ["type"],
            registry=r,
        )
        self.backlog = Gauge(
            "siang_notification_backlog",
            "Deliveries scheduled or in flight",
            registry=r,
        )
        self.retry_backlog = Gauge(
            "siang_notification_retry_backlog",
            "Deliveries waiting for a retry after a temporary failure",
            registry=r,
        )
        self.dead_letters = Gauge(
            "siang_notification_dead_letters",
            "Dead letters not yet re-driven",
            registry=r,
        )
        self.latency = Histogram(
            "siang_notification_delivery_seconds",
            "From the event's time to the delivery's acceptance",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
