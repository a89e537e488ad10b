"""The admin pages' forms read into the models the API takes (`api/admin.py`'s
`RoutingUpdate` and `SlaUpdate`, the catalogue's `Unit`, the domain's `Closure` and
`StaffAccount`), each refusal tied to the row or field it is about, as a text key the
page words in Thai or English.

Pure: a posted form (a dict of strings) in, a model or `FormProblems` out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from services.workflow.adapters.staff_directory import StaffAccount
from services.workflow.api.admin import MAX_DAYS, RoutingUpdate, SlaUpdate
from services.workflow.domain.closures import Closure, NotADate, parse_day
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import LEGAL_ANSWER_DAYS, SlaConfig
from shared.contract.catalogue import Catalogue, Unit
from shared.contract.events import ComplaintType, Kind, Priority
from shared.infra.auth import StaffRole

CLOCKS = ("acknowledge", "first_response", "resolution")
#: Blank rows each table offers for a new rule or closure.
BLANK_ROWS = 3
#: The most rows a posted table may have (a form is not a bulk import).
MAX_ROWS = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, as a text key and the values its words name."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


class FormProblems(Exception):
    """The form cannot be saved: a problem per row or field (keyed as the page keys them)."""

    def __init__(self, problems: Mapping[str, Problem]) -> None:
        super().__init__(", ".join(f"{k}: {p.key}" for k, p in problems.items()))
        self.problems = dict(problems)


# ------------------------------------------------------------ routing


def routing_from_form(form: Mapping[str, str], catalogue: Catalogue) -> RoutingUpdate:
    """The routing table: a row per category (its unit, blank for the catalogue's, and
    a priority, blank for none), per kind and complaint type (a priority), the default
    priority, the misconduct unit and the duplicate window."""
    units = {u.code for u in catalogue.units}
    problems: dict[str, Problem] = {}
    category_units: dict[str, str] = {}
    by_category: dict[str, str] = {}
    for category in catalogue.categories:
        row = f"cat.{category.code}"
        unit = form.get(f"unit.{category.code}", "")
        if unit and unit not in units:
            problems[row] = Problem("admin.err.unknown_unit", {"value": unit})
        elif unit and unit != category.unit:
            category_units[category.code] = unit
        if priority := form.get(f"priority.{category.code}", ""):
            by_category[category.code] = priority
    misconduct = form.get("misconduct_unit", "") or None
    if misconduct is not None and misconduct not in units:
        problems["misconduct"] = Problem("admin.err.unknown_unit", {"value": misconduct})
    body = {
        "category_units": category_units,
        "priority": {
            "default": form.get("default", ""),
            "by_kind": {k.value: v for k in Kind if (v := form.get(f"kind.{k.value}", ""))},
            "by_complaint_type": {
                c.value: v for c in ComplaintType if (v := form.get(f"ctype.{c.value}", ""))
            },
            "by_category": by_category,
        },
        "misconduct": {"unit": misconduct},
        "duplicate_window_days": form.get("duplicate_window_days", ""),
    }
    try:
        config = RoutingUpdate.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            problems.setdefault(_routing_row(error["loc"]), problem_of(error))
        raise FormProblems(problems) from None
    if problems:
        raise FormProblems(problems)
    return config


def _routing_row(loc: tuple[int | str, ...]) -> str:
    match loc:
        case ("priority", "default", *_):
            return "default"
        case ("priority", "by_kind", kind, *_):
            return f"kind.{kind}"
        case ("priority", "by_complaint_type", ctype, *_):
            return f"ctype.{ctype}"
        case ("priority", "by_category", category, *_) | ("category_units", category, *_):
            return f"cat.{category}"
        case ("misconduct", *_):
            return "misconduct"
        case _:
            return "duplicate_window_days"


# ------------------------------------------------------------ deadline policies


def sla_from_form(form: Mapping[str, str]) -> SlaUpdate:
    """The default row and the rule rows (`rule<N>.<field>`); a rule row left wholly
    blank, or ticked `remove`, is no rule."""
    problems: dict[str, Problem] = {}
    default = {c: form.get(f"default.{c}", "") for c in CLOCKS}
    rules: list[dict[str, str]] = []
    rows: list[str] = []
    for n in row_numbers(form, "rule"):
        row = f"rule{n}"
        values = {
            name: form.get(f"{row}.{name}", "")
            for name in ("kind", "complaint_type", "priority", *CLOCKS)
        }
        if form.get(f"{row}.remove") or not any(values.values()):
            continue
        if missing := [c for c in CLOCKS if not values[c]]:
            problems[row] = Problem("admin.err.days_needed", {"field": missing[0]})
            continue
        rules.append({k: v for k, v in values.items() if v})
        rows.append(row)
    try:
        config = SlaUpdate.model_validate({"default": default, "rules": rules})
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            row = rows[int(loc[1])] if loc[0] == "rules" and len(loc) > 1 else "default"
            problems.setdefault(row, problem_of(error))
        raise FormProblems(problems) from None
    if problems:
        raise FormProblems(problems)
    return config


# ------------------------------------------------------------ units


def units_from_form(
    form: Mapping[str, str], units: Iterable[Unit]
) -> tuple[dict[str, tuple[str, str]], Unit | None]:
    """The names given each unit (`th.<code>`, `en.<code>`) and the unit to add, if the
    `new.*` fields were filled in."""
    problems: dict[str, Problem] = {}
    names: dict[str, tuple[str, str]] = {}
    for unit in units:
        th = form.get(f"th.{unit.code}", unit.name_th)
        en = form.get(f"en.{unit.code}", unit.name_en)
        if problem := _name_problem(th, en):
            problems[f"unit.{unit.code}"] = problem
        names[unit.code] = (th, en)
    code, th, en = (form.get(f"new.{f}", "") for f in ("code", "name_th", "name_en"))
    added: Unit | None = None
    if code or th or en:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
            problems["new"] = Problem("admin.err.unit_code")
        elif code in names:
            problems["new"] = Problem("admin.err.code_taken", {"value": code})
        elif problem := _name_problem(th, en):
            problems["new"] = problem
        else:
            added = Unit(code=code, name_th=th, name_en=en)
    if problems:
        raise FormProblems(problems)
    return names, added


def _name_problem(th: str, en: str) -> Problem | None:
    if not th.strip() or not en.strip():
        return Problem("admin.err.names_needed")
    if len(th) > 200 or len(en) > 200:
        return Problem("admin.err.too_long", {"max": 200})
    return None


# ------------------------------------------------------------ office closures


def closures_from_form(form: Mapping[str, str]) -> tuple[Closure, ...]:
    """The closure rows (`day<N>`, `note<N>`, `remove<N>`): a day as D/M/YYYY (B.E.)
    or ISO; a row with no day is no closure; a day given twice is refused."""
    problems: dict[str, Problem] = {}
    closures: list[Closure] = []
    seen: set[date] = set()
    for n in row_numbers(form, "day", "note"):
        row = f"row{n}"
        text, note = form.get(f"day{n}", ""), form.get(f"note{n}", "")
        if form.get(f"remove{n}") or not (text or note):
            continue
        try:
            closure = Closure(day=parse_day(text), note=note)
        except NotADate:
            problems[row] = Problem("admin.err.date", {"value": text})
            continue
        except ValidationError as exc:
            problems[row] = problem_of(exc.errors()[0])
            continue
        if closure.day in seen:
            problems[row] = Problem("admin.err.closure_twice")
            continue
        seen.add(closure.day)
        closures.append(closure)
    if problems:
        raise FormProblems(problems)
    return tuple(closures)


# ------------------------------------------------------------ staff


def account_from_form(
    form: Mapping[str, str], base: StaffAccount | None, units: Iterable[Unit]
) -> StaffAccount:
    """A new account (`base` None: its username from `username`) or `base` with the
    name, unit, role and e-mail the form gives."""
    problems: dict[str, Problem] = {}
    unit = form.get("unit", "") or None
    if unit is not None and unit not in {u.code for u in units}:
        problems["unit"] = Problem("admin.err.unknown_unit", {"value": unit})
    role = form.get("role", "")
    if role in {StaffRole.staff.value, StaffRole.supervisor.value} and unit is None:
        # Nobody handles or supervises cases outside a unit.
        problems["unit"] = Problem("admin.err.unit_needed")
    values = {
        **(base.model_dump() if base else {"id": form.get("username", "").lower()}),
        "name": form.get("name", ""),
        "unit": unit,
        "role": role,
        "email": form.get("email", "") or None,
    }
    try:
        account = StaffAccount.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "name"
            problems.setdefault("username" if name == "id" else name, problem_of(error))
        raise FormProblems(problems) from None
    if problems:
        raise FormProblems(problems)
    return account


# ------------------------------------------------------------ shared


def row_numbers(form: Mapping[str, str], *prefixes: str) -> list[int]:
    """The row numbers a table's fields carry (`rule3.kind`, `day3`), in order."""
    pattern = re.compile(rf"^(?:{'|'.join(prefixes)})([0-9]{{1,4}})(?:\.|$)")
    found = {int(m[1]) for k in form if (m := pattern.match(k))}
    return sorted(found)[:MAX_ROWS]


def problem_of(error: ErrorDetails) -> Problem:
    """A pydantic refusal as words a page can give."""
    kind, context = error["type"], error.get("ctx") or {}
    field_name = str(error["loc"][-1]) if error["loc"] else ""
    message = str(error.get("msg", ""))
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return Problem("admin.err.whole_number")
    if kind == "less_than_equal" and field_name == "first_response":
        return Problem("admin.err.legal", {"days": LEGAL_ANSWER_DAYS})
    if kind == "less_than_equal":
        return Problem("admin.err.at_most", {"max": context.get("le", MAX_DAYS)})
    if kind == "greater_than_equal":
        return Problem("admin.err.at_least", {"min": context.get("ge", 0)})
    if kind == "enum":
        return Problem("admin.err.choice")
    if kind == "string_pattern_mismatch":
        return Problem("admin.err.username")
    if kind in {"string_too_short", "missing"}:
        return Problem("admin.err.required")
    if kind == "string_too_long":
        return Problem("admin.err.too_long", {"max": context.get("max_length", 200)})
    if "acknowledge <= first_response" in message:
        return Problem("admin.err.order")
    if "legal" in message:
        return Problem("admin.err.legal", {"days": LEGAL_ANSWER_DAYS})
    return Problem("admin.err.invalid", {"detail": message})


#: The priorities a routing row may take, lowest first.
PRIORITIES = tuple(p.value for p in Priority)


# ------------------------------------------------------------ what a form shows


def routing_values(config: RoutingConfig, catalogue: Catalogue) -> dict[str, str]:
    """The routing form's fields as `config` fills them (the inverse of
    `routing_from_form`)."""
    values = {
        "default": config.priority.default.value,
        "misconduct_unit": config.misconduct.unit or "",
        "duplicate_window_days": str(config.duplicate_window_days),
    }
    values |= {f"kind.{k.value}": v.value for k, v in config.priority.by_kind.items()}
    values |= {f"ctype.{c.value}": v.value for c, v in config.priority.by_complaint_type.items()}
    for category in catalogue.categories:
        values[f"unit.{category.code}"] = config.category_units.get(category.code, category.unit)
        priority = config.priority.by_category.get(category.code)
        values[f"priority.{category.code}"] = priority.value if priority else ""
    return values


def sla_values(config: SlaConfig) -> tuple[dict[str, str], list[int]]:
    """The deadline form's fields as `config` fills them, and its rule rows (the rules,
    then `BLANK_ROWS` blank ones)."""
    values = {f"default.{c}": str(getattr(config.default, c)) for c in CLOCKS}
    for n, rule in enumerate(config.rules, start=1):
        for name in ("kind", "complaint_type", "priority"):
            chosen = getattr(rule, name)
            values[f"rule{n}.{name}"] = chosen.value if chosen else ""
        values |= {f"rule{n}.{c}": str(getattr(rule, c)) for c in CLOCKS}
    return values, list(range(1, len(config.rules) + BLANK_ROWS + 1))


def units_values(units: Iterable[Unit]) -> dict[str, str]:
    values: dict[str, str] = {}
    for unit in units:
        values[f"th.{unit.code}"], values[f"en.{unit.code}"] = unit.name_th, unit.name_en
    return values


def closure_values(
    closures: Iterable[Closure], written: Callable[[date], str]
) -> tuple[dict[str, str], list[int]]:
    """The closures form's rows (each day as `written` writes it), then blank ones."""
    values: dict[str, str] = {}
    listed = list(closures)
    for n, closure in enumerate(listed, start=1):
        values[f"day{n}"], values[f"note{n}"] = written(closure.day), closure.note
    return values, list(range(1, len(listed) + BLANK_ROWS + 1))


def rows_of(form: Mapping[str, str], *prefixes: str) -> list[int]:
    """A posted table's rows, to show it again as it was sent."""
    return row_numbers(form, *prefixes) or list(range(1, BLANK_ROWS + 1))
