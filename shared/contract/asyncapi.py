"""`python -m shared.contract.asyncapi`: the AsyncAPI 3.0 document of Siang's Kafka side,
generated from the event registry (`events.REGISTRY`, `topics`) and the JSON Schemas
of `schema_export`, written to `shared/contract/asyncapi.json`.

Every service serves it at `/asyncapi.json` beside its OpenAPI; a test regenerates it and
compares, so a topic, an event type or a schema cannot change without the document.

Channels are the topics and their `.dlq` topics; each message is a CloudEvent in
structured JSON mode whose payload is the committed schema of its type. The schemas'
`$defs` move to `components.schemas` (AsyncAPI resolves a `$ref` against the whole
document, so a payload's `#/$defs/...` would point nowhere) and their references follow.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shared.contract import topics
from shared.contract.events import REGISTRY, TYPE_PREFIX
from shared.contract.schema_export import schemas

DOCUMENT = Path(__file__).parent / "asyncapi.json"
DEAD_LETTER_TYPE = f"{TYPE_PREFIX}dead_letter.v1"
CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"
KAFKA_BINDING = "0.5.0"

# Who publishes each event type, by the start of its name: a service publishes the
# events of the things it owns (through its outbox, or intake's direct path).
SENDERS: Mapping[str, str] = {
    "submission.": "intake",
    "survey.": "intake",
    "case.": "workflow",
    "notification.": "notifications",
    "participation.": "participation",
    "unit.": "workflow",
}

# Who reads each topic, with its default consumer group (`SIANG_<SERVICE>_CONSUMER_GROUP`).
# `tests/unit/shared/test_asyncapi.py` checks this against every service's subscriptions.
READERS: Mapping[str, tuple[str, ...]] = {
    topics.SUBMISSIONS: ("workflow", "participation"),
    topics.CASES: ("notifications", "reporting"),
    topics.SURVEYS: ("workflow", "reporting"),
    topics.NOTIFICATIONS: ("reporting",),
    topics.PARTICIPATION: ("intake", "reporting", "notifications"),
    topics.UNITS: ("intake", "notifications", "reporting", "participation"),
}

# Besides its readers' dead letters, notifications publishes a delivery it gave up on to
# its own topic's `.dlq` (`services/notifications/handlers/deliveries.py`).
EXTRA_DEAD_LETTER_SENDERS: Mapping[str, tuple[str, ...]] = {
    topics.NOTIFICATIONS: ("notifications",),
}

# The Kafka headers every record carries (`shared/infra/kafka.py`, `EventPublisher`).
HEADERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "content-type": {"type": "string", "const": CONTENT_TYPE},
        "correlation_id": {
            "type": "string",
            "description": "The correlation id of the first HTTP request (X-Correlation-ID).",
        },
        "traceparent": {
            "type": "string",
            "pattern": "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
            "description": (
                "W3C Trace Context of the span that published the record: the trace of "
                "the first HTTP request, carried on by every consumer."
            ),
        },
    },
    "required": ["content-type"],
}


def sender_of(event_name: str) -> str:
    for prefix, service in SENDERS.items():
        if event_name.startswith(prefix):
            return service
    raise KeyError(f"no service publishes {event_name!r}: add it to SENDERS")


def channel_key(topic: str) -> str:
    """`siang.cases.v1` -> `cases`; its dead letters -> `cases.dlq`."""
    base = topic.removesuffix(".dlq")
    short = base.removeprefix("siang.").rsplit(".v", 1)[0]
    return f"{short}.dlq" if topic.endswith(".dlq") else short


def _with_refs_to_components(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                v.replace("#/$defs/", "#/components/schemas/", 1)
                if k == "$ref" and isinstance(v, str)
                else _with_refs_to_components(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_with_refs_to_components(v) for v in node]
    return node


def _hoist(name: str, schema: dict[str, Any], into: dict[str, Any]) -> None:
    """Put `schema` under `name` and its `$defs` beside it in `into` (components.schemas)."""
    body = {k: v for k, v in schema.items() if k != "$defs"}
    for def_name, definition in (schema.get("$defs") or {}).items():
        _put(into, def_name, _with_refs_to_components(definition))
    _put(into, name, _with_refs_to_components(body))


def _put(into: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if name in into and into[name] != schema:
        raise ValueError(f"two different schemas are named {name!r}")
    into[name] = schema


def _message(type_: str, name: str, summary: str) -> dict[str, Any]:
    return {
        "name": name,
        "title": type_,
        "summary": summary,
        "contentType": CONTENT_TYPE,
        "headers": {"$ref": "#/components/schemas/KafkaHeaders"},
        "payload": {"$ref": f"#/components/schemas/{type_}"},
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": "The event's subject: the submission, case, consultation, "
                    "survey, committee, review or unit it is about, so its events stay in order.",
                },
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _operation(
    service: str, action: str, channel: str, messages: list[str], summary: str
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": summary,
        "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in messages],
        "tags": [{"name": service}],
    }
    if action == "receive":
        op["bindings"] = {
            "kafka": {
                "groupId": {"type": "string", "enum": [f"siang-{service}"]},
                "bindingVersion": KAFKA_BINDING,
            }
        }
    return op


def document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of every topic, dead-letter topic and event type."""
    event_schemas = schemas()
    components: dict[str, Any] = {"KafkaHeaders": HEADERS}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    by_topic: dict[str, list[str]] = {t: [] for t in topics.ALL}
    for et in sorted(REGISTRY.values(), key=lambda e: e.type):
        _hoist(et.type, event_schemas[et.type], components)
        doc = (et.data.__doc__ or "").strip().split("\n\n")[0]
        summary = " ".join(doc.split()) or f"{et.name} (published by {sender_of(et.name)})"
        messages[et.name] = _message(et.type, et.name, summary)
        by_topic[et.topic].append(et.name)
    _hoist(DEAD_LETTER_TYPE, event_schemas[DEAD_LETTER_TYPE], components)
    messages["dead_letter"] = {
        **_message(DEAD_LETTER_TYPE, "dead_letter", "A record that could not be used, and why."),
        "contentType": "application/json",
    }

    for topic in topics.ALL:
        key, dlq = channel_key(topic), topics.dead_letters(topic)
        names = by_topic[topic]
        channels[key] = {
            "address": topic,
            "title": topic,
            "description": "Under `SIANG_KAFKA_TOPIC_PREFIX` when one is set.",
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
            "bindings": {"kafka": {"topic": topic, "bindingVersion": KAFKA_BINDING}},
        }
        channels[channel_key(dlq)] = {
            "address": dlq,
            "title": dlq,
            "description": f"Dead letters of {topic}: for operators; no service reads it.",
            "messages": {"dead_letter": {"$ref": "#/components/messages/dead_letter"}},
            "bindings": {"kafka": {"topic": dlq, "bindingVersion": KAFKA_BINDING}},
        }
        for service in sorted({sender_of(n) for n in names}):
            mine = [n for n in names if sender_of(n) == service]
            operations[f"{service}.send.{key}"] = _operation(
                service, "send", key, mine, f"{service} publishes to {topic}"
            )
        for service in READERS[topic]:
            operations[f"{service}.receive.{key}"] = _operation(
                service, "receive", key, names, f"{service} consumes {topic}"
            )
        for service in sorted({*READERS[topic], *EXTRA_DEAD_LETTER_SENDERS.get(topic, ())}):
            operations[f"{service}.send.{channel_key(dlq)}"] = _operation(
                service,
                "send",
                channel_key(dlq),
                ["dead_letter"],
                f"{service} dead-letters what it cannot use from {topic}",
            )

    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Siang events",
            "version": "1",
            "description": (
                "Every Kafka topic of Siang and the CloudEvents 1.0 (structured JSON) on it, "
                "generated from shared/contract/events.py. "
                "เหตุการณ์ทั้งหมดของระบบเสียงบน Kafka"
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "kafka": {
                "host": "{bootstrap}",
                "protocol": "kafka",
                "description": "The cluster every service is given in SIANG_KAFKA_BOOTSTRAP_SERVERS.",
                "variables": {"bootstrap": {"default": "127.0.0.1:9092"}},
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": components},
    }


def render(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    DOCUMENT.write_text(render(document()), encoding="utf-8")
    print(f"wrote {DOCUMENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
