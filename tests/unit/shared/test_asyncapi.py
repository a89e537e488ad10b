"""The AsyncAPI document of the Kafka side: committed, in step with the event registry and
the committed JSON Schemas, and well formed.

No package on PyPI ships the AsyncAPI 3.0 meta-schema for offline use (the one that
claims to validates from a file it does not ship; FastStream's and pydantic-asyncapi's
models accept any extra field), so the document's structure is checked here against the
rules of the specification a reader relies on: every `$ref` resolves, operations point at
channels and at messages of that channel, component names are legal, and each payload
schema validates real events and refuses a broken one.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
import pytest

from shared.contract import topics
from shared.contract.asyncapi import (
    DEAD_LETTER_TYPE,
    DOCUMENT,
    READERS,
    channel_key,
    document,
    render,
    sender_of,
)
from shared.contract.events import (
    REGISTRY,
    CaseStatusChanged,
    Channel,
    DeadLetter,
    Kind,
    SubmissionReceived,
    make_event,
)
from shared.contract.schema_export import SCHEMA_DIR

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("intake", "workflow", "notifications", "reporting", "participation")
COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9.\-_]+$")


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_committed_document_is_regenerated_identically() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render(document()), (
        "the Kafka contract changed: run `python -m shared.contract.asyncapi` and commit "
        "shared/contract/asyncapi.json"
    )


def _pointer(doc: Any, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_reference_resolves_within_the_document(doc: dict[str, Any]) -> None:
    refs = _refs(doc)
    assert len(refs) > 100
    for ref in refs:
        _pointer(doc, ref)


def test_it_is_an_asyncapi_3_document(doc: dict[str, Any]) -> None:
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["servers"]["kafka"]["protocol"] == "kafka"
    for kind in ("messages", "schemas"):
        bad = [n for n in doc["components"][kind] if not COMPONENT_NAME.match(n)]
        assert not bad, f"component names AsyncAPI refuses: {bad}"
    for name, op in doc["operations"].items():
        assert op["action"] in ("send", "receive"), name
        channel = op["channel"]["$ref"]
        assert channel.startswith("#/channels/"), name
        # AsyncAPI 3: an operation's messages are messages of its own channel.
        for message in op["messages"]:
            assert message["$ref"].startswith(f"{channel}/messages/"), (name, message)


def test_every_topic_and_dead_letter_topic_is_a_channel(doc: dict[str, Any]) -> None:
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == {t for base in topics.ALL for t in (base, topics.dead_letters(base))}


def test_every_event_type_is_a_message_of_its_topic(doc: dict[str, Any]) -> None:
    for et in REGISTRY.values():
        channel = doc["channels"][channel_key(et.topic)]
        assert channel["address"] == et.topic
        assert et.name in channel["messages"], et.type
        assert doc["components"]["messages"][et.name]["title"] == et.type
        sends = doc["operations"][f"{sender_of(et.name)}.send.{channel_key(et.topic)}"]
        assert {"$ref": f"#/channels/{channel_key(et.topic)}/messages/{et.name}"} in sends[
            "messages"
        ]


def _inlined(doc: dict[str, Any], type_: str) -> dict[str, Any]:
    """A payload schema as `shared/contract/schemas/` holds it: the component with the
    schemas it reaches back under `$defs`."""
    components = doc["components"]["schemas"]
    reached: dict[str, Any] = {}
    todo = [type_]
    while todo:
        for ref in _refs(components[todo.pop()]):
            name = ref.removeprefix("#/components/schemas/")
            if name not in reached:
                reached[name] = components[name]
                todo.append(name)

    def back(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else back(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [back(v) for v in node]
        return node

    out = back(components[type_])
    if reached:
        out["$defs"] = {n: back(s) for n, s in reached.items()}
    return dict(out)


@pytest.mark.parametrize("type_", sorted([*REGISTRY, DEAD_LETTER_TYPE]))
def test_each_payload_is_the_committed_json_schema(doc: dict[str, Any], type_: str) -> None:
    committed = json.loads((SCHEMA_DIR / f"{type_}.json").read_text(encoding="utf-8"))
    assert _inlined(doc, type_) == committed


def _payload_validator(doc: dict[str, Any], message: str) -> Any:
    ref = doc["components"]["messages"][message]["payload"]["$ref"]
    return jsonschema_rs.validator_for({"$ref": ref, "components": doc["components"]})


def test_payload_schemas_take_real_events_and_refuse_broken_ones(doc: dict[str, Any]) -> None:
    submission = make_event(
        SubmissionReceived(
            submission_id="sub-1",
            tracking_code="SG-7KQ4-M9XT",
            channel=Channel.web,
            kind=Kind.complaint,
            category="roads",
            subject="ถนนชำรุด",
            description="หลุมบนถนนหน้าโรงเรียน",
            received_at=datetime(2026, 11, 27, tzinfo=UTC),
        ),
        source="/siang/intake",
        subject="sub-1",
        correlation_id="c-123456789",
    )
    changed = make_event(
        CaseStatusChanged.model_validate(
            {
                "case_id": "c1",
                "from": "assigned",
                "to": "in_progress",
                "command": "start",
                "actor": "u",
            }
        ),
        source="/siang/workflow",
        subject="c1",
    )
    letter = DeadLetter(
        topic=topics.CASES, value="{", error="not JSON", attempts=1, failed_at=datetime.now(UTC)
    )
    cases = [
        ("submission.received", orjson.loads(submission.to_json())),
        ("case.status_changed", orjson.loads(changed.to_json())),
        ("dead_letter", letter.model_dump(mode="json")),
    ]
    for message, instance in cases:
        _payload_validator(doc, message).validate(instance)
    broken = orjson.loads(submission.to_json())
    broken["data"]["kind"] = "rant"
    assert not _payload_validator(doc, "submission.received").is_valid(broken)
    # A case event is not a submission: the payloads tell the types apart.
    assert not _payload_validator(doc, "submission.received").is_valid(cases[1][1])


def _subscribed_topics(service: str) -> set[str]:
    """The topics `services/<service>/app.py` subscribes to, read from its source: the
    first argument of each `consumer.subscribe(...)` / `subscribe_batch(...)` call."""
    module = importlib.import_module(f"services.{service}.app")
    tree = ast.parse((ROOT / "services" / service / "app.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("subscribe", "subscribe_batch")
        ):
            arg = node.args[0]
            if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
                value = getattr(topics, arg.attr)
            elif isinstance(arg, ast.Name):
                value = getattr(module, arg.id)
            else:
                raise AssertionError(f"{service}: cannot read {ast.dump(arg)}")
            found.update([value] if isinstance(value, str) else value)
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_readers_in_the_document_are_the_services_subscriptions(service: str) -> None:
    declared = {t for t, readers in READERS.items() if service in readers}
    assert _subscribed_topics(service) == declared
