"""One trace from the first HTTP request to the last notice, on the real Kafka and
MongoDB-wire server: intake, workflow and notifications built by their real factories, a
submission posted with a W3C `traceparent`, its events on Kafka and the complainant's
e-mail (at a real SMTP server) all in the caller's trace, each hop a span of its own."""

from __future__ import annotations

import httpx

from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.workflow.app import create_app as create_workflow
from services.workflow.settings import WorkflowSettings
from shared.contract import topics
from shared.contract.events import CaseOpened, parse_event
from shared.infra import correlation, tracing
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.notifications.conftest import StartService
from tests.integration.notifications.receivers import Mail
from tests.support import eventually, read_topic

CALLER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACE = "0af7651916cd43dd8448eb211c80319c"
EMAIL = "malee.trace@example.com"
BODY = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอหนังสือรับรองแล้วไม่ได้รับ",
    "description": "ยื่นคำขอเมื่อ 3 สัปดาห์ก่อน",
    "language": "th",
    "contact": {"name": "มาลี ใจงาม", "email": EMAIL},
    "consent": {"contact_me": True},
}


def _span(headers: list[tuple[str, bytes]]) -> tracing.TraceContext:
    ctx = tracing.parse(dict(headers).get(tracing.KAFKA_HEADER))
    assert ctx is not None, headers
    return ctx


async def test_a_submissions_trace_reaches_its_case_events_and_the_notice(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings, start_service: StartService
) -> None:
    intake = create_intake(IntakeSettings(kafka=kafka_settings, mongo=mongo_settings))
    workflow = create_workflow(
        WorkflowSettings(kafka=kafka_settings, mongo=mongo_settings, scan_interval_seconds=3600)
    )
    async with (
        start_service() as notifications,
        intake.router.lifespan_context(intake),
        workflow.router.lifespan_context(workflow),
    ):
        await intake.state.runtime.wait_connected(60)
        await workflow.state.runtime.wait_connected(60)
        transport = httpx.ASGITransport(app=intake)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as http:
            answer = await http.post(
                "/v1/submissions",
                json=BODY,
                headers={tracing.HTTP_HEADER: CALLER, correlation.HTTP_HEADER: "corr-trace-001"},
            )
        assert answer.status_code == 202, answer.text
        intake_span = tracing.parse(answer.headers[tracing.RESPONSE_HEADER])
        assert intake_span is not None and intake_span.trace_id == TRACE

        [submitted] = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.SUBMISSIONS),
            1,
        )
        opened = await read_topic(
            kafka_settings.bootstrap_servers,
            topics.with_prefix(kafka_settings.topic_prefix, topics.CASES),
            1,
        )

        async def complainants_mail() -> Mail | None:
            return next((m for m in notifications.mailbox.mails if m.to == EMAIL), None)

        mail = await eventually(complainants_mail, timeout=60, what="the complainant's e-mail")

    # The submission: on the outbox row, in the envelope and the Kafka header alike.
    submission = parse_event(submitted.value)
    submission_span = _span(submitted.headers)
    assert submission.traceparent == submission_span.header
    assert submission_span.trace_id == TRACE
    assert submission_span.span_id not in ("b7ad6b7169203331", intake_span.span_id)

    # The case's events: workflow's spans in the same trace, the correlation id kept.
    case_event = parse_event(opened[0].value)
    assert isinstance(case_event.data, CaseOpened)
    assert case_event.data.submission_id == answer.json()["submission_id"]
    case_span = _span(opened[0].headers)
    assert case_span.trace_id == TRACE and case_span.span_id != submission_span.span_id
    assert case_event.traceparent == case_span.header
    assert case_event.correlationid == "corr-trace-001"

    # The notice: the e-mail says which trace sent it.
    assert mail is not None
    sent = tracing.parse(mail.message["Traceparent"])
    assert sent is not None and sent.trace_id == TRACE
    assert sent.span_id not in (case_span.span_id, submission_span.span_id)
