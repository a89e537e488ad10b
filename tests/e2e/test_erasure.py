"""End to end, the whole system as processes: a complainant's name, phone, e-mail and
LINE id go through the system; the admin erases the person by the tracking code; then
none of the four values is anywhere: in any collection of the database (personal_data
and GridFS included), in any retained record of any Siang or dead-letter topic, in the
notification ledger or in the services' logs. The public transparency totals do not move."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
from pymongo import MongoClient

from tests.e2e.system import System
from tests.e2e.test_journeys import case_of, login, mail_with, submit_api, wait_for
from tests.e2e.test_personal_data import _kafka_texts, _strings

NAME = "ประยุทธ์ มั่นคง"
BODY = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอสำเนาคำสั่งแต่งตั้งแล้วยังไม่ได้รับ",
    "description": "ยื่นคำขอสำเนาคำสั่งมาหนึ่งเดือนแล้ว",
}


def everywhere(system: System, secrets: tuple[str, ...]) -> list[str]:
    """`collection: secret` for each secret in any collection, personal_data included."""
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        db = client[system.database]
        hits = []
        for name in db.list_collection_names():
            for doc in db[name].find({}):
                text = "\x1f".join(_strings(doc))
                hits += [f"{name}: {s}" for s in secrets if s in text]
        return hits
    finally:
        client.close()


def transparency(system: System) -> dict[str, Any]:
    r = httpx.get(f"{system.url('reporting')}/v1/public/transparency")
    assert r.status_code == 200, r.text
    return dict(r.json())


def settled_transparency(system: System) -> dict[str, Any]:
    """The figures once they stop moving (reporting has applied what was sent)."""

    def steady() -> dict[str, Any] | None:
        before = transparency(system)
        time.sleep(3)
        after = transparency(system)
        return after if after == before and after["received"] is not None else None

    return wait_for(steady, "the transparency figures settled", 90)


def test_an_erased_person_is_nowhere_and_the_figures_stay(system: System) -> None:
    email = f"prayut.{uuid.uuid4().hex[:6]}@example.org"
    line_id = "U" + uuid.uuid4().hex
    phone = "086-555-1212"
    # Enough other cases that the public totals are not suppressed as a small cell.
    for _ in range(4):
        submit_api(system, {**BODY, "consent": {"contact_me": False}})
    code, _pin = submit_api(
        system,
        {
            **BODY,
            "contact": {"name": NAME, "phone": phone, "email": email, "line_user_id": line_id},
            "consent": {"contact_me": True, "share_name_with_unit": True},
        },
    )
    wait_for(lambda: mail_with(system.inbox, email, code), "the acknowledgement e-mail")
    admin = login(system, "admin")
    case = wait_for(lambda: case_of(system, code, admin), "the case in the queue")
    detail = httpx.get(f"{system.url('workflow')}/v1/cases/{case['case_id']}", headers=admin)
    assert detail.json()["contact"]["email"] == email
    before = settled_transparency(system)

    r = httpx.post(
        f"{system.url('workflow')}/v1/admin/erasures",
        json={"tracking_code": code, "legal_basis": "data_subject_request"},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    assert r.json()["requested_by"] == "admin"

    secrets = (NAME, email, line_id, phone, "0865551212", "+66865551212")
    # Notifications scrubs its copies when the event reaches it.
    wait_for(lambda: not everywhere(system, secrets) or None, "every copy erased", 60)
    assert everywhere(system, secrets) == []

    kafka = asyncio.run(_kafka_texts(system))
    for topic, records in kafka.items():
        for secret in secrets:
            assert not [rec for rec in records if secret in rec], f"{secret!r} on {topic}"
    for name, service in system.services.items():
        log = service.log.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in log, f"{secret!r} in the {name} log"

    # The case is still there, and counted as before.
    assert case_of(system, code, admin) is not None
    assert settled_transparency(system) == before
    again = httpx.post(
        f"{system.url('workflow')}/v1/admin/erasures",
        json={"tracking_code": code, "legal_basis": "data_subject_request"},
        headers=admin,
    )
    assert again.status_code == 200 and again.json()["repeated"] is True
