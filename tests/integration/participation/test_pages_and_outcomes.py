"""The public pages without JavaScript (Thai first, `?lang=en`): a consultation's form
posts an opinion, refusals come back on the form naming the field; outcomes recorded by
staff show on "you said, we did" once published; the mission plan is the admin's."""

from __future__ import annotations

from tests.integration.participation.conftest import Participation


async def test_an_opinion_through_the_public_page_form(participation: Participation) -> None:
    p = participation
    cid = await p.opened()
    page = await p.http.get(f"/consultations/{cid}")
    assert page.status_code == 200 and "<form" in page.text and "<script" not in page.text
    assert "อาหารกลางวันในโรงเรียนขนาดเล็ก" in page.text and "ผู้ปกครองนักเรียน" in page.text
    english = await p.http.get(f"/consultations/{cid}?lang=en")
    assert "Lunches in small schools" in english.text and "Parents and guardians" in english.text

    form = {"submission_key": "form-key-123456", "group": "parents", "answers.lunch": "fair"}
    form["answers.idea"] = "ขอให้มีผลไม้ทุกวัน"
    thanks = await p.http.post(f"/consultations/{cid}", data=form)
    assert thanks.status_code == 200 and "ขอบคุณ" in thanks.text
    again = await p.http.post(f"/consultations/{cid}", data=form)  # a double click
    assert again.status_code == 200

    missing = await p.http.post(
        f"/consultations/{cid}?lang=en", data={"group": "parents", "answers.idea": "x"}
    )
    assert missing.status_code == 422 and 'id="answers.lunch-error"' in missing.text
    assert "Please fill this in." in missing.text
    no_consent = await p.http.post(
        f"/consultations/{cid}",
        data={"group": "teachers", "answers.lunch": "good", "contact.email": "k@example.com"},
    )
    assert no_consent.status_code == 422 and 'id="consent.contact_me-error"' in no_consent.text

    detail = (await p.http.get(f"/v1/consultations/{cid}", headers=p.auth("admin"))).json()
    assert detail["opinions"] == 1 and detail["by_group"] == {"parents": 1}
    listing = await p.http.get("/consultations")
    assert listing.status_code == 200 and f"/consultations/{cid}" in listing.text
    assert (await p.http.get("/consultations/cn-nothing")).status_code == 404


async def test_published_outcomes_show_on_you_said_we_did(participation: Participation) -> None:
    p = participation
    coordinator = p.auth("policy.a")
    cid = await p.opened()
    opinion_id = (await p.opinion(cid, answers={"lunch": "poor"})).json()["opinion_id"]
    assert (await p.command(cid, "close")).status_code == 200
    results = (await p.http.get(f"/consultations/{cid}?lang=en")).text
    assert "Opinions by group" in results and "<td>Not satisfied</td><td>1</td>" in results

    def outcome(**fields: object) -> dict[str, object]:
        return {
            "consultation_id": cid,
            "you_said_th": "อยากให้มีผลไม้ทุกวัน",
            "you_said_en": "Fruit every day",
            "we_did_th": "เพิ่มงบผลไม้ในอาหารกลางวัน",
            "we_did_en": "Added fruit to the lunch budget",
            "owner_unit": "promotion",
            "opinion_ids": [opinion_id],
            **fields,
        }

    r = await p.http.post("/v1/outcomes", json=outcome(owner_unit="nasa"), headers=coordinator)
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "owner_unit"
    r = await p.http.post("/v1/outcomes", json=outcome(opinion_ids=["op-x"]), headers=coordinator)
    # Opinions not on file for it: a conflict with the records, naming the field.
    assert r.status_code == 409 and r.json()["error"]["details"]["field"] == "opinion_ids"
    r = await p.http.post("/v1/outcomes", json=outcome(), headers=p.auth("finance.a"))
    assert r.status_code == 403

    shown = (
        await p.http.post("/v1/outcomes", json=outcome(published=True), headers=coordinator)
    ).json()
    hidden = await p.http.post(
        "/v1/outcomes", json=outcome(we_did_th="ยังไม่เผยแพร่"), headers=coordinator
    )
    assert shown["status"] == "planned" and shown["mission_item"] == "S2"
    done = await p.http.patch(
        f"/v1/outcomes/{shown['outcome_id']}", json={"status": "done"}, headers=coordinator
    )
    assert done.status_code == 200 and done.json()["done_on"]
    back = await p.http.patch(
        f"/v1/outcomes/{shown['outcome_id']}", json={"status": "planned"}, headers=coordinator
    )
    assert back.status_code == 409
    refused = await p.http.patch(
        f"/v1/outcomes/{hidden.json()['outcome_id']}",
        json={"status": "not_adopted"},
        headers=coordinator,
    )
    assert refused.status_code == 422 and refused.json()["error"]["details"]["field"] == "reason"
    assert (
        await p.http.patch("/v1/outcomes/oc-x", json={}, headers=coordinator)
    ).status_code == 404

    page = await p.http.get("/you-said-we-did")
    assert page.status_code == 200 and "<script" not in page.text
    assert "เพิ่มงบผลไม้ในอาหารกลางวัน" in page.text and "ยังไม่เผยแพร่" not in page.text
    assert "พัฒนาคุณภาพผู้เรียนและยกระดับผลสัมฤทธิ์ทางการเรียน" in page.text
    assert "Added fruit to the lunch budget" in (await p.http.get("/you-said-we-did?lang=en")).text
    public = (await p.http.get("/v1/public/outcomes")).json()
    (item,) = public["items"]
    assert item["mission_item"] == "S2" and len(item["outcomes"]) == 1
    assert item["outcomes"][0]["status"] == "done"


async def test_the_mission_plan_is_seeded_and_the_coordinators_to_change(
    participation: Participation,
) -> None:
    p = participation
    plan = (await p.http.get("/v1/missions/2570", headers=p.auth("finance.a"))).json()
    codes = [i["code"] for i in plan["items"]]
    assert {"M1", "S5"} <= set(codes)
    item = {
        "code": "S6",
        "kind": "strategy",
        "name_th": "โรงเรียนคุณภาพประจำตำบล",
        "name_en": "A quality school in every sub-district",
    }
    url = "/v1/missions/2570/items/S6"
    # A member of staff reads the plan; a participation coordinator (or an admin) keeps it.
    assert (await p.http.put(url, json=item, headers=p.auth("finance.a"))).status_code == 403
    r = await p.http.put(url, json=item, headers=p.auth("policy.a"))
    assert r.status_code == 200 and r.json()["items"][-1]["code"] == "S6"
    fewer = {"fiscal_year": 2570, "items": plan["items"][:2]}
    r = await p.http.put("/v1/missions/2570", json=fewer, headers=p.auth("admin"))
    # Items on file are never left out: a conflict with the plan on file.
    assert r.status_code == 409 and r.json()["error"]["details"]["field"] == "items"
    cid = (await p.create(mission_item="S6"))["consultation_id"]
    assert cid
    groups = (await p.http.get("/v1/stakeholder-groups")).json()["groups"]
    assert groups[0]["code"] == "parents"
