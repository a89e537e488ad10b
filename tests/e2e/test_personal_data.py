"""End to end, the whole system as processes: a complainant's name, phone, e-mail and
LINE id are written once, to the personal-data store, and nowhere else. After their
acknowledgement e-mail has arrived (and staff read the case), none of the four values is
in any other collection of the database, in any retained record of any Siang topic or
dead-letter topic, or in the services' logs."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from pymongo import MongoClient

from shared.contract import topics
from shared.infra.personal_data import PEOPLE, READS
from tests.e2e.system import System
from tests.e2e.test_journeys import case_of, login, mail_with, submit_api, wait_for

NAME = "สมศรี ใจงาม"


def _strings(value: Any) -> list[str]:
    """Every string inside a document, however deep (keys too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (str(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, bytes):
        return [value.decode("utf-8", "replace")]
    return []


def database_hits(system: System, secrets: tuple[str, ...]) -> list[str]:
    """`collection: secret` for each secret found in a collection other than the store."""
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        db = client[system.database]
        hits = []
        for name in db.list_collection_names():
            if name == PEOPLE:
                continue
            for doc in db[name].find({}):
                text = "\x1f".join(_strings(doc))
                hits += [f"{name}: {s}" for s in secrets if s in text]
        return hits
    finally:
        client.close()


async def _kafka_texts(system: System) -> dict[str, list[str]]:
    """Every retained record (key and value) of every Siang and dead-letter topic under
    the system's prefix, read from the beginning up to the end offsets."""
    from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]
    from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

    wanted = {topics.with_prefix(system.prefix, t) for t in topics.ALL}
    wanted |= {topics.dead_letters(t) for t in wanted}
    admin = AIOKafkaAdminClient(bootstrap_servers=system.kafka_bootstrap)
    await admin.start()
    try:
        present = sorted(t for t in await admin.list_topics() if t in wanted)
        described = await admin.describe_topics(present)
    finally:
        await admin.close()
    parts = [TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]]
    consumer = AIOKafkaConsumer(
        bootstrap_servers=system.kafka_bootstrap, enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    texts: dict[str, list[str]] = {t: [] for t in present}
    try:
        assert parts, present
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        left = {tp for tp in parts if ends[tp] > 0}
        while left:
            for tp, records in (await consumer.getmany(*left, timeout_ms=2000)).items():
                for r in records:
                    texts[tp.topic].append(
                        (r.key or b"").decode("utf-8", "replace")
                        + "\x1f"
                        + (r.value or b"").decode("utf-8", "replace")
                    )
                if await consumer.position(tp) >= ends[tp]:
                    left.discard(tp)
    finally:
        await consumer.stop()
    return texts


def test_contact_details_live_only_in_the_personal_data_store(system: System) -> None:
    email = f"somsri.{uuid.uuid4().hex[:6]}@example.org"
    line_id = "U" + uuid.uuid4().hex
    phone = "089-123-4567"
    code, _pin = submit_api(
        system,
        {
            "kind": "complaint",
            "complaint_type": "service",
            "category": "documents",
            "subject": "ขอหนังสือรับรองการทำงานแล้วยังไม่ได้รับ",
            "description": "ยื่นคำขอหนังสือรับรองมาสามสัปดาห์แล้ว",
            "contact": {"name": NAME, "phone": phone, "email": email, "line_user_id": line_id},
            "consent": {"contact_me": True, "share_name_with_unit": True},
        },
    )
    # The acknowledgement reaches them, by name, through the reference alone.
    [ack] = wait_for(lambda: mail_with(system.inbox, email, code), "the acknowledgement e-mail")
    assert NAME in str(ack.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]

    # Staff who may see the case read the contact; the read is logged by reference.
    admin = login(system, "admin")
    case = wait_for(lambda: case_of(system, code, admin), "the case in the queue")
    detail = httpx.get(f"{system.url('workflow')}/v1/cases/{case['case_id']}", headers=admin)
    assert detail.json()["contact"]["email"] == email

    # The four values, as given and as intake normalises the phone (E.164).
    secrets = (NAME, email, line_id, phone, "0891234567", "+66891234567")
    # A ledger row holds the address until its delivery is recorded as sent: wait for it.
    wait_for(lambda: not database_hits(system, secrets) or None, "the ledger rows settled", 30)
    assert database_hits(system, secrets) == []
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_url)
    try:
        db = client[system.database]
        assert db[PEOPLE].count_documents({"contact.email": email}) == 1
        assert db[READS].count_documents({"about": case["case_id"]}) >= 1
    finally:
        client.close()

    kafka = asyncio.run(_kafka_texts(system))
    assert kafka.get(topics.with_prefix(system.prefix, topics.SUBMISSIONS)), kafka.keys()
    assert kafka.get(topics.with_prefix(system.prefix, topics.CASES))
    for topic, records in kafka.items():
        for secret in secrets:
            assert not [r for r in records if secret in r], f"{secret!r} on {topic}"

    for name, service in system.services.items():
        log = service.log.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in log, f"{secret!r} in the {name} log"
