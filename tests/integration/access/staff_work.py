"""What the access rows of the coordinator's staff pages need (`web/staff_plan.py`,
`staff_consultations.py`, `staff_outcomes.py`), made through the participation API by the
coordinator: for each caller, a draft consultation of its own to open and a committee
member of its own to retire (each can be done once)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.access.committee_papers import CALLERS
from tests.integration.participation.conftest import consultation_body

# A fiscal year no other row touches: each caller adds an item of its own to it.
PAGE_YEAR = 2575
COMMITTEE_FORM = {
    "name_th": "คณะกรรมการติดตามการรับส่งนักเรียน",
    "order_number": "124/2570",
    "order_signed_on": "2026-10-15",
    "term_starts_on": "2026-11-01",
}
CONSULTATION_FORM = {
    "topic_th": "รถรับส่งนักเรียน",
    "mission_item": "S2",
    "groups": "parents",
    "opens_on": consultation_body()["opens_on"],
    "closes_on": consultation_body()["closes_on"],
    "questions": "* รถมาตรงเวลาหรือไม่ | ตรงเวลา; สาย",
}


def _ok(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code in (200, 201), r.text
    return dict(r.json())


async def staff_work_fixtures(
    http: httpx.AsyncClient, coordinator: dict[str, str], committee_id: str
) -> dict[str, Any]:
    async def draft() -> str:
        body = consultation_body()
        return str(
            _ok(await http.post("/v1/consultations", json=body, headers=coordinator))[
                "consultation_id"
            ]
        )

    async def member(role: str) -> str:
        body = {"name": f"กรรมการหน้าเว็บ {role}", "group": "parents", "starts_on": "2026-11-01"}
        url = f"/v1/committees/{committee_id}/members"
        return str(
            _ok(await http.post(url, json=body, headers=coordinator))["members"][-1]["member_id"]
        )

    return {
        "drafts": {role: await draft() for role in CALLERS},
        "members": {role: await member(role) for role in CALLERS},
    }
