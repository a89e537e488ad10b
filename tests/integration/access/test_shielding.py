"""A misconduct complaint that names a member of staff is never theirs to see: not in a
case list (whatever the filter or search), not by its id (the API and the console answer
404, as for a case that does not exist, not 403, which would tell it exists), not as a
target of their commands, not in a report or an export, and no notice about it is ever
addressed to them. A colleague of the same unit who is not named sees it, so what hides
it is the naming, not the unit."""

from __future__ import annotations

import re
from typing import Any

from services.notifications.adapters.ledger import COLLECTION as LEDGER
from services.notifications.adapters.ledger import stored_notice
from shared.infra.mongo import Document
from tests.integration.access.calls import BODY
from tests.integration.access.office import Office
from tests.support import eventually

NAMED = "admin.b"  # อนุชา ทองคำ, staff of unit admin
COLLEAGUE = "admin.a"  # staff of unit admin, not named
SUBJECT = "เจ้าหน้าที่เรียกรับเงินค่าออกหนังสือรับรอง"
DESCRIPTION = "เจ้าหน้าที่ขอเงิน 500 บาทก่อนจะออกหนังสือรับรองให้ โดยไม่มีใบเสร็จ"
MISCONDUCT: dict[str, Any] = {
    "kind": "complaint",
    "complaint_type": "misconduct",
    "category": "documents",
    "subject": SUBJECT,
    "description": DESCRIPTION,
    # By name, as a complainant would write it: the workflow finds the account.
    "named_person": "อนุชา ทองคำ",
    "contact": {"name": "สมหญิง รักดี", "email": "somying@example.com"},
    "consent": {"contact_me": True},
}


def without_tokens(html: str) -> str:
    """A page without its forms' CSRF tokens (each request's nonce is new)."""
    return re.sub(r'name="csrf_token" value="[0-9a-f]+"', 'name="csrf_token"', html)


def shows(text: str, secrets: tuple[str, ...]) -> list[str]:
    return [s for s in secrets if s in text]


async def test_the_person_a_misconduct_complaint_names_never_sees_it(office: Office) -> None:
    other_id, _, _ = await office.submit(BODY)
    case_id, code, _ = await office.submit(MISCONDUCT)
    case = await office.workflow.store.cases.find_one({"_id": case_id})
    assert case is not None
    assert NAMED in case["excluded_assignees"] and case["assignee"] != NAMED
    secrets = (case_id, code, SUBJECT, DESCRIPTION[:20])
    wf = office.http["workflow"]
    named = await office.bearer(NAMED)

    # Every list the API gives them, whatever they filter or search for.
    for params in (
        {},
        {"unit": "admin"},
        {"text": "เรียกรับเงิน"},
        {"status": "assigned"},
        {"kind": "complaint"},
        {"assignee": case["assignee"]},
        {"priority": case["priority"]},
        {"limit": 200},
    ):
        r = await wf.get("/v1/cases", params=params, headers=named)
        assert r.status_code == 200, r.text
        assert shows(r.text, secrets) == [], params
    mine = await wf.get("/v1/cases", headers=named)
    assert other_id in mine.text  # their unit's other case is there: the list works
    colleague = await wf.get("/v1/cases", headers=await office.bearer(COLLEAGUE))
    assert case_id in colleague.text  # not named: sees it

    # By id: 404, the very answer a case that does not exist gets.
    detail = await wf.get(f"/v1/cases/{case_id}", headers=named)
    nothing = await wf.get("/v1/cases/c-00000000000000000000", headers=named)
    assert detail.status_code == nothing.status_code == 404
    assert detail.json()["error"]["code"] == nothing.json()["error"]["code"] == "not_found"
    comment = {"text": "ขอชี้แจง", "visibility": "internal"}
    act = await wf.post(f"/v1/cases/{case_id}/commands/comment", json=comment, headers=named)
    assert act.status_code == 404
    # Nor as the case a merge folds theirs into: "not a case", as for an unknown id.
    merges = [
        await wf.post(
            f"/v1/cases/{other_id}/commands/merge",
            json={"into_case_id": into, "reason": "ซ้ำ"},
            headers=named,
        )
        for into in (case_id, "c-00000000000000000000")
    ]
    assert [m.status_code for m in merges] == [422, 422], [m.text for m in merges]
    assert merges[0].json()["error"] == merges[1].json()["error"] | {
        "details": merges[0].json()["error"]["details"]
    }
    assert shows(merges[0].text, secrets) == []

    # The console: the queue (theirs and the unit's, open and all), the case page, a form.
    token = await office.token(NAMED)
    for params in ({}, {"view": "unit"}, {"view": "unit", "status": "all"}):
        page = await office.send("workflow", "staff", method="GET", path="/console",
                                 params=params, page=True, token=token)  # fmt: skip
        assert page.status_code == 200
        assert shows(page.text, secrets) == [], params
    # The case page and a form posted to it: the "not found" page an unknown id gets (the
    # page links to its own address, so the id the caller typed is on both).
    unknown = "c-00000000000000000000"
    for method, suffix, form, guard in (
        ("GET", "", None, False),
        ("POST", "/comment", comment, True),
    ):
        pages = [
            await office.send("workflow", "staff", method=method, path=f"/console/cases/{c}{suffix}",
                              form=form, page=True, csrf_form=guard, token=token)
            for c in (case_id, unknown)
        ]  # fmt: skip
        assert [p.status_code for p in pages] == [404, 404], method
        assert without_tokens(pages[0].text.replace(case_id, unknown)) == without_tokens(
            pages[1].text
        ), method

    # Reporting: once the case is counted, no report, export or page names it.
    rep = office.http["reporting"]
    admin = await office.bearer("admin")

    async def counted() -> bool:
        r = await rep.get(
            "/v1/reports/summary", params={"complaint_type": "misconduct"}, headers=admin
        )
        return r.status_code == 200 and r.json()["summary"]["received"] >= 1

    await eventually(counted, timeout=60, what="the misconduct case in the reports")
    for path in (
        "/v1/reports/summary",
        "/v1/reports/timeseries",
        "/v1/reports/sla",
        "/v1/reports/satisfaction",
        "/v1/reports/stages",
        "/v1/reports/statuses",
        "/v1/reports/notifications",
    ):
        for fmt in ("json", "csv"):
            params = (
                {"format": fmt, "group_by": "unit"}
                if path != "/v1/reports/stages"
                else {"format": fmt}
            )
            r = await rep.get(path, params=params, headers=named)
            assert r.status_code == 200, (path, r.text)
            assert shows(r.text, secrets) == [], path
    # The figures of their own unit leave the complaint out (it went to a supervisor),
    # so no grouping by month or channel can single it out; a filter on the type is
    # refused. The supervisor of the unit still counts it.
    tells = await rep.get(
        "/v1/reports/summary",
        params={"complaint_type": "misconduct", "group_by": "month"},
        headers=named,
    )
    assert tells.status_code == 403, tells.text
    boss = await office.bearer("admin.head")  # the supervisor of their unit

    async def received(headers: dict[str, str], **params: str) -> int:
        r = await rep.get("/v1/reports/summary", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return int(r.json()["summary"]["received"])

    assert await received(boss, complaint_type="misconduct") == 1
    assert await received(named) == await received(boss) - 1
    for group in ("month", "channel", "complaint_type"):
        r = await rep.get("/v1/reports/summary", params={"group_by": group}, headers=named)
        assert "misconduct" not in r.text and r.status_code == 200, group
    for path, params in (
        ("/dashboard", {}),
        ("/reports/ita", {"format": "csv"}),
        ("/reports/ita", {}),
    ):
        r = await office.send("reporting", "staff", method="GET", path=path, params=params,
                              page=True, token=token)  # fmt: skip
        assert r.status_code == 200 and shows(r.text, secrets) == [], path

    # Notifications: the case's notices went out, and none to the person it names.
    ledger = office.apps["notifications"].state.runtime.db[LEDGER]

    async def planned() -> list[Document]:
        return [row async for row in ledger.find({"case_id": case_id})]

    rows = await eventually(planned, timeout=60, what="the misconduct case's notices")
    assert {r["template"] for r in rows} >= {"case_assigned"}
    recipients: set[Any] = {stored_notice(r).recipient for r in rows}
    assert NAMED not in recipients and case["assignee"] in recipients
    addressed = [r async for r in ledger.find({"notice": {"$exists": True}})]
    assert all(r["case_id"] != case_id for r in addressed if stored_notice(r).recipient == NAMED)
