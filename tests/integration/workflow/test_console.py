"""The staff console: sign in, see my queue, open a case, resolve it with a form (each
post carrying the CSRF token its page gave)."""

from __future__ import annotations

import re

from services.workflow.handlers.submissions import case_id_for
from tests.integration.workflow.conftest import DEMO_PASSWORD, Workflow
from tests.integration.workflow.test_sessions import csrf_token
from tests.support import eventually


async def test_staff_resolve_a_case_through_the_console(workflow: Workflow) -> None:
    sub = await workflow.submit(subject="ขอใบรับรองผลการเรียน")

    async def probe():
        return await workflow.ctx.store.cases.find_one({"_id": case_id_for(sub.submission_id)})

    case = await eventually(probe, what="case opened")
    http = workflow.http
    assert (await http.get("/console")).status_code == 303
    signing_in = csrf_token((await http.get("/console/login")).text)
    wrong = await http.post(
        "/console/login",
        data={"username": case["assignee"], "password": "nope", "csrf_token": signing_in},
    )
    assert wrong.status_code == 401 and "ไม่ถูกต้อง" in wrong.text
    ok = await http.post(
        "/console/login",
        data={"username": case["assignee"], "password": DEMO_PASSWORD, "csrf_token": signing_in},
    )
    assert ok.status_code == 303
    http.cookies.set("siang_token", ok.cookies["siang_token"])
    queue = await http.get("/console")
    assert "ขอใบรับรองผลการเรียน" in queue.text and sub.tracking_code in queue.text
    page = await http.get(f"/console/cases/{case['_id']}")
    assert "เริ่มดำเนินการ" in page.text and "มาลี" not in page.text  # no consent to share the name
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    token = csrf_token(page.text)
    started = await http.post(
        f"/console/cases/{case['_id']}/start",
        data={"version": version.group(1), "csrf_token": token},
    )
    assert started.status_code == 303
    stale = await http.post(
        f"/console/cases/{case['_id']}/comment",
        data={
            "version": version.group(1),
            "text": "x",
            "visibility": "internal",
            "csrf_token": token,
        },
    )
    assert stale.status_code == 409 and "ถูกแก้ไขโดยผู้อื่น" in stale.text
    page = await http.get(f"/console/cases/{case['_id']}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    empty = await http.post(
        f"/console/cases/{case['_id']}/resolve",
        data={"version": version.group(1), "csrf_token": token},
    )
    assert empty.status_code == 422 and "public_answer" in empty.text
    done = await http.post(
        f"/console/cases/{case['_id']}/resolve",
        data={
            "version": version.group(1),
            "public_answer": "จัดส่งทางไปรษณีย์แล้ว",
            "csrf_token": token,
        },
    )
    assert done.status_code == 303
    final = await http.get(done.headers["location"])
    assert "บันทึกแล้ว" in final.text and "จัดส่งทางไปรษณีย์แล้ว" in final.text
    english = await http.get(f"/console/cases/{case['_id']}?lang=en")
    assert "Resolved" in english.text and "Deadlines" in english.text
