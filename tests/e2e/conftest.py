"""The whole system as processes, shared by the tests of a module (each test makes its
own cases, so they do not see each other's data)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.system import System, running_system


@pytest.fixture(scope="module")
def system(
    kafka_bootstrap: str, mongo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[System]:
    logs: Path = tmp_path_factory.mktemp("e2e-logs")
    with running_system(kafka_bootstrap, mongo_url, logs) as running:
        yield running
