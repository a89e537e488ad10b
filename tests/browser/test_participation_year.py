"""A year of participation in a real browser, as the office's coordinator runs it: signed
in at the console, they add a mission item, appoint a committee with its members and
upload its signed appointment order (a real PDF), create and open a consultation on the
item; people answer on the public page (in the browser), through participation's API and
as submissions to intake's API; the coordinator reads and tags the opinions, closes and
concludes the consultation, records an outcome and publishes it; the public "you said,
we did" page shows it, and the participation report (page and PDF, through pdftoppm and
pdftotext) shows the topic, the participants by group, the results and the outcome.

Screenshots of the public pages, the report and the PDF's first page are written to
/tmp/siang-participation-*.png for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from deploy.local.demo_documents import one_page_pdf
from shared.thai.fiscal import fiscal_year
from tests.e2e.system import System

PASSWORD = "siang-demo-2569"
SHOTS = Path("/tmp")
ITEM = ("G7", "ห้องเรียนปลอดภัยทุกโรงเรียน", "Safe classrooms in every school")
TOPIC = "ทางม้าลายหน้าโรงเรียน"
SUMMARY = "ผู้ปกครองและครูส่วนใหญ่ขอให้ทาสีทางม้าลายใหม่และมีครูเวรยืนข้ามถนนช่วงเช้า"
WE_DID = "ทาสีทางม้าลายหน้าโรงเรียนทั้ง 12 แห่งและจัดครูเวรช่วงเช้า"


def _until(what: Callable[[], bool], timeout: float = 30, every: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)


def _set(browser: webdriver.Chrome, element: WebElement, value: str) -> None:
    """A date input's value as ISO text (typing into it depends on the browser's locale)."""
    browser.execute_script("arguments[0].value = arguments[1];", element, value)


def _fill(browser: webdriver.Chrome, form: WebElement, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
        elif field.get_attribute("type") == "date":
            _set(browser, field, value)
        else:
            field.clear()
            field.send_keys(value)


def _submit(browser: webdriver.Chrome, form: WebElement) -> None:
    """Send a form and wait for the page it leads to (a redirect after a post)."""
    old = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(browser, 20).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))


def _letters(text: str) -> str:
    """Text without spaces and Thai marks written above a letter: pdftotext gives a
    stacked vowel and tone mark in the order it finds the glyphs (ทั้ง may come out as
    ทัง้), which says nothing about what the page shows."""
    return re.sub(r"[\s\u0e31\u0e34-\u0e37\u0e47-\u0e4e]", "", text)


def _form(browser: webdriver.Chrome, action_part: str) -> WebElement:
    return next(
        f
        for f in browser.find_elements(By.TAG_NAME, "form")
        if action_part in (f.get_attribute("action") or "")
    )


def _saved(browser: webdriver.Chrome) -> None:
    assert "บันทึกแล้ว" in browser.page_source, browser.page_source[:3000]


def test_a_coordinator_walks_a_year_of_participation(
    system: System, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    today = date.today()
    year = fiscal_year(today)
    part, report = system.url("participation"), system.url("reporting")

    # Sign in at the console as the demo coordinator; the session cookie serves the
    # participation and reporting pages too.
    browser.get(system.url("workflow") + "/console/login")
    browser.find_element(By.ID, "username").send_keys("coordinator")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button.go").click()
    WebDriverWait(browser, 20).until(lambda d: "/login" not in d.current_url)
    token = browser.get_cookie("siang_token")
    assert token is not None

    # A mission item of this fiscal year.
    browser.get(f"{part}/staff/missions")
    form = _form(browser, f"/staff/missions/{year}/items")
    _fill(
        browser, form, {"code": ITEM[0], "kind": "strategy", "name_th": ITEM[1], "name_en": ITEM[2]}
    )
    _submit(browser, form)
    _saved(browser)
    assert ITEM[1] in browser.page_source

    # A committee on it, two members, and its signed appointment order.
    browser.get(f"{part}/staff/committees")
    form = _form(browser, "/staff/committees?")
    _fill(
        browser,
        form,
        {
            "name_th": "คณะกรรมการความปลอดภัยหน้าโรงเรียน",
            "order_number": f"88/{year}",
            "order_signed_on": (today - timedelta(days=2)).isoformat(),
            "term_starts_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    form.find_element(By.ID, f"mi-{ITEM[0]}").click()
    _submit(browser, form)
    _saved(browser)
    committee_url = browser.current_url.split("?")[0]
    for name, group, role in (
        ("สมศักดิ์ ใจดี", "parents", "chair"),
        ("วรรณา ศรีสุข", "teachers", "member"),
    ):
        form = _form(browser, "/members?")
        _fill(browser, form, {"name": name, "phone": "0812345678", "group": group, "role": role})
        _submit(browser, form)
        _saved(browser)
        assert name in browser.page_source
    order = tmp_path / "order.pdf"
    order.write_bytes(one_page_pdf(f"Order 88/{year}", "Committee on school road safety"))
    form = _form(browser, "/orders?")
    form.find_element(By.ID, "file").send_keys(str(order))
    form.find_element(By.ID, "order_title").send_keys("แต่งตั้งคณะกรรมการความปลอดภัยหน้าโรงเรียน")
    _submit(browser, form)
    _saved(browser)
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "ดาวน์โหลด").get_attribute("href")
    assert link is not None
    cookies = {"siang_token": token["value"]}
    assert httpx.get(link, cookies=cookies).content == order.read_bytes()
    assert browser.current_url.startswith(committee_url)

    # A consultation on the item, opened.
    browser.get(f"{part}/staff/consultations")
    form = _form(browser, "/staff/consultations?")
    _fill(
        browser,
        form,
        {
            "topic_th": TOPIC,
            "topic_en": "The zebra crossing in front of schools",
            "mission_item": ITEM[0],
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
            "questions": "* ทางม้าลายหน้าโรงเรียนปลอดภัยหรือไม่ | ปลอดภัย; ไม่แน่ใจ; ไม่ปลอดภัย\nข้อเสนอแนะ",
        },
    )
    for group in ("parents", "teachers", "community"):
        form.find_element(By.ID, f"g-{group}").click()
    _submit(browser, form)
    _saved(browser)
    staff_url = browser.current_url.split("?")[0]
    cid = staff_url.rsplit("/", 1)[1]
    _submit(browser, _form(browser, f"/{cid}/open"))
    assert "เปิดรับความคิดเห็น" in browser.find_element(By.ID, "status").text

    # An opinion on the public page, in the browser (no sign-in needed, none used).
    browser.get(f"{part}/consultations/{cid}")
    assert TOPIC in browser.page_source
    browser.save_screenshot(str(SHOTS / "siang-participation-consultation.png"))
    Select(browser.find_element(By.ID, "group")).select_by_value("parents")
    browser.find_element(By.ID, "answers.q1-c3").click()
    browser.find_element(By.ID, "answers.q2").send_keys("สีทางม้าลายจางมาก รถไม่ค่อยหยุด")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "ขอบคุณ" in d.page_source)
    browser.save_screenshot(str(SHOTS / "siang-participation-thanks.png"))

    # Through participation's API, and as submissions to intake (any channel's path),
    # once intake has heard the consultation opened.
    r = httpx.post(
        f"{part}/v1/public/consultations/{cid}/opinions",
        json={"group": "teachers", "answers": {"q1": "c2", "q2": "ควรมีครูเวรช่วงเช้า"}},
    )
    assert r.status_code == 201, r.text
    submission = {
        "kind": "suggestion",
        "category": "public-consultation",
        "subject": "ทางม้าลายหน้าโรงเรียน",
        "description": "ขอให้ทาสีใหม่และติดป้ายลดความเร็ว",
        "consultation_id": cid,
        "stakeholder_group": "community",
        "answers": {"q1": "c3", "q2": "ติดป้ายลดความเร็ว"},
    }

    def sent_to_intake() -> bool:
        r = httpx.post(f"{system.url('intake')}/v1/submissions", json=submission)
        # 422 naming consultation_id: intake has not heard of it opening yet.
        assert r.status_code == 202 or "consultation_id" in r.text, r.text
        return r.status_code == 202

    _until(sent_to_intake)
    ghost = httpx.post(
        f"{system.url('intake')}/v1/submissions", json={**submission, "consultation_id": "cn-none"}
    )
    assert ghost.status_code == 422 and "consultation_id" in ghost.text

    def counted(n: int) -> Callable[[], bool]:
        def check() -> bool:
            r = httpx.get(f"{part}/v1/consultations/{cid}", cookies=cookies)
            return bool(r.json()["opinions"] == n)

        return check

    _until(counted(3))

    # Staff read the opinions, per group and question, and tag a theme.
    browser.get(f"{part}/staff/consultations/{cid}/opinions")
    for words in ("สีทางม้าลายจางมาก", "ควรมีครูเวรช่วงเช้า", "ติดป้ายลดความเร็ว"):
        assert words in browser.page_source, words
    form = browser.find_elements(By.CSS_SELECTOR, "form[action*='/themes']")[0]
    _fill(browser, form, {"themes": "ความปลอดภัยทางถนน"})
    _submit(browser, form)
    assert "ความปลอดภัยทางถนน · 1" in browser.page_source

    # Closed, then concluded with the results.
    browser.get(staff_url)
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td>", browser.page_source)
    assert ("ผู้ปกครองนักเรียน", "1") in rows and ("ครูและบุคลากรทางการศึกษา", "1") in rows
    _submit(browser, _form(browser, f"/{cid}/close"))
    form = _form(browser, f"/{cid}/conclude")
    _fill(browser, form, {"summary": SUMMARY})
    _submit(browser, form)
    assert "สรุปผลแล้ว" in browser.find_element(By.ID, "status").text
    assert SUMMARY in browser.page_source
    browser.save_screenshot(str(SHOTS / "siang-participation-staff-consultation.png"))

    # An outcome, recorded against it, then published.
    form = browser.find_element(By.ID, "record-outcome")
    _fill(
        browser,
        form,
        {
            "you_said_th": "ทางม้าลายสีจางและไม่มีคนช่วยข้ามถนนช่วงเช้า",
            "we_did_th": WE_DID,
            "owner_unit": "promotion",
            "status": "done",
        },
    )
    _submit(browser, form)
    _saved(browser)
    assert "ยังไม่เผยแพร่" in browser.find_element(By.ID, "published").text
    _submit(browser, browser.find_element(By.ID, "publish").find_element(By.XPATH, ".."))
    assert "เผยแพร่แล้ว" in browser.find_element(By.ID, "published").text

    # The public "you said, we did" page shows it.
    browser.get(f"{part}/you-said-we-did")
    assert WE_DID in browser.page_source and ITEM[1] in browser.page_source
    browser.save_screenshot(str(SHOTS / "siang-participation-you-said-we-did.png"))
    browser.get(f"{part}/consultations/{cid}")
    assert SUMMARY in browser.page_source
    browser.save_screenshot(str(SHOTS / "siang-participation-concluded.png"))

    # The participation report (reporting, from siang.participation.v1): the topic, the
    # participants by group, the results and the outcome.
    page = f"{report}/reports/participation?fy={year}"

    def reported() -> bool:
        browser.get(page)
        # Published: the staff report marks an outcome not yet published.
        return WE_DID in browser.page_source and "ยังไม่เผยแพร่" not in browser.page_source

    _until(reported, timeout=60, every=1)
    html = browser.page_source
    for words in (TOPIC, ITEM[1], SUMMARY, WE_DID, "ผู้ปกครองนักเรียน", "ครูและบุคลากรทางการศึกษา"):
        assert words in html, words
    browser.save_screenshot(str(SHOTS / "siang-participation-report.png"))

    pdf = httpx.get(page + "&format=pdf", cookies=cookies)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    path = SHOTS / "siang-participation-report.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (TOPIC, ITEM[1], SUMMARY, WE_DID, "ผู้ปกครองนักเรียน", f"พ.ศ. {year}"):
        assert _letters(words) in _letters(text), words
    assert shutil.which("pdftoppm")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(SHOTS / "siang-participation-report-page1"),
        ],
        check=True,
    )
    assert (SHOTS / "siang-participation-report-page1.png").stat().st_size > 10_000
