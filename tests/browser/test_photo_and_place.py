"""A photo and a place, in a real browser: a person sends the public form with a photo, an
address and their position ("use my location"); the member of staff the case is assigned
to signs in to the console and sees the photo drawn and the place (with its map link) on
the case page; the public tracking page, opened with the PIN, shows neither."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.e2e.system import System
from tests.support import png

PASSWORD = "siang-demo-2569"
ADDRESS = "หน้าโรงเรียนบ้านหนองบัว ถนนมิตรภาพ"
# Where the browser says the person stands (Chromium's position, overridden).
LAT, LON = 14.9799, 102.0977
# 48 x 32 pixels: the size the console must draw it at its own, once loaded.
PHOTO = png(48, 32)


def _admin(system: System) -> dict[str, str]:
    login = httpx.post(
        f"{system.url('workflow')}/v1/auth/login",
        json={"username": "admin", "password": PASSWORD},
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _assigned_case(system: System, code: str) -> dict[str, Any]:
    """The case of `code` once it is assigned, as an admin reads it through the API."""
    workflow = system.url("workflow")
    headers = _admin(system)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = httpx.get(f"{workflow}/v1/cases", params={"text": code}, headers=headers)
        assert found.status_code == 200, found.text
        cases = [c for c in found.json()["cases"] if c["tracking_code"] == code]
        if cases and cases[0]["assignee"]:
            return dict(cases[0])
        time.sleep(0.5)
    raise AssertionError(f"case {code} was not assigned within 60 s")


def _sign_in(browser: webdriver.Chrome, system: System, username: str) -> None:
    browser.get(system.url("workflow") + "/console/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button.go").click()
    WebDriverWait(browser, 20).until(lambda d: "/login" not in d.current_url)


def _drawn(browser: webdriver.Chrome, image: WebElement) -> bool:
    browser.execute_script("arguments[0].scrollIntoView()", image)
    return bool(
        browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
    )


def test_the_assignee_sees_the_photo_and_place_the_public_neither(
    system: System, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    intake = system.url("intake")
    photo = tmp_path / "broken-sign.png"
    photo.write_bytes(PHOTO)
    # The person allows the page their position, as they would when the browser asks.
    browser.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": intake, "permissions": ["geolocation"]}
    )
    browser.execute_cdp_cmd(
        "Emulation.setGeolocationOverride", {"latitude": LAT, "longitude": LON, "accuracy": 10}
    )
    browser.get(intake + "/")
    Select(browser.find_element(By.ID, "kind")).select_by_value("complaint")
    Select(browser.find_element(By.ID, "complaint_type")).select_by_value("service")
    Select(browser.find_element(By.ID, "category")).select_by_value("documents")
    browser.find_element(By.ID, "subject").send_keys("ป้ายหน้าโรงเรียนหักลงมา")
    browser.find_element(By.ID, "description").send_keys(
        "ป้ายชื่อโรงเรียนหักลงมาขวางทางเดิน เกรงว่าเด็กจะได้รับอันตราย"
    )
    browser.find_element(By.ID, "location.text").send_keys(ADDRESS)
    browser.find_element(By.ID, "place-use").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "location.lat").get_attribute("value")
    )
    assert browser.find_element(By.ID, "location.lon").get_attribute("value") == f"{LON:.6f}"
    browser.find_element(By.ID, "attachment1").send_keys(str(photo))
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "dd.code")) == 2
    )
    code, pin = (e.text.strip() for e in browser.find_elements(By.CSS_SELECTOR, "dd.code"))
    assert code.startswith("SG-") and len(pin) == 6, browser.page_source

    case = _assigned_case(system, code)
    _sign_in(browser, system, case["assignee"])
    browser.get(f"{system.url('workflow')}/console/cases/{case['case_id']}")
    WebDriverWait(browser, 20).until(lambda d: "ป้ายหน้าโรงเรียนหักลงมา" in d.page_source)
    assert ADDRESS in browser.find_element(By.TAG_NAME, "main").text
    [place] = browser.find_elements(By.CSS_SELECTOR, "a[href^='https://www.openstreetmap.org/']")
    assert f"mlat={LAT:.6f}" in str(place.get_attribute("href"))
    [image] = browser.find_elements(By.CSS_SELECTOR, "ul.files img")
    assert f"/v1/cases/{case['case_id']}/files/" in str(image.get_attribute("src"))
    WebDriverWait(browser, 20).until(lambda d: _drawn(d, image))
    assert browser.execute_script("return arguments[0].naturalWidth", image) == 48
    for lang in ("th", "en"):
        browser.set_window_size(390, 844)
        browser.get(f"{system.url('workflow')}/console/cases/{case['case_id']}?lang={lang}")
        WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "ul.files"))
        _drawn(browser, browser.find_element(By.CSS_SELECTOR, "ul.files img"))
        browser.save_screenshot(str(tmp_path / f"case-{lang}-390.png"))
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        ), f"the case page ({lang}) scrolls sideways at 390 px"
    browser.set_window_size(1200, 1600)

    # The same member of staff keys in a phone call on the New case page: the code and PIN
    # to read out come back, and the keyer recorded is their own account.
    browser.get(f"{system.url('workflow')}/console/new?lang=th")
    assert browser.find_element(By.ID, "channel").is_selected()  # the phone, by default
    Select(browser.find_element(By.ID, "category")).select_by_value("documents")
    browser.find_element(By.ID, "subject").send_keys("โทรแจ้งป้ายหน้าโรงเรียน")
    browser.find_element(By.ID, "description").send_keys("ผู้โทรแจ้งว่าป้ายยังไม่ได้ซ่อม")
    browser.find_element(By.ID, "contact.phone").send_keys("0812345678")
    for lang in ("th", "en"):
        browser.set_window_size(390, 844)
        browser.save_screenshot(str(tmp_path / f"new-case-{lang}-390.png"))
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        ), f"the New case page ({lang}) scrolls sideways at 390 px"
        if lang == "th":
            browser.set_window_size(1200, 1600)
            browser.find_element(By.CSS_SELECTOR, "form.entry button[type=submit]").click()
            WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "tracking-pin"))
            keyed = browser.find_element(By.ID, "tracking-code").text.strip()
            assert keyed.startswith("SG-") and keyed != code
            assert len(browser.find_element(By.ID, "tracking-pin").text.strip()) == 6
            browser.get(f"{system.url('workflow')}/console/new?lang=en")
    browser.set_window_size(1200, 1600)
    keyed_case = _assigned_case(system, keyed)
    shown = httpx.get(
        f"{system.url('workflow')}/v1/cases/{keyed_case['case_id']}", headers=_admin(system)
    )
    assert shown.status_code == 200, shown.text
    assert (shown.json()["channel"], shown.json()["keyed_by"]) == ("phone", case["assignee"])

    # The person's tracking page, opened with the PIN, shows neither the place nor the photo.
    browser.get(f"{intake}/track/{code}")
    browser.find_element(By.ID, "pin").send_keys(pin)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "dd.code"))
    page = browser.page_source
    assert browser.find_element(By.CSS_SELECTOR, "dd.code").text.strip() == code
    assert "ถนนมิตรภาพ" not in page and "openstreetmap" not in page and "/files/" not in page
    assert browser.find_elements(By.TAG_NAME, "img") == []
