"""The delivery ledger: one row per notice, keyed by `Notice.ledger_key`, which is also the
schedule of attempts the delivery worker claims.

A row's life: `scheduled` (due at `next_attempt_at`) → claimed as `sending` (the attempt is
recorded, with a lease, BEFORE anything leaves) → settled as `sent`, back to `scheduled`
with a later `next_attempt_at` (temporary failure), or `failed` (dead letter).

Why this gives "exactly once in effect":
- the unique `_id` means a redelivered event finds its rows and adds none, so a row
  already `sent` is never sent again, whatever the processed-event record says;
- a row is only sent by whoever holds its claim token, and settling checks the token;
- a process that dies mid-send leaves a `sending` row whose lease runs out. It is "in
  doubt": claimed again and resent with the same notification id, which every channel
  passes on as an idempotency key (Message-ID, X-Line-Retry-Key, Idempotency-Key).

The schedule of attempts lives on the ledger row itself (`state`, `next_attempt_at`)
rather than in a second collection: a delivery can never be scheduled twice, and a
batch of deliveries is claimed, or settled, in a few round trips whatever its size.
While a row is `sending`, `next_attempt_at` is the end of its lease (also kept as
`lease_until`, for people): the moment it may be claimed again. So one index,
(state, next_attempt_at), finds both the due rows and those in doubt, and each write
of a row maintains one secondary index instead of two.
Successful rows drop the stored notice (it holds the recipient's address): what remains
is the key, the outcome and the labels, enough to recognise a redelivery (PDPA).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from services.notifications.domain.notice import DeliveryChannel, Notice, RecipientRole
from shared.infra.by_ids import find_in, ids_in, update_in
from shared.infra.mongo import Document
from shared.infra.sequence import next_seq

COLLECTION = "notification_deliveries"

# SecantusDB reads every row a query matches before it applies the limit (about 0.04 ms a
# row), so with thousands of deliveries due every claim read them all, the worker claimed
# more slowly, and the backlog grew: the pipeline benchmark collapsed under overload.
# So a claim that last found rows due reads on from the oldest of them through windows of
# due times: the first `_FIRST_WINDOW` wide, each next `_WIDEN` times wider, until it has
# enough or reaches now. One that last found none reads from `_LOOK_BEHIND` before that
# claim, for rows whose writer took its `now` a little before it committed. Every
# `_FULL_READ_SECONDS` it reads all due rows as before, which finds any row older still
# (another replica's slow transaction or clock).
_FIRST_WINDOW = timedelta(seconds=0.5)
_WIDEN = 4
_LOOK_BEHIND = timedelta(seconds=5)
_FULL_READ_SECONDS = 10.0
_OLD_LEASE_INDEX = "state_1_lease_until_1"


class DeliveryState(StrEnum):
    scheduled = "scheduled"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    # The complainant's personal data was erased before this was sent: never sent, and
    # the stored notice (with their address) is gone.
    erased = "erased"


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this worker holds the right to attempt, until `lease_until`."""

    key: str
    notice: Notice
    attempts: int  # including the attempt about to be made
    claim: str
    event_time: datetime | None
    # The previous holder's lease ran out mid-send: it may have reached the receiver.
    in_doubt: bool
    # Planning order: what one person is told about one case goes out in this order.
    seq: int = 0
    # When the claim runs out: not to be started after this (another worker may take it).
    lease_until: datetime | None = None
    # Recorded as claimed when planned, by this process (see `Handover`).
    handed_over: bool = False

    @property
    def conversation(self) -> tuple[str | None, str, str]:
        """The case, channel and recipient (the recipient part of the ledger key)."""
        return (self.notice.case_id, self.notice.channel.value, self.key.rsplit("|", 1)[-1])


@dataclass(frozen=True, slots=True)
class Handover:
    """A claim made while scheduling: up to `limit` new rows go straight to the worker
    holding `token`, leased until `lease_until`."""

    token: str
    lease_until: datetime
    limit: int


@dataclass(frozen=True, slots=True)
class Scheduled:
    """What `schedule_many` added: every new notice, and those claimed by the handover."""

    notices: list[Notice]
    claimed: list[Claimed]


class DeliveryLedger:
    def __init__(self, db: AsyncDatabase[Document], collection: str = COLLECTION) -> None:
        self.rows = db[collection]
        # Per state looked for: the oldest due time a claim may still find, and when the
        # last full read was (see `_FIRST_WINDOW`).
        self._floor: dict[str, tuple[datetime | None, bool]] = {}
        self._full_read_at: dict[str, float] = {}

    async def ensure_indexes(self) -> None:
        await self.rows.create_index([("state", ASCENDING), ("next_attempt_at", ASCENDING)])
        # Ledgers made before the lease moved into `next_attempt_at` had a second index.
        with contextlib.suppress(OperationFailure):
            await self.rows.drop_index(_OLD_LEASE_INDEX)

    async def schedule(
        self,
        notices: Sequence[Notice],
        *,
        event_time: datetime | None,
        now: datetime,
        session: AsyncClientSession | None = None,
    ) -> list[Notice]:
        """Add a row per notice not yet in the ledger, due now; returns those added."""
        planned = [(n, event_time) for n in notices]
        return (await self.schedule_many(planned, now=now, session=session)).notices

    async def schedule_many(
        self,
        planned: Sequence[tuple[Notice, datetime | None]],
        *,
        now: datetime,
        session: AsyncClientSession | None = None,
        handover: Handover | None = None,
        look_first: bool = True,
    ) -> Scheduled:
        """`schedule` for the notices of many events at once (each with its event's time):
        one read and one insert for a whole batch.

        With `look_first=False` the read is skipped and every notice inserted: for a
        caller that knows its events were never applied, and that takes the insert's
        duplicate key error (which aborts its transaction) as the sign to try again
        looking first.

        With a `handover`, the first `handover.limit` new rows (in planning order) are
        recorded as already claimed by it: `sending`, its token, its lease, the attempt
        counted. The caller gives those to its own worker once the transaction commits,
        so they cost no search and no claiming update. If the process dies first, their
        lease runs out and they are in doubt, like any claim.
        """
        unique: dict[str, tuple[Notice, datetime | None]] = {}
        for notice, event_time in planned:
            unique.setdefault(notice.ledger_key, (notice, event_time))
        if not unique:
            return Scheduled([], [])
        existing = await ids_in(self.rows, unique, session=session) if look_first else set()
        fresh = [(n, t) for key, (n, t) in unique.items() if key not in existing]
        rows = [ledger_row(n, t, now) for n, t in fresh]
        claimed: list[Claimed] = []
        if handover is not None:
            for row, (notice, event_time) in zip(rows, fresh[: handover.limit], strict=False):
                row.update(
                    state=DeliveryState.sending.value,
                    claim=handover.token,
                    attempts=1,
                    next_attempt_at=handover.lease_until,
                    lease_until=handover.lease_until,
                    last_attempt_at=now,
                )
                claimed.append(
                    Claimed(
                        key=notice.ledger_key,
                        notice=notice,
                        attempts=1,
                        claim=handover.token,
                        event_time=event_time,
                        in_doubt=False,
                        seq=row["seq"],
                        lease_until=handover.lease_until,
                        handed_over=True,
                    )
                )
        if rows:
            await self.rows.insert_many(rows, ordered=True, session=session)
        return Scheduled([n for n, _ in fresh], claimed)

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
        """Take up to `limit` of the most overdue deliveries (due, or in doubt after a
        lost lease): find (window by window under a backlog, see `_FIRST_WINDOW`), mark,
        read back.

        The marking update repeats the "due" condition, so a row another replica claimed
        in between is not taken twice; only rows carrying our token are returned.
        """
        # Two queries, each on its own index, rather than one `$or` a server may scan.
        candidates: dict[str, str] = {}
        for due in (_due_scheduled(now), _in_doubt(now)):
            left = limit - len(candidates)
            if left <= 0:
                break
            found = await self._oldest_due(due, now, left)
            candidates.update({d["_id"]: d["state"] for d in found})
        if not candidates:
            return []
        token = uuid.uuid4().hex
        ids = list(candidates)
        mark = {
            "$set": {
                "state": DeliveryState.sending.value,
                "claim": token,
                "next_attempt_at": now + lease,
                "lease_until": now + lease,
                "last_attempt_at": now,
            },
            "$inc": {"attempts": 1},
        }
        # One update per kind of candidate instead of one with `$or`: SecantusDB answers
        # an `$or` beside `_id: {$in}` by scanning the whole ledger (1.3 s at 10,000 rows).
        for state, due in (
            (DeliveryState.scheduled.value, _due_scheduled(now)),
            (DeliveryState.sending.value, _in_doubt(now)),
        ):
            chosen = [key for key, was in candidates.items() if was == state]
            if chosen:
                await update_in(self.rows, "_id", chosen, mark, due)
        claimed = await find_in(self.rows, "_id", ids, {"claim": token})
        return [
            Claimed(
                key=doc["_id"],
                notice=stored_notice(doc),
                attempts=int(doc["attempts"]),
                claim=token,
                event_time=doc.get("event_time"),
                in_doubt=candidates[doc["_id"]] == DeliveryState.sending.value,
                seq=int(doc.get("seq", 0)),
                lease_until=now + lease,
            )
            for doc in claimed
        ]

    async def _oldest_due(self, due: Document, now: datetime, limit: int) -> list[Document]:
        """Up to `limit` rows matching `due` (a state and a bound on `next_attempt_at`),
        oldest first, read window by window (see `_FIRST_WINDOW`)."""
        state: str = due["state"]
        by_now: Document = due["next_attempt_at"]  # {"$lte": now} or {"$lt": now}
        clock = time.monotonic()
        floor, backlog = self._floor.get(state, (None, False))
        full = clock - self._full_read_at.get(state, -_FULL_READ_SECONDS) >= _FULL_READ_SECONDS
        if floor is None or full:
            found = await self._due_rows(state, by_now, limit)
            self._full_read_at[state] = clock
        elif not backlog:
            # None was due at the last claim: few are now, so one read is cheap. Never
            # later than the look-behind either, so a clock set back skips nothing.
            since = min(floor, now - _LOOK_BEHIND)
            found = await self._due_rows(state, {"$gte": since, **by_now}, limit)
        else:
            found = []
            start, low, span = floor, "$gte", _FIRST_WINDOW
            while len(found) < limit:
                end = start + span
                window = {low: start, **by_now} if end >= now else {low: start, "$lte": end}
                found += await self._due_rows(state, window, limit - len(found))
                if end >= now:
                    break
                start, low, span = end, "$gt", span * _WIDEN
        if found:
            self._floor[state] = (found[0]["next_attempt_at"], True)
        else:
            self._floor[state] = (now - _LOOK_BEHIND, False)
        return found

    async def _due_rows(self, state: str, when: Document, limit: int) -> list[Document]:
        # Oldest first, and in planning order among equals (see Claimed.seq).
        cursor = (
            self.rows.find(
                {"state": state, "next_attempt_at": when}, {"state": 1, "next_attempt_at": 1}
            )
            .sort([("next_attempt_at", ASCENDING), ("seq", ASCENDING)])
            .limit(limit)
        )
        return [d async for d in cursor]

    def _held(self, claimed: Claimed) -> Document:
        return {
            "_id": claimed.key,
            "state": DeliveryState.sending.value,
            "claim": claimed.claim,
        }

    async def settle_sent(
        self, claimed: Claimed, now: datetime, session: AsyncClientSession | None = None
    ) -> bool:
        """Mark delivered; False if the claim was lost meanwhile (someone else settles)."""
        result = await self.rows.update_one(self._held(claimed), _sent_update(now), session=session)
        return result.modified_count == 1

    async def settle_sent_many(
        self, claims: Sequence[Claimed], now: datetime, session: AsyncClientSession | None = None
    ) -> int:
        """Mark many delivered in one write; returns how many were still held by us."""
        matched = 0
        for token, keys in _keys_by_token(claims).items():
            held = {"state": DeliveryState.sending.value, "claim": token}
            touched = await update_in(
                self.rows, "_id", keys, _sent_update(now), held, session=session
            )
            matched += touched.matched
        return matched

    async def release(self, claims: Sequence[Claimed], now: datetime) -> int:
        """Give back claims never attempted (a worker stopping): due now, the attempt
        uncounted, for whichever worker looks next instead of after the lease."""
        released = 0
        for token, keys in _keys_by_token(claims).items():
            touched = await update_in(
                self.rows,
                "_id",
                keys,
                {
                    "$set": {"state": DeliveryState.scheduled.value, "next_attempt_at": now},
                    "$unset": {"claim": "", "lease_until": ""},
                    "$inc": {"attempts": -1},
                },
                {"state": DeliveryState.sending.value, "claim": token},
            )
            released += touched.modified
        return released

    async def settle_retry(self, claimed: Claimed, next_attempt_at: datetime, reason: str) -> bool:
        result = await self.rows.update_one(
            self._held(claimed),
            {
                "$set": {
                    "state": DeliveryState.scheduled.value,
                    "next_attempt_at": next_attempt_at,
                    "last_error": reason,
                },
                "$unset": {"claim": "", "lease_until": ""},
            },
        )
        return result.modified_count == 1

    async def settle_failed(
        self,
        claimed: Claimed,
        now: datetime,
        reason: str,
        session: AsyncClientSession | None = None,
    ) -> bool:
        result = await self.rows.update_one(
            self._held(claimed),
            {
                "$set": {
                    "state": DeliveryState.failed.value,
                    "failed_at": now,
                    "last_error": reason,
                },
                "$unset": {"claim": "", "lease_until": "", "next_attempt_at": ""},
            },
            session=session,
        )
        return result.modified_count == 1

    async def reschedule(
        self, keys: Sequence[str], now: datetime, session: AsyncClientSession | None = None
    ) -> int:
        """Give failed deliveries a fresh set of attempts, due now (re-drive)."""
        touched = await update_in(
            self.rows,
            "_id",
            keys,
            {
                "$set": {
                    "state": DeliveryState.scheduled.value,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "redriven_at": now,
                },
                "$unset": {"failed_at": ""},
            },
            {"state": DeliveryState.failed.value},
            session=session,
        )
        return touched.modified

    async def erase_complainant(
        self, case_ids: Sequence[str], now: datetime, session: AsyncClientSession | None = None
    ) -> int:
        """Scrub the complainant's not-yet-sent deliveries of these cases (PDPA erasure):
        the notice and its address go, the row stays as `erased` so a redelivered event
        still finds its key and schedules nothing. Rows already sent hold no notice."""
        pending = [DeliveryState.scheduled.value, DeliveryState.sending.value]
        result = await self.rows.update_many(
            {
                "case_id": {"$in": list(case_ids)},
                "recipient_role": "complainant",
                "state": {"$in": [*pending, DeliveryState.failed.value]},
            },
            {
                "$set": {"state": DeliveryState.erased.value, "erased_at": now},
                "$unset": {
                    "notice": "",
                    "claim": "",
                    "lease_until": "",
                    "next_attempt_at": "",
                    "last_error": "",
                },
            },
            session=session,
        )
        return result.modified_count

    async def complainant_emails(self, case_ids: Sequence[str]) -> list[str]:
        """The notification ids of every e-mail to the complainant of these cases, sent
        or not: what a mail archive is asked to forget on an erasure. Sent rows keep the
        id (and only a digest of the address), so this still works after the scrub."""
        found = self.rows.find(
            {
                "case_id": {"$in": list(case_ids)},
                "recipient_role": RecipientRole.complainant.value,
                "channel": DeliveryChannel.email.value,
            },
            {"notification_id": 1},
        )
        return [str(d["notification_id"]) async for d in found if d.get("notification_id")]

    async def get(self, key: str) -> Document | None:
        return await self.rows.find_one({"_id": key})

    async def backlog(self) -> tuple[int, int]:
        """(deliveries waiting, of which retries): the queue the worker has not cleared."""
        waiting = await self.rows.count_documents(
            {"state": {"$in": [DeliveryState.scheduled.value, DeliveryState.sending.value]}}
        )
        retries = await self.rows.count_documents(
            {"state": DeliveryState.scheduled.value, "attempts": {"$gt": 0}}
        )
        return waiting, retries


def _keys_by_token(claims: Sequence[Claimed]) -> dict[str, list[str]]:
    """The claims' keys per claim token: one update per token (a worker's claims share
    it), not one per row, since each statement costs SecantusDB a few milliseconds
    however few rows it touches."""
    by_token: dict[str, list[str]] = {}
    for c in claims:
        by_token.setdefault(c.claim, []).append(c.key)
    return by_token


def _due_scheduled(now: datetime) -> Document:
    return {"state": DeliveryState.scheduled.value, "next_attempt_at": {"$lte": now}}


def _in_doubt(now: datetime) -> Document:
    # A sending row's next attempt is due when its lease runs out.
    return {"state": DeliveryState.sending.value, "next_attempt_at": {"$lt": now}}


def _sent_update(now: datetime) -> Document:
    return {
        "$set": {"state": DeliveryState.sent.value, "sent_at": now, "last_error": None},
        "$unset": {"notice": "", "claim": "", "lease_until": "", "next_attempt_at": ""},
    }


def ledger_row(notice: Notice, event_time: datetime | None, now: datetime) -> Document:
    """The ledger row of a newly planned delivery, due at `now`."""
    return {
        "_id": notice.ledger_key,
        "seq": next_seq(),
        "notification_id": notice.notification_id,
        "state": DeliveryState.scheduled.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "event_time": event_time,
        "source_event_id": notice.source_event_id,
        "case_id": notice.case_id,
        "channel": notice.channel.value,
        "template": notice.template.value,
        "recipient_role": notice.recipient_role.value,
        # As JSON text, not a nested document: one field instead of some thirty for the
        # server to decode and encode on the insert and again on the settling update,
        # which drops it (as the event store keeps events: shared/infra/event_store.py).
        "notice": notice.model_dump_json(),
        "last_error": None,
    }


def stored_notice(row: Document) -> Notice:
    """The notice a ledger row holds: JSON text, or a nested document in older rows."""
    held = row["notice"]
    return (
        Notice.model_validate_json(held) if isinstance(held, str) else Notice.model_validate(held)
    )
