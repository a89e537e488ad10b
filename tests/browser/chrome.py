"""Debian's headless Chromium, driven through its chromedriver."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def start_chrome(profile: Path) -> webdriver.Chrome:
    """A headless Chromium with its own profile directory `profile`."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,1600",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(5)
    return driver


def shoot(browser: webdriver.Chrome, metrics: dict[str, Any], path: Path) -> None:
    """The page as it looks at `metrics`' width, whole (up to 4000 px tall)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {**metrics, "height": min(height, 4000)}
        )
        browser.save_screenshot(str(path))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
