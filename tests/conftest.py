"""Session-wide real servers and per-test isolation.

Where the servers come from, in order:
1. `SIANG_TEST_KAFKA_BOOTSTRAP` and `SIANG_TEST_MONGO_URL`, if set (servers you run);
2. testcontainers (Apache Kafka and a MongoDB 8 replica set) when a Docker engine answers;
3. the local servers of `deploy/local` (Apache Kafka on Java 17, SecantusDB), started
   here if they are not running yet.

Servers start only when a test asks for them, so `pytest tests/unit` needs none. Each test
gets its own topic prefix and database, so tests never see each other's data.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.infra.settings import KafkaSettings, MongoSettings
from tests.support import delete_topics


@dataclass(frozen=True)
class Infra:
    kafka_bootstrap: str
    mongo_url: str
    source: str


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # noqa: BLE001 - no engine, no client, no socket: all mean "no Docker"
        return False


@contextlib.contextmanager
def _containers() -> Iterator[Infra]:
    from testcontainers.kafka import KafkaContainer  # type: ignore[import-untyped]
    from testcontainers.mongodb import MongoDbContainer  # type: ignore[import-untyped]

    kafka = KafkaContainer("apache/kafka:4.1.1").with_kraft()
    # Transactions need a replica set: one node, initiated on start.
    mongo = MongoDbContainer("mongo:8").with_command("--replSet rs0 --bind_ip_all")
    with kafka, mongo:
        mongo.exec(
            "mongosh --quiet --eval \"rs.initiate({_id:'rs0',members:[{_id:0,host:'localhost:27017'}]})\""
        )
        host, port = mongo.get_container_host_ip(), mongo.get_exposed_port(27017)
        url = f"mongodb://{mongo.username}:{mongo.password}@{host}:{port}/?directConnection=true"
        yield Infra(kafka.get_bootstrap_server(), url, "testcontainers")


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    kafka_env = os.environ.get("SIANG_TEST_KAFKA_BOOTSTRAP")
    mongo_env = os.environ.get("SIANG_TEST_MONGO_URL")
    if kafka_env and mongo_env:
        yield Infra(kafka_env, mongo_env, "environment")
        return
    if _docker_answers():
        with _containers() as found:
            yield found
        return
    from deploy.local.servers import servers

    kafka, mongo = servers()
    mongo.ensure_running()
    kafka.ensure_running()
    yield Infra(kafka.bootstrap, mongo.url, "local")


@pytest.fixture(scope="session")
def kafka_bootstrap(infra: Infra) -> str:
    return infra.kafka_bootstrap


@pytest.fixture(scope="session")
def mongo_url(infra: Infra) -> str:
    return infra.mongo_url


@pytest.fixture
def test_id() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
async def topic_prefix(kafka_bootstrap: str, test_id: str) -> AsyncIterator[str]:
    prefix = f"test.{test_id}."
    yield prefix
    await delete_topics(kafka_bootstrap, prefix)


@pytest.fixture
async def mongo_db_name(mongo_url: str, test_id: str) -> AsyncIterator[str]:
    name = f"test_{test_id}"
    yield name
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    try:
        await client.drop_database(name)
    finally:
        await client.close()


@pytest.fixture
def kafka_settings(kafka_bootstrap: str, topic_prefix: str) -> KafkaSettings:
    return KafkaSettings(bootstrap_servers=kafka_bootstrap, topic_prefix=topic_prefix)


@pytest.fixture
def mongo_settings(mongo_url: str, mongo_db_name: str) -> MongoSettings:
    return MongoSettings(url=mongo_url, database=mongo_db_name)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer, from the folder it lives in."""
    root = Path(__file__).parent
    for item in items:
        try:
            layer = Path(str(item.path)).relative_to(root).parts[0]
        except ValueError:
            continue
        marker = {
            "unit": "unit",
            "integration": "kafka",
            "contract": "contract",
            "e2e": "e2e",
            "faults": "e2e",
            "browser": "browser",
        }.get(layer)
        if marker:
            item.add_marker(marker)
