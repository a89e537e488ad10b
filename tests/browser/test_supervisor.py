"""A unit's supervisor in a real browser: signs in, records that one of the unit's people
is away today (new cases then all go to the other), sees the load per person with the
cases past their deadline, hands three cases over to the one back at work with the
checkboxes of a page that needs no JavaScript, reads what moved, and records another
absence. The pages are photographed in Thai at 1280 px and in English at 390 px, where
nothing may push the page sideways, and axe-core finds nothing serious on any of them."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from shared.thai.dates import BANGKOK, format_date
from tests.browser.axe import violations
from tests.e2e.system import System

PASSWORD = "siang-demo-2569"
SUPERVISOR, ANN, BEN = "admin.head", "admin.a", "admin.b"
ANN_NAME, BEN_NAME = "กาญจนา แก้วมณี", "อนุชา ทองคำ"
SHOTS = Path("/tmp/shots/supervisor")


def _headers(system: System, username: str) -> dict[str, str]:
    login = httpx.post(
        f"{system.url('workflow')}/v1/auth/login",
        json={"username": username, "password": PASSWORD},
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _advance(system: System, seconds: float) -> date:
    """Move the workflow's clock on; returns its day in Bangkok."""
    moved = httpx.post(
        f"{system.url('workflow')}/v1/admin/clock",
        json={"seconds": seconds},
        headers=_headers(system, "admin"),
    )
    assert moved.status_code == 200, moved.text
    return datetime.fromisoformat(moved.json()["now"]).astimezone(BANGKOK).date()


def _submit(system: System, subject: str) -> str:
    sent = httpx.post(
        f"{system.url('intake')}/v1/submissions",
        json={
            "kind": "question",
            "category": "documents",
            "subject": subject,
            "description": "ขอสำเนาคำสั่งแต่งตั้งเพื่อใช้ประกอบการยื่นขอเลื่อนวิทยฐานะ",
        },
    )
    assert sent.status_code == 202, sent.text
    return str(sent.json()["tracking_code"])


def _assigned(system: System, codes: list[str]) -> dict[str, str]:
    """Each tracking code's assignee, once every case has one."""
    headers = _headers(system, "admin")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = httpx.get(
            f"{system.url('workflow')}/v1/cases",
            params={"unit": "admin", "limit": 200},
            headers=headers,
        )
        assert found.status_code == 200, found.text
        owners = {c["tracking_code"]: c["assignee"] for c in found.json()["cases"]}
        if all(owners.get(code) for code in codes):
            return {code: owners[code] for code in codes}
        time.sleep(0.5)
    raise AssertionError(f"cases {codes} were not all assigned within 60 s")


def _be(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year + 543}"


def _shot(browser: webdriver.Chrome, tmp_path: Path, name: str, width: int) -> None:
    """The whole page at `width` px, kept with the test and under /tmp/shots."""
    browser.set_window_size(width, 900)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, max(900, int(height) + 120))
    browser.execute_script("window.scrollTo(0, 0)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for folder in (tmp_path, SHOTS):
        browser.save_screenshot(str(folder / f"{name}.png"))
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    ), f"{name} scrolls sideways at {width} px"
    found = violations(browser)
    for v in found:
        print(name, v.describe())
    assert not [v.describe() for v in found if v.blocking], name


def _load_row(browser: webdriver.Chrome, staff_id: str) -> list[str]:
    """The cells of a person's row: name, open, overdue, due soon, awaiting, today."""
    row = browser.find_element(By.XPATH, f"//tr[@id='load-{staff_id}']")
    return [str(cell.text).strip() for cell in row.find_elements(By.TAG_NAME, "td")]


def test_a_supervisor_hands_cases_over_and_records_absences(
    system: System, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    workflow = system.url("workflow")
    today = _advance(system, 0)
    browser.set_window_size(1280, 900)
    browser.get(f"{workflow}/console/login?lang=th")
    browser.find_element(By.ID, "username").send_keys(SUPERVISOR)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button.go").click()
    WebDriverWait(browser, 20).until(lambda d: "/login" not in d.current_url)
    browser.find_element(By.LINK_TEXT, "หัวหน้างาน").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "load-table"))

    # Ben is away (training, these weeks): the supervisor records it, typed in B.E. as a
    # Thai clerk would.
    back = today + timedelta(days=45)
    Select(browser.find_element(By.ID, "absence-person")).select_by_value(BEN)
    browser.find_element(By.ID, "absence-start").send_keys(_be(today))
    browser.find_element(By.ID, "absence-end").send_keys(_be(back))
    browser.find_element(By.CSS_SELECTOR, "#absence-form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "บันทึกการลาแล้ว" in d.page_source)
    assert _load_row(browser, BEN)[-1] == f"ลา ถึง {format_date(back, 'th', style='short')}"

    # Five cases come in: every one goes to Ann, since auto-assignment skips whoever is
    # away. Weeks pass (the workflow's clock moves on) and all of them run late.
    codes = [_submit(system, f"ขอสำเนาคำสั่งแต่งตั้ง ฉบับที่ {i}") for i in range(1, 6)]
    owners = _assigned(system, codes)
    assert set(owners.values()) == {ANN}, owners
    _advance(system, 30 * 86_400)

    # The scan escalates the late cases within a second or two; the page shows them.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        browser.get(f"{workflow}/console/supervisor")
        if browser.page_source.count("แจ้งหัวหน้าแล้ว") >= 5:
            break
        time.sleep(1)
    assert _load_row(browser, ANN)[:3] == [f"{ANN_NAME} (เจ้าหน้าที่)", "5", "5"]
    late = browser.find_element(By.ID, "late-table").text
    assert all(code in late for code in codes) and ANN_NAME in late and "วันทำการ" in late

    # Ben is back after all: the supervisor removes his absence.
    browser.find_element(By.CSS_SELECTOR, "button.sv-remove").click()
    WebDriverWait(browser, 20).until(lambda d: "ลบการลาแล้ว" in d.page_source)
    assert _load_row(browser, BEN)[-1] == "ปฏิบัติงาน"
    _shot(browser, tmp_path, "supervisor-th-1280", 1280)

    # Three of Ann's cases are handed over to Ben from her page.
    browser.find_element(By.XPATH, f"//tr[@id='load-{ANN}']//a").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "cases-table"))
    boxes = browser.find_elements(By.CSS_SELECTOR, "#cases-table input[type=checkbox]")
    assert len(boxes) == 5
    for box in boxes[:3]:
        box.click()
    Select(browser.find_element(By.ID, "to")).select_by_value(BEN)
    browser.find_element(By.ID, "reason").send_keys("กาญจนาไปอบรมสัปดาห์นี้")
    _shot(browser, tmp_path, "person-th-1280", 1280)
    browser.find_element(By.CSS_SELECTOR, "fieldset.sv-handover button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "moved"))
    assert browser.find_element(By.ID, "moved").text == f"โอนแล้ว 3 เรื่อง ให้แก่ {BEN_NAME}"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#moved-cases li")) == 3
    assert not browser.find_elements(By.ID, "not-moved")
    _shot(browser, tmp_path, "result-th-1280", 1280)

    browser.find_element(By.LINK_TEXT, "กลับไปหน้าภาระงานของกลุ่มงาน").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "load-table"))
    assert _load_row(browser, ANN)[1] == "2" and _load_row(browser, BEN)[1] == "3"

    # On a phone, in English: the same pages, one case handed back, and an absence.
    browser.get(f"{workflow}/console/supervisor?lang=en")
    _shot(browser, tmp_path, "supervisor-en-390", 390)
    browser.find_element(By.XPATH, f"//tr[@id='load-{BEN}']//a").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "cases-table"))
    browser.find_elements(By.CSS_SELECTOR, "#cases-table input[type=checkbox]")[0].click()
    Select(browser.find_element(By.ID, "to")).select_by_value(ANN)
    _shot(browser, tmp_path, "person-en-390", 390)
    browser.find_element(By.CSS_SELECTOR, "fieldset.sv-handover button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "moved"))
    assert browser.find_element(By.ID, "moved").text == f"Moved 1 case to {ANN_NAME}."
    _shot(browser, tmp_path, "result-en-390", 390)

    browser.get(f"{workflow}/console/supervisor?lang=en#absences")
    service_today = _advance(system, 0)
    start, end = service_today + timedelta(days=7), service_today + timedelta(days=9)
    Select(browser.find_element(By.ID, "absence-person")).select_by_value(ANN)
    browser.find_element(By.ID, "absence-start").send_keys(start.isoformat())
    browser.find_element(By.ID, "absence-end").send_keys(end.isoformat())
    browser.find_element(By.CSS_SELECTOR, "#absence-form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "Absence recorded." in d.page_source)
    shown = browser.find_element(By.ID, "absence-table").text
    assert f"{format_date(start, 'en', style='short')} to" in shown
    _shot(browser, tmp_path, "absences-en-390", 390)
    browser.get(f"{workflow}/console/supervisor?lang=th")
    assert f"{end.year + 543}" in browser.find_element(By.ID, "absence-table").text
