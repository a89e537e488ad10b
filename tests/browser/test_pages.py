"""What a person sees in a real browser: the public form gives a tracking code and PIN,
which open the tracking page; staff sign in to the console, find the case and start work on it."""

from __future__ import annotations

import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.e2e.system import System

PASSWORD = "siang-demo-2569"


def test_public_form_to_receipt_and_tracking(
    system: System, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    browser.get(system.url("intake") + "/")
    assert "แจ้งเรื่อง" in browser.title or "แจ้งเรื่อง" in browser.page_source
    # Every input has a label a screen reader can announce.
    for field in ("kind", "category", "subject", "description"):
        assert browser.find_element(By.CSS_SELECTOR, f"label[for='{field}']").text.strip()
    Select(browser.find_element(By.ID, "kind")).select_by_value("complaint")
    Select(browser.find_element(By.ID, "complaint_type")).select_by_value("service")
    Select(browser.find_element(By.ID, "category")).select_by_value("school-admission")
    browser.find_element(By.ID, "subject").send_keys("ย้ายโรงเรียนแล้วยังไม่ได้รับเอกสาร")
    browser.find_element(By.ID, "description").send_keys(
        "ยื่นคำร้องขอย้ายโรงเรียนตั้งแต่ต้นเดือน ยังไม่ได้รับหนังสือส่งตัว"
    )
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "dd.code")) == 2
    )
    codes = browser.find_elements(By.CSS_SELECTOR, "dd.code")
    assert len(codes) == 2, browser.page_source
    code, pin = codes[0].text.strip(), codes[1].text.strip()
    assert code.startswith("SG-") and pin.isdigit() and len(pin) == 6
    browser.save_screenshot(str(tmp_path / "receipt.png"))
    # The receipt's link leads to the tracking page, which takes the PIN without JavaScript.
    browser.find_element(By.LINK_TEXT, "ติดตามสถานะ").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "pin"))
    browser.find_element(By.ID, "pin").send_keys(pin)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "dd.code"))
    assert browser.find_element(By.CSS_SELECTOR, "dd.code").text.strip() == code
    assert "ติดตามสถานะเรื่อง" in browser.page_source and "สถานะ" in browser.page_source
    assert "หนังสือส่งตัว" not in browser.page_source  # nothing the person wrote is repeated
    # Switching language keeps the person on the page they are reading.
    browser.get(system.url("intake") + "/?lang=en")
    assert "Complaints, feedback and questions" in browser.page_source


def test_staff_sign_in_and_start_work_in_the_console(
    system: System, browser: webdriver.Chrome
) -> None:
    import httpx

    r = httpx.post(
        f"{system.url('intake')}/v1/submissions",
        json={
            "kind": "question",
            "category": "personnel-matters",
            "subject": "สอบถามเรื่องการย้ายครู",
            "description": "อยากทราบกำหนดการยื่นคำร้องขอย้ายประจำปี",
        },
    )
    assert r.status_code == 202
    code = r.json()["tracking_code"]
    browser.get(system.url("workflow") + "/console")
    browser.find_element(By.ID, "username").send_keys("personnel.head")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button.go").click()
    WebDriverWait(browser, 20).until(lambda d: "/login" not in d.current_url)
    deadline = time.monotonic() + 30
    while code not in browser.page_source and time.monotonic() < deadline:
        time.sleep(0.5)
        browser.get(system.url("workflow") + "/console?view=unit&status=open")
    browser.find_element(By.LINK_TEXT, code).click()
    WebDriverWait(browser, 20).until(lambda d: "สอบถามเรื่องการย้ายครู" in d.page_source)
    assignee_forms = browser.find_elements(By.CSS_SELECTOR, "form.cmd")
    assert assignee_forms, "no actions offered"
    comment = next(f for f in assignee_forms if "comment" in f.get_attribute("action"))
    comment.find_element(By.TAG_NAME, "textarea").send_keys("รับทราบ จะตอบภายในวันนี้")
    comment.find_element(By.CSS_SELECTOR, "button.go").click()
    # The click returns before the post-and-redirect has finished loading.
    WebDriverWait(browser, 20).until(lambda d: "บันทึกแล้ว" in d.page_source)
    assert "รับทราบ จะตอบภายในวันนี้" in browser.page_source
