"""Every page of every service, in Thai and in English, as a screen-reader, keyboard or
phone user meets it: axe-core (`tests/browser/axe.py`) finds no serious or critical
violation of WCAG 2.1 AA or of its best practices, and at 390 px wide (a phone) nothing
pushes the page sideways.

The pages are one table, `PAGES`: a new page is one row (its path, who is signed in, and
the step that brings it up when it is the answer to a form). The system is loaded with
`make dev`'s demo (cases moved through their stories, consultations, a committee and its
meeting, a review, a satisfaction survey), so the pages show what they show in real use.

Each page is saved as a full-page screenshot at desktop and at phone width, in the
directory `SIANG_SCREENSHOTS` names (the test's own temporary directory when unset), for
a person to look at."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from deploy.local import demo_data, demo_participation
from shared.contract.events import Language
from shared.contract.survey_token import SurveySettings, sign_survey_token
from shared.infra.settings import MongoSettings
from shared.thai.fiscal import fiscal_year
from tests.browser.axe import Violation, violations
from tests.browser.chrome import start_chrome
from tests.e2e.system import System

# Signing in hashes a password: slow on a busy machine.
HTTP_TIMEOUT = 30.0
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
# A screenshot taller than this is cut (a queue of a hundred rows says nothing more).
MAX_SHOT_HEIGHT = 6000

Seed = dict[str, str]
Step = Callable[[webdriver.Chrome, Seed], None]


@dataclass(frozen=True)
class Page:
    name: str
    service: str
    # Formatted with the seed's values (`{code}`, `{committee}`...); `<lang>` is the
    # language of the run, for a value kept per language.
    path: str
    # The demo account signed in (formatted like `path`), or None: the public.
    who: str | None = None
    # What a person does on `path` to bring the page up (send a form), if anything.
    then: Step | None = None


# ------------------------------------------------------------------ steps on a page


def _send(browser: webdriver.Chrome, button: str = "main form button[type=submit]") -> None:
    """Press the form's send button and wait for the page it leads to."""
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_elements(By.CSS_SELECTOR, button)[-1].click()
    WebDriverWait(browser, 20).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))


def send_empty(browser: webdriver.Chrome, seed: Seed) -> None:
    """The form sent as it comes: the page that says what is missing."""
    _send(browser)


def send_complaint(browser: webdriver.Chrome, seed: Seed) -> None:
    Select(browser.find_element(By.ID, "kind")).select_by_value("complaint")
    Select(browser.find_element(By.ID, "category")).select_by_value("school-admission")
    browser.find_element(By.ID, "subject").send_keys("ยังไม่ได้รับหนังสือส่งตัว")
    browser.find_element(By.ID, "description").send_keys("ยื่นคำร้องขอย้ายโรงเรียนตั้งแต่ต้นเดือน")
    _send(browser)


def give_pin(browser: webdriver.Chrome, seed: Seed) -> None:
    browser.find_element(By.ID, "pin").send_keys(seed["pin"])
    _send(browser)


def wrong_password(browser: webdriver.Chrome, seed: Seed) -> None:
    browser.find_element(By.ID, "username").send_keys("nobody")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    _send(browser)


def answer_survey(browser: webdriver.Chrome, seed: Seed) -> None:
    browser.find_element(By.ID, "rating-4").click()
    browser.find_element(By.ID, "solved-yes").click()
    _send(browser)


def give_opinion(browser: webdriver.Chrome, seed: Seed) -> None:
    """A group and the first choice of every choice question: enough to be counted."""
    Select(browser.find_element(By.ID, "group")).select_by_index(1)
    asked: set[str] = set()
    for radio in browser.find_elements(By.CSS_SELECTOR, "main form input[type=radio]"):
        if radio.get_attribute("name") not in asked:
            asked.add(radio.get_attribute("name") or "")
            radio.click()
    for box in browser.find_elements(By.CSS_SELECTOR, "main form textarea"):
        box.send_keys("ทดสอบ")
    _send(browser)


def enter_phone_call(browser: webdriver.Chrome, seed: Seed) -> None:
    browser.find_element(By.CSS_SELECTOR, "input[name=channel][value=phone]").click()
    Select(browser.find_element(By.ID, "kind")).select_by_value("question")
    Select(browser.find_element(By.ID, "category")).select_by_index(1)
    browser.find_element(By.ID, "subject").send_keys("สอบถามกำหนดการย้ายครู")
    browser.find_element(By.ID, "description").send_keys("ผู้โทรถามกำหนดการยื่นคำร้องขอย้าย")
    _send(browser)


# ------------------------------------------------------------------ the pages

PAGES: list[Page] = [
    # intake: the public's door
    Page("intake-form", "intake", "/"),
    Page("intake-form-errors", "intake", "/", then=send_empty),
    Page("intake-receipt", "intake", "/", then=send_complaint),
    Page("intake-track-pin", "intake", "/track/{code}"),
    Page("intake-track", "intake", "/track/{code}", then=give_pin),
    Page("intake-survey", "intake", "/survey/{survey}"),
    Page("intake-survey-errors", "intake", "/survey/{survey}", then=send_empty),
    Page("intake-survey-thanks", "intake", "/survey/{survey_<lang>}", then=answer_survey),
    Page("intake-survey-invalid", "intake", "/survey/v1.not.ours"),
    # workflow: the staff console
    Page("console-login", "workflow", "/console/login"),
    Page("console-login-error", "workflow", "/console/login", then=wrong_password),
    Page("console-queue", "workflow", "/console", who="admin"),
    Page("console-queue-unit", "workflow", "/console?view=unit", who="{head}"),
    Page("console-case", "workflow", "/console/cases/{case}", who="{assignee}"),
    Page("console-case-supervisor", "workflow", "/console/cases/{case}", who="{head}"),
    Page("console-new", "workflow", "/console/new", who="{head}"),
    Page("console-new-errors", "workflow", "/console/new", who="{head}", then=send_empty),
    Page("console-new-done", "workflow", "/console/new", who="{head}", then=enter_phone_call),
    Page("console-account", "workflow", "/console/account", who="{assignee}"),
    Page("console-supervisor", "workflow", "/console/supervisor", who="{head}"),
    Page(
        "console-supervisor-person",
        "workflow",
        "/console/supervisor/people/{assignee}",
        who="{head}",
    ),
    Page(
        "console-supervisor-unassigned", "workflow", "/console/supervisor/unassigned", who="{head}"
    ),
    Page("console-admin", "workflow", "/console/admin", who="admin"),
    Page("console-admin-staff", "workflow", "/console/admin/staff", who="admin"),
    Page("console-admin-person", "workflow", "/console/admin/staff/{assignee}", who="admin"),
    Page("console-admin-units", "workflow", "/console/admin/units", who="admin"),
    Page("console-admin-routing", "workflow", "/console/admin/routing", who="admin"),
    Page("console-admin-sla", "workflow", "/console/admin/sla", who="admin"),
    Page("console-admin-closures", "workflow", "/console/admin/closures", who="admin"),
    Page("console-admin-history", "workflow", "/console/admin/history", who="admin"),
    # intake's and notifications' admin pages
    Page("intake-channel-keys", "intake", "/admin/channel-keys", who="admin"),
    Page("notifications-templates", "notifications", "/admin/templates", who="admin"),
    Page("notifications-template", "notifications", "/admin/templates/case_resolved", who="admin"),
    # reporting
    Page("reporting-dashboard", "reporting", "/dashboard", who="admin"),
    Page("reporting-transparency", "reporting", "/transparency"),
    Page("reporting-ita", "reporting", "/reports/ita", who="admin"),
    Page("reporting-participation", "reporting", "/reports/participation", who="admin"),
    Page("reporting-participation-public", "reporting", "/transparency/participation"),
    # participation: the public's pages
    Page("participation-consultations", "participation", "/consultations"),
    Page("participation-open", "participation", "/consultations/{open}"),
    Page("participation-open-errors", "participation", "/consultations/{open}", then=send_empty),
    Page("participation-thanks", "participation", "/consultations/{open}", then=give_opinion),
    Page("participation-concluded", "participation", "/consultations/{concluded}"),
    Page("participation-you-said-we-did", "participation", "/you-said-we-did"),
    Page("participation-missions", "participation", "/missions"),
    Page("participation-survey", "participation", "/mission-surveys/{survey_id}"),
    Page(
        "participation-survey-errors",
        "participation",
        "/mission-surveys/{survey_id}",
        then=send_empty,
    ),
    # participation: the coordinator's pages
    Page("staff-committees", "participation", "/staff/committees", who="coordinator"),
    Page("staff-committee", "participation", "/staff/committees/{committee}", who="coordinator"),
    Page(
        "staff-meeting",
        "participation",
        "/staff/committees/{committee}/meetings/{meeting}",
        who="coordinator",
    ),
    Page("staff-reviews", "participation", "/staff/reviews", who="coordinator"),
    Page("staff-review", "participation", "/staff/reviews/{review}", who="coordinator"),
    Page("staff-missions", "participation", "/staff/missions", who="coordinator"),
    Page("staff-mission-item", "participation", "/staff/missions/{fy}/items/S2", who="coordinator"),
    Page("staff-consultations", "participation", "/staff/consultations", who="coordinator"),
    Page(
        "staff-consultation",
        "participation",
        "/staff/consultations/{concluded}",
        who="coordinator",
    ),
    Page(
        "staff-opinions",
        "participation",
        "/staff/consultations/{open}/opinions",
        who="coordinator",
    ),
    Page("staff-outcomes", "participation", "/staff/outcomes", who="coordinator"),
    Page("staff-outcome", "participation", "/staff/outcomes/{outcome}", who="coordinator"),
    Page("staff-surveys", "participation", "/staff/mission-surveys", who="coordinator"),
    Page("staff-survey", "participation", "/staff/mission-surveys/{survey_id}", who="coordinator"),
]

#: Pages on purpose not checked, and why.
NOT_CHECKED = {
    "/docs, /redoc of every service": "FastAPI's own API explorers, for developers",
    "notifications /admin/templates/{name}/email": "an e-mail's own HTML, as a mail program shows it",
    "intake /admin/channel-keys/{id}/revoke": "the channel-keys page's confirmation, its own form",
    "the mail catcher, the SMS and LINE stand-ins (deploy/local)": "`make dev`'s tools",
}


# ------------------------------------------------------------------ the running system


@pytest.fixture(scope="module")
def seed(system: System) -> Seed:
    """The demo loaded as `make dev` loads it, and the ids the pages' paths name."""
    mongo = MongoSettings(url=system.mongo_url, database=system.database)
    intake, workflow = system.url("intake"), system.url("workflow")
    part = system.url("participation")
    quiet: Callable[[str], None] = lambda _: None  # noqa: E731
    demo = demo_data.ensure_loaded(intake, workflow, mongo=mongo, say=quiet)
    demo_participation.ensure_loaded(part, workflow, mongo=mongo, say=quiet)
    with MongoClient(system.mongo_url) as client:
        markers = client[system.database][demo_data.MARKER_COLLECTION]
        consultations = markers.find_one({"_id": demo_participation.MARKER_ID})["consultations"]
        found = markers.find_one({"_id": demo_participation.COMMITTEES_MARKER_ID})
        survey_id = markers.find_one({"_id": demo_participation.SURVEYS_MARKER_ID})["survey"]
    auth = {"Authorization": f"Bearer {_token(workflow, 'admin')}"}
    with httpx.Client(headers=auth, timeout=HTTP_TIMEOUT) as api:
        cases = api.get(f"{workflow}/v1/cases", params={"limit": 200}).json()["cases"]
        status = {
            cid: api.get(f"{part}/v1/consultations/{cid}").json()["status"] for cid in consultations
        }
        meetings = api.get(f"{part}/v1/committees/{found['committee']}/meetings").json()
        year = fiscal_year(datetime.now(UTC).date())
        outcomes = api.get(f"{part}/v1/outcomes", params={"fiscal_year": year}).json()
    working = next(c for c in cases if c["status"] == "in_progress" and c["assignee"])
    closed = [c["case_id"] for c in cases if c["status"] in ("closed", "resolved")]
    sample = demo["samples"][0]
    secret = SurveySettings().secret.get_secret_value()
    later = datetime.now(UTC) + timedelta(days=7)

    def survey(case_id: str) -> str:
        return sign_survey_token(case_id, secret=secret, language=Language.th, expires_at=later)

    return {
        "code": sample["tracking_code"],
        "pin": sample["tracking_pin"],
        "case": working["case_id"],
        "assignee": working["assignee"],
        "head": f"{working['unit']}.head",
        "survey": survey(closed[0]),
        "survey_th": survey(closed[1]),
        "survey_en": survey(closed[2]),
        "open": next(c for c, s in status.items() if s == "open"),
        "concluded": next(c for c, s in status.items() if s == "concluded"),
        "committee": found["committee"],
        "meeting": meetings["meetings"][0]["meeting_id"],
        "review": found["review"],
        "outcome": outcomes["outcomes"][0]["outcome_id"],
        "survey_id": survey_id,
        "fy": str(year),
    }


def _token(workflow: str, user: str) -> str:
    answer = httpx.post(
        f"{workflow}/v1/auth/login",
        json={"username": user, "password": demo_data.demo_password()},
        timeout=HTTP_TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = start_chrome(tmp_path_factory.mktemp("chrome") / "profile")
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    named = os.environ.get("SIANG_SCREENSHOTS")
    where = Path(named) if named else tmp_path_factory.mktemp("screenshots")
    where.mkdir(parents=True, exist_ok=True)
    return where


@pytest.fixture(scope="module")
def tokens() -> dict[str, str]:
    """Each demo account's session token, signed in once."""
    return {}


def _sign_in(
    browser: webdriver.Chrome, system: System, who: str | None, tokens: dict[str, str]
) -> None:
    """The session cookie of `who` (none for the public): the console's cookie, which the
    participation and reporting pages on the same host read too."""
    browser.get(system.url("intake") + "/healthz")
    browser.delete_all_cookies()
    if who is not None:
        if who not in tokens:
            tokens[who] = _token(system.url("workflow"), who)
        browser.add_cookie({"name": "siang_token", "value": tokens[who], "path": "/"})


def _full_page(browser: webdriver.Chrome, path: Path) -> None:
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {
        "x": 0,
        "y": 0,
        "width": size["width"],
        "height": min(size["height"], MAX_SHOT_HEIGHT),
        "scale": 1,
    }
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path.write_bytes(base64.b64decode(shot["data"]))


# Which elements stick out past the right edge (outside any box that scrolls on its own).
_STICKING_OUT = """
const width = document.documentElement.clientWidth;
const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
  const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
  return false; };
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.classList.length ? '.' + [...el.classList].join('.') : '');
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= width + 1 || scrolls(el)) continue;
  const inner = [...el.children].some(c => c.getBoundingClientRect().right > width + 1);
  if (!inner) out.push(name(el) + ' ' + Math.round(r.right) + 'px: ' + (el.textContent || '').trim().slice(0, 40));
}
return {width: width, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 8)};
"""


def _on_a_phone(browser: webdriver.Chrome, shot: Path) -> tuple[list[Violation], list[str]]:
    """What axe finds at 390 px (a table that scrolls on its own, say), and what sticks
    out past the screen's right edge."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        found: dict[str, Any] = browser.execute_script(_STICKING_OUT)
        broken = violations(browser)
        _full_page(browser, shot)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    if found["scrollWidth"] <= found["width"]:
        return broken, []
    return broken, [f"{found['scrollWidth']}px wide at {found['width']}px: {found['out']}"]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_is_accessible_and_fits_a_phone(
    page: Page,
    lang: str,
    system: System,
    seed: Seed,
    chrome: webdriver.Chrome,
    shots: Path,
    tokens: dict[str, str],
) -> None:
    path = page.path.replace("<lang>", lang).format_map(seed)
    who = page.who.format_map(seed) if page.who else None
    _sign_in(chrome, system, who, tokens)
    url = system.url(page.service) + path + ("&" if "?" in path else "?") + f"lang={lang}"
    chrome.get(url)
    if page.then is not None:
        page.then(chrome, seed)
    html = chrome.find_element(By.TAG_NAME, "html")
    shown = chrome.find_element(By.TAG_NAME, "body").text[:300]
    assert html.get_attribute("lang") == lang, f"{chrome.current_url} is not in {lang}: {shown}"
    found = violations(chrome)
    _full_page(chrome, shots / f"{page.name}-{lang}.png")
    on_phone, too_wide = _on_a_phone(chrome, shots / f"{page.name}-{lang}-phone.png")
    found += [v for v in on_phone if v not in found]
    for v in found:
        print(f"{page.name} [{lang}] {v.describe()}")
    blocking = [v.describe() for v in found if v.blocking]
    assert not blocking and not too_wide, "\n".join(
        [f"{chrome.current_url} ({page.name}, {lang}):", *blocking, *too_wide]
    )
