"""The one tracking door's handler on fakes: the right PIN gives the progress, a wrong PIN
or an unknown code the same refusal, too many wrong PINs lock the code — even for the
right PIN — until the cool-down ends, and parallel guesses past the limit are refused
without their PINs being compared."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.intake.domain.lockout import Lockout, minutes_left, seconds_left
from services.intake.domain.progress import CaseProgress, PublicStep, public_steps
from services.intake.domain.tracking import TrackingRecord, new_tracking_code
from services.intake.errors import NotWithdrawable, TrackingLocked, TrackingNotFound
from services.intake.handlers.ports import AlreadyStored
from services.intake.handlers.track import Tracker
from shared.contract import tracking_pin
from shared.contract.events import CloudEvent
from shared.contract.tracking_pin import hash_pin

PEPPER = b"unit-test-pepper-0123456789"
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class Records:
    def __init__(self) -> None:
        self.by_code: dict[str, TrackingRecord] = {}

    def add(self, pin: str) -> TrackingRecord:
        code = new_tracking_code()
        record = TrackingRecord(
            submission_id=f"sub-{code}",
            tracking_code=code,
            pin_hash=hash_pin(pin, tracking_code=code, pepper=PEPPER),
            channel="web",
            kind="complaint",
            category="documents",
            language="th",
            received_at=T0,
        )
        self.by_code[code] = record
        return record

    async def by_tracking_code(self, code: str) -> TrackingRecord | None:
        await asyncio.sleep(0)  # lets parallel lookups interleave, as MongoDB would
        return self.by_code.get(code)


class Progress:
    def __init__(self) -> None:
        self.cases: dict[str, CaseProgress] = {}

    async def of(self, code: str) -> CaseProgress | None:
        return self.cases.get(code)


class Attempts:
    """The adapter's semantics in memory: `count` is atomic, `lock` starts afresh."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, object]] = {}

    async def locked_until(self, code: str) -> datetime | None:
        until = self.docs.get(code, {}).get("locked_until")
        return until if isinstance(until, datetime) else None

    async def count(self, code: str) -> tuple[int, datetime | None]:
        doc = self.docs.setdefault(code, {"failures": 0})
        doc["failures"] = int(str(doc["failures"])) + 1
        until = doc.get("locked_until")
        return int(str(doc["failures"])), until if isinstance(until, datetime) else None

    async def lock(self, code: str, until: datetime) -> None:
        self.docs.setdefault(code, {}).update(failures=0, locked_until=until)

    async def clear(self, code: str) -> None:
        self.docs.pop(code, None)


class FollowUps:
    """The follow-up store's semantics in memory: the event in the outbox and, for a
    withdrawal, the record marked withdrawn, all or nothing; the same event id twice is
    `AlreadyStored`."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.outbox: list[CloudEvent[Any]] = []

    async def commit(
        self, event: CloudEvent[Any], *, withdrawn: tuple[str, datetime] | None = None
    ) -> None:
        if withdrawn is not None:
            submission_id, at = withdrawn
            [record] = [
                r for r in self.records.by_code.values() if r.submission_id == submission_id
            ]
            if record.withdrawn_at is not None:
                raise NotWithdrawable("withdrawn")
            self.records.by_code[record.tracking_code] = replace(record, withdrawn_at=at)
        if any(e.id == event.id for e in self.outbox):
            raise AlreadyStored(event.id)
        self.outbox.append(event)


class Office:
    def __init__(self, max_wrong_pins: int = 5, lockout_seconds: int = 900) -> None:
        self.now = T0
        self.records, self.progress, self.attempts = Records(), Progress(), Attempts()
        self.follow_ups = FollowUps(self.records)
        self.tracker = Tracker(
            self.records,
            self.progress,
            self.attempts,
            pepper=PEPPER,
            lockout=Lockout(max_wrong_pins=max_wrong_pins, lockout_seconds=lockout_seconds),
            now=lambda: self.now,
        )


async def test_the_right_pin_gives_the_record_then_the_case() -> None:
    office = Office()
    record = office.records.add("123456")
    view = await office.tracker.follow(record.tracking_code.lower().replace("-", " "), " 123456 ")
    assert view.record == record and view.case is None and view.status == "received"
    assert view.updated_at == T0
    office.progress.cases[record.tracking_code] = CaseProgress(
        status="in_progress",
        kind="complaint",
        category="documents",
        unit="admin",
        updated_at=T0 + timedelta(hours=2),
        answer_due_at=T0 + timedelta(days=15),
        close_reason=None,
        public_answer=None,
        timeline=(),
    )
    view = await office.tracker.follow(record.tracking_code, "123456")
    assert view.status == "in_progress" and view.updated_at == T0 + timedelta(hours=2)


async def test_unknown_code_and_wrong_pin_are_the_same_refusal_and_both_count() -> None:
    office = Office(max_wrong_pins=2)
    record = office.records.add("123456")
    unknown = new_tracking_code()
    for code in (record.tracking_code, unknown):
        with pytest.raises(TrackingNotFound):
            await office.tracker.follow(code, "000000")
        with pytest.raises(TrackingNotFound):
            await office.tracker.follow(code, "000001")
        with pytest.raises(TrackingLocked):  # a lock says nothing about which codes exist
            await office.tracker.follow(code, "000002")


async def test_a_locked_code_refuses_the_right_pin_until_the_cool_down_ends() -> None:
    office = Office(max_wrong_pins=5, lockout_seconds=900)
    record = office.records.add("654321")
    for _ in range(5):
        with pytest.raises(TrackingNotFound):
            await office.tracker.follow(record.tracking_code, "000000")
    with pytest.raises(TrackingLocked) as locked:
        await office.tracker.follow(record.tracking_code, "654321")
    assert locked.value.retry_after == 900
    office.now = T0 + timedelta(seconds=899.5)
    with pytest.raises(TrackingLocked) as locked:
        await office.tracker.follow(record.tracking_code, "654321")
    assert locked.value.retry_after == 1
    office.now = T0 + timedelta(seconds=900)
    view = await office.tracker.follow(record.tracking_code, "654321")
    assert view.record == record
    # The right PIN wiped the count: five more wrong PINs before the next lock.
    assert record.tracking_code not in office.attempts.docs


async def test_the_right_pin_resets_the_count_of_wrong_ones() -> None:
    office = Office(max_wrong_pins=3)
    record = office.records.add("111111")
    for _ in range(2):
        with pytest.raises(TrackingNotFound):
            await office.tracker.follow(record.tracking_code, "000000")
    await office.tracker.follow(record.tracking_code, "111111")
    for _ in range(2):
        with pytest.raises(TrackingNotFound):
            await office.tracker.follow(record.tracking_code, "000000")
    await office.tracker.follow(record.tracking_code, "111111")


async def test_parallel_guesses_compare_at_most_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    office = Office(max_wrong_pins=5)
    record = office.records.add("999999")
    compared: list[str] = []
    real = tracking_pin.pin_matches

    def counting(pin: str, **kwargs: object) -> bool:
        compared.append(pin)
        return real(pin, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("services.intake.handlers.track.pin_matches", counting)
    results = await asyncio.gather(
        *(office.tracker.follow(record.tracking_code, f"{i:06d}") for i in range(50)),
        return_exceptions=True,
    )
    assert len(compared) == 5
    assert sum(isinstance(r, TrackingNotFound) for r in results) == 5
    assert sum(isinstance(r, TrackingLocked) for r in results) == 45
    with pytest.raises(TrackingLocked):
        await office.tracker.follow(record.tracking_code, "999999")


def test_pins_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, object]] = []
    real = tracking_pin.hmac.compare_digest

    def recording(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tracking_pin.hmac, "compare_digest", recording)
    stored = hash_pin("123456", tracking_code="SG-X", pepper=PEPPER)
    assert tracking_pin.pin_matches(
        "123456", tracking_code="SG-X", pepper=PEPPER, stored_hash=stored
    )
    assert not tracking_pin.pin_matches(
        "123457", tracking_code="SG-X", pepper=PEPPER, stored_hash=stored
    )
    assert len(calls) == 2


def test_lock_arithmetic() -> None:
    assert seconds_left(None, T0) == 0 and seconds_left(T0, T0) == 0
    assert seconds_left(T0 + timedelta(seconds=0.2), T0) == 1
    assert seconds_left(T0 + timedelta(seconds=900), T0) == 900
    assert minutes_left(1) == 1 and minutes_left(60) == 1 and minutes_left(61) == 2
    assert minutes_left(900) == 15


def test_the_public_timeline_leaves_out_internal_entries_and_private_comments() -> None:
    entries = [
        {"at": T0, "command": "open", "to_status": "received", "visibility": "public"},
        {"at": T0, "command": "assign", "to_status": "assigned", "visibility": "public",
         "actor": "somchai.k", "reason": "ภาระงาน"},
        {"at": T0, "command": "comment", "visibility": "internal", "reason": "ญาติ ผอ."},
        {"at": T0, "command": "comment", "visibility": "public", "public_reason": None},
        {"at": T0, "command": "comment", "visibility": "public", "public_reason": "กำลังตรวจสอบ"},
    ]  # fmt: skip
    assert public_steps(entries) == (
        PublicStep(at=T0, status="received", event="open", message=None),
        PublicStep(at=T0, status="assigned", event="assign", message=None),
        PublicStep(at=T0, status=None, event="comment", message="กำลังตรวจสอบ"),
    )
