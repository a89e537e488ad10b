"""What the access rows of a committee's papers, meetings and reviews need, made through
the participation API by the coordinator: the `committee` caller seated on the fixture
committee (so it reads that committee's papers), an order document, an open meeting, and
one meeting or review per caller for each command that can be given only once."""

from __future__ import annotations

from typing import Any

import httpx

from deploy.local.demo_documents import one_page_pdf

CALLERS = ("public", "channel_key", "staff", "supervisor", "committee", "participation", "admin")
ORDER_PDF = one_page_pdf("Order 123/2570")
ORDER_FORM = {"number": "123/2570", "signed_on": "2026-10-15"}
MEETING_DAY = "2026-11-15"
REVIEW = {"title_th": "ทบทวนผลการดำเนินงาน", "mission_item": "S2", "kind": "meeting"}
HELD = {"held_on": "2026-11-20", "participants_by_group": {"parents": 5}}
FINDINGS = {"findings": ["ผู้ปกครองพอใจ"]}


def _ok(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code in (200, 201), r.text
    return dict(r.json())


async def papers_fixtures(
    http: httpx.AsyncClient, coordinator: dict[str, str], committee_id: str, committee_account: str
) -> dict[str, Any]:
    base = f"/v1/committees/{committee_id}"
    seated = _ok(
        await http.post(
            f"{base}/members",
            json={
                "name": "กรรมการผู้ใช้ระบบ",
                "group": "teachers",
                "starts_on": "2026-11-01",
                "staff_id": committee_account,
            },
            headers=coordinator,
        )
    )
    member_id = seated["members"][-1]["member_id"]
    order = _ok(
        await http.post(
            f"{base}/orders",
            data=ORDER_FORM,
            files={"file": ("order.pdf", ORDER_PDF, "application/pdf")},
            headers=coordinator,
        )
    )
    meeting = {
        "held_on": MEETING_DAY,
        "agenda": ["รับรองรายงานการประชุม"],
        "attendance": {member_id: "present"},
        "minutes": "ที่ประชุมรับทราบ",
        "resolutions": [{"text": "เห็นชอบ", "mission_item": "S2"}],
    }

    async def new_meeting() -> str:
        return str(
            _ok(await http.post(f"{base}/meetings", json=meeting, headers=coordinator))[
                "meeting_id"
            ]
        )

    async def planned() -> str:
        body = {**REVIEW, "planned_on": "2026-11-15"}
        return str(_ok(await http.post("/v1/reviews", json=body, headers=coordinator))["review_id"])

    async def held() -> str:
        review_id = await planned()
        _ok(await http.post(f"/v1/reviews/{review_id}/hold", json=HELD, headers=coordinator))
        return review_id

    return {
        "order_id": order["order_id"],
        "meeting": meeting,
        "meeting_id": await new_meeting(),
        "closing": {role: await new_meeting() for role in CALLERS},
        "page_closing": {role: await new_meeting() for role in CALLERS},
        "review_id": await planned(),
        "planned": {role: await planned() for role in CALLERS},
        "page_planned": {role: await planned() for role in CALLERS},
        "held": {role: await held() for role in CALLERS},
    }
