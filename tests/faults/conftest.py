"""Fault tests drive the whole system as processes and break its parts on purpose.

Restarting Kafka or MongoDB needs the system to run on the local servers `deploy.local`
manages, since those are the only ones a test can stop and start. Whether it does is
decided from the servers actually in use (`servers_in_use.why_not_local`), not from
which variables are set: a restart test on any other servers is skipped with the reason,
which `-ra` prints in the summary, and never passes without having restarted anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.system import System, running_system
from tests.faults.servers_in_use import local_servers, why_not_local

#: Marks a test that stops and restarts the local Kafka or SecantusDB.
local_servers_only = pytest.mark.usefixtures("servers_in_use_are_local")


@pytest.fixture
def servers_in_use_are_local(kafka_bootstrap: str, mongo_url: str) -> None:
    # Requested through `usefixtures`, so it runs before `system` starts any process.
    kafka, mongo = local_servers()
    reason = why_not_local(kafka_bootstrap, mongo_url, kafka, mongo)
    if reason is not None:
        pytest.skip(f"NOT RUN: this test restarts the local servers, but {reason}")


@pytest.fixture
def system(kafka_bootstrap: str, mongo_url: str, tmp_path: Path) -> Iterator[System]:
    with running_system(kafka_bootstrap, mongo_url, tmp_path / "logs") as running:
        yield running
