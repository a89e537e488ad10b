"""In-memory stand-ins for what the submission handler reaches through its context:
MongoDB's transaction, the case store (with the personal-data store behind it), the staff
directory and the processed-event records. Each call that would be a database statement
is written down in `statements`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.workflow.adapters.case_store import NewCase
from services.workflow.domain.assignment import StaffMember
from services.workflow.domain.lifecycle import LifecyclePolicy
from services.workflow.domain.routing import RecentCase, RoutingConfig
from services.workflow.domain.sla import SlaConfig
from shared.contract.catalogue import Catalogue, load_catalogue
from shared.contract.events import CloudEvent, Contact, make_event
from shared.infra import tracing
from shared.thai.calendar import ThaiCalendar


class FakeTransaction:
    def __init__(self, database: FakeDatabase) -> None:
        self.database = database

    async def __aenter__(self) -> FakeTransaction:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.database.transactions += 1


class FakeSession:
    def __init__(self, database: FakeDatabase) -> None:
        self.database = database

    async def __aenter__(self) -> FakeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def start_transaction(self) -> FakeTransaction:
        return FakeTransaction(self.database)


@dataclass
class FakeDatabase:
    """Stands in for the MongoDB client: sessions, and the log of statements."""

    statements: list[str] = field(default_factory=list)
    transactions: int = 0

    def start_session(self) -> FakeSession:
        return FakeSession(self)


@dataclass
class FakeProcessed:
    database: FakeDatabase
    seen: set[str] = field(default_factory=set)

    async def record_many(self, event_ids: list[str], session: Any) -> set[str]:
        self.database.statements.append("processed.record_many")
        fresh = set(event_ids) - self.seen
        self.seen |= fresh
        return fresh


@dataclass
class FakeCaseStore:
    database: FakeDatabase
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The personal-data store: what intake wrote, by person id.
    people: dict[str, Contact] = field(default_factory=dict)
    outbox: list[CloudEvent[Any]] = field(default_factory=list)

    async def contacts(self, person_ids: Sequence[str], session: Any) -> dict[str, Contact]:
        self.database.statements.append("personal_data.contacts")
        return {p: self.people[p] for p in person_ids if p in self.people}

    async def existing(self, case_ids: Sequence[str], session: Any) -> set[str]:
        self.database.statements.append("cases.existing")
        return set(case_ids) & set(self.cases)

    async def recent_by_contact(
        self, keys: Sequence[str], since: datetime, session: Any
    ) -> list[RecentCase]:
        self.database.statements.append("cases.recent_by_contact")
        return [
            RecentCase(
                case_id=c["_id"],
                category=c["category"],
                contact_keys=frozenset(c["contact_keys"]),
                opened_at=c["opened_at"],
            )
            for c in self.cases.values()
            if set(keys) & set(c.get("contact_keys", ())) and c["opened_at"] >= since
        ]

    async def insert_many(self, new: Sequence[NewCase], session: Any) -> None:
        self.database.statements.append("cases.insert_many")
        for n in new:
            self.cases[n.case["_id"]] = n.case
            self.outbox.extend(n.events)


@dataclass
class FakeDirectory:
    database: FakeDatabase
    staff: list[StaffMember] = field(default_factory=list)
    open_cases: dict[str, int] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)

    async def everyone(self, session: Any) -> tuple[dict[str, list[StaffMember]], dict[str, int]]:
        self.database.statements.append("staff.everyone")
        members: dict[str, list[StaffMember]] = {}
        for m in self.staff:
            members.setdefault(m.unit, []).append(m)
        return members, dict(self.open_cases)

    async def all_cursors(self, session: Any) -> dict[str, str]:
        self.database.statements.append("unit_cursors.all")
        return dict(self.cursors)

    async def add_open_many(self, deltas: dict[str, int], session: Any) -> None:
        self.database.statements.append("staff.add_open_many")
        for who, n in deltas.items():
            self.open_cases[who] = self.open_cases.get(who, 0) + n

    async def move_cursors(self, moves: dict[str, str], session: Any) -> None:
        self.database.statements.append("unit_cursors.move")
        self.cursors.update(moves)


class FakeRelay:
    def __init__(self) -> None:
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1


class FakeSettingsStore:
    """Saved policies as an admin left them: none changed since this process read them
    (a replica's look for changes is the adapter's, tested against the real server)."""

    async def changed(self) -> bool:
        return False


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@dataclass
class FakeContext:
    """What `services.workflow.handlers.submissions` uses of the workflow context."""

    staff: list[StaffMember]
    now: datetime = datetime(2025, 6, 13, 3, 0, tzinfo=UTC)
    client: FakeDatabase = field(default_factory=FakeDatabase)
    catalogue: Catalogue = field(default_factory=load_catalogue)
    routing: RoutingConfig = field(default_factory=RoutingConfig)
    sla: SlaConfig = field(default_factory=SlaConfig)
    calendar: ThaiCalendar = field(default_factory=ThaiCalendar)
    policy: LifecyclePolicy = field(default_factory=LifecyclePolicy)
    contact_key: bytes = b"test-contact-key"
    relay: FakeRelay = field(default_factory=FakeRelay)
    metrics: None = None

    def __post_init__(self) -> None:
        self.clock = FixedClock(self.now)
        self.processed = FakeProcessed(self.client)
        self.store = FakeCaseStore(self.client)
        self.directory = FakeDirectory(self.client, staff=list(self.staff))
        self.settings_store = FakeSettingsStore()

    def envelope(
        self, case_id: str, data: Any, cause: CloudEvent[Any] | None = None
    ) -> CloudEvent[Any]:
        return make_event(
            data,
            source="/siang/workflow",
            subject=case_id,
            time=self.clock.now(),
            correlation_id=cause.correlationid if cause else None,
            traceparent=tracing.for_event(cause.traceparent if cause else None),
        )
