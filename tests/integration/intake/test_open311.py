"""Open311 GeoReport v2 against the real Kafka and MongoDB-wire server, with the workflow
opening the cases, called as Open311 clients call it (form-encoded POST with `api_key`,
`.json` and `.xml` reads): a request becomes a case and is readable by its id in both
formats, its status the case's; the contact goes to the personal-data store only; the
services are the catalogue's; every refusal is in the spec's error format."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import httpx

from services.intake.adapters.api_keys import ApiKeys
from services.intake.domain.api_keys import issue_key
from services.workflow.handlers.submissions import case_id_for
from shared.contract.events import Channel
from shared.contract.tracking_pin import TrackingSettings
from shared.infra.personal_data import PEOPLE, person_id_for
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_tracking import running

FORM = {
    "service_code": "documents",
    "description": "ขอหนังสือรับรองการทำงานมาสามสัปดาห์แล้วยังไม่ได้รับ",
    "lat": "13.7563",
    "long": "100.5018",
    "address_string": "สำนักงานเขตพื้นที่การศึกษา ชั้น 2",
    "first_name": "มาลี",
    "last_name": "ใจงาม",
    "email": "malee@example.com",
    "phone": "081-234-5678",
    "device_id": "device-1",
}


async def _key(intake: httpx.AsyncClient, channel: Channel) -> str:
    app = intake._transport.app  # type: ignore[attr-defined]
    issued = issue_key(channel, label="open311 test", now=datetime.now(UTC))
    await ApiKeys(app.state.runtime.db).add(issued.record)
    return issued.key


def _errors(xml: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(xml)
    assert root.tag == "errors"
    return [(e.findtext("code") or "", e.findtext("description") or "") for e in root]


async def test_a_posted_request_becomes_a_case_readable_in_json_and_xml(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with running(kafka_settings, mongo_settings, TrackingSettings(), workflow=True) as office:
        intake = office.intake
        key = await _key(intake, Channel.open311)
        posted = await intake.post(
            "/open311/v2/requests.json",
            data={**FORM, "api_key": key, "jurisdiction_id": "siang.local"},
        )
        assert posted.status_code == 200, posted.text
        [answer] = posted.json()
        code, token = answer["service_request_id"], answer["token"]
        assert code.startswith("SG-") and "PIN" in answer["service_notice"]
        case = await office.opened(token)
        assert case["tracking_code"] == code and case["channel"] == "open311"
        assert case["location"]["lat"] == 13.7563
        one = await intake.get(f"/open311/v2/requests/{code}.json")
        xml = await intake.get(f"/open311/v2/requests/{code}.xml")
        listed = await intake.get("/open311/v2/requests.json", params={"status": "open"})
        closed = await intake.get("/open311/v2/requests.json", params={"status": "closed"})
        by_token = await intake.get(f"/open311/v2/tokens/{token}.json")
        db = intake._transport.app.state.runtime.db  # type: ignore[attr-defined]
        person = await db[PEOPLE].find_one({"_id": person_id_for(token)})
    assert one.status_code == 200, one.text
    [request] = one.json()
    assert request["service_request_id"] == code
    assert request["status"] == "open" and request["service_code"] == "documents"
    assert request["agency_responsible"]  # the unit the case was routed to
    assert request["requested_datetime"].endswith("+07:00")
    for personal in ("มาลี", "malee@example.com", "081", "device-1", "ขอหนังสือ"):
        assert personal not in one.text and personal not in xml.text
    assert xml.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "service_requests"
    [element] = root.findall("request")
    assert element.findtext("service_request_id") == code
    assert element.findtext("status") == "open"
    assert [r["service_request_id"] for r in listed.json()] == [code]
    assert closed.json() == []
    assert by_token.json() == [{"service_request_id": code, "token": token}]
    assert case_id_for(token) == case["_id"]
    assert person is not None
    assert person["contact"] == {
        "name": "มาลี ใจงาม",
        "email": "malee@example.com",
        "phone": "+66812345678",
    }


async def test_services_come_from_the_catalogue(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with running(
        kafka_settings, mongo_settings, TrackingSettings(), workflow=False
    ) as office:
        services = await office.intake.get("/open311/v2/services.json")
        xml = await office.intake.get("/open311/v2/services.xml", headers={"Accept-Language": "en"})
        definition = await office.intake.get("/open311/v2/services/documents.json")
        unknown = await office.intake.get("/open311/v2/services/no-such.xml")
    codes = [s["service_code"] for s in services.json()]
    assert "documents" in codes and "school-admission" in codes
    names = [s.findtext("service_name") for s in ET.fromstring(xml.content).findall("service")]
    assert "Official letters, documents and certificates" in names
    [attribute] = definition.json()["attributes"]
    assert attribute["code"] == "kind"
    assert {v["key"] for v in attribute["values"]} >= {"complaint:service", "question"}
    assert unknown.status_code == 404
    assert _errors(unknown.content)[0][0] == "404"


async def test_refusals_are_in_the_spec_format_and_name_the_field(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    async with running(
        kafka_settings, mongo_settings, TrackingSettings(), workflow=False
    ) as office:
        intake = office.intake
        key = await _key(intake, Channel.open311)
        line_key = await _key(intake, Channel.line)
        post = "/open311/v2/requests.json"
        answers = {
            "no key": await intake.post(post, data=FORM),
            "another channel's key": await intake.post(post, data={**FORM, "api_key": line_key}),
            "no description": await intake.post(
                post, data={**FORM, "api_key": key, "description": ""}
            ),
            "lat alone": await intake.post(post, data={**FORM, "api_key": key, "long": ""}),
            "bad phone": await intake.post(post, data={**FORM, "api_key": key, "phone": "12"}),
            "json body": await intake.post(post, json={**FORM, "api_key": key}),
            "jurisdiction": await intake.get(
                "/open311/v2/requests.json", params={"jurisdiction_id": "elsewhere"}
            ),
            "bad status": await intake.get("/open311/v2/requests.json", params={"status": "done"}),
            "bad date": await intake.get(
                "/open311/v2/requests.json", params={"start_date": "yesterday"}
            ),
            "unknown id": await intake.get("/open311/v2/requests/SG-2222-2222-2222.json"),
        }
        xml = await intake.post("/open311/v2/requests.xml", data=FORM)
    got = {name: (r.status_code, r.json()[0]) for name, r in answers.items()}
    assert {n: s for n, (s, _) in got.items()} == {
        "no key": 403,
        "another channel's key": 403,
        "no description": 400,
        "lat alone": 400,
        "bad phone": 400,
        "json body": 415,
        "jurisdiction": 404,
        "bad status": 400,
        "bad date": 400,
        "unknown id": 404,
    }
    for name, (status, body) in got.items():
        assert body["code"] == status, name
    assert "description" in got["no description"][1]["description"]
    assert "lat and long" in got["lat alone"][1]["description"]
    assert got["bad phone"][1]["description"].startswith("phone")
    assert "start_date" in got["bad date"][1]["description"]
    assert _errors(xml.content) == [("403", "api_key is missing, unknown or not an Open311 key")]
    assert xml.status_code == 403
