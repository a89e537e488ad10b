"""The case page a member of staff works in, in a real browser: a complaint sent with two
photos and a place, answered, its satisfaction survey answered with a comment, and a
second complaint of the same person merged into it by its tracking code, with the
keyboard. The page reads in words (Thai at 1280 px, English at 390 px), names the
assignee, shows the survey comment and the merged duplicate, and axe-core finds nothing
serious on it. Screenshots are kept in the test's directory (and /tmp/shots/casepage)."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from shared.contract.vocabulary import CHANNEL_LABELS, word_for
from tests.browser.axe import violations
from tests.e2e.system import Inbox, System
from tests.support import png

PASSWORD = "siang-demo-2569"
SHOTS = Path("/tmp/shots/casepage")
COMMENT = "ป้ายใหม่ติดตั้งเรียบร้อยดี แต่รอนานกว่าที่แจ้งไว้"
ADDRESS = "หน้าโรงเรียนบ้านหนองบัว ถนนมิตรภาพ"


def _wait(probe: Any, what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _login(system: System, username: str) -> dict[str, str]:
    r = httpx.post(
        f"{system.url('workflow')}/v1/auth/login",
        json={"username": username, "password": PASSWORD},
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _submit(system: System, email: str, subject: str, photos: int) -> str:
    fields = {
        "language": "th",
        "kind": "complaint",
        "complaint_type": "service",
        "category": "documents",
        "subject": subject,
        "description": "ป้ายชื่อโรงเรียนหักลงมาขวางทางเดิน เกรงว่าเด็กจะได้รับอันตราย",
        "location.text": ADDRESS,
        "location.lat": "14.979900",
        "location.lon": "102.097700",
        "contact.name": "มาลี ใจงาม",
        "contact.email": email,
        "consent.contact_me": "true",
    }
    files = {
        f"attachment{i}": (f"sign-{i}.png", png(64, 48, (40 * i, 90, 160)), "image/png")
        for i in range(1, photos + 1)
    }
    r = httpx.post(
        f"{system.url('intake')}/v1/submissions",
        data=fields,
        files=files,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 202, r.text
    return str(r.json()["tracking_code"])


def _case(system: System, code: str, admin: dict[str, str]) -> dict[str, Any]:
    def assigned() -> dict[str, Any] | None:
        r = httpx.get(f"{system.url('workflow')}/v1/cases", params={"text": code}, headers=admin)
        found = [c for c in r.json()["cases"] if c["tracking_code"] == code]
        return found[0] if found and found[0]["assignee"] else None

    return dict(_wait(assigned, f"{code} assigned"))


def _shot(browser: webdriver.Chrome, tmp_path: Path, name: str, width: int) -> None:
    """The whole page at `width`: the window as tall as the page, then back."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, max(int(height) + 140, 800))
    browser.save_screenshot(str(tmp_path / name))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / name, SHOTS / name)


def _main_text(browser: webdriver.Chrome) -> str:
    return str(browser.find_element(By.TAG_NAME, "main").text)


def test_a_case_page_with_survey_photos_place_and_a_merged_duplicate(
    system: System, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    workflow = system.url("workflow")
    admin = _login(system, "admin")
    email = f"malee-{uuid.uuid4().hex[:6]}@example.com"
    code = _submit(system, email, "ป้ายหน้าโรงเรียนหักลงมา", photos=2)
    case = _case(system, code, admin)
    again = _submit(system, email, "ป้ายหน้าโรงเรียนยังไม่ได้ซ่อม", photos=1)
    duplicate = _case(system, again, admin)

    # The assignee answers; the person answers the survey their e-mail links to.
    staff = _login(system, case["assignee"])
    commands = f"{workflow}/v1/cases/{case['case_id']}/commands"
    assert httpx.post(f"{commands}/start", json={}, headers=staff).status_code == 200
    answer = "ติดตั้งป้ายใหม่แล้วเมื่อวันที่ 3 และแจ้งโรงเรียนให้ตรวจสอบทุกเดือน"
    resolved = httpx.post(f"{commands}/resolve", json={"public_answer": answer}, headers=staff)
    assert resolved.status_code == 200, resolved.text

    def survey_link() -> str | None:
        for message in system.inbox.to(email):
            link = re.search(r"http://127\.0\.0\.1:\d+/survey/[A-Za-z0-9._-]+", Inbox.text(message))
            if link:
                return link.group(0)
        return None

    link = _wait(survey_link, "the survey link in the answer's e-mail")
    survey = httpx.post(link, data={"rating": "4", "solved": "yes", "comment": COMMENT})
    assert survey.status_code == 200, survey.text

    def surveyed() -> bool:
        r = httpx.get(f"{workflow}/v1/cases/{case['case_id']}", headers=admin)
        return bool(r.json().get("survey"))

    _wait(surveyed, "the survey answer on the case")

    # Signed in as the assignee, with the keyboard: the skip link first, then the second
    # complaint merged into the first by its tracking code.
    browser.get(f"{workflow}/console/login?lang=th")
    browser.find_element(By.ID, "username").send_keys(case["assignee"])
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda d: "/login" not in d.current_url)
    browser.get(f"{workflow}/console/cases/{duplicate['case_id']}")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert str(focused.get_attribute("href")).endswith("#main"), focused.get_attribute("outerHTML")
    into = browser.find_element(By.ID, "merge-into_case_id")
    label = browser.find_element(By.CSS_SELECTOR, "label[for='merge-into_case_id']").text
    assert "รหัสติดตาม" in label
    into.clear()
    into.send_keys(code.lower() + Keys.ENTER)  # as typed: lower case, the form submits
    WebDriverWait(browser, 20).until(lambda d: "done=1" in d.current_url)
    assert code in _main_text(browser) and "รวมเข้ากับเรื่อง" in _main_text(browser)

    # The case itself, in Thai on a desk (1280 px).
    browser.set_window_size(1280, 900)
    browser.get(f"{workflow}/console/cases/{case['case_id']}?lang=th")
    WebDriverWait(browser, 20).until(
        lambda d: all(
            d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", i)
            for i in d.find_elements(By.CSS_SELECTOR, "ul.files img")
        )
    )
    thai = _main_text(browser)
    assignee = httpx.get(f"{workflow}/v1/cases/{case['case_id']}", headers=admin).json()
    for words in (
        "ร้องเรียน",
        "การให้บริการ",
        "หนังสือราชการ การขอเอกสารและหนังสือรับรอง",
        "กลุ่มอำนวยการ",
        word_for(CHANNEL_LABELS, case["channel"], "th"),
        "มอบหมายอัตโนมัติ",
        assignee["assignee_name"],
        COMMENT,
        "4 จาก 5",
        again,
        "ป้ายหน้าโรงเรียนยังไม่ได้ซ่อม",
        ADDRESS,
    ):
        assert words in thai, words
    for code_word in ("documents", "complaint", "service", "fewest open cases", case["channel"]):
        assert not re.search(rf"(?<![\w.@/-]){code_word}(?![\w.-])", thai), code_word
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.files img")) == 2
    blocking = [v.describe() for v in violations(browser) if v.blocking]
    assert not blocking, blocking
    _shot(browser, tmp_path, "case-th-1280.png", 1280)

    # In English on a phone (390 px): nothing scrolls sideways.
    browser.set_window_size(390, 844)
    browser.get(f"{workflow}/console/cases/{case['case_id']}?lang=en")
    english = _main_text(browser)
    for words in (
        "Complaint",
        "A service",
        "Official letters, documents and certificates",
        "Administration Division",
        "Assigned automatically: the fewest open cases in the unit",
        COMMENT,
        "4 out of 5",
        "Duplicates merged into this case",
    ):
        assert words in english, words
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    ), "the case page scrolls sideways at 390 px"
    blocking = [v.describe() for v in violations(browser) if v.blocking]
    assert not blocking, blocking
    _shot(browser, tmp_path, "case-en-390.png", 390)
