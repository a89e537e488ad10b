"""Account basics in a real browser: a member of staff who keeps typing a wrong password
is locked out (the sign-in page says how many minutes to wait, and the right password
is refused meanwhile); another changes their password on My account, the rules' words
showing for a weak one, and afterwards the old password no longer signs in.

Each test uses an account of its own, made through the admin API, so locking one out
stops no other test. Screenshots: Thai at 1280 px, English at a phone's 390 px
(`SIANG_SCREENSHOTS` names a folder to keep them in)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.axe import violations
from tests.browser.chrome import shoot
from tests.e2e.system import System

ADMIN_PASSWORD = "siang-demo-2569"
FIRST_PASSWORD = "ลมหนาวที่ดอยอินทนนท์-1"
NEW_PASSWORD = "ข้าวเหนียวมะม่วง-สุกงอม-8"
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}


def new_account(system: System, staff_id: str, name: str) -> None:
    """An account of the legal unit with `FIRST_PASSWORD`, made by the demo admin."""
    workflow = system.url("workflow")
    r = httpx.post(
        f"{workflow}/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
    )
    admin = {"Authorization": f"Bearer {r.json()['access_token']}"}
    account: dict[str, Any] = {
        "id": staff_id,
        "name": name,
        "role": "staff",
        "unit": "legal",
        "password": FIRST_PASSWORD,
    }
    r = httpx.put(f"{workflow}/v1/admin/staff/{staff_id}", json=account, headers=admin)
    assert r.status_code == 200, r.text


def sign_in(browser: webdriver.Chrome, system: System, who: str, password: str) -> None:
    """Send the sign-in form and wait for the page it leads to."""
    browser.get(system.url("workflow") + "/console/login")
    browser.find_element(By.ID, "username").send_keys(who)
    browser.find_element(By.ID, "password").send_keys(password)
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "button.go").click()
    WebDriverWait(browser, 20).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))


def alert(browser: webdriver.Chrome) -> str:
    return browser.find_element(By.CSS_SELECTOR, "[role=alert]").text


@pytest.mark.browser
def test_repeated_wrong_passwords_lock_the_account_for_minutes(
    system: System, browser: webdriver.Chrome, shots: Path
) -> None:
    new_account(system, "lock.test", "ทดลอง ล็อกบัญชี")
    browser.get(system.url("workflow") + "/console/login?lang=th")
    # The running system's policy: five wrong passwords lock the username for 15 minutes.
    for n in range(1, 6):
        sign_in(browser, system, "lock.test", f"ผิดครั้งที่-{n}")
        if n < 5:
            assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in alert(browser)
    assert "กรุณารอ 15 นาที" in alert(browser)
    # Locked: the right password is refused too, with the same words.
    sign_in(browser, system, "lock.test", FIRST_PASSWORD)
    assert "/login" in browser.current_url
    assert "กรุณารอ 15 นาที" in alert(browser)
    shoot(browser, DESKTOP, shots / "account-locked-th-1280.png")
    browser.get(system.url("workflow") + "/console/login?lang=en")
    sign_in(browser, system, "lock.test", FIRST_PASSWORD)
    assert "Wait 15 minutes" in alert(browser)
    shoot(browser, PHONE, shots / "account-locked-en-390.png")
    # Another account is not locked by it.
    sign_in(browser, system, "legal.b", ADMIN_PASSWORD)
    assert "/login" not in browser.current_url


@pytest.mark.browser
def test_a_changed_password_replaces_the_old_one(
    system: System, browser: webdriver.Chrome, shots: Path
) -> None:
    new_account(system, "change.test", "ทดลอง เปลี่ยนรหัส")
    workflow = system.url("workflow")
    other = httpx.post(
        f"{workflow}/v1/auth/login", json={"username": "change.test", "password": FIRST_PASSWORD}
    ).json()["access_token"]
    browser.get(workflow + "/console/login?lang=th")
    sign_in(browser, system, "change.test", FIRST_PASSWORD)
    assert "/login" not in browser.current_url, browser.page_source
    browser.find_element(By.LINK_TEXT, "บัญชีของฉัน").click()
    WebDriverWait(browser, 20).until(lambda d: "/console/account" in d.current_url)
    assert "ทดลอง เปลี่ยนรหัส" in browser.page_source and "กลุ่มกฎหมายและคดี" in browser.page_source

    def change(current: str, new: str) -> None:
        for field, value in (("current", current), ("new", new), ("repeat", new)):
            browser.find_element(By.ID, field).send_keys(value)
        old = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.CSS_SELECTOR, "form[action$='/password'] button").click()
        WebDriverWait(browser, 20).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))

    # A password with the person's name in it, or their current one, is refused, each
    # rule in its own words.
    change(FIRST_PASSWORD, "เปลี่ยนรหัส-ใหม่ทุกปี")
    assert "ต้องไม่มีชื่อหรือนามสกุล" in alert(browser)
    assert not [v.describe() for v in violations(browser) if v.blocking]
    shoot(browser, DESKTOP, shots / "account-rules-th-1280.png")
    change(FIRST_PASSWORD, NEW_PASSWORD)
    assert "เปลี่ยนรหัสผ่านแล้ว" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    shoot(browser, DESKTOP, shots / "account-changed-th-1280.png")
    browser.get(workflow + "/console/account?lang=en")  # still signed in here
    assert "Change password" in browser.page_source
    assert not [v.describe() for v in violations(browser) if v.blocking]
    shoot(browser, PHONE, shots / "account-en-390.png")
    # The other session has ended (each service rereads an account within seconds).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        me = httpx.get(f"{workflow}/v1/auth/me", headers={"Authorization": f"Bearer {other}"})
        if me.status_code == 401:
            break
        time.sleep(0.5)
    assert me.status_code == 401
    # Signed out, the old password no longer signs in; the new one does.
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/logout'] button").click()
    sign_in(browser, system, "change.test", FIRST_PASSWORD)
    assert "Wrong username or password" in alert(browser)
    sign_in(browser, system, "change.test", NEW_PASSWORD)
    assert "/login" not in browser.current_url
