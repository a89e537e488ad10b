"""The admin pages in a real browser, on two workflow replicas sharing one database: the
admin changes a routing rule on replica A's page and replica B, which opens every case
(A's consumer reads topics of its own), routes the next submission by it without a
restart; the admin adds a member of staff, and the history lists both changes with who
made them. axe-core finds nothing serious on the staff, routing and history pages.

Screenshots of the staff, routing and history pages, Thai at 1280 px and English at a
phone's 390 px, go to `SIANG_SCREENSHOTS` if it names a folder, else the test's own."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.axe import violations
from tests.browser.chrome import shoot
from tests.e2e.system import ServiceProcess, System, free_port

PASSWORD = "siang-demo-2569"
NEW_PASSWORD = "ระฆังทองเหลือง-7731"
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
#: How long replica B may take before the test gives up: it asks every
#: `config_check_seconds` (2), plus a submission's way through intake and Kafka.
GIVE_UP_SECONDS = 60


@pytest.fixture(scope="module")
def replica_a(system: System, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second workflow process on the system's database, whose consumer reads topics
    of its own: the admin's pages are A's, every case is opened by B (the system's)."""
    first = system.services["workflow"]
    port = free_port()
    process = ServiceProcess(
        "workflow",
        port,
        tmp_path_factory.mktemp("admin-replica") / "workflow-a.log",
        env={
            **first.env,
            "SIANG_WORKFLOW_PORT": str(port),
            "SIANG_KAFKA_TOPIC_PREFIX": f"{system.prefix}a.",
        },
    )
    process.start()
    try:
        process.wait_ready()
        yield process.url
    finally:
        process.stop()


def loaded(browser: webdriver.Chrome) -> None:
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def unit_of_a_new_case(system: System, db: Any) -> str:
    """Send a documents complaint through intake; the unit its case was opened in."""
    r = httpx.post(
        f"{system.url('intake')}/v1/submissions",
        json={
            "kind": "complaint",
            "complaint_type": "service",
            "category": "documents",
            "subject": f"ขอหนังสือรับรองการทำงาน {uuid.uuid4().hex[:6]}",
            "description": "ยื่นคำขอหนังสือรับรองมาสามสัปดาห์แล้วยังไม่ได้รับ",
        },
    )
    assert r.status_code == 202, r.text
    code = r.json()["tracking_code"]
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while time.monotonic() < deadline:
        case = db.cases.find_one({"tracking_code": code}, projection={"unit": 1})
        if case:
            return str(case["unit"])
        time.sleep(0.3)
    raise AssertionError(f"no case opened for {code}")


def no_serious_violations(browser: webdriver.Chrome) -> None:
    found = [v.describe() for v in violations(browser) if v.blocking]
    assert not found, found


@pytest.mark.browser
def test_an_admin_changes_routing_on_one_replica_and_the_other_routes_by_it(
    system: System, replica_a: str, browser: webdriver.Chrome, shots: Path
) -> None:
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    db = client[system.database]
    try:
        assert unit_of_a_new_case(system, db) == "admin"  # the catalogue's unit

        browser.get(f"{replica_a}/console/login?lang=th")
        browser.find_element(By.ID, "username").send_keys("admin")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "button.go").click()
        loaded(browser)
        browser.find_element(By.LINK_TEXT, "ผู้ดูแลระบบ").click()  # the header's link
        loaded(browser)
        browser.find_element(By.LINK_TEXT, "การส่งต่อเรื่อง").click()
        loaded(browser)
        assert "/console/admin/routing" in browser.current_url
        Select(browser.find_element(By.NAME, "unit.documents")).select_by_value("legal")
        browser.find_element(
            By.CSS_SELECTOR, "form[action='/console/admin/routing'] button.go"
        ).click()
        WebDriverWait(browser, 20).until(lambda d: "saved=1" in d.current_url)
        assert "บันทึกแล้ว" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text

        # Replica B applies it within its config_check_seconds: each try a new submission.
        started, routed = time.monotonic(), []
        while time.monotonic() - started < GIVE_UP_SECONDS:
            routed.append(unit_of_a_new_case(system, db))
            if routed[-1] == "legal":
                break
        assert routed[-1] == "legal", routed
        print(f"\nreplica B routed by the new rule after {len(routed)} submission(s)")
        assert unit_of_a_new_case(system, db) == "legal"  # and every later one
        no_serious_violations(browser)
        shoot(browser, DESKTOP, shots / "admin-routing-th-1280.png")

        # A new member of staff, with a first password kept to the rules.
        browser.get(f"{replica_a}/console/admin/staff")
        browser.find_element(By.ID, "f-username").send_keys("legal.new")
        browser.find_element(By.ID, "f-name").send_keys("ปรียา รักษ์ธรรม")
        browser.find_element(By.ID, "f-email").send_keys("legal.new@siang.invalid")
        Select(browser.find_element(By.ID, "f-role")).select_by_value("staff")
        Select(browser.find_element(By.ID, "f-unit")).select_by_value("legal")
        browser.find_element(By.ID, "f-password").send_keys(NEW_PASSWORD)
        browser.find_element(
            By.CSS_SELECTOR, "form[method=post][action='/console/admin/staff'] button.go"
        ).click()
        WebDriverWait(browser, 20).until(
            lambda d: "/console/admin/staff/legal.new" in d.current_url
        )
        assert "ปรียา รักษ์ธรรม" in browser.page_source and "บันทึกแล้ว" in browser.page_source
        signed_in = httpx.post(
            f"{system.url('workflow')}/v1/auth/login",
            json={"username": "legal.new", "password": NEW_PASSWORD},
        )
        assert signed_in.status_code == 200  # on replica B too
        browser.get(f"{replica_a}/console/admin/staff")
        assert "legal.new" in browser.page_source
        no_serious_violations(browser)
        shoot(browser, DESKTOP, shots / "admin-staff-th-1280.png")

        # The history: newest first, who and what, never the password.
        browser.get(f"{replica_a}/console/admin/history")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
        assert len(rows) == 2
        assert "บัญชีเจ้าหน้าที่: legal.new" in rows[0].text and "(admin)" in rows[0].text
        assert "ตั้งใหม่ (ไม่แสดง)" in rows[0].text
        assert "การส่งต่อเรื่อง" in rows[1].text and "กลุ่มกฎหมายและคดี" in rows[1].text
        assert NEW_PASSWORD not in browser.page_source
        no_serious_violations(browser)
        shoot(browser, DESKTOP, shots / "admin-history-th-1280.png")

        # The same pages in English, on a phone.
        for name, path in (
            ("history", "/console/admin/history?lang=en"),
            ("routing", "/console/admin/routing?lang=en"),
            ("staff", "/console/admin/staff?lang=en"),
        ):
            browser.get(f"{replica_a}{path}")
            loaded(browser)
            assert 'lang="en"' in browser.page_source
            no_serious_violations(browser)
            shoot(browser, PHONE, shots / f"admin-{name}-en-390.png")
        assert "Routing rules" in browser.page_source or "Staff" in browser.page_source
    finally:
        client.close()
