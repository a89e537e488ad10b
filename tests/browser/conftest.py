"""A real headless Chromium (Debian's chromium and chromedriver, installed by `make test`)
driving the pages of a running system."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver

from tests.browser.chrome import start_chrome
from tests.e2e.system import System, running_system


@pytest.fixture(scope="module")
def system(
    kafka_bootstrap: str, mongo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[System]:
    with running_system(
        kafka_bootstrap, mongo_url, tmp_path_factory.mktemp("browser-logs")
    ) as running:
        yield running


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    driver = start_chrome(tmp_path / "profile")
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a test saves its screenshots: `SIANG_SCREENSHOTS` if it names a folder, else
    the test's own temporary directory."""
    named = os.environ.get("SIANG_SCREENSHOTS")
    where = Path(named) if named else tmp_path / "screenshots"
    where.mkdir(parents=True, exist_ok=True)
    return where
