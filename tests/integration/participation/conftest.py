"""A participation service built by its real factory, against the real Kafka and MongoDB.

Staff tokens are checked against workflow's `staff` collection, so the fixture puts the
accounts of its tokens there, as the workflow stores them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.participation.app import create_app
from services.participation.context import ParticipationContext
from services.participation.settings import ParticipationSettings
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.infra.sessions import STAFF_COLLECTION
from shared.infra.settings import KafkaSettings, MongoSettings
from shared.thai.dates import local_date

ACCOUNTS = {
    "admin": ("ประเสริฐ บุญเรือง", StaffRole.admin, None),
    "policy.a": ("พรทิพย์ สายสุวรรณ", StaffRole.participation, "policy"),
    "finance.a": ("อนุชา ทองคำ", StaffRole.staff, "finance"),
}


@dataclass
class Participation:
    app: FastAPI
    http: httpx.AsyncClient
    kafka: KafkaSettings

    @property
    def ctx(self) -> ParticipationContext:
        return self.app.state.ctx  # type: ignore[no-any-return]

    def auth(self, staff_id: str) -> dict[str, str]:
        name, role, unit = ACCOUNTS[staff_id]
        token = issue_token(AuthSettings(), id=staff_id, name=name, role=role, unit=unit)
        return {"Authorization": f"Bearer {token}"}

    async def create(self, **overrides: Any) -> dict[str, Any]:
        r = await self.http.post(
            "/v1/consultations", json=consultation_body(**overrides), headers=self.auth("policy.a")
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def command(self, consultation_id: str, command: str, **payload: Any) -> httpx.Response:
        return await self.http.post(
            f"/v1/consultations/{consultation_id}/commands/{command}",
            json=payload or None,
            headers=self.auth("policy.a"),
        )

    async def opened(self, **overrides: Any) -> str:
        consultation_id = str((await self.create(**overrides))["consultation_id"])
        r = await self.command(consultation_id, "open")
        assert r.status_code == 200, r.text
        return consultation_id

    async def opinion(self, consultation_id: str, **body: Any) -> httpx.Response:
        return await self.http.post(
            f"/v1/public/consultations/{consultation_id}/opinions",
            json={"group": "parents", "answers": {"lunch": "good"}, **body},
        )


def office_today() -> date:
    """Today in Bangkok, as the service reckons it (`ParticipationContext.today`): from
    17:00 UTC it is already a day ahead of the machine's UTC date."""
    return local_date(datetime.now(UTC))


def consultation_body(**overrides: Any) -> dict[str, Any]:
    today = office_today()
    return {
        "topic_th": "อาหารกลางวันในโรงเรียนขนาดเล็ก",
        "topic_en": "Lunches in small schools",
        "description_th": "สำนักงานขอรับฟังความคิดเห็นเรื่องคุณภาพอาหารกลางวัน",
        "mission_item": "S2",
        "groups": ["parents", "teachers", "school-directors"],
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "questions": [
            {
                "id": "lunch",
                "kind": "choice",
                "text_th": "ท่านพอใจกับอาหารกลางวันเพียงใด",
                "text_en": "How satisfied are you with school lunches?",
                "choices": [
                    {"code": "good", "label_th": "พอใจ", "label_en": "Satisfied"},
                    {"code": "fair", "label_th": "พอใช้", "label_en": "Fair"},
                    {"code": "poor", "label_th": "ไม่พอใจ", "label_en": "Not satisfied"},
                ],
                "required": True,
            },
            {"id": "idea", "kind": "text", "text_th": "ข้อเสนอแนะ", "text_en": "Suggestions"},
        ],
        **overrides,
    }


@pytest.fixture
async def participation(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> AsyncIterator[Participation]:
    settings = ParticipationSettings(kafka=kafka_settings, mongo=mongo_settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await app.state.runtime.wait_connected(30)
        ctx: ParticipationContext = app.state.ctx
        await ctx.consultations.consultations.database[STAFF_COLLECTION].insert_many(
            [{"_id": i, "name": n, "role": r.value, "unit": u} for i, (n, r, u) in ACCOUNTS.items()]
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://participation") as http:
            yield Participation(app, http, kafka_settings)
