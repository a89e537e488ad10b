"""W3C trace context: the pure helpers, the HTTP middleware, and how a trace rides the
envelope, the outbox row, the Kafka headers, a consumer's context and an e-mail notice."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from services.notifications.adapters.channels.email_message import (
    TRACEPARENT_HEADER,
    build_email,
    mailbox,
)
from services.notifications.domain.templates import RenderedMessage
from shared.contract.events import (
    Channel,
    CloudEvent,
    Kind,
    Language,
    SubmissionReceived,
    make_event,
)
from shared.infra import tracing
from shared.infra.http import install_correlation
from shared.infra.kafka import EventConsumer, EventPublisher
from shared.infra.outbox import outbox_documents

CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_a_valid_traceparent_is_read() -> None:
    ctx = tracing.parse(CALLER)
    assert ctx == tracing.TraceContext(TRACE, "00f067aa0ba902b7", sampled=True)
    assert ctx.header == CALLER
    assert tracing.parse(CALLER[:-2] + "00") == tracing.TraceContext(
        TRACE, "00f067aa0ba902b7", sampled=False
    )
    # A later version is read by its first four fields, whatever follows.
    assert tracing.parse("cc-" + CALLER[3:] + "-what-comes-next") is not None


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        CALLER.upper(),  # lowercase hex only
        "00-" + "0" * 32 + "-00f067aa0ba902b7-01",  # all-zero trace id
        "00-" + TRACE + "-" + "0" * 16 + "-01",  # all-zero span id
        "ff-" + CALLER[3:],  # version ff is invalid
        CALLER + "-extra",  # version 00 has exactly four fields
        "00-" + TRACE[:-1] + "-00f067aa0ba902b7-01",
    ],
)
def test_an_invalid_traceparent_is_ignored(value: str | None) -> None:
    assert tracing.parse(value) is None


def test_continuing_keeps_the_trace_with_a_new_span_or_mints_one() -> None:
    child = tracing.continue_from(CALLER)
    assert child.trace_id == TRACE and child.span_id != "00f067aa0ba902b7"
    fresh, other = tracing.continue_from("nonsense"), tracing.mint()
    assert tracing.parse(fresh.header) == fresh
    assert len({fresh.trace_id, other.trace_id, TRACE}) == 3


def test_an_event_made_now_is_a_child_of_its_cause_or_of_the_current_span() -> None:
    assert tracing.for_event() is None  # no trace: the consumer starts one
    token = tracing.set_current(tracing.parse(CALLER))
    try:
        mine = tracing.parse(tracing.for_event())
        assert mine is not None and mine.trace_id == TRACE
        cause = tracing.mint()
        of_cause = tracing.parse(tracing.for_event(cause.header))
        assert of_cause is not None and of_cause.trace_id == cause.trace_id
        assert of_cause.span_id != cause.span_id
    finally:
        tracing.reset(token)


def _app() -> FastAPI:
    app = FastAPI()
    install_correlation(app)

    @app.get("/span")
    async def span() -> dict[str, Any]:
        ctx = tracing.current()
        assert ctx is not None
        return {"trace_id": ctx.trace_id, "span_id": ctx.span_id}

    return app


async def test_a_request_continues_the_callers_trace_and_says_its_span() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        given = await http.get("/span", headers={"traceparent": CALLER})
        minted = await http.get("/span", headers={"traceparent": "bad"})
    body = given.json()
    assert body["trace_id"] == TRACE and body["span_id"] != "00f067aa0ba902b7"
    assert given.headers["traceresponse"] == f"00-{TRACE}-{body['span_id']}-01"
    assert minted.json()["trace_id"] != TRACE
    assert tracing.parse(minted.headers["traceresponse"]) is not None
    assert tracing.current() is None  # nothing leaks out of the request


def _submission() -> SubmissionReceived:
    return SubmissionReceived(
        submission_id="sub-1",
        tracking_code="SG-7KQ4-M9XT",
        channel=Channel.web,
        kind=Kind.complaint,
        category="roads",
        subject="ถนนชำรุด",
        description="หลุมบนถนน",
        received_at=datetime(2026, 11, 27, tzinfo=UTC),
    )


def test_the_envelope_carries_a_well_formed_traceparent_into_the_outbox_row() -> None:
    event = make_event(_submission(), source="/siang/intake", subject="sub-1", traceparent=CALLER)
    assert event.traceparent == CALLER
    (row,) = outbox_documents([event])
    assert row["events"][0]["traceparent"] == CALLER
    with pytest.raises(ValidationError, match="traceparent"):
        make_event(_submission(), source="/siang/intake", subject="s", traceparent="x-y")


def test_kafka_headers_carry_the_correlation_id_and_traceparent() -> None:
    headers = dict(EventPublisher._headers("corr-123456", CALLER))
    assert headers["traceparent"] == CALLER.encode()
    assert headers["correlation_id"] == b"corr-123456"
    assert "traceparent" not in dict(EventPublisher._headers(None, None))


async def test_a_consumer_handles_an_event_inside_the_publishers_trace() -> None:
    seen: list[tracing.TraceContext | None] = []

    async def handler(event: CloudEvent[Any]) -> None:
        seen.append(tracing.current())

    consumer = EventConsumer.__new__(EventConsumer)
    consumer.metrics = SimpleNamespace(  # type: ignore[assignment]
        events_consumed=SimpleNamespace(labels=lambda *a: SimpleNamespace(inc=lambda: None))
    )
    consumer._attempts = {}
    event = make_event(_submission(), source="/siang/intake", subject="sub-1")
    raw = SimpleNamespace(topic="t", partition=0, offset=1)
    for headers in ({"traceparent": CALLER}, {}):
        message = SimpleNamespace(raw_message=raw, body=event.to_json(), headers=headers)
        await consumer.handle("t", message, handler)
    header_span, headless_span = seen
    assert header_span is not None and header_span.trace_id == TRACE
    assert header_span.span_id != "00f067aa0ba902b7"
    # No traceparent at all: the consumer's work is the root of a trace of its own.
    assert headless_span is not None and headless_span.trace_id != TRACE
    assert tracing.current() is None


def test_an_email_notice_carries_its_traceparent() -> None:
    rendered = RenderedMessage(
        subject="เรื่องของท่าน", text="ข้อความ", html="<p>ข้อความ</p>", short="ข้อความ"
    )
    args: dict[str, Any] = {
        "notification_id": "n-1",
        "language": Language.th,
        "sender": mailbox("saraban@siang.invalid"),
        "to": mailbox("malee@example.com"),
    }
    with_trace = build_email(rendered, traceparent=CALLER, **args)
    assert f"{TRACEPARENT_HEADER}: {CALLER}".encode() in with_trace
    assert TRACEPARENT_HEADER.encode() not in build_email(rendered, **args)
