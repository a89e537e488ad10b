"""The event contract: envelope, registry, parsing, and committed JSON Schemas."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from shared.contract import topics
from shared.contract.events import (
    REGISTRY,
    CaseStatus,
    CaseStatusChanged,
    Channel,
    Kind,
    MalformedEvent,
    SubmissionReceived,
    make_event,
    parse_event,
)
from shared.contract.schema_export import SCHEMA_DIR, render, schemas


def submission() -> SubmissionReceived:
    return SubmissionReceived(
        submission_id="sub-1",
        tracking_code="SG-7KQ4-M9XT",
        channel=Channel.line,
        kind=Kind.suggestion,
        category="school-lunch",
        subject="อาหารกลางวัน",
        description="ขอให้เพิ่มผลไม้ในมื้อกลางวัน",
        received_at=datetime(2026, 11, 27, tzinfo=UTC),
    )


def test_envelope_is_structured_cloudevent_with_registry_type() -> None:
    event = make_event(
        submission(), source="/intake", subject="sub-1", correlation_id="c-123456789"
    )
    doc = orjson.loads(event.to_json())
    assert doc["specversion"] == "1.0"
    assert doc["type"] == "th.go.siang.submission.received.v1"
    assert doc["subject"] == "sub-1" and doc["source"] == "/intake"
    assert doc["datacontenttype"] == "application/json"
    assert doc["correlationid"] == "c-123456789"
    assert doc["data"]["description"] == "ขอให้เพิ่มผลไม้ในมื้อกลางวัน"
    assert event.topic == topics.SUBMISSIONS


def test_round_trip_keeps_the_typed_data() -> None:
    event = make_event(submission(), source="/intake", subject="sub-1")
    back = parse_event(event.to_json())
    assert back == event
    assert isinstance(back.data, SubmissionReceived)


def test_status_change_uses_from_and_to_on_the_wire() -> None:
    data = CaseStatusChanged.model_validate(
        {"case_id": "c1", "from": "assigned", "to": "in_progress", "command": "start", "actor": "u"}
    )
    doc = orjson.loads(make_event(data, source="/workflow", subject="c1").to_json())
    assert doc["data"]["from"] == "assigned" and doc["data"]["to"] == "in_progress"
    assert parse_event(orjson.dumps(doc)).data.to_status is CaseStatus.in_progress


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{nope", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"type": "th.go.siang.unknown.v1"}', "unknown event type"),
    ],
)
def test_malformed_records_are_rejected_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedEvent, match=reason):
        parse_event(raw)


def test_invalid_data_names_the_field() -> None:
    doc = orjson.loads(make_event(submission(), source="/intake", subject="sub-1").to_json())
    doc["data"]["kind"] = "rant"
    with pytest.raises(MalformedEvent, match="kind"):
        parse_event(orjson.dumps(doc))


def test_every_type_lives_on_its_design_topic() -> None:
    by_topic = {et.name: et.topic for et in REGISTRY.values()}
    assert by_topic["submission.received"] == "siang.submissions.v1"
    # The complainant's later messages follow their submission, keyed by its id.
    assert (
        by_topic["submission.follow_up"]
        == by_topic["submission.withdrawn"]
        == "siang.submissions.v1"
    )
    assert {n for n, t in by_topic.items() if t == "siang.cases.v1"} == {
        "case.opened",
        "case.triaged",
        "case.assigned",
        "case.status_changed",
        "case.commented",
        "case.merged",
        "case.reopened",
        "case.info_added",
        "case.sla_warning",
        "case.sla_breached",
        "case.closed",
        "case.personal_data_erased",
    }
    assert by_topic["survey.answered"] == "siang.surveys.v1"
    assert topics.dead_letters(topics.CASES) == "siang.cases.v1.dlq"


@pytest.mark.parametrize("name", sorted(schemas()))
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = (SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8")
    assert committed == render(schemas()[name]), (
        f"the contract of {name} changed: if intended (additive only), run "
        "`python -m shared.contract.schema_export` and commit shared/contract/schemas/"
    )
