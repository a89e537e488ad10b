"""Opinions through every channel: a submission to intake's API carrying
`consultation_id` is checked against intake's copy of the consultation (kept from
participation's events on Kafka) and counted by the participation service, which
consumes the submissions, once. Both services run by their real factories against the
real Kafka and MongoDB-wire server."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from shared.contract import topics
from shared.contract.events import make_event, parse_event
from shared.infra.mongo import Document
from shared.infra.personal_data import PEOPLE
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.participation.conftest import Participation
from tests.support import eventually, read_topic

OPINION = {
    "kind": "suggestion",
    "category": "public-consultation",
    "subject": "อาหารกลางวัน",
    "description": "อยากให้มีผลไม้ทุกวัน",
    "stakeholder_group": "teachers",
    "answers": {"lunch": "poor", "idea": "ผลไม้"},
    "contact": {"email": "somsri@example.com"},
    "consent": {"contact_me": True},
}


@contextlib.asynccontextmanager
async def intake(kafka: KafkaSettings, mongo: MongoSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_intake(IntakeSettings(kafka=kafka, mongo=mongo, web_burst=1000))
    async with app.router.lifespan_context(app):
        await app.state.runtime.wait_connected(60)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://intake", timeout=30
        ) as client:
            yield client


async def known_to_intake(client: httpx.AsyncClient, consultation_id: str, status: int) -> None:
    """Wait until intake's copy of the consultation is open (`status` 422: it refuses an
    answer that is not a choice, naming the answer) or closed (409)."""

    async def answered() -> bool:
        r = await client.post(
            "/v1/submissions",
            json={**OPINION, "consultation_id": consultation_id, "answers": {"lunch": "x"}},
        )
        if r.status_code == 422:
            return status == 422 and r.json()["fields"][0]["field"] == "answers.lunch"
        return r.status_code == status

    await eventually(answered, timeout=30, interval=0.3)


async def tally(p: Participation, consultation_id: str) -> Document:
    doc = await p.ctx.consultations.get(consultation_id)
    return dict(doc.get("tally") or {})


async def test_an_api_opinion_is_counted_once_and_closed_or_unknown_ones_are_refused(
    participation: Participation, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    p = participation
    cid = await p.opened()
    async with intake(kafka_settings, mongo_settings) as client:
        await known_to_intake(client, cid, 422)
        r = await client.post(
            "/v1/submissions", json={**OPINION, "consultation_id": cid, "stakeholder_group": "x"}
        )
        assert r.status_code == 422 and r.json()["fields"][0]["field"] == "stakeholder_group"

        r = await client.post("/v1/submissions", json={**OPINION, "consultation_id": cid})
        assert r.status_code == 202, r.text
        letter = {k: v for k, v in OPINION.items() if k not in ("answers", "stakeholder_group")}
        r = await client.post("/v1/submissions", json={**letter, "consultation_id": cid})
        assert r.status_code == 202, r.text

        async def counted() -> bool:
            return (await tally(p, cid)).get("total") == 2

        await eventually(counted, timeout=30)
        counts = await tally(p, cid)
        assert counts["by_group"] == {"teachers": 1, "unspecified": 1}
        assert counts["by_question"]["lunch"]["choices_by_group"] == {"teachers": {"poor": 1}}
        opinions = await p.ctx.consultations.opinions_of(cid)
        assert {o["channel"] for o in opinions} == {"web"}
        assert [o.get("comment") for o in opinions].count("อาหารกลางวัน\n\nอยากให้มีผลไม้ทุกวัน") == 1
        # The contact went to the personal-data store (by intake); the opinion names the person.
        person_ids = [o["person_id"] for o in opinions]
        assert all(person_ids) and "somsri" not in repr(opinions)
        people = p.ctx.consultations.consultations.database[PEOPLE]
        assert await people.count_documents({"_id": {"$in": person_ids}}) == 2

        # The submissions delivered again (a redelivery, a re-publish): counted once.
        topic = topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS)
        records = await read_topic(kafka_settings.bootstrap_servers, topic, 2)
        for record in records:
            event = parse_event(record.value)
            await p.app.state.runtime.publisher.publish(event)
            again = make_event(event.data, source="/siang/intake", subject=event.subject)
            await p.app.state.runtime.publisher.publish(again)
        staff = await p.http.get(f"/v1/consultations/{cid}/opinions", headers=p.auth("policy.a"))
        assert staff.status_code == 200 and len(staff.json()["opinions"]) == 2
        assert (await tally(p, cid))["total"] == 2

        # Closed: 409 in the caller's language; unknown: 422 naming consultation_id.
        assert (await p.command(cid, "close")).status_code == 200
        await known_to_intake(client, cid, 409)
        r = await client.post(
            "/v1/submissions",
            json={**OPINION, "consultation_id": cid},
            headers={"Accept-Language": "en"},
        )
        assert r.status_code == 409
        assert r.json()["error"] == "consultation_not_open" and "closed" in r.json()["message"]
        r = await client.post("/v1/submissions", json={**OPINION, "consultation_id": "cn-nowhere"})
        assert r.status_code == 422
        assert [f["field"] for f in r.json()["fields"]] == ["consultation_id"]

        # The web form says the same, in Thai first.
        form: dict[str, Any] = {
            "kind": "feedback",
            "category": "public-consultation",
            "subject": "อาหาร",
            "description": "ขอผลไม้",
            "consultation_id": cid,
        }
        page = await client.post("/submit", data=form)
        assert page.status_code == 409 and "ปิดรับความคิดเห็นแล้ว" in page.text
        page = await client.post("/submit?lang=en", data={**form, "consultation_id": "cn-nowhere"})
        assert page.status_code == 422 and "no published consultation" in page.text
    assert (await tally(p, cid))["total"] == 2
