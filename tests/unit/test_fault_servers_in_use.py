"""The fault tests restart Kafka or SecantusDB only when the system runs on the local
servers `deploy.local` manages; on any other servers they are not run, never passed."""

from __future__ import annotations

import pytest

from tests.faults.servers_in_use import (
    LocalServer,
    kafka_addresses,
    mongo_addresses,
    why_not_local,
)

KAFKA = LocalServer("Kafka", 9092, running=True)
MONGO = LocalServer("SecantusDB", 27017, running=True)
LOCAL_MONGO = "mongodb://127.0.0.1:27017/?retryWrites=false&directConnection=true"


def test_the_running_local_servers_are_ours_to_restart() -> None:
    assert why_not_local("127.0.0.1:9092", LOCAL_MONGO, KAFKA, MONGO) is None
    assert why_not_local("localhost:9092", "mongodb://localhost/", KAFKA, MONGO) is None


def test_testcontainers_are_not_the_local_servers() -> None:
    # What tests/conftest.py hands over when a Docker engine answers: mapped ports.
    reason = why_not_local(
        "localhost:32771",
        "mongodb://test:test@localhost:32772/?directConnection=true",
        KAFKA,
        MONGO,
    )
    assert reason is not None
    assert "Kafka at localhost:32771" in reason and "SecantusDB at localhost:32772" in reason


def test_servers_named_elsewhere_are_not_the_local_servers() -> None:
    reason = why_not_local("kafka.internal:9092", "mongodb://db.internal:27017/", KAFKA, MONGO)
    assert reason is not None and "kafka.internal:9092" in reason


def test_one_foreign_server_is_enough_to_refuse() -> None:
    reason = why_not_local("127.0.0.1:9092", "mongodb://db.internal/", KAFKA, MONGO)
    assert reason is not None and "Kafka" not in reason and "db.internal:27017" in reason


def test_the_local_address_without_our_process_is_not_ours() -> None:
    # Something else answers on the local port (say a container mapped to 9092).
    stopped = LocalServer("Kafka", 9092, running=False)
    reason = why_not_local("127.0.0.1:9092", LOCAL_MONGO, stopped, MONGO)
    assert reason is not None and "pid" in reason


def test_moved_local_ports_are_followed() -> None:
    kafka = LocalServer("Kafka", 19092, running=True)
    assert why_not_local("127.0.0.1:19092", LOCAL_MONGO, kafka, MONGO) is None
    assert why_not_local("127.0.0.1:9092", LOCAL_MONGO, kafka, MONGO) is not None


@pytest.mark.parametrize(
    ("bootstrap", "addresses"),
    [
        ("127.0.0.1:9092", [("127.0.0.1", 9092)]),
        ("PLAINTEXT://localhost:9093", [("localhost", 9093)]),
        ("a:1, b:2", [("a", 1), ("b", 2)]),
        ("broker", [("broker", 9092)]),
    ],
)
def test_kafka_bootstrap_addresses(bootstrap: str, addresses: list[tuple[str, int]]) -> None:
    assert kafka_addresses(bootstrap) == addresses


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        (LOCAL_MONGO, [("127.0.0.1", 27017)]),
        ("mongodb://u:p@host:1234/db?x=1", [("host", 1234)]),
        ("mongodb://h1:1,h2:2/?replicaSet=rs0", [("h1", 1), ("h2", 2)]),
        ("mongodb://host", [("host", 27017)]),
        ("mongodb://[::1]:27018/", [("[::1]", 27018)]),
    ],
)
def test_mongo_url_addresses(url: str, addresses: list[tuple[str, int]]) -> None:
    assert mongo_addresses(url) == addresses
