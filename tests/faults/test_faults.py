"""Nothing accepted is lost or double counted when parts of Siang break mid-stream."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer  # type: ignore[import-untyped]

from deploy.local.servers import KafkaServer, LocalServer, MongoServer
from shared.contract import topics
from tests.e2e.system import ServiceProcess, System, free_port
from tests.faults.conftest import local_servers_only
from tests.faults.load import (
    COMPLAINANT,
    ComplainantNotices,
    Sent,
    assert_complainants_told_once,
    assert_exactly_once,
    cases_by_submission,
    send,
    sent_notice_rows,
)

STREAM = 2000


def test_workflow_killed_mid_stream_loses_and_doubles_nothing(system: System) -> None:
    workflow = system.services["workflow"]

    def crash_and_restart() -> None:
        time.sleep(4)
        workflow.kill()  # kill -9: whatever was in flight is cut off
        time.sleep(1)
        workflow.start()

    chaos = threading.Thread(target=crash_and_restart)
    chaos.start()
    sent = asyncio.run(send(system, STREAM, seconds=150))
    chaos.join()
    workflow.wait_ready()
    assert len(sent.accepted) == STREAM
    assert_exactly_once(system, sent)


def test_two_workflow_replicas_one_killed(system: System) -> None:
    first = system.services["workflow"]
    second = ServiceProcess(
        "workflow",
        free_port(),
        first.log.with_name("workflow-2.log"),
        env={**first.env, "SIANG_WORKFLOW_PORT": "0"},
    )
    second.env["SIANG_WORKFLOW_PORT"] = str(second.port)
    second.start()
    second.wait_ready()
    try:

        def kill_first() -> None:
            time.sleep(3)
            first.kill()

        chaos = threading.Thread(target=kill_first)
        chaos.start()
        sent = asyncio.run(send(system, 600, seconds=120))
        chaos.join()
        system.services["workflow"] = second  # the survivor answers sign-ins meanwhile
        assert_exactly_once(system, sent)
    finally:
        system.services["workflow"] = first
        second.stop()
        first.start()
        first.wait_ready()


def restarted_mid_stream(system: System, server: LocalServer, count: int, seconds: float) -> Sent:
    """Send `count` submissions while `server` is stopped for two seconds and restarted."""

    def restart() -> None:
        time.sleep(2)
        server.stop()
        time.sleep(2)
        server.ensure_running()

    chaos = threading.Thread(target=restart)
    chaos.start()
    sent = asyncio.run(send(system, count, seconds=seconds))
    chaos.join()
    return sent


@local_servers_only
def test_mongodb_restarted_while_submissions_flow(system: System) -> None:
    assert_exactly_once(system, restarted_mid_stream(system, MongoServer(), 400, 120))


@local_servers_only
def test_kafka_restarted_while_submissions_flow(system: System) -> None:
    assert_exactly_once(system, restarted_mid_stream(system, KafkaServer(), 400, 150))


@pytest.fixture
def mongo_syncing_on_commit(servers_in_use_are_local: None) -> MongoServer:
    """The local SecantusDB the system uses, running with the switches this checkout
    gives it (`--sync-on-commit` above all): one an older checkout started is restarted
    here, before the system starts, or the kill would test a server nobody ships."""
    server = MongoServer()
    server.ensure_running()
    pid = server.pid()
    assert pid is not None and not server.outdated(pid), "SecantusDB runs with other switches"
    return server


def told(label: str, sent: Sent, notices: ComplainantNotices, system: System) -> None:
    """The counts behind a kill test's verdict, in its output (`pytest -s` shows them)."""
    cases = cases_by_submission(system)
    print(
        f"\n{label}: sent {sent.submitted}, accepted {len(sent.accepted)} "
        f"(refused on the way: {sent.refused or 'none'}, connections cut: {sent.cut}), "
        f"cases found {len(cases)} "
        f"for {len(set(cases) & set(sent.accepted))} accepted submissions, "
        f"most cases for one submission {max(cases.values(), default=0)}; complainants told: "
        f"{notices.ledger_sent} in the ledger, {notices.mailed} distinct e-mails, "
        f"{notices.resent} re-sent with the same Message-ID"
    )


def wait_until_accepted(sent: Sent, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(sent.accepted) < count and time.monotonic() < deadline:
        time.sleep(0.05)


@local_servers_only
def test_mongodb_sigkilled_while_submissions_flow(
    mongo_syncing_on_commit: MongoServer, system: System
) -> None:
    """`kill -9` of SecantusDB while submissions, cases and notices flow: what was
    acknowledged before the kill survives WiredTiger's recovery, and nothing is doubled."""
    server, count = mongo_syncing_on_commit, 600
    sent = Sent()
    steps: list[str] = []  # what the chaos thread did; an exception there leaves it short

    def crash_and_restart() -> None:
        wait_until_accepted(sent, count // 3)
        flowing = (
            f"{len(sent.accepted)} accepted, {len(cases_by_submission(system))} cases, "
            f"{len(sent_notice_rows(system, 'case_received'))} complainants told"
        )
        steps.append("killed" if server.kill() else "was not running")
        steps.append(f"at the kill: {flowing}")
        time.sleep(2)
        steps.append(server.ensure_running())  # WiredTiger recovers from its log

    chaos = threading.Thread(target=crash_and_restart)
    chaos.start()
    asyncio.run(send(system, count, seconds=180, complainant=COMPLAINANT, into=sent))
    chaos.join()
    print(f"\nSecantusDB SIGKILL: {'; '.join(steps)}")
    assert len(steps) == 3 and steps[0] == "killed" and steps[2] == "started", steps
    assert_exactly_once(system, sent)
    told("SecantusDB SIGKILL", sent, assert_complainants_told_once(system, sent), system)


def test_intake_sigkilled_mid_burst_loses_and_doubles_nothing(system: System) -> None:
    """`kill -9` of intake with submissions in flight: a client that saw its connection
    cut retries with its Idempotency-Key, and every 202 is exactly one case."""
    intake, count = system.services["intake"], 1000
    sent = Sent()
    at_kill: list[int] = []

    def crash_and_restart() -> None:
        wait_until_accepted(sent, count // 3)
        at_kill.append(len(sent.accepted))
        intake.kill()
        time.sleep(1)
        intake.start()

    chaos = threading.Thread(target=crash_and_restart)
    chaos.start()
    asyncio.run(send(system, count, seconds=180, complainant=COMPLAINANT, into=sent))
    chaos.join()
    intake.wait_ready()
    print(f"\nintake SIGKILL: killed after {at_kill} accepted")
    assert sent.cut > 0, "no request was cut off by the kill"
    assert len(sent.accepted) == sent.submitted == count, (
        f"sent {sent.submitted}, accepted {len(sent.accepted)}, refused {sent.refused}"
    )
    assert_exactly_once(system, sent)
    told("intake SIGKILL", sent, assert_complainants_told_once(system, sent), system)


def test_poison_records_are_dead_lettered_and_the_stream_flows(system: System) -> None:
    poisoned = [topics.SUBMISSIONS, topics.CASES, topics.SURVEYS, topics.NOTIFICATIONS]

    async def poison_then_check() -> dict[str, list[dict[str, object]]]:
        producer = AIOKafkaProducer(bootstrap_servers=system.kafka_bootstrap)
        await producer.start()
        try:
            for topic in poisoned:
                await producer.send_and_wait(
                    system.prefix + topic, b'{"specversion": "1.0", "type": "nope"}', key=b"poison"
                )
        finally:
            await producer.stop()
        letters: dict[str, list[dict[str, object]]] = {t: [] for t in poisoned}
        consumer = AIOKafkaConsumer(
            *(system.prefix + topics.dead_letters(t) for t in poisoned),
            bootstrap_servers=system.kafka_bootstrap,
            auto_offset_reset="earliest",
            group_id=None,
            metadata_max_age_ms=1000,
        )
        await consumer.start()
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not all(letters.values()):
                for tp, records in (await consumer.getmany(timeout_ms=500)).items():
                    topic = tp.topic.removeprefix(system.prefix).removesuffix(".dlq")
                    letters[topic] += [orjson.loads(r.value) for r in records]
        finally:
            await consumer.stop()
        return letters

    letters = asyncio.run(poison_then_check())
    for topic, found in letters.items():
        assert found, f"no dead letter for the poison record on {topic}"
        assert all("unknown event type" in str(letter["error"]) for letter in found)
        assert all(letter["key"] == "poison" for letter in found)
    # The stream behind the poison keeps flowing.
    sent = asyncio.run(send(system, 20, seconds=60))
    assert_exactly_once(system, sent)
    assert httpx.get(f"{system.url('workflow')}/readyz").status_code == 200
