"""The console's queue over a few hundred real case documents (`deploy/local/busy_office.py`):
every case of a filtered queue once, in order, page after page and back; the count; a
case found by its code and by its sender's phone; a case naming the reader never shown;
a bad value answered 422 on the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx

from deploy.local.busy_office import office, write
from shared.contract.vocabulary import ACTIVE_STATUSES, OPEN_STATUSES
from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow
from tests.integration.workflow.test_sessions import csrf_token

CODE = re.compile(r'class="q-code">([^<]+)</a>')


async def sign_in(http: httpx.AsyncClient, username: str) -> None:
    token = csrf_token((await http.get("/console/login")).text)
    ok = await http.post(
        "/console/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert ok.status_code == 303, ok.text
    http.cookies.set("siang_token", ok.cookies["siang_token"])


def codes(page: str) -> list[str]:
    return CODE.findall(page)


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return found.group(1).replace("&amp;", "&") if found else None


async def seeded(workflow: Workflow, count: int) -> list[dict[str, Any]]:
    busy = office(count, datetime.now(UTC), seed=11, days=120)
    await write(workflow.ctx.store.cases.database, busy)
    return busy.cases


async def test_a_unit_queue_page_by_page_and_back(workflow: Workflow) -> None:
    cases = await seeded(workflow, 600)
    http = workflow.http
    await sign_in(http, "promotion.head")
    ours = sorted(
        (c for c in cases if c["unit"] == "promotion"),
        key=lambda c: (c["received_at"], c["_id"]),
        reverse=True,
    )
    first = await http.get("/console?view=unit&status=all")
    assert first.status_code == 200
    assert f"พบ {len(ours):,} เรื่อง" in first.text
    seen, pages, page = [], [first.text], first.text
    while (after := link(page, "next")) is not None:
        page = (await http.get(after)).text
        pages.append(page)
    seen = [code for p in pages for code in codes(p)]
    assert seen == [c["tracking_code"] for c in ours]  # each once, newest first
    assert len(pages) == -(-len(ours) // 50) > 2
    # Back from the last page to the first, the same pages in reverse.
    back = [codes(page)]
    while (before := link(page, "prev")) is not None:
        page = (await http.get(before)).text
        back.append(codes(page))
    assert back == [codes(p) for p in reversed(pages)]


async def test_every_units_list_counts_to_200_and_pages_through_all(workflow: Workflow) -> None:
    """Every unit's cases are read a window of days at a time, and counted only so far
    (each case counted is a case read): past 200 the page says so, every page shows it,
    and the pages still hold every case, newest first."""
    cases = await seeded(workflow, 600)
    http = workflow.http
    await sign_in(http, "admin")
    newest = sorted(cases, key=lambda c: (c["received_at"], c["_id"]), reverse=True)
    page = (await http.get("/console?view=unit&status=all")).text
    seen = codes(page)
    assert "พบมากกว่า 200 เรื่อง" in page
    while (after := link(page, "next")) is not None:
        page = (await http.get(after)).text
        assert "พบมากกว่า 200 เรื่อง" in page
        seen += codes(page)
    assert seen == [c["tracking_code"] for c in newest]


async def test_filters_and_orders(workflow: Workflow) -> None:
    cases = await seeded(workflow, 300)
    http = workflow.http
    await sign_in(http, "promotion.head")
    wanted = [
        c
        for c in cases
        if c["unit"] == "promotion" and c["channel"] == "line" and c["status"] in OPEN_STATUSES
    ]
    page = await http.get("/console?view=unit&channel=line&sort=oldest")
    oldest_first = sorted(wanted, key=lambda c: (c["received_at"], c["_id"]))
    assert codes(page.text) == [c["tracking_code"] for c in oldest_first][:50]
    assert f"พบ {len(wanted):,} เรื่อง" in page.text
    urgent_first = await http.get("/console?view=unit&status=all&sort=priority&lang=en")
    ranks = {"urgent": 3, "high": 2, "normal": 1, "low": 0}
    by_code = {c["tracking_code"]: c for c in cases}
    shown = [ranks[by_code[code]["priority"]] for code in codes(urgent_first.text)]
    assert shown == sorted(shown, reverse=True) and shown[0] == 2  # high before the others


async def test_found_by_code_and_by_phone_but_never_a_case_naming_the_reader(
    workflow: Workflow,
) -> None:
    cases = await seeded(workflow, 200)
    people = {
        d["_id"]: d["contact"]
        async for d in workflow.ctx.store.people.people.find({"contact.phone": {"$exists": 1}})
    }
    case = next(c for c in cases if c["unit"] == "promotion" and c.get("person_id") in people)
    phone = people[case["person_id"]]["phone"]
    await workflow.ctx.store.cases.update_one({"_id": case["_id"]}, {"$set": {"status": "closed"}})
    http = workflow.http
    await sign_in(http, "promotion.head")
    code = case["tracking_code"].lower().replace("-", " ")
    by_code = await http.get("/console", params={"view": "mine", "q": code}, follow_redirects=True)
    assert by_code.url.params["q"] == case["tracking_code"]  # the one address of the search
    assert codes(by_code.text) == [case["tracking_code"]]  # any tab, any status
    spaced = f"{phone[:3]}-{phone[3:6]}-{phone[6:]}"
    by_phone = await http.get("/console", params={"view": "unit", "q": spaced})
    assert by_phone.status_code == 200
    assert case["tracking_code"] in codes(by_phone.text)
    assert phone not in "".join(str(c.get("contact_keys")) for c in cases)
    await workflow.ctx.store.cases.update_one(
        {"_id": case["_id"]}, {"$set": {"excluded_assignees": ["promotion.head"]}}
    )
    hidden = await http.get("/console", params={"view": "mine", "q": case["tracking_code"]})
    assert codes(hidden.text) == [] and "พบ 0 เรื่อง" in hidden.text


async def test_bad_values_are_named_on_the_page(workflow: Workflow) -> None:
    http = workflow.http
    await sign_in(http, "promotion.a")
    page = await http.get(
        "/console",
        params={
            "view": "unit",
            "channel": "pigeon",
            "from": "31/2/2569",
            "after": "x",
            "lang": "en",
        },
    )
    assert page.status_code == 422
    assert "Channel: not one of the choices" in page.text
    assert "Received from: must be a date like 2026-11-05" in page.text
    assert "Page: this link no longer works" in page.text
    assert 'value="31/2/2569"' in page.text  # as typed, to correct


async def test_back_to_the_last_queue(workflow: Workflow) -> None:
    http = workflow.http
    await sign_in(http, "promotion.a")
    assert (await http.get("/console/last")).headers["location"] == "/console"
    await http.get("/console", params={"view": "overdue", "kind": "question"})
    back = await http.get("/console/last")
    assert back.headers["location"] == "/console?view=overdue&kind=question"


async def test_the_deadline_tabs_hold_what_the_clocks_say(workflow: Workflow) -> None:
    cases = await seeded(workflow, 600)
    http = workflow.http
    await sign_in(http, "promotion.head")
    now = datetime.now(UTC)
    active = [c for c in cases if c["unit"] == "promotion" and c["status"] in ACTIVE_STATUSES]
    resolution = [c["clocks"]["resolution"] for c in active]
    soon = workflow.ctx.calendar.add_business_days(now, 3)
    expected = {
        "overdue": sum(r["stopped_at"] is None and r["due_at"] < now for r in resolution),
        "due_soon": sum(r["stopped_at"] is None and now <= r["due_at"] <= soon for r in resolution),
        "escalated": sum(
            any(100 in clock["emitted"] for clock in c["clocks"].values()) for c in active
        ),
    }
    assert all(expected.values()), expected  # the seed has some of each
    for view, n in expected.items():
        page = await http.get("/console", params={"view": view})
        assert f"พบ {n:,} เรื่อง" in page.text, view


async def test_a_committee_member_reads_reports_not_queues(workflow: Workflow) -> None:
    http = workflow.http
    await sign_in(http, "committee")
    for params in ({}, {"view": "unit"}, {"view": "nowhere"}):
        page = await http.get("/console", params=params)
        assert page.status_code == 403 and "q-code" not in page.text, params
