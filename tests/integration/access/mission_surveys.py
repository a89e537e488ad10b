"""What the access test needs of mission satisfaction surveys: an open survey (to read,
answer and send links for), a draft to edit, and a draft per caller to open through the
API and another through the staff page (a survey opens once)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

ROLES = ("public", "channel_key", "staff", "supervisor", "committee", "participation", "admin")


def survey_body() -> dict[str, Any]:
    today = date.today()
    return {
        "title_th": "ความพึงพอใจของผู้ปกครองต่อคุณภาพผู้เรียน",
        "mission_item": "S2",
        "group": "parents",
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "items": [{"id": "teaching", "text_th": "คุณภาพการสอน"}],
        "questions": [{"id": "idea", "text_th": "ข้อเสนอแนะ"}],
    }


def survey_form() -> dict[str, str]:
    """The staff page's form creating a draft, as the browser posts it."""
    body = survey_body()
    return {
        **{k: body[k] for k in ("title_th", "mission_item", "group", "opens_on", "closes_on")},
        "items": "คุณภาพการสอน | Teaching quality",
        "questions": "ข้อเสนอแนะ",
    }


async def surveys_fixtures(http: httpx.AsyncClient, coordinator: dict[str, str]) -> dict[str, Any]:
    async def created() -> str:
        r = await http.post("/v1/mission-surveys", json=survey_body(), headers=coordinator)
        assert r.status_code == 201, r.text
        return str(r.json()["survey_id"])

    open_id = await created()
    r = await http.post(f"/v1/mission-surveys/{open_id}/commands/open", headers=coordinator)
    assert r.status_code == 200, r.text
    r = await http.post(
        f"/v1/mission-surveys/{open_id}/links", json={"recipients": ["a"]}, headers=coordinator
    )
    assert r.status_code == 200, r.text
    return {
        "open_id": open_id,
        "token": r.json()["links"][0]["token"],
        "draft_id": await created(),
        "drafts": {role: await created() for role in ROLES},
        # The staff page opens a draft too: one of its own per caller.
        "page_drafts": {role: await created() for role in ROLES},
        "body": survey_body(),
    }
