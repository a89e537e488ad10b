"""Choosing the assignee of a case among its unit's people.

Who can take a case on a given day: a member of the unit, active, not absent that day,
under their cap of open cases, and not a person the case names. In the normal mode only
members with the staff role take cases; for a misconduct complaint only supervisors do.

Among those, the one with the fewest open cases wins. Ties go round-robin: members are
ordered by id, and the first tied member after the last one assigned in the unit (the
cursor the caller keeps) wins, wrapping around. The same inputs always give the same
answer, so replicas agree and tests can predict it.

None means nobody can take the case now: it stays triaged in the unit's queue.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class StaffRole(StrEnum):
    staff = "staff"
    supervisor = "supervisor"


class Absence(BaseModel):
    """Leave or training from `start` to `end`, both days included."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        if self.end < self.start:
            raise ValueError("an absence must not end before it starts")
        return self

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class StaffMember(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    unit: str
    role: StaffRole = StaffRole.staff
    name: str | None = None
    active: bool = True
    absences: tuple[Absence, ...] = ()
    # Most open cases this person carries at once; None: no limit.
    cap: int | None = Field(default=None, ge=0)

    def is_absent(self, day: date) -> bool:
        return any(a.covers(day) for a in self.absences)

    def is_named_by(self, named: Collection[str]) -> bool:
        """True when `named` holds this person's id or name (any case, spaces trimmed)."""
        wanted = {n.strip().casefold() for n in named}
        mine = {self.id.casefold()} | ({self.name.strip().casefold()} if self.name else set())
        return bool(wanted & mine)


def choose_assignee(
    staff: Iterable[StaffMember],
    *,
    unit: str,
    on: date,
    open_cases: Mapping[str, int],
    last_assigned: str | None = None,
    exclude: Collection[str] = (),
    supervisors_only: bool = False,
) -> str | None:
    """The id of the member to assign, or None when nobody is available.

    `open_cases` maps member id to their open cases (missing: none); `last_assigned` is
    the unit's round-robin cursor; `exclude` holds ids or names never to choose.
    """
    role = StaffRole.supervisor if supervisors_only else StaffRole.staff
    candidates = sorted(
        (
            m
            for m in staff
            if m.unit == unit
            and m.role == role
            and m.active
            and not m.is_absent(on)
            and not m.is_named_by(exclude)
            and (m.cap is None or open_cases.get(m.id, 0) < m.cap)
        ),
        key=lambda m: m.id,
    )
    if not candidates:
        return None
    fewest = min(open_cases.get(m.id, 0) for m in candidates)
    tied = [m.id for m in candidates if open_cases.get(m.id, 0) == fewest]
    if last_assigned is None:
        return tied[0]
    return next((i for i in tied if i > last_assigned), tied[0])


def named_staff_ids(staff: Iterable[StaffMember], named: Collection[str]) -> frozenset[str]:
    """Ids of the members that `named` (ids or names) designates, to store on the case."""
    return frozenset(m.id for m in staff if m.is_named_by(named))


def unit_supervisors(
    staff: Iterable[StaffMember], unit: str, on: date, exclude: Collection[str] = ()
) -> list[str]:
    """Active supervisors of `unit` present on `on`, by id: whom a breach escalates to."""
    return sorted(
        m.id
        for m in staff
        if m.unit == unit
        and m.role == StaffRole.supervisor
        and m.active
        and not m.is_absent(on)
        and not m.is_named_by(exclude)
    )
