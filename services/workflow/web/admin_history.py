"""The history page's rows in words: each recorded field path ("priority.by_category.
corruption", "rules.2.first_response") as the office says it, and each value (a priority,
a unit, a role) in the page's language. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.workflow.domain.admin_history import FieldChange, HistoryEntry, Subject
from services.workflow.web.texts import Texts
from shared.contract.catalogue import Catalogue, UnknownCategory
from shared.thai.dates import format_date


@dataclass(frozen=True, slots=True)
class ChangeLine:
    field: str
    before: str
    after: str
    secret: bool


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    by: str
    by_name: str
    what: str
    changes: list[ChangeLine]
    more: int


def history_rows(
    entries: list[HistoryEntry], t: Texts, catalogue: Catalogue, lang: str
) -> list[HistoryRow]:
    words = _Words(t, catalogue, lang)
    return [
        HistoryRow(
            at=e.at,
            by=e.by,
            by_name=e.by_name,
            what=words.what(e),
            changes=[words.line(e.subject, c) for c in e.changes],
            more=e.more,
        )
        for e in entries
    ]


class _Words:
    def __init__(self, t: Texts, catalogue: Catalogue, lang: str) -> None:
        self.t, self.catalogue, self.lang = t, catalogue, lang
        self.units = {u.code: u.name_en if lang == "en" else u.name_th for u in catalogue.units}

    def what(self, entry: HistoryEntry) -> str:
        said = self.t[f"admin.subject.{entry.subject.value}"]
        if entry.target:
            said = f"{said}: {entry.target}"
        return f"{said} ({self.t['admin.history.created']})" if entry.created else said

    def line(self, subject: Subject, change: FieldChange) -> ChangeLine:
        return ChangeLine(
            field=self.field(subject, change.field),
            before=self.value(change.field, change.before),
            after=self.value(change.field, change.after),
            secret=change.secret,
        )

    def field(self, subject: Subject, path: str) -> str:
        parts = path.split(".")
        t = self.t
        match subject, parts:
            case Subject.routing, ["category_units", category]:
                return f"{t['admin.routing.unit']}: {self.category(category)}"
            case Subject.routing, ["priority", "default"]:
                return t["admin.routing.default"]
            case Subject.routing, ["priority", "by_kind", kind]:
                return f"{t['priority']}: {t[f'kind.{kind}']}"
            case Subject.routing, ["priority", "by_complaint_type", ctype]:
                return f"{t['priority']}: {t[f'complaint_type.{ctype}']}"
            case Subject.routing, ["priority", "by_category", category]:
                return f"{t['priority']}: {self.category(category)}"
            case Subject.routing, ["misconduct", "unit"]:
                return t["admin.routing.misconduct"]
            case Subject.routing, ["duplicate_window_days"]:
                return t["admin.routing.window"]
            case Subject.sla, ["default", clock]:
                return f"{t['admin.sla.default']} · {t[f'clock.{clock}']}"
            case Subject.sla, ["rules", n, name]:
                return f"{t['admin.sla.rule'].format(n=n)} · {self.rule_field(name)}"
            case Subject.units, [code, "name_th" | "name_en" as name]:
                return f"{self.units.get(code, code)} ({code}) · {t[f'admin.units.{name}']}"
            case Subject.closures, [day]:
                return self.day(day)
            case Subject.staff, [name, *_]:
                return t[f"admin.staff.{name}"]
        return path

    def rule_field(self, name: str) -> str:
        if name in {"kind", "complaint_type", "priority"}:
            return self.t["priority"] if name == "priority" else self.t[f"admin.sla.{name}"]
        return self.t[f"clock.{name}"]

    def value(self, path: str, value: str | None) -> str:
        if value is None and path.startswith("category_units."):
            # No override: the category goes to the catalogue's unit.
            return f"{self.category_unit(path.split('.', 1)[1])} {self.t['admin.routing.catalogue_unit']}"
        if value is None:
            return "—"
        last = path.rsplit(".", 1)[-1]
        t = self.t
        if last == "unit" or path.startswith("category_units."):
            return self.units.get(value, value)
        if path.startswith("priority.") or last == "priority":
            return t[f"priority.{value}"]
        if last == "kind":
            return t[f"kind.{value}"]
        if last == "complaint_type":
            return t[f"complaint_type.{value}"]
        if last == "role":
            return t[f"role.{value}"]
        if last == "active":
            return t[f"admin.active.{value}"]
        return value

    def category_unit(self, code: str) -> str:
        try:
            return self.units.get(self.catalogue.category(code).unit, "—")
        except UnknownCategory:
            return "—"

    def category(self, code: str) -> str:
        try:
            category = self.catalogue.category(code)
        except UnknownCategory:
            return code
        return category.name_en if self.lang == "en" else category.name_th

    def day(self, iso: str) -> str:
        try:
            return format_date(date.fromisoformat(iso), self.lang, style="full")
        except ValueError:
            return iso
