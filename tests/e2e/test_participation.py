"""End to end, every service a process: a participation coordinator's consultation from
draft to "you said, we did", with a member of the public answering through the page's
plain HTML form (no JavaScript), and staff signed in through workflow's sign-in."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx

from tests.e2e.system import System

PASSWORD = "siang-demo-2569"


def test_a_consultation_from_draft_to_you_said_we_did(system: System) -> None:
    r = httpx.post(
        f"{system.url('workflow')}/v1/auth/login", json={"username": "admin", "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    admin = {"Authorization": f"Bearer {r.json()['access_token']}"}
    base = system.url("participation")
    today = date.today()
    body = {
        "topic_th": "การรับส่งนักเรียนของโรงเรียนขยายโอกาส",
        "topic_en": "School transport for extended-opportunity schools",
        "mission_item": "S3",
        "groups": ["parents", "community"],
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "questions": [
            {
                "id": "distance",
                "kind": "choice",
                "text_th": "บ้านของนักเรียนอยู่ห่างจากโรงเรียนเท่าใด",
                "choices": [
                    {"code": "near", "label_th": "ไม่เกิน 3 กม."},
                    {"code": "far", "label_th": "เกิน 3 กม."},
                ],
                "required": True,
            },
            {"id": "idea", "kind": "text", "text_th": "ข้อเสนอแนะ"},
        ],
    }
    r = httpx.post(f"{base}/v1/consultations", json=body, headers=admin)
    assert r.status_code == 201, r.text
    cid = r.json()["consultation_id"]
    r = httpx.post(f"{base}/v1/consultations/{cid}/commands/open", headers=admin)
    assert r.status_code == 200 and r.json()["status"] == "open", r.text

    # A parent answers through the public page, as a browser without JavaScript would.
    page = httpx.get(f"{base}/consultations/{cid}")
    assert page.status_code == 200 and "<script" not in page.text
    key = re.search(r'name="submission_key" value="([^"]+)"', page.text)
    assert key is not None
    form = {
        "submission_key": key.group(1),
        "group": "parents",
        "answers.distance": "far",
        "answers.idea": "ขอรถรับส่งตอนเช้าสำหรับหมู่บ้านที่อยู่ไกล",
    }
    thanks = httpx.post(f"{base}/consultations/{cid}", data=form)
    assert thanks.status_code == 200 and "ขอบคุณ" in thanks.text, thanks.text

    detail = httpx.get(f"{base}/v1/consultations/{cid}", headers=admin).json()
    assert detail["by_group"] == {"parents": 1}
    assert detail["tally"]["by_question"]["distance"]["choices"] == {"far": 1}
    opinion_id = httpx.get(f"{base}/v1/consultations/{cid}/opinions", headers=admin).json()[
        "opinions"
    ][0]["opinion_id"]

    for command, payload in [
        ("close", None),
        ("conclude", {"summary": "ผู้ปกครองที่บ้านไกลขอรถรับส่งตอนเช้า"}),
    ]:
        r = httpx.post(
            f"{base}/v1/consultations/{cid}/commands/{command}", json=payload, headers=admin
        )
        assert r.status_code == 200, r.text
    refused = httpx.post(
        f"{base}/consultations/{cid}", data={**form, "submission_key": "another-key-123"}
    )
    assert refused.status_code == 409

    outcome = {
        "consultation_id": cid,
        "opinion_ids": [opinion_id],
        "you_said_th": "ขอรถรับส่งนักเรียนตอนเช้าสำหรับหมู่บ้านที่อยู่ไกล",
        "we_did_th": "ประสานองค์การบริหารส่วนตำบลจัดรถรับส่งนักเรียนสองเส้นทาง",
        "owner_unit": "promotion",
        "status": "done",
        "published": True,
    }
    r = httpx.post(f"{base}/v1/outcomes", json=outcome, headers=admin)
    assert r.status_code == 201, r.text

    ysw = httpx.get(f"{base}/you-said-we-did")
    assert ysw.status_code == 200
    assert "ประสานองค์การบริหารส่วนตำบลจัดรถรับส่งนักเรียนสองเส้นทาง" in ysw.text
    assert "การรับส่งนักเรียนของโรงเรียนขยายโอกาส" in ysw.text
