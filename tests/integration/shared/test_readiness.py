"""`/readyz` says ready only while Kafka and MongoDB really answer."""

from __future__ import annotations

import socket
import time

import pytest
from fastapi.testclient import TestClient

from services.intake.app import create_app as intake_app
from services.notifications.app import create_app as notifications_app
from services.reporting.app import create_app as reporting_app
from services.workflow.app import create_app as workflow_app
from services.workflow.settings import WorkflowSettings
from shared.infra.settings import KafkaSettings, MongoSettings

FACTORIES = {
    "intake": intake_app,
    "workflow": workflow_app,
    "notifications": notifications_app,
    "reporting": reporting_app,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_checks(client: TestClient, checks: dict[str, bool], timeout: float = 20) -> int:
    """Poll /readyz until it reports `checks`; return its status code."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get("/readyz")
        if response.json()["checks"] == checks or time.monotonic() > deadline:
            assert response.json()["checks"] == checks, response.text
            return response.status_code
        time.sleep(0.2)


@pytest.mark.parametrize("service", sorted(FACTORIES))
def test_every_service_is_ready_with_real_servers(
    service: str, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    app = FACTORIES[service](_settings(service, kafka_settings, mongo_settings))
    with TestClient(app) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        assert wait_for_checks(client, {"kafka": True, "mongodb": True}) == 200
        metrics = client.get("/metrics")
        assert metrics.status_code == 200 and "siang_http_requests_total" in metrics.text


def test_not_ready_while_kafka_is_unreachable(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    dead_kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{free_port()}")
    app = workflow_app(WorkflowSettings(kafka=dead_kafka, mongo=mongo_settings))
    with TestClient(app) as client:
        # Give the broker time to try: it must still say not ready.
        time.sleep(2)
        assert wait_for_checks(client, {"kafka": False, "mongodb": True}) == 503


def test_not_ready_while_mongodb_is_unreachable(kafka_settings: KafkaSettings) -> None:
    dead_mongo = MongoSettings(
        url=f"mongodb://127.0.0.1:{free_port()}/?directConnection=true",
        server_selection_timeout_ms=300,
    )
    app = workflow_app(WorkflowSettings(kafka=kafka_settings, mongo=dead_mongo))
    with TestClient(app) as client:
        # Consuming waits for MongoDB (indexes first), so only MongoDB's answer is certain.
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["mongodb"] is False


def _settings(service: str, kafka: KafkaSettings, mongo: MongoSettings):  # type: ignore[no-untyped-def]
    module = __import__(f"services.{service}.settings", fromlist=["x"])
    cls = getattr(module, f"{service.capitalize()}Settings")
    return cls(kafka=kafka, mongo=mongo)
