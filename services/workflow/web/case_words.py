"""A case in words, for the console's case page: kinds, complaint types, channels,
priorities, statuses, deadlines, close reasons, the system's assignment reasons and an
erasure's legal basis from the one vocabulary; categories and units from the office's catalogue; people by name
from the staff directory, their id beside it.

Every lookup falls back to the code itself: a code a newer release or an older case
carries is shown as it is, never as an error page."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.workflow.web.texts import Texts
from shared.contract.catalogue import Catalogue, Category, Unit
from shared.contract.vocabulary import (
    ASSIGNMENT_REASON_LABELS,
    CHANNEL_LABELS,
    CLOCK_LABELS,
    CLOSE_REASON_LABELS,
    COMPLAINT_TYPE_LABELS,
    KIND_LABELS,
    LEGAL_BASIS_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    Label,
    word_for,
)

#: Who acts on a case without being a member of staff (the ids the workflow writes).
ACTOR_LABELS: Mapping[str, Label] = {
    "system": Label("ระบบ (อัตโนมัติ)", "The system (automatic)"),
    "survey": Label("แบบสอบถามความพึงพอใจ", "The satisfaction survey"),
    "complainant": Label("ผู้ร้อง", "The complainant"),
    "complainant-late": Label("ผู้ร้อง (ส่งมาหลังปิดเรื่อง)", "The complainant (after closing)"),
}


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the page: their name, and their staff id as secondary text (None for
    the system, the survey or the complainant, whose label says it all)."""

    name: str
    id: str | None


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the timeline in words."""

    at: datetime | None
    what: str
    who: Person
    to_status: str | None
    # What the step did, in words: the unit routed to, the person assigned, why closed.
    details: tuple[str, ...]
    public_text: str | None
    internal_text: str | None
    internal: bool


@dataclass(frozen=True, slots=True)
class CaseWords:
    t: Texts
    lang: str
    catalogue: Catalogue
    #: Staff id → name, from the directory.
    names: Mapping[str, str]

    def kind(self, code: str | None) -> str:
        return word_for(KIND_LABELS, code, self.lang)

    def complaint_type(self, code: str | None) -> str:
        return word_for(COMPLAINT_TYPE_LABELS, code, self.lang)

    def channel(self, code: str | None) -> str:
        return word_for(CHANNEL_LABELS, code, self.lang)

    def priority(self, code: str | None) -> str:
        return word_for(PRIORITY_LABELS, code, self.lang)

    def status(self, code: str | None) -> str:
        return word_for(STATUS_LABELS, code, self.lang)

    def clock(self, code: str | None) -> str:
        return word_for(CLOCK_LABELS, code, self.lang)

    def close_reason(self, code: str | None) -> str:
        return word_for(CLOSE_REASON_LABELS, code, self.lang)

    def reason(self, text: str | None) -> str | None:
        """A reason in words when the system wrote it as a code; a person's own words as
        they wrote them."""
        return word_for(ASSIGNMENT_REASON_LABELS, text, self.lang) if text else None

    def category(self, code: str | None) -> str:
        return _name(self.catalogue.categories, code, self.lang)

    def unit(self, code: str | None) -> str:
        return unit_name(self.catalogue, code, self.lang)

    def person(self, actor: str | None) -> Person:
        if not actor:
            return Person("—", None)
        if actor in self.names:
            return Person(self.names[actor], actor)
        if actor in ACTOR_LABELS:
            return Person(ACTOR_LABELS[actor].in_language(self.lang), None)
        return Person(actor, None)

    def step(self, entry: Mapping[str, Any]) -> Step:
        command = str(entry.get("command") or "")
        details: list[str] = []
        if command == "triage" and entry.get("unit"):
            details.append(f"{self.t['unit_field']}: {self.unit(entry['unit'])}")
        if command == "assign" and entry.get("assignee"):
            details.append(f"{self.t['assignee']}: {_named(self.person(entry['assignee']))}")
        if command == "escalate":
            clocks = ", ".join(self.clock(c) for c in entry.get("clocks") or ())
            if clocks:
                details.append(f"{self.t['escalated.clocks']}: {clocks}")
            if entry.get("escalated_to"):
                told = _named(self.person(entry["escalated_to"]))
                details.append(f"{self.t['escalated.to']}: {told}")
        if entry.get("close_reason") and entry.get("to_status") == "closed":
            details.append(f"{self.t['close_reason']}: {self.close_reason(entry['close_reason'])}")
        internal_text = self.reason(entry.get("reason"))
        if command == "escalate" and "escalated_to" in entry:
            internal_text = None  # its English note says what the details now say
        if command == "erase_personal_data":
            basis = word_for(LEGAL_BASIS_LABELS, erasure_basis(entry), self.lang)
            details.append(f"{self.t['legal_basis']}: {basis}")
            internal_text = None  # its English note named the basis as a code
        to_status = entry.get("to_status")
        moved = to_status and to_status != entry.get("from_status")
        return Step(
            at=entry.get("at"),
            what=self.t.get(f"cmd.{command}", command),
            who=self.person(entry.get("actor")),
            to_status=self.status(to_status) if moved else None,
            details=tuple(details),
            public_text=entry.get("public_reason"),
            internal_text=internal_text,
            internal=entry.get("visibility") == "internal",
        )


def erasure_basis(entry: Mapping[str, Any]) -> str | None:
    """The legal basis of an erasure's timeline line: its own field, or in a line written
    before it had one, the code inside its note ("personal data erased (retention)")."""
    if entry.get("legal_basis"):
        return str(entry["legal_basis"])
    found = re.fullmatch(r"personal data erased \((\w+)\)", str(entry.get("reason") or ""))
    return found.group(1) if found else None


def unit_name(catalogue: Catalogue, code: str | None, lang: str) -> str:
    """A unit's name in `lang`, or its code when the catalogue no longer lists it."""
    return _name(catalogue.units, code, lang)


def _name(entries: Iterable[Unit | Category], code: str | None, lang: str) -> str:
    found = next((e for e in entries if e.code == code), None)
    if found is None:
        return code or ""
    return found.name_en if lang == "en" else found.name_th


def _named(person: Person) -> str:
    return f"{person.name} ({person.id})" if person.id else person.name
