"""Cases in MongoDB: the case documents, the per-case event store (`case_events`, from
which reporting can rebuild), and the outbox rows written in the same transaction.

A case names its complainant only by `person_id`; the contact itself is in the
personal-data store (`shared/infra/personal_data.py`), read through `people`: by the
opening for its duplicate hints (`contacts`), and by staff through `PersonalData.read_for`,
which logs each read. Beside the reference the case keeps the consent, whom the
submission named, and the keyed hashes of the contact (`contact_keys`, for the duplicate
hint; no contact can be read back from them). `by_person` finds a person's cases, for an
erasure or an export."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.adapters.case_queries import (
    DAYS_COUNT_UP_TO,
    CaseFilter,
    Position,
    Sort,
    by_days,
    queue_pipeline,
    scans_down,
    window_leads,
    window_pipeline,
    windows,
)
from services.workflow.domain.lifecycle import CaseState
from services.workflow.domain.opening import OpenedCase
from services.workflow.domain.routing import RecentCase
from services.workflow.domain.sla import ClockState
from shared.contract.events import CaseStatus, Clock, CloudEvent, Contact, json_values
from shared.contract.vocabulary import OPEN_STATUSES
from shared.infra.by_ids import find_in, ids_in
from shared.infra.event_store import store_document
from shared.infra.mongo import Document
from shared.infra.outbox import Outbox
from shared.infra.personal_data import PersonalData

STATE_FIELDS = tuple(CaseState.model_fields)
_RECENT = 50  # earlier cases of the same contacts looked at for a duplicate hint
_LISTED = {"description": 0, "timeline": 0}  # what a list of cases leaves out


@dataclass
class NewCase:
    """The documents of a case being opened: the case and its events."""

    case: Document
    events: list[CloudEvent[Any]]


def new_case(opened: OpenedCase, events: list[CloudEvent[Any]]) -> NewCase:
    """The documents of `opened`, whose events (in order) are wrapped in `events`. The
    complainant's contact is in the personal-data store; the case keeps its reference."""
    sub, final, now = opened.submission, opened.state, opened.opened_at
    case = {
        "_id": opened.case_id,
        "version": 1,
        "event_count": len(events),
        **final.model_dump(mode="python", exclude={"case_id", "excluded_assignees"}),
        "excluded_assignees": sorted(final.excluded_assignees),
        "submission_id": sub.submission_id,
        "tracking_code": sub.tracking_code,
        "kind": sub.kind.value,
        "complaint_type": sub.complaint_type,
        "channel": sub.channel.value,
        "language": sub.language.value,
        "subject": sub.subject,
        "description": sub.description,
        "occurred_on": sub.occurred_on.isoformat() if sub.occurred_on else None,
        "location": sub.location.model_dump() if sub.location else None,
        "consultation_id": sub.consultation_id,
        "keyed_by": sub.keyed_by,
        # A letter's registry number and date (as text: BSON has no plain date).
        "letter": sub.letter.model_dump(mode="json") if sub.letter else None,
        "received_at": sub.received_at,
        "opened_at": now,
        "updated_at": now,
        "duplicate_hint": opened.duplicate_hint,
        "clocks": clocks_doc(opened.clocks),
        "next_check_at": opened.next_check_at,
        "timeline": [
            _opening_entry(now),
            *(entry.model_dump(mode="python") for entry in opened.timeline),
        ],
        "person_id": sub.person_id,
        "consent": sub.consent.model_dump(),
        "named_person": sub.named_person,
    }
    if opened.contact_keys:
        # Absent for an anonymous case, so the sparse index leaves it out.
        case["contact_keys"] = list(opened.contact_keys)
    return NewCase(case=case, events=events)


def _opening_entry(at: datetime) -> Document:
    # The opening has no state before it, so it is not a lifecycle TimelineEntry.
    return {
        "at": at,
        "actor": "system",
        "role": "system",
        "command": "open",
        "from_status": None,
        "to_status": CaseStatus.received.value,
        "visibility": "public",
        "public_reason": None,
        "reason": None,
    }


@dataclass(frozen=True)
class QueueAnswer:
    """A page of a queue: its cases' ids and sort keys, and how many the queue holds,
    counted up to `counted_to` + 1 (past `counted_to`, at least that many)."""

    rows: list[Document]
    total: int
    counted_to: int | None = None


class CaseNotFound(LookupError):
    """No case with this id (or not one the caller may see)."""


class StaleVersion(Exception):
    """The case changed since it was read; the command was not applied."""


class CaseStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.cases = db["cases"]
        self.events = db["case_events"]
        self.outbox = Outbox(db, "workflow_outbox")
        self.people = PersonalData(db)

    async def ensure_indexes(self) -> None:
        # No index on submission_id: a case's _id is derived from it (one submission, one
        # case), and each secondary index costs SecantusDB a tenth of a millisecond or more
        # per document written.
        await self.cases.create_index("tracking_code", unique=True)
        await self.cases.create_index([("unit", ASCENDING), ("status", ASCENDING)])
        await self.cases.create_index([("assignee", ASCENDING), ("status", ASCENDING)])
        await self.cases.create_index("next_check_at", sparse=True)
        await self.cases.create_index([("received_at", DESCENDING), ("_id", DESCENDING)])
        # Only cases whose sender left a contact have keys, so the index stays small.
        await self.cases.create_index("contact_keys", sparse=True)
        # The console's queues (case_queries._lead): an admin's list of every unit by
        # status, a unit's cases of some weeks whatever their status, and the cases due
        # in the next few days.
        await self.cases.create_index([("status", ASCENDING), ("received_at", DESCENDING)])
        await self.cases.create_index([("unit", ASCENDING), ("received_at", DESCENDING)])
        await self.cases.create_index("clocks.resolution.due_at")
        # Only merged duplicates name the case they were merged into: a small index that
        # lists a case's duplicates on its page.
        await self.cases.create_index("merged_into", sparse=True)
        await self.events.create_index([("case_id", ASCENDING), ("seq", ASCENDING)], unique=True)
        await self.outbox.ensure_indexes()
        await self.people.ensure_indexes()

    async def get(self, case_id: str, session: AsyncClientSession | None = None) -> Document:
        doc = await self.cases.find_one({"_id": case_id}, session=session)
        if doc is None:
            raise CaseNotFound(case_id)
        return doc

    async def exists(self, case_id: str, session: AsyncClientSession) -> bool:
        return await self.cases.find_one({"_id": case_id}, {"_id": 1}, session=session) is not None

    async def existing(self, case_ids: Sequence[str], session: AsyncClientSession) -> set[str]:
        return await ids_in(self.cases, case_ids, session=session)

    async def insert_many(self, new: Sequence[NewCase], session: AsyncClientSession) -> None:
        """New cases with their first events, a few round trips in all."""
        if not new:
            return
        await self.cases.insert_many([n.case for n in new], session=session)
        await self._write_events([(n.case["_id"], 0, n.events) for n in new], session)

    async def update(
        self,
        doc: Document,
        changes: Document,
        timeline: Document | None,
        events: Sequence[CloudEvent[Any]],
        session: AsyncClientSession,
    ) -> None:
        """Apply `changes` if the case is still at the version in `doc`, else StaleVersion."""
        update: Document = {"$set": changes, "$inc": {"version": 1, "event_count": len(events)}}
        if timeline is not None:
            update["$push"] = {"timeline": timeline}
        result = await self.cases.update_one(
            {"_id": doc["_id"], "version": doc["version"]}, update, session=session
        )
        if result.matched_count == 0:
            raise StaleVersion(doc["_id"])
        await self._write_events([(doc["_id"], doc.get("event_count", 0), events)], session)

    async def update_many(
        self,
        writes: Sequence[tuple[Document, Document, Document, Sequence[CloudEvent[Any]]]],
        session: AsyncClientSession,
    ) -> None:
        """`update` of several cases, each (case as read, changes, timeline entry, events),
        in three statements whatever their number: StaleVersion (naming none) if any case
        is no longer at the version read, which the caller's transaction then undoes."""
        if not writes:
            return
        result = await self.cases.bulk_write(
            [
                UpdateOne(
                    {"_id": doc["_id"], "version": doc["version"]},
                    {
                        "$set": changes,
                        "$inc": {"version": 1, "event_count": len(events)},
                        "$push": {"timeline": timeline},
                    },
                )
                for doc, changes, timeline, events in writes
            ],
            ordered=False,
            session=session,
        )
        if result.matched_count != len(writes):
            raise StaleVersion("one of the cases changed")
        await self._write_events(
            [(doc["_id"], doc.get("event_count", 0), events) for doc, _, _, events in writes],
            session,
        )

    async def _write_events(
        self,
        writes: Sequence[tuple[str, int, Sequence[CloudEvent[Any]]]],
        session: AsyncClientSession,
    ) -> None:
        """Each (case id, first seq, events) into the event store, and all of them into
        the outbox, in order: each event is turned into JSON once, for both."""
        stored: list[Document] = []
        events: list[CloudEvent[Any]] = []
        values: list[bytes] = []
        for case_id, first_seq, written in writes:
            if written:
                texts = json_values(written)
                stored.append(store_document(case_id, first_seq, written, texts))
                events.extend(written)
                values.extend(texts)
        if stored:
            await self.events.insert_many(stored, session=session)
            await self.outbox.add(events, session=session, values=values)

    async def recent_by_contact(
        self, keys: Sequence[str], since: datetime, session: AsyncClientSession
    ) -> list[RecentCase]:
        """The latest cases opened since `since` for any of these contact keys."""
        if not keys:
            return []
        found = await find_in(
            self.cases,
            "contact_keys",
            keys,
            {"opened_at": {"$gte": since}},
            {"category": 1, "contact_keys": 1, "opened_at": 1},
            sort=[("opened_at", DESCENDING)],
            limit=_RECENT,
            session=session,
        )
        # A case may match through several keys, so in several slices.
        unique = {d["_id"]: d for d in found}.values()
        return [
            RecentCase(
                case_id=d["_id"],
                category=d["category"],
                contact_keys=frozenset(d.get("contact_keys", [])),
                opened_at=d["opened_at"],
            )
            for d in sorted(unique, key=lambda d: d["opened_at"], reverse=True)[:_RECENT]
        ]

    async def due_for_check(self, now: datetime, limit: int) -> list[Document]:
        cursor = self.cases.find({"next_check_at": {"$lte": now}}).sort("next_check_at", 1)
        return [d async for d in cursor.limit(limit)]

    async def page(self, query: Document, *, limit: int) -> list[Document]:
        """One page of cases, newest first; the sort matches the list cursor."""
        projection = {"timeline": 0, "description": 0}
        cursor = self.cases.find(query, projection).sort(
            [("received_at", DESCENDING), ("_id", DESCENDING)]
        )
        return [d async for d in cursor.limit(limit)]

    async def queue(self, pipeline: list[Document]) -> QueueAnswer:
        """The answer of a `case_queries.queue_pipeline`: a page's keys and the total."""
        async for answer in await self.cases.aggregate(pipeline):
            counted = answer.get("total") or [{"n": 0}]
            return QueueAnswer(rows=list(answer.get("rows", [])), total=int(counted[0]["n"]))
        return QueueAnswer(rows=[], total=0)

    async def queue_page(
        self,
        wanted: CaseFilter,
        sort: Sort,
        position: Position | None,
        *,
        limit: int,
        count_up_to: int,
        now: datetime,
    ) -> QueueAnswer:
        """The answer `queue(queue_pipeline(...))` gives, read a window of days at a time
        when the list is long and in the order received: SecantusDB reads every case its
        first stage names whatever the limit, so a unit's cases of any status, or every
        unit's, cost all of them; the newest week or so holds a page, and the count stops
        once past `DAYS_COUNT_UP_TO` (at most `count_up_to`; `counted_to` says which).
        BENCHMARKS.md, "console queue"."""
        anchor = position.keys[0] if position is not None else None
        if (
            not by_days(wanted, sort)
            or (position is None and sort is Sort.oldest)
            or not (anchor is None or isinstance(anchor, datetime))
        ):
            # The oldest first page would need the oldest day: one plain read.
            answer = await self.queue(
                queue_pipeline(wanted, sort, position, limit=limit, count_up_to=count_up_to)
            )
            return QueueAnswer(rows=answer.rows, total=answer.total, counted_to=count_up_to)
        count_up_to = min(count_up_to, DAYS_COUNT_UP_TO)
        down = scans_down(sort, position)
        days = wanted.received
        rows: list[Document] = []
        total = 0
        # The first page newest first reads its rows from the same windows it counts.
        shared = position is None and down
        counting = windows(down=True, anchor=None, days=days, now=now)
        within: Document | None = next(counting, None)
        while within is not None:
            want_rows = shared and len(rows) <= limit
            answer = await self._window(
                wanted,
                sort,
                None,
                within,
                limit=limit if want_rows else None,
                count_up_to=count_up_to - total,
            )
            rows.extend(answer.rows)
            total += answer.total
            if total > count_up_to:
                break
            within = next_window(counting, (total, count_up_to + 1))
        if not shared:
            reading = windows(down=down, anchor=anchor, days=days, now=now)
            within = next(reading, None)
            while within is not None:
                answer = await self._window(
                    wanted, sort, position, within, limit=limit, count_up_to=None
                )
                rows.extend(answer.rows)
                if len(rows) > limit:
                    break
                within = next_window(reading, (len(rows), limit + 1))
        return QueueAnswer(rows=rows[: limit + 1], total=total, counted_to=count_up_to)

    async def _window(
        self,
        wanted: CaseFilter,
        sort: Sort,
        position: Position | None,
        within: Document,
        *,
        limit: int | None,
        count_up_to: int | None,
    ) -> QueueAnswer:
        """The answer of one window of days: each of its `window_leads` read apart, the
        rows merged in the page's order, the counts added (until past `count_up_to`)."""
        rows: list[Document] = []
        total = 0
        leads = window_leads(wanted, within)
        for lead in leads:
            left: int | None = None  # None: counted far enough, or not asked to count
            if count_up_to is not None and total <= count_up_to:
                left = count_up_to - total
            elif limit is None:
                break
            answer = await self.queue(
                window_pipeline(wanted, sort, position, limit=limit, count_up_to=left, lead=lead)
            )
            rows.extend(answer.rows)
            total += answer.total
        if len(leads) > 1:
            rows.sort(
                key=lambda row: (row["received_at"], row["_id"]), reverse=scans_down(sort, position)
            )
        return QueueAnswer(rows=rows[: limit + 1] if limit is not None else [], total=total)

    async def listed(self, case_ids: Sequence[str]) -> list[Document]:
        """These cases as a list shows them (no description, no timeline), in this order."""
        found = await find_in(self.cases, "_id", case_ids, None, _LISTED)
        by_id = {d["_id"]: d for d in found}
        return [by_id[i] for i in case_ids if i in by_id]

    async def contacts(
        self, person_ids: Sequence[str], session: AsyncClientSession | None = None
    ) -> dict[str, Contact]:
        """The contacts of these people still on file, by person id: a machine read (the
        opening's duplicate hints), not logged. Staff reads go through `people.read_for`."""
        return await self.people.contacts(person_ids, session)

    async def by_person(self, person_id: str) -> list[Document]:
        """The cases of one person (id, status, tracking code), oldest first: what an
        erasure or an export request starts from. Rare, so no index: a scan of `cases`."""
        cursor = self.cases.find(
            {"person_id": person_id}, {"status": 1, "tracking_code": 1, "opened_at": 1}
        ).sort("opened_at", ASCENDING)
        return [d async for d in cursor]

    async def keep_survey(
        self, case_id: str, answer: Document, session: AsyncClientSession
    ) -> None:
        """The complainant's satisfaction answer (rating, solved, comment, when) on the
        case: the first one only, as intake takes one per case and reporting counts one."""
        await self.cases.update_one(
            {"_id": case_id, "survey": {"$exists": False}},
            {"$set": {"survey": answer}},
            session=session,
        )

    async def merged_into(self, case_id: str) -> list[Document]:
        """The cases merged into `case_id` as its duplicates, oldest first (a few at most)."""
        cursor = self.cases.find(
            {"merged_into": case_id},
            {
                "tracking_code": 1,
                "subject": 1,
                "status": 1,
                "unit": 1,
                "assignee": 1,
                "excluded_assignees": 1,
                "received_at": 1,
            },
        ).sort("received_at", ASCENDING)
        return [d async for d in cursor.limit(50)]

    async def by_tracking_code(self, code: str) -> Document | None:
        return await self.cases.find_one({"tracking_code": code})

    async def open_counts(self) -> dict[tuple[str, str], int]:
        """How many cases are not closed, per (unit, status)."""
        # The open statuses by name, not "not closed": SecantusDB reads a `$ne` from no
        # index, every case the office ever had (10,000 cases: about a second of its CPU,
        # during which every page waited), and the (status, received_at) index here.
        pipeline: list[Document] = [
            {"$match": {"status": {"$in": [s.value for s in OPEN_STATUSES]}}},
            {"$group": {"_id": {"unit": "$unit", "status": "$status"}, "n": {"$sum": 1}}},
        ]
        return {
            (row["_id"]["unit"], row["_id"]["status"]): row["n"]
            async for row in await self.cases.aggregate(pipeline)
        }


def next_window(
    windows: Generator[Document, tuple[int, int] | None, None], found: tuple[int, int]
) -> Document | None:
    """The window after the last, sized by what was `found`; None after the last."""
    try:
        return windows.send(found)
    except StopIteration:
        return None


def state_of(doc: Document) -> CaseState:
    fields = {k: doc[k] for k in STATE_FIELDS if k in doc and k != "case_id"}
    fields["excluded_assignees"] = frozenset(doc.get("excluded_assignees", []))
    return CaseState(case_id=doc["_id"], **fields)


def clocks_of(doc: Document) -> dict[Clock, ClockState]:
    return {Clock(k): ClockState.model_validate(v) for k, v in doc.get("clocks", {}).items()}


def clocks_doc(clocks: dict[Clock, ClockState]) -> Document:
    return {c.value: s.model_dump(mode="python") for c, s in clocks.items()}
