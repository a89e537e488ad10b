"""A review of performance with stakeholders (measure 2.1) through the API on the real
Kafka and MongoDB-wire server: planned against a mission item, held with participants
counted per group, reported with findings and the outcome they led to; out of turn it is
409, bad input 422 naming the field; its three events on Kafka, keyed by the review."""

from __future__ import annotations

from datetime import timedelta

from shared.contract import topics
from shared.contract.events import parse_event
from shared.thai.fiscal import fiscal_year
from tests.integration.participation.conftest import Participation, office_today
from tests.support import read_topic


async def test_a_review_planned_held_and_reported(participation: Participation) -> None:
    p = participation
    coordinator = p.auth("policy.a")
    today = office_today()
    draft = {
        "title_th": "ทบทวนผลการดำเนินงานด้านอาหารกลางวัน ครึ่งปีแรก",
        "mission_item": "S2",
        "kind": "meeting",
        "planned_on": today.isoformat(),
    }
    assert (
        await p.http.post("/v1/reviews", json=draft, headers=p.auth("finance.a"))
    ).status_code == 403
    r = await p.http.post("/v1/reviews", json={**draft, "mission_item": "Z9"}, headers=coordinator)
    assert r.status_code == 409 and r.json()["error"]["details"]["field"] == "mission_item"
    r = await p.http.post("/v1/reviews", json={**draft, "kind": "party"}, headers=coordinator)
    assert r.status_code == 422
    r = await p.http.post("/v1/reviews", json=draft, headers=coordinator)
    assert r.status_code == 201, r.text
    review = r.json()
    rid = review["review_id"]
    assert review["status"] == "planned" and review["fiscal_year"] == fiscal_year(today)
    assert review["allowed_commands"] == ["hold"]

    findings = {"findings": ["ผู้ปกครองพอใจผลไม้ที่เพิ่มขึ้น", "ครูยังต้องช่วยทำอาหาร"]}
    r = await p.http.post(f"/v1/reviews/{rid}/report", json=findings, headers=coordinator)
    assert r.status_code == 409 and r.json()["error"]["details"]["status"] == "planned"

    held = {
        "held_on": today.isoformat(),
        "participants_by_group": {"parents": 12, "teachers": 5, "community": 3},
    }
    bad = {**held, "participants_by_group": {"aliens": 2}}
    r = await p.http.post(f"/v1/reviews/{rid}/hold", json=bad, headers=coordinator)
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "participants_by_group.aliens"
    tomorrow = {**held, "held_on": (today + timedelta(days=1)).isoformat()}
    r = await p.http.post(f"/v1/reviews/{rid}/hold", json=tomorrow, headers=coordinator)
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "held_on"
    assert (
        await p.http.post("/v1/reviews/rv-nothing/hold", json=held, headers=coordinator)
    ).status_code == 404
    r = await p.http.post(f"/v1/reviews/{rid}/hold", json=held, headers=coordinator)
    assert r.status_code == 200, r.text
    assert r.json()["participants"] == 20 and r.json()["status"] == "held"
    assert (
        await p.http.post(f"/v1/reviews/{rid}/hold", json=held, headers=coordinator)
    ).status_code == 409

    # An outcome the review led to (of a consultation on the same item).
    cid = await p.opened()
    outcome = await p.http.post(
        "/v1/outcomes",
        json={
            "consultation_id": cid,
            "you_said_th": "ครูต้องช่วยทำอาหาร",
            "we_did_th": "ประสานองค์การบริหารส่วนตำบลจ้างแม่ครัว",
            "owner_unit": "finance",
        },
        headers=coordinator,
    )
    assert outcome.status_code == 201, outcome.text
    oid = outcome.json()["outcome_id"]
    r = await p.http.post(
        f"/v1/reviews/{rid}/report",
        json={**findings, "outcome_ids": ["oc-nothing"]},
        headers=coordinator,
    )
    assert r.status_code == 409 and r.json()["error"]["details"]["field"] == "outcome_ids[0]"
    r = await p.http.post(
        f"/v1/reviews/{rid}/report", json={"findings": ["  "]}, headers=coordinator
    )
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "findings[0]"
    r = await p.http.post(
        f"/v1/reviews/{rid}/report", json={**findings, "outcome_ids": [oid]}, headers=coordinator
    )
    assert r.status_code == 200, r.text
    reported = r.json()
    assert reported["status"] == "reported" and reported["outcome_ids"] == [oid]
    assert [h["to_status"] for h in reported["history"]] == ["planned", "held", "reported"]
    listed = await p.http.get(
        "/v1/reviews", params={"fiscal_year": fiscal_year(today)}, headers=p.auth("finance.a")
    )
    assert [x["review_id"] for x in listed.json()["reviews"]] == [rid]

    topic = topics.with_prefix(p.kafka.topic_prefix, topics.PARTICIPATION)
    records = await read_topic(p.kafka.bootstrap_servers, topic, 5)
    mine = [r for r in records if r.key.decode() == rid]
    events = [parse_event(r.value) for r in mine]
    assert [e.type.split(".")[-2] for e in events] == [
        "review_planned",
        "review_held",
        "review_reported",
    ]
    last = events[-1].data
    assert last.mission_item == "S2" and last.fiscal_year == fiscal_year(today)
    assert last.participants_by_group == {"parents": 12, "teachers": 5, "community": 3}
    assert last.participants == 20 and last.outcome_ids == [oid] and len(last.findings) == 2
