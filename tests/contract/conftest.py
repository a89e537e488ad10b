"""Each service built by its own `create_app(settings)` against the real Kafka and
MongoDB-wire server, its OpenAPI loaded by schemathesis, for one caller at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo.database import Database
from schemathesis.specs.openapi.schemas import OpenApiSchema

from services.intake.app import create_app as create_intake
from services.intake.domain.api_keys import issue_key
from services.intake.settings import IntakeSettings
from services.notifications.app import create_app as create_notifications
from services.notifications.settings import NotificationsSettings
from services.participation.app import create_app as create_participation
from services.participation.settings import ParticipationSettings
from services.reporting.app import create_app as create_reporting
from services.reporting.settings import ReportingSettings
from services.workflow.app import create_app as create_workflow
from services.workflow.settings import WorkflowSettings
from shared.contract.events import Channel
from shared.infra.auth import AuthSettings
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.contract import harness
from tests.contract.harness import Caller

#: Tokens are checked against the account on every request (no remembered state), so a
#: request right after one that ended the caller's sessions sees it.
AUTH = AuthSettings(session_check_seconds=0)
STAFF_ROLES = ["public", "staff", "supervisor", "admin", "committee", "coordinator"]

if not hasattr(pytest.Function, "_nodeid"):
    # schemathesis's pytest plugin renames each operation's subtest through the node's
    # `_nodeid`, which pytest 9.2 no longer has (it keeps `_id`): read the id, and let
    # the renaming go (each subtest is labelled with its operation anyway).
    pytest.Function._nodeid = property(  # type: ignore[attr-defined]
        lambda node: node.nodeid, lambda node, value: None
    )


@pytest.fixture
def db(mongo_url: str, mongo_db_name: str) -> Iterator[Database[Any]]:
    with harness.mongo(mongo_url, mongo_db_name) as database:
        harness.seed_accounts(database)
        yield database


def _caller(service: str, role: str, db: Database[Any]) -> Caller:
    if role == "public":
        return Caller(service, role)
    return harness.staff_caller(service, role, db, AUTH)


# --- intake: the public, or a channel's API key -------------------------------------------


@pytest.fixture(params=["public", "channel key"])
def intake_caller(request: pytest.FixtureRequest, db: Database[Any]) -> Caller:
    if request.param == "public":
        return Caller("intake", "public")
    issued = issue_key(Channel.line, label="contract tests", now=datetime.now(UTC))
    record = issued.record
    db["api_keys"].insert_one(
        {
            "_id": record.key_id,
            "channel": record.channel.value,
            "key_hash": record.key_hash,
            "label": record.label,
            "created_at": record.created_at,
            "revoked_at": None,
        }
    )
    return Caller("intake", "channel key", lambda: {"X-API-Key": issued.key})


@pytest.fixture
def intake_api(
    intake_caller: Caller, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> Iterator[OpenApiSchema]:
    settings = IntakeSettings(
        kafka=kafka_settings,
        mongo=mongo_settings,
        # Generous limits: the run is about shapes, not the brakes on guessing.
        web_burst=100_000,
        track_burst=100_000,
    )
    with harness.served(create_intake(settings)) as schema:
        yield schema


# --- workflow and reporting: the public and each staff role ---------------------------------


@pytest.fixture(params=STAFF_ROLES)
def workflow_caller(request: pytest.FixtureRequest, db: Database[Any]) -> Caller:
    return _caller("workflow", request.param, db)


@pytest.fixture
def workflow_api(
    workflow_caller: Caller, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> Iterator[OpenApiSchema]:
    settings = WorkflowSettings(
        kafka=kafka_settings,
        mongo=mongo_settings,
        auth=AUTH,
        staff_seed_path=None,
        scan_interval_seconds=3600,
    )
    with harness.served(create_workflow(settings)) as schema:
        yield schema


@pytest.fixture(params=STAFF_ROLES)
def reporting_caller(request: pytest.FixtureRequest, db: Database[Any]) -> Caller:
    return _caller("reporting", request.param, db)


@pytest.fixture
def reporting_api(
    reporting_caller: Caller, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> Iterator[OpenApiSchema]:
    settings = ReportingSettings(kafka=kafka_settings, mongo=mongo_settings, auth=AUTH)
    with harness.served(create_reporting(settings)) as schema:
        yield schema


# --- participation: the public, staff, its coordinator, a committee member and an admin --


@pytest.fixture(params=["public", "staff", "admin", "coordinator", "committee"])
def participation_caller(request: pytest.FixtureRequest, db: Database[Any]) -> Caller:
    return _caller("participation", request.param, db)


@pytest.fixture
def participation_api(
    participation_caller: Caller, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> Iterator[OpenApiSchema]:
    settings = ParticipationSettings(
        kafka=kafka_settings,
        mongo=mongo_settings,
        auth=AUTH,
        close_interval_seconds=3600,
    )
    with harness.served(create_participation(settings)) as schema:
        yield schema


# --- notifications: operational endpoints only ----------------------------------------------


@pytest.fixture
def notifications_caller() -> Caller:
    return Caller("notifications", "public")


@pytest.fixture
def notifications_api(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> Iterator[OpenApiSchema]:
    settings = NotificationsSettings(kafka=kafka_settings, mongo=mongo_settings)
    with harness.served(create_notifications(settings)) as schema:
        yield schema


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in harness.summary():
        terminalreporter.write_line(line)
