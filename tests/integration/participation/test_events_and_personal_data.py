"""What leaves the service: the outbox publishes the events of a consultation's life to
`siang.participation.v1`, in order, keyed by consultation; a person's contact details
end up in the personal-data store only, never in an opinion, an event or Kafka."""

from __future__ import annotations

import orjson

from shared.contract import topics
from shared.contract.events import parse_event
from shared.infra.personal_data import PEOPLE, READS
from tests.integration.participation.conftest import Participation
from tests.support import eventually, read_topic

EMAIL = "malee.jaingam@example.com"
NAME = "มาลี ใจงาม"


async def test_the_outbox_publishes_a_consultations_events_to_kafka(
    participation: Participation,
) -> None:
    p = participation
    cid = await p.opened()
    assert (await p.opinion(cid, group="teachers")).status_code == 201
    assert (await p.command(cid, "close")).status_code == 200
    assert (await p.command(cid, "conclude", summary="ครูขอครัวใหม่")).status_code == 200
    outcome = await p.http.post(
        "/v1/outcomes",
        json={
            "consultation_id": cid,
            "you_said_th": "ครัวเล็กเกินไป",
            "we_did_th": "ของบปรับปรุงครัว",
            "owner_unit": "finance",
        },
        headers=p.auth("policy.a"),
    )
    assert outcome.status_code == 201, outcome.text
    r = await p.http.patch(
        f"/v1/outcomes/{outcome.json()['outcome_id']}",
        json={"status": "in_progress", "published": True},
        headers=p.auth("policy.a"),
    )
    assert r.status_code == 200, r.text

    topic = topics.with_prefix(p.kafka.topic_prefix, topics.PARTICIPATION)
    records = await read_topic(p.kafka.bootstrap_servers, topic, 7)
    events = [parse_event(r.value) for r in records]
    assert [e.type.split(".")[-2] for e in events] == [
        "consultation_opened",
        "opinion_received",
        "consultation_closed",
        "consultation_concluded",
        "outcome_recorded",
        "outcome_updated",
        # First shown on "you said, we did": the opinion left no contact, nobody to tell.
        "outcome_published",
    ]
    assert events[6].data.people == [] and events[6].data.we_did_th == "ของบปรับปรุงครัว"
    assert {r.key.decode() for r in records} == {cid}
    assert events[1].data.group == "teachers" and events[1].data.answered == 1
    assert events[2].data.by_group == {"teachers": 1}
    assert events[5].data.to_status == "in_progress" and events[5].data.published

    # The publisher marks its rows sent only after Kafka took them, so a reader may see
    # the records a moment before the rows are gone.
    async def outbox_empty() -> bool:
        return await p.ctx.consultations.outbox.pending_count() == 0

    await eventually(outbox_empty, what="the outbox to be emptied")


async def test_contact_details_end_up_only_in_the_personal_data_store(
    participation: Participation,
) -> None:
    p = participation
    cid = await p.opened()
    r = await p.opinion(
        cid,
        answers={"lunch": "poor", "idea": "อยากให้มีผลไม้"},
        contact={"name": NAME, "email": EMAIL},
        consent={"contact_me": True},
    )
    assert r.status_code == 201, r.text
    opinion_id = r.json()["opinion_id"]

    # Without consent the details are refused, not silently kept.
    r = await p.opinion(cid, contact={"email": EMAIL})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "consent.contact_me"

    db = p.ctx.consultations.consultations.database
    opinion = await db["participation_opinions"].find_one({"_id": opinion_id})
    assert opinion is not None and opinion["person_id"]
    person = await db[PEOPLE].find_one({"_id": opinion["person_id"]})
    assert person is not None and person["contact"] == {"name": NAME, "email": EMAIL}
    assert person["source"] == "participation"

    # Nowhere else: not in any other collection, not on Kafka.
    for name in await db.list_collection_names():
        if name in (PEOPLE, READS):
            continue
        async for doc in db[name].find({}):
            text = orjson.dumps(doc, default=str).decode()
            assert EMAIL not in text and NAME not in text, f"contact found in {name}"
    topic = topics.with_prefix(p.kafka.topic_prefix, topics.PARTICIPATION)
    records = await read_topic(p.kafka.bootstrap_servers, topic, 2)
    assert all(EMAIL.encode() not in r.value and NAME.encode() not in r.value for r in records)
    received = parse_event(records[-1].value)
    assert received.data.with_contact is True

    # Staff see that there is a contact; a coordinator reads it, and the read is logged.
    listed = (
        await p.http.get(f"/v1/consultations/{cid}/opinions", headers=p.auth("finance.a"))
    ).json()
    assert listed["opinions"][0]["with_contact"] and "contact" not in listed["opinions"][0]
    url = f"/v1/consultations/{cid}/opinions/{opinion_id}/contact"
    assert (await p.http.get(url, headers=p.auth("finance.a"))).status_code == 403
    r = await p.http.get(url, params={"purpose": "ตอบกลับเรื่องผลไม้"}, headers=p.auth("policy.a"))
    assert r.json()["contact"]["email"] == EMAIL
    read = await db[READS].find_one({"person_id": opinion["person_id"]})
    assert read is not None and read["staff_id"] == "policy.a" and read["about"] == opinion_id
