"""Open311's pure parts: a posted request becomes the one submission body, a search's
filters are read strictly, the case's status is open or closed as the one vocabulary
groups it, and the XML is the spec's shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from services.intake.api.open311_format import xml_of
from services.intake.domain.open311 import Open311Error, open_or_closed, posted, search
from services.intake.domain.tracking import new_tracking_code
from shared.contract.catalogue import load_catalogue
from shared.contract.events import CaseStatus

CATALOGUE = load_catalogue()
NOW = datetime(2026, 1, 31, tzinfo=UTC)


def test_a_posted_request_is_a_complaint_with_its_place_and_contact() -> None:
    body = posted(
        {
            "service_code": "documents",
            "description": "ยังไม่ได้รับหนังสือรับรอง\nรอมาสามสัปดาห์",
            "lat": "13.75",
            "long": "100.5",
            "address_string": "ชั้น 2",
            "first_name": "มาลี",
            "last_name": "ใจงาม",
            "device_id": "d-1",
        },
        CATALOGUE,
    ).body
    assert body["kind"] == "complaint" and body["complaint_type"] == "service"
    assert body["subject"] == "ยังไม่ได้รับหนังสือรับรอง"
    assert body["location"] == {"text": "ชั้น 2", "lat": 13.75, "lon": 100.5}
    assert body["contact"] == {"name": "มาลี ใจงาม"}
    assert "d-1" not in str(body)


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"description": "x"}, "service_code is required"),
        ({"service_code": "nope", "description": "x"}, "service_code 'nope' not found"),
        ({"service_code": "documents"}, "description is required"),
        ({"service_code": "documents", "description": "x", "lat": "1"}, "lat and long"),
        ({"service_code": "documents", "description": "x", "lat": "n", "long": "1"}, "lat must"),
        (
            {"service_code": "documents", "description": "x", "attribute[kind]": "compliment"},
            "attribute[kind]",
        ),
    ],
)
def test_a_wrong_field_is_named(form: dict[str, str], words: str) -> None:
    with pytest.raises(Open311Error) as refused:
        posted(form, CATALOGUE)
    assert words in refused.value.description


def test_a_search_defaults_to_90_days_and_ids_override_the_rest() -> None:
    assert search({}, NOW).start == NOW - timedelta(days=90)
    code = new_tracking_code()
    wanted = search({"service_request_id": f"{code},not-a-code", "status": "open"}, NOW)
    assert wanted.ids == (code,) and wanted.statuses == frozenset()
    assert search({"service_request_id": "not-a-code"}, NOW).by_ids  # found: none
    both = search({"status": "open,closed", "start_date": "2026-01-01T00:00:00+07:00"}, NOW)
    assert both.statuses == {"open", "closed"} and both.end is None
    for bad in (
        {"status": "open,"},
        {"status": ""},
        {"service_code": ""},
        {"end_date": "2026-01-01"},
    ):
        with pytest.raises(Open311Error):
            search(bad, NOW)


def test_only_a_closed_case_is_closed() -> None:
    assert open_or_closed(CaseStatus.closed.value) == "closed"
    assert {open_or_closed(s.value) for s in CaseStatus if s is not CaseStatus.closed} == {"open"}
    assert open_or_closed("received") == "open"


def test_the_xml_is_the_spec_shape() -> None:
    xml = xml_of("service_requests", "request", [{"service_request_id": "SG-1", "lat": None}])
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(xml)
    assert [(e.tag, [c.tag for c in e]) for e in root] == [
        ("request", ["service_request_id", "lat"])
    ]
    definition = ET.fromstring(
        xml_of("service_definition", None, {"attributes": [{"values": [{"key": "a"}]}]})
    )
    assert definition.find("attributes/attribute/values/value/key").text == "a"  # type: ignore[union-attr]
