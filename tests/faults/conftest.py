"""Fault tests drive the whole system as processes and break its parts on purpose.

Restarting Kafka or MongoDB needs the local servers this test session started (or
reused); against servers named by SIANG_TEST_* or run by testcontainers those tests are
not collected (see `local_servers_only`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.system import System, running_system

local_servers_only = pytest.mark.skipif(
    bool(os.environ.get("SIANG_TEST_KAFKA_BOOTSTRAP")),
    reason="restarts the local Kafka/SecantusDB; servers named by SIANG_TEST_* are not ours",
)


@pytest.fixture
def system(kafka_bootstrap: str, mongo_url: str, tmp_path: Path) -> Iterator[System]:
    with running_system(kafka_bootstrap, mongo_url, tmp_path / "logs") as running:
        yield running
