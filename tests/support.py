"""Small helpers for tests that wait on real servers."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from services.intake.domain.tracking import TrackingRecord
from shared.contract.events import (
    CaseCommented,
    Channel,
    CloudEvent,
    SubmissionReceived,
    Visibility,
    make_event,
)

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout: float = 30.0,
    interval: float = 0.1,
    what: str = "",
) -> T:
    """Poll `probe` until it returns something truthy; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or probe}: last={last!r}")


async def read_topic(
    bootstrap: str, topic: str, count: int, *, timeout: float = 60, settle: float = 0
) -> list[Any]:
    """At least `count` records of `topic` from its beginning; with `settle`, read on for
    that long so a duplicate would show up too."""
    from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[Any] = []
    try:

        async def more() -> bool:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
            return len(records) >= count

        await eventually(more, timeout=timeout, what=f"{count} records on {topic}")
        if settle:
            await asyncio.sleep(settle)
            for batch in (await consumer.getmany(timeout_ms=1000)).values():
                records.extend(batch)
    finally:
        await consumer.stop()
    return records


def comment(
    case_id: str, text: str, correlation_id: str | None = None
) -> CloudEvent[CaseCommented]:
    """An internal comment on `case_id`: the smallest case event, for plumbing tests."""
    return make_event(
        CaseCommented(
            case_id=case_id,
            comment_id=text,
            visibility=Visibility.internal,
            text=text,
            author="staff-1",
        ),
        source="/tests",
        subject=case_id,
        correlation_id=correlation_id,
    )


def stored_submission(n: int) -> tuple[TrackingRecord, CloudEvent[SubmissionReceived]]:
    """What intake's store commits for a small web suggestion numbered `n`: its tracking
    record and its `submission.received` event (no contact, no files)."""
    record = TrackingRecord(
        submission_id=f"s-{n}",
        tracking_code=f"SG-2570-AAAAA{n}",
        pin_hash="x",
        channel="web",
        kind="suggestion",
        category="school-lunch",
        language="th",
        received_at=datetime.now(UTC),
    )
    data = SubmissionReceived(
        submission_id=record.submission_id,
        tracking_code=record.tracking_code,
        channel=Channel.web,
        kind="suggestion",
        category="school-lunch",
        subject="ผลไม้",
        description="ขอให้เพิ่มผลไม้",
        received_at=record.received_at,
        tracking_pin_hash="x",
    )
    return record, make_event(data, source="/test", subject=record.submission_id)


def png(width: int = 48, height: int = 32, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A real PNG of one colour (a browser draws it; intake checks the type by content),
    written with the standard library so no imaging package is needed."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width  # filter byte 0, then RGB pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


async def delete_topics(bootstrap: str, prefix: str) -> None:
    """Delete the topics named with `prefix`, best effort: keeps the local broker small
    across many test and benchmark runs (it had gathered 969 topics, some 2,900
    partitions, that its periodic work walks)."""
    from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await asyncio.wait_for(admin.start(), 10)
        names = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if names:
            await asyncio.wait_for(admin.delete_topics(names), 10)
    except Exception:  # noqa: BLE001 - cleanup must never fail a test
        pass
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


def delete_topics_now(bootstrap: str, prefix: str) -> None:
    """`delete_topics` from synchronous code, even inside a running event loop (on a
    thread of its own)."""
    worker = threading.Thread(target=lambda: asyncio.run(delete_topics(bootstrap, prefix)))
    worker.start()
    worker.join()


def ehlo_answer(
    session: Any, hostname: str, responses: list[str], *, pipelining: bool
) -> list[str]:
    """An aiosmtpd relay's answer to EHLO (its `handle_EHLO` hook), offering PIPELINING
    as production relays do when `pipelining`."""
    session.host_name = hostname
    offered = ["250-PIPELINING"] if pipelining else []
    return [*responses[:-1], *offered, responses[-1]]
