"""A supervisor works through a queue of 2,000 cases in a real browser: finds a case by
its tracking code read out over the phone, finds cases by a word, filters by status,
channel and dates typed in B.E., pages through the whole list and back, and the count
the page gives is the number of cases it lists. Screenshots at 1280 and 390 px, in Thai
and English (`/tmp/shots/queue/`), and on a phone the page never scrolls sideways.

The cases are written straight into the workflow's database as the workflow writes them
(`deploy/local/busy_office.py`): opened by its own opening, lived on through its own
lifecycle, in a year's mix of states."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from deploy.local.busy_office import BusyOffice, office, write
from shared.contract.vocabulary import OPEN_STATUSES
from shared.thai.dates import BANGKOK, to_bangkok
from tests.e2e.system import System

PASSWORD = "siang-demo-2569"
SHOTS = Path("/tmp/shots/queue")
UNIT = "promotion"


@pytest.fixture(scope="module")
def busy(system: System) -> Iterator[BusyOffice]:
    cases = office(2000, datetime.now(UTC), seed=2569)

    async def load() -> None:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(system.mongo_url)
        try:
            await write(client[system.database], cases)
        finally:
            await client.close()

    asyncio.run(load())
    yield cases


def sign_in(browser: webdriver.Chrome, system: System, username: str) -> None:
    browser.get(system.url("workflow") + "/console/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button.go").click()
    WebDriverWait(browser, 30).until(lambda d: "/login" not in d.current_url)


def shown_codes(browser: webdriver.Chrome) -> list[str]:
    return [a.text.strip() for a in browser.find_elements(By.CSS_SELECTOR, "a.q-code")]


def count_said(browser: webdriver.Chrome) -> int:
    text = browser.find_element(By.CSS_SELECTOR, "p.q-count").text
    found = re.search(r"([\d,]+)", text)
    assert found, text
    return int(found.group(1).replace(",", ""))


def go(browser: webdriver.Chrome, rel: str) -> bool:
    """Follow the pager's next or previous link; False when there is none."""
    links = browser.find_elements(By.CSS_SELECTOR, f"nav.q-pager a[rel={rel}]")
    if not links:
        return False
    before = browser.current_url
    links[0].click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url != before)
    return True


def submit(browser: webdriver.Chrome, button: str) -> None:
    before = browser.current_url
    browser.find_element(By.CSS_SELECTOR, button).click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url != before)


def newest_first(case: dict[str, Any]) -> tuple[datetime, str]:
    # As the database keeps them: to the millisecond.
    at = case["received_at"]
    return at.replace(microsecond=at.microsecond // 1000 * 1000), case["_id"]


def be(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year + 543}"


def shoot(browser: webdriver.Chrome, name: str, width: int) -> None:
    """The page at `width`, from its top and, where the list starts below the fold, from
    the list."""
    browser.set_window_size(width, 1100)
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(SHOTS / f"{name}-{width}.png"))
    if browser.find_elements(By.CSS_SELECTOR, "p.q-count") and width < 800:
        browser.execute_script("document.querySelector('p.q-count').scrollIntoView()")
        browser.save_screenshot(str(SHOTS / f"{name}-{width}-list.png"))
    wide = browser.execute_script("return document.documentElement.scrollWidth")
    assert wide <= browser.execute_script("return window.innerWidth"), f"{name} scrolls sideways"


def test_a_supervisor_searches_filters_and_pages_through_2000_cases(
    system: System, busy: BusyOffice, browser: webdriver.Chrome
) -> None:
    ours = [c for c in busy.cases if c["unit"] == UNIT]
    sign_in(browser, system, f"{UNIT}.head")
    browser.get(system.url("workflow") + "/console?view=unit")
    assert "เรื่องในกลุ่มงาน" in browser.title
    assert count_said(browser) == sum(c["status"] in OPEN_STATUSES for c in ours)

    # A tracking code read out over the phone: lower case, spaces; any tab, any status.
    closed = next(c for c in ours if c["status"] == "closed")
    box = browser.find_element(By.ID, "q-q")
    box.send_keys(closed["tracking_code"].lower().replace("-", " "))
    submit(browser, ".q-search button")
    assert shown_codes(browser) == [closed["tracking_code"]]

    # A word of the subject or the description: the unit's open cases that have it.
    word = "นม"
    browser.get(system.url("workflow") + "/console?view=unit")
    browser.find_element(By.ID, "q-q").send_keys(word)
    submit(browser, ".q-search button")
    with_word = sorted(
        (
            c
            for c in ours
            if c["status"] in OPEN_STATUSES and (word in c["subject"] or word in c["description"])
        ),
        key=newest_first,
        reverse=True,
    )
    assert 0 < count_said(browser) == len(with_word)
    assert shown_codes(browser) == [c["tracking_code"] for c in with_word[:50]]

    # Filters: any status, the web form, received over most of the year (typed in B.E.).
    browser.get(system.url("workflow") + "/console?view=unit")
    today = to_bangkok(datetime.now(UTC)).date()
    first, last = today - timedelta(days=300), today - timedelta(days=5)
    browser.find_element(By.CSS_SELECTOR, "details.q-more summary").click()  # no filter yet
    Select(browser.find_element(By.ID, "q-status")).select_by_value("all")
    Select(browser.find_element(By.ID, "q-channel")).select_by_value("web")
    browser.find_element(By.ID, "q-from").send_keys(be(first))
    browser.find_element(By.ID, "q-to").send_keys(be(last))
    submit(browser, ".q-actions button")
    assert "from=" + first.isoformat() in browser.current_url  # the address keeps ISO days
    start = datetime(first.year, first.month, first.day, tzinfo=BANGKOK)
    end = datetime(last.year, last.month, last.day, tzinfo=BANGKOK) + timedelta(days=1)
    wanted = sorted(
        (c for c in ours if c["channel"] == "web" and start <= c["received_at"] < end),
        key=newest_first,
        reverse=True,
    )
    assert len(wanted) > 100, "the seed should give a list of several pages"
    assert count_said(browser) == len(wanted)
    shoot(browser, "filtered-th", 1280)
    # Every case once, newest first, page after page; then back to the first.
    pages = [shown_codes(browser)]
    while go(browser, "next"):
        pages.append(shown_codes(browser))
    assert [code for page in pages for code in page] == [c["tracking_code"] for c in wanted]
    assert count_said(browser) == len(wanted)  # the count is the queue's, on every page
    back = [shown_codes(browser)]
    while go(browser, "prev"):
        back.append(shown_codes(browser))
    assert back == list(reversed(pages))

    # The case page's "back to the list" returns to this queue, filters and page.
    filtered = browser.current_url
    browser.find_element(By.CSS_SELECTOR, "a.q-code").click()
    WebDriverWait(browser, 30).until(lambda d: "/console/cases/" in d.current_url)
    browser.find_element(By.LINK_TEXT, "กลับไปหน้ารายการ").click()
    WebDriverWait(browser, 30).until(lambda d: "/console/cases/" not in d.current_url)
    assert browser.current_url == filtered

    shoot(browser, "filtered-th", 390)
    browser.get(filtered + "&lang=en")
    assert "Unit queue" in browser.title and f"{len(wanted):,} cases" in browser.page_source
    shoot(browser, "filtered-en", 1280)
    shoot(browser, "filtered-en", 390)
    # A bad value is named on the page, in the page's language, never a 500.
    browser.get(system.url("workflow") + "/console?view=unit&from=31/2/2569&lang=en")
    problems = browser.find_element(By.ID, "q-problems").text
    assert "Received from: must be a date" in problems
    shoot(browser, "problem-en", 390)
