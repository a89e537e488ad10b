"""A committee through the API: appointed by an order, members added with their names in
the personal-data store only, a second chair refused, a member retired with history."""

from __future__ import annotations

from datetime import date

from shared.infra.personal_data import PEOPLE, READS
from tests.integration.participation.conftest import Participation

NAME = "บุญมี ศรีสวัสดิ์"


async def test_a_committee_with_members_added_and_retired(participation: Participation) -> None:
    p = participation
    coordinator = p.auth("policy.a")
    body = {
        "name_th": "คณะกรรมการติดตามคุณภาพอาหารกลางวัน",
        "mission_items": ["S2"],
        "order": {
            "number": "123/2570",
            "signed_on": "2026-10-15",
            "document": "orders/123-2570.pdf",
        },
        "term_starts_on": "2026-11-01",
        "term_ends_on": "2028-10-31",
    }
    assert (
        await p.http.post("/v1/committees", json=body, headers=p.auth("finance.a"))
    ).status_code == 403
    r = await p.http.post("/v1/committees", json=body, headers=coordinator)
    assert r.status_code == 201, r.text
    cm = r.json()["committee_id"]

    chair = {
        "name": NAME,
        "email": "boonmee@example.com",
        "group": "parents",
        "role": "chair",
        "starts_on": "2026-11-01",
    }
    r = await p.http.post(f"/v1/committees/{cm}/members", json=chair, headers=coordinator)
    assert r.status_code == 201, r.text
    (member,) = r.json()["members"]
    assert member["name"] == NAME and member["order_number"] == "123/2570" and member["active"]
    second = {**chair, "name": "อีกคน"}
    r = await p.http.post(f"/v1/committees/{cm}/members", json=second, headers=coordinator)
    # The chair is taken: a conflict with the roster on file, naming the field.
    assert r.status_code == 409 and r.json()["error"]["details"]["field"] == "role"

    db = p.ctx.consultations.consultations.database
    stored = await db["participation_committees"].find_one({"_id": cm})
    assert stored is not None and NAME not in str(stored)
    person = await db[PEOPLE].find_one({"_id": stored["members"][0]["person_id"]})
    assert person is not None and person["contact"]["name"] == NAME
    assert await db[READS].count_documents({"about": cm}) >= 1  # each roster read is logged

    url = f"/v1/committees/{cm}/members/{member['member_id']}/retire"
    retirement = {"retired_on": date(2027, 3, 1).isoformat(), "reason": "ลาออก"}
    r = await p.http.post(url, json=retirement, headers=coordinator)
    assert r.status_code == 200 and not r.json()["members"][0]["active"]
    assert [h["action"] for h in r.json()["history"]] == [
        "appointed",
        "member_added",
        "member_retired",
    ]
    assert (await p.http.post(url, json=retirement, headers=coordinator)).status_code == 409
    r = await p.http.post(f"/v1/committees/{cm}/members", json=second, headers=coordinator)
    assert r.status_code == 201  # the chair is free again
    listed = (await p.http.get("/v1/committees", headers=p.auth("finance.a"))).json()
    assert listed["committees"][0]["active_members"] == 1
    assert (await p.http.get("/v1/committees/cm-nothing", headers=coordinator)).status_code == 404
