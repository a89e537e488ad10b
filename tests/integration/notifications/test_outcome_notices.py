"""When an outcome answering a consultation is published, each person who gave an
opinion and consented to be contacted is told once by e-mail: participation and
notifications built by their real factories, on the real Kafka and MongoDB-wire server,
sending to a real SMTP server. Redelivering the event sends nothing again."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from services.participation.app import create_app as participation_app
from services.participation.settings import ParticipationSettings
from shared.contract import topics
from shared.contract.events import OutcomePublished, make_event, parse_event
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.notifications.conftest import StartService
from tests.support import eventually, read_topic

COORDINATOR = "coord.anong"


async def test_consenting_opinion_givers_hear_of_the_outcome_once(
    start_service: StartService, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    app = participation_app(ParticipationSettings(kafka=kafka_settings, mongo=mongo_settings))
    token = issue_token(
        AuthSettings(), id=COORDINATOR, name="อนงค์", role=StaffRole.participation, unit="policy"
    )
    staff = {"Authorization": f"Bearer {token}"}
    async with start_service() as svc, app.router.lifespan_context(app):
        await app.state.runtime.wait_connected(30)
        await svc.db["staff"].insert_one(
            {"_id": COORDINATOR, "name": "อนงค์", "role": "participation", "unit": "policy"}
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://p") as http:
            today = date.today()
            body = {
                "topic_th": "อาหารกลางวันในโรงเรียนขนาดเล็ก",
                "mission_item": "S2",
                "groups": ["parents"],
                "opens_on": (today - timedelta(days=1)).isoformat(),
                "closes_on": (today + timedelta(days=30)).isoformat(),
                "questions": [{"id": "idea", "kind": "text", "text_th": "ข้อเสนอแนะ"}],
            }
            r = await http.post("/v1/consultations", json=body, headers=staff)
            cid = r.json()["consultation_id"]
            r = await http.post(f"/v1/consultations/{cid}/commands/open", headers=staff)
            assert r.status_code == 200, r.text
            url = f"/v1/public/consultations/{cid}/opinions"
            for who, email, language in (
                ("สมศรี", "somsri@example.com", "th"),
                ("Lek", "lek@example.com", "en"),
            ):
                r = await http.post(
                    url,
                    json={
                        "group": "parents",
                        "answers": {"idea": "ผลไม้ทุกวัน"},
                        "contact": {"name": who, "email": email},
                        "consent": {"contact_me": True},
                        "language": language,
                    },
                )
                assert r.status_code == 201, r.text
            # No contact details left: nobody to tell.
            r = await http.post(url, json={"group": "parents", "answers": {"idea": "นม"}})
            assert r.status_code == 201
            r = await http.post(
                "/v1/outcomes",
                json={
                    "consultation_id": cid,
                    "you_said_th": "อยากให้มีผลไม้ทุกวัน",
                    "we_did_th": "เพิ่มงบผลไม้ในอาหารกลางวันทุกโรงเรียน",
                    "we_did_en": "Fruit added to every school's lunch budget",
                    "owner_unit": "promotion",
                    "status": "done",
                    "published": True,
                },
                headers=staff,
            )
            assert r.status_code == 201, r.text

        async def two_mails() -> bool:
            return len(svc.mailbox.mails) >= 2

        await eventually(two_mails, timeout=60, what="two e-mails")
        assert sorted(r for m in svc.mailbox.mails for r in m.rcpt_tos) == [
            "lek@example.com",
            "somsri@example.com",
        ]
        [thai] = svc.mailbox.to("somsri@example.com")
        assert "ผลการดำเนินการ" in thai.subject
        text = thai.part("plain")
        assert "เพิ่มงบผลไม้ในอาหารกลางวันทุกโรงเรียน" in text and "เรียน สมศรี" in text
        [english] = svc.mailbox.to("lek@example.com")
        assert "Fruit added to every school's lunch budget" in english.part("plain")

        # Redelivered (a relay re-sending after a crash): the same event again, then a
        # new one behind it on the same key; only the new one is told.
        topic = topics.with_prefix(kafka_settings.topic_prefix, topics.PARTICIPATION)
        records = await read_topic(kafka_settings.bootstrap_servers, topic, 6)
        [published] = [
            e
            for e in map(parse_event, (r.value for r in records))
            if isinstance(e.data, OutcomePublished)
        ]
        await svc.publisher.publish(published)
        later = make_event(published.data, source=published.source, subject=published.subject)
        await svc.publisher.publish(later)

        async def four_mails() -> bool:
            return len(svc.mailbox.mails) >= 4

        await eventually(four_mails, timeout=60, what="the later event's e-mails")
        await svc.settled()
        assert len(svc.mailbox.mails) == 4
        assert len(svc.mailbox.to("somsri@example.com")) == 2
