"""One sign-in for every service's staff pages, in a real browser: an admin opens the
dashboard, is sent to the console's sign-in and comes back to the dashboard signed in
(nothing pasted); with the same sign-in they open intake's channel keys, mint a key (its
secret shown once), see it submit, revoke it after confirming and see the API refuse it;
they preview a notification template in Thai and English; signing out at the console
ends it on every service.

Screenshots: Thai at 1280 px, English at a phone's 390 px (`SIANG_SCREENSHOTS` names a
folder to keep them in)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.axe import violations
from tests.browser.chrome import shoot
from tests.e2e.system import System

PASSWORD = "siang-demo-2569"
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
SUBMISSION = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอหนังสือรับรองล่าช้า",
    "description": "ยื่นคำขอหนังสือรับรองการทำงานผ่านระบบ Open311 ของเทศบาล ยังไม่ได้รับ",
}


def submit(browser: webdriver.Chrome, button: str = "button[type=submit]") -> None:
    """Click a form's button and wait for the page it leads to."""
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, button).click()
    WebDriverWait(browser, 20).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))


def accessible(browser: webdriver.Chrome) -> None:
    blocking = [v.describe() for v in violations(browser) if v.blocking]
    assert not blocking, f"{browser.current_url}: {blocking}"


@pytest.mark.browser
def test_one_sign_in_opens_the_dashboard_channel_keys_and_template_previews(
    system: System, browser: webdriver.Chrome, shots: Path
) -> None:
    dashboard = system.url("reporting") + "/dashboard"
    intake = system.url("intake")
    # Not signed in: the dashboard sends the browser to the console's sign-in...
    browser.get(dashboard)
    WebDriverWait(browser, 20).until(lambda d: "/console/login" in d.current_url)
    assert "next=" in browser.current_url
    browser.find_element(By.ID, "username").send_keys("admin")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    submit(browser, "button.go")
    # ...which brings it back, signed in: no token to paste.
    assert browser.current_url.startswith(dashboard), browser.current_url
    assert "<svg" in browser.page_source
    shoot(browser, DESKTOP, shots / "sign-in-dashboard-th-1280.png")
    browser.get(dashboard + "?lang=en")
    assert "Cases by channel" in browser.page_source
    shoot(browser, PHONE, shots / "sign-in-dashboard-en-390.png")

    # Channel keys, on intake's port, with the same sign-in.
    browser.get(intake + "/admin/channel-keys?lang=th")
    assert "กุญแจ API ของช่องทาง" in browser.page_source
    Select(browser.find_element(By.ID, "channel")).select_by_value("open311")
    browser.find_element(By.ID, "label").send_keys("ระบบ Open311 ของเทศบาลนครเชียงใหม่")
    submit(browser)
    secret = browser.find_element(By.ID, "secret").get_attribute("value") or ""
    assert re.fullmatch(r"siang_[a-z0-9]{12}_[A-Za-z0-9_-]{43}", secret), secret
    assert "ระบบจะไม่แสดงกุญแจนี้อีก" in browser.page_source
    accessible(browser)
    shoot(browser, DESKTOP, shots / "channel-key-created-th-1280.png")
    key_id = secret.split("_")[1]
    sent = httpx.post(f"{intake}/v1/submissions", json=SUBMISSION, headers={"X-API-Key": secret})
    assert sent.status_code == 202, sent.text

    browser.get(intake + "/admin/channel-keys?lang=en")
    assert secret not in browser.page_source and key_id in browser.page_source
    accessible(browser)
    shoot(browser, PHONE, shots / "channel-keys-en-390.png")
    browser.find_element(By.CSS_SELECTOR, f"form[action$='/{key_id}/revoke'] button").click()
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith("/revoke?lang=en"))
    assert "cannot be undone" in browser.page_source
    accessible(browser)
    shoot(browser, PHONE, shots / "channel-key-revoke-en-390.png")
    submit(browser)
    assert f"Key {key_id} revoked." in browser.page_source
    shoot(browser, DESKTOP, shots / "channel-key-revoked-en-1280.png")
    refused = httpx.post(f"{intake}/v1/submissions", json=SUBMISSION, headers={"X-API-Key": secret})
    assert refused.status_code == 401

    # Notification templates, on notifications' port, with the same sign-in.
    browser.get(system.url("notifications") + "/admin/templates")
    assert "แม่แบบข้อความแจ้งเตือน" in browser.page_source
    accessible(browser)
    browser.find_element(By.LINK_TEXT, "รับเรื่องแล้ว").click()
    WebDriverWait(browser, 20).until(lambda d: "/admin/templates/case_received" in d.current_url)
    costs = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".sms-cost")]
    assert len(costs) == 2 and "UCS-2" in costs[0] and "GSM-7" in costs[1], costs
    assert "ได้รับเรื่องร้องเรียนของท่านแล้ว" in browser.page_source
    accessible(browser)
    shoot(browser, DESKTOP, shots / "template-preview-th-1280.png")
    browser.get(system.url("notifications") + "/admin/templates/case_received?lang=en")
    assert "We have received your complaint" in browser.page_source
    shoot(browser, PHONE, shots / "template-preview-en-390.png")

    # Signing out at the console ends the sign-in everywhere: it is one cookie.
    browser.get(system.url("workflow") + "/console")
    submit(browser, "form[action='/console/logout'] button")
    browser.get(dashboard)
    WebDriverWait(browser, 20).until(lambda d: "/console/login" in d.current_url)
    browser.get(intake + "/admin/channel-keys")
    WebDriverWait(browser, 20).until(lambda d: "/console/login" in d.current_url)
