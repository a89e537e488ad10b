"""A committee's appointment order as a document and its meetings, through the API on the
real Kafka and MongoDB-wire server: a real PDF is kept and downloaded by staff and the
committee's own member (not by another committee's); a text file named .pdf is 415, one
past the limit 413; a meeting is recorded with attendance and resolutions, refused for a
retired member (409) and once closed (409); the events on Kafka name no member."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from deploy.local.demo_documents import one_page_pdf
from services.participation.adapters.papers import BUCKET
from shared.contract import topics
from shared.contract.events import parse_event
from shared.infra.auth import AuthSettings, StaffRole, issue_token
from shared.infra.sessions import STAFF_COLLECTION
from tests.integration.participation.conftest import Participation, office_today
from tests.support import read_topic

CHAIR = "บุญมี ศรีสวัสดิ์"
PARENT = "สมศรี ใจดี"
TEACHER = "วิชัย ครูดี"
# Committee members' accounts (role committee): one sits on the committee, one does not.
MEMBER_ACCOUNT = "cm.boonmee"
OUTSIDER_ACCOUNT = "cm.other"


def _committee_token(staff_id: str) -> dict[str, str]:
    token = issue_token(
        AuthSettings(), id=staff_id, name="กรรมการ", role=StaffRole.committee, unit=None
    )
    return {"Authorization": f"Bearer {token}"}


async def _committee(p: Participation) -> tuple[str, dict[str, str]]:
    """A committee of this fiscal year with a chair (who signs in), a parent and a teacher."""
    db = p.ctx.consultations.consultations.database
    await db[STAFF_COLLECTION].insert_many(
        [
            {"_id": a, "name": "กรรมการ", "role": "committee", "unit": None}
            for a in (MEMBER_ACCOUNT, OUTSIDER_ACCOUNT)
        ]
    )
    today = office_today()
    coordinator = p.auth("policy.a")
    body = {
        "name_th": "คณะกรรมการติดตามคุณภาพอาหารกลางวัน",
        "mission_items": ["S2"],
        "order": {"number": "123/2570", "signed_on": (today - timedelta(days=20)).isoformat()},
        "term_starts_on": (today - timedelta(days=10)).isoformat(),
    }
    r = await p.http.post("/v1/committees", json=body, headers=coordinator)
    assert r.status_code == 201, r.text
    cm = str(r.json()["committee_id"])
    ids: dict[str, str] = {}
    for name, group, role, account in (
        (CHAIR, "parents", "chair", MEMBER_ACCOUNT),
        (PARENT, "parents", "member", None),
        (TEACHER, "teachers", "member", None),
    ):
        member = {
            "name": name,
            "group": group,
            "role": role,
            "starts_on": body["term_starts_on"],
            "staff_id": account,
        }
        r = await p.http.post(f"/v1/committees/{cm}/members", json=member, headers=coordinator)
        assert r.status_code == 201, r.text
        ids[name] = str(r.json()["members"][-1]["member_id"])
    return cm, ids


def _upload(p: Participation, cm: str, data: bytes, who: dict[str, str], **fields: str) -> Any:
    form = {
        "number": "123/2570",
        "signed_on": (office_today() - timedelta(days=20)).isoformat(),
    }
    return p.http.post(
        f"/v1/committees/{cm}/orders",
        data={**form, **fields},
        files={"file": ("คำสั่ง.pdf", data, "application/pdf")},
        headers=who,
    )


async def test_an_appointment_order_is_kept_and_read_by_staff_and_its_members(
    participation: Participation,
) -> None:
    p = participation
    cm, _ = await _committee(p)
    coordinator = p.auth("policy.a")
    pdf = one_page_pdf("Order 123/2570", "Committee on school lunches")

    r = await _upload(p, cm, pdf, p.auth("finance.a"))
    assert r.status_code == 403  # staff read, coordinators attach
    r = await _upload(p, cm, pdf, coordinator, title_th="แต่งตั้งคณะกรรมการ")
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["content_type"] == "application/pdf" and order["size_bytes"] == len(pdf)

    for who in (p.auth("finance.a"), _committee_token(MEMBER_ACCOUNT)):
        got = await p.http.get(order["document_url"], headers=who)
        assert got.status_code == 200 and got.content == pdf
        assert got.headers["content-type"] == "application/pdf"
    # Another committee's member, and the public, cannot; nor learn that it exists.
    assert (
        await p.http.get(order["document_url"], headers=_committee_token(OUTSIDER_ACCOUNT))
    ).status_code == 404
    assert (await p.http.get(order["document_url"])).status_code == 401
    listed = await p.http.get("/v1/committees", headers=_committee_token(OUTSIDER_ACCOUNT))
    assert listed.status_code == 200 and listed.json()["committees"] == []
    mine = await p.http.get(f"/v1/committees/{cm}/orders", headers=_committee_token(MEMBER_ACCOUNT))
    assert [o["number"] for o in mine.json()["orders"]] == ["123/2570"]

    # A text file that calls itself a PDF is refused by its content.
    r = await _upload(p, cm, b"%PDF- not really a document, just text\n", coordinator)
    assert r.status_code == 415, r.text
    assert r.json()["error"]["details"]["field"] == "file"
    # Past the limit: 413, saying the limit.
    limit = p.ctx.settings.max_document_bytes
    r = await _upload(p, cm, pdf + b"\0" * limit, coordinator)
    assert r.status_code == 413, r.text
    assert "MB" in r.json()["error"]["message"]
    # A date to come, or none: 422 naming the field; an unknown committee: 404.
    r = await _upload(
        p,
        cm,
        pdf,
        coordinator,
        signed_on=(office_today() + timedelta(days=3)).isoformat(),
    )
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "signed_on"
    r = await _upload(p, cm, pdf, coordinator, signed_on="")
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "signed_on"
    assert (await _upload(p, "cm-nothing", pdf, coordinator)).status_code == 404

    db = p.ctx.consultations.consultations.database
    assert await db[f"{BUCKET}.files"].count_documents({}) == 1  # the refused left nothing
    stored = await db[f"{BUCKET}.files"].find_one({})
    assert stored is not None and "คำสั่ง" not in stored["filename"]


async def test_a_meeting_recorded_with_attendance_and_resolutions_then_closed(
    participation: Participation,
) -> None:
    p = participation
    cm, ids = await _committee(p)
    coordinator = p.auth("policy.a")
    held_on = (office_today() - timedelta(days=1)).isoformat()
    meeting = {
        "held_on": held_on,
        "title_th": "การประชุมครั้งที่ 1/2570",
        "agenda": ["รับรองรายงานการประชุม", "ผลการสำรวจอาหารกลางวัน"],
        "attendance": {ids[CHAIR]: "present", ids[PARENT]: "present", ids[TEACHER]: "absent"},
        "minutes": "ที่ประชุมพิจารณาผลการสำรวจและมีมติดังนี้",
        "resolutions": [
            {"text": "ให้เพิ่มผลไม้ในมื้อกลางวันสามวันต่อสัปดาห์", "mission_item": "S2"},
            {"text": "ให้ตรวจการเก็บรักษานมของผู้ประกอบการ"},
        ],
    }
    url = f"/v1/committees/{cm}/meetings"
    assert (await p.http.post(url, json=meeting, headers=p.auth("finance.a"))).status_code == 403
    r = await p.http.post(url, json=meeting, headers=coordinator)
    assert r.status_code == 201, r.text
    recorded = r.json()
    assert (recorded["present"], recorded["absent"], recorded["resolutions"]) == (2, 1, 2)
    assert [x["number"] for x in recorded["numbered_resolutions"]] == [1, 2]
    mid = recorded["meeting_id"]

    # Bad input, each naming its field or the state.
    bad = {**meeting, "resolutions": [{"text": "x", "mission_item": "Z9"}]}
    r = await p.http.post(url, json=bad, headers=coordinator)
    assert (
        r.status_code == 409
        and r.json()["error"]["details"]["field"] == "resolutions[0].mission_item"
    )
    r = await p.http.post(
        url, json={**meeting, "attendance": {"mb-nobody": "present"}}, headers=coordinator
    )
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "attendance.mb-nobody"
    r = await p.http.post(url, json={**meeting, "held_on": "2020-01-01"}, headers=coordinator)
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "held_on"
    r = await p.http.post(
        url, json={k: v for k, v in meeting.items() if k != "held_on"}, headers=coordinator
    )
    assert r.status_code == 422
    assert (
        await p.http.post("/v1/committees/cm-nothing/meetings", json=meeting, headers=coordinator)
    ).status_code == 404
    assert (await p.http.get(f"{url}/mt-nothing", headers=coordinator)).status_code == 404

    # The teacher retires the day before the next meeting: marking them is a conflict.
    retire = f"/v1/committees/{cm}/members/{ids[TEACHER]}/retire"
    r = await p.http.post(
        retire, json={"retired_on": held_on, "reason": "ย้ายโรงเรียน"}, headers=coordinator
    )
    assert r.status_code == 200, r.text
    later = {**meeting, "held_on": office_today().isoformat()}
    r = await p.http.post(url, json=later, headers=coordinator)
    assert r.status_code == 409, r.text
    assert r.json()["error"]["details"]["member_id"] == ids[TEACHER]

    # The member who signs in reads the meeting; the outsider does not.
    got = await p.http.get(f"{url}/{mid}", headers=_committee_token(MEMBER_ACCOUNT))
    assert got.status_code == 200 and got.json()["attendance"][ids[TEACHER]] == "absent"
    assert (
        await p.http.get(f"{url}/{mid}", headers=_committee_token(OUTSIDER_ACCOUNT))
    ).status_code == 404

    r = await p.http.post(f"{url}/{mid}/close", headers=coordinator)
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert (await p.http.post(f"{url}/{mid}/close", headers=coordinator)).status_code == 409
    r = await p.http.put(f"{url}/{mid}", json=meeting, headers=coordinator)
    assert r.status_code == 409 and r.json()["error"]["code"] == "illegal_transition"

    # On Kafka: the meeting recorded then closed, members by id and counted per group.
    topic = topics.with_prefix(p.kafka.topic_prefix, topics.PARTICIPATION)
    records = await read_topic(p.kafka.bootstrap_servers, topic, 2)
    raw = b"".join(r.value for r in records)
    for name in (CHAIR, PARENT, TEACHER):
        assert name.encode() not in raw
    events = [parse_event(r.value) for r in records]
    assert [e.type.split(".")[-2] for e in events] == [
        "committee_meeting_recorded",
        "committee_meeting_closed",
    ]
    closed = events[1].data
    assert {r.key.decode() for r in records} == {cm}
    assert closed.present_by_group == {"parents": 2} and closed.absent_by_group == {"teachers": 1}
    assert closed.mission_items == ["S2"] and closed.fiscal_year >= 2570
    assert [x.number for x in closed.resolutions] == [1, 2]
    assert set(closed.present) == {ids[CHAIR], ids[PARENT]}


async def test_the_order_event_names_no_one(participation: Participation) -> None:
    p = participation
    cm, _ = await _committee(p)
    r = await _upload(p, cm, one_page_pdf("Order"), p.auth("policy.a"))
    assert r.status_code == 201, r.text
    topic = topics.with_prefix(p.kafka.topic_prefix, topics.PARTICIPATION)
    (record,) = await read_topic(p.kafka.bootstrap_servers, topic, 1)
    assert CHAIR.encode() not in record.value and record.key.decode() == cm
    event = parse_event(record.value).data
    assert event.number == "123/2570" and event.mission_items == ["S2"]
    assert event.content_type == "application/pdf" and event.fiscal_year >= 2570
