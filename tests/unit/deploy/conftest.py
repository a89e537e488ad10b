"""A SecantusDB storage of its own per test, in the test's temporary folder: what the
tests of the local server's adapters write through (no server, no wire)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from secantus.storage import Storage


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Storage]:
    opened = Storage(str(tmp_path / "db"))
    yield opened
    opened.close()
