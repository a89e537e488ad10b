"""The participation report (seed measure 2.6), pure: the participation views' cells of a
fiscal year in, the report of a 6- or 12-month round out, for staff or for the public.

Per mission item: its consultations (topic, period, status, the opinions per stakeholder
group, the results summary) and its outcomes ("you said, we did": what was heard, what
was decided, its status and dates). The 6-month round is October–March of the fiscal
year: the consultations opened or answered then, the opinions given then and the
outcomes recorded then; the 12-month round is the whole year. Statuses are as of the day
the report is made, which it prints.

The public version (`for_public`) suppresses small counts with the transparency page's
rules and threshold (`domain.public.SMALL_CELL`, one home) and shows only the outcomes
staff published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from services.reporting.domain.participation import OPINIONS
from services.reporting.domain.public import SMALL_CELL, suppress_cells, suppress_total
from services.reporting.domain.tables import Cell as TableCell
from services.reporting.domain.tables import Table
from shared.contract.events import OutcomeStatus
from shared.thai.fiscal import fiscal_year_bounds, round_bounds

Months = Literal[6, 12]
MONTHS: tuple[Months, Months] = (6, 12)
#: A count the public version hides is None; pages print it as "<5".
THRESHOLD = SMALL_CELL


@dataclass(frozen=True, slots=True)
class ConsultationLine:
    consultation_id: str
    topic: str
    status: str | None
    opens_on: date | None
    closes_on: date | None
    concluded_on: date | None
    groups_asked: tuple[str, ...]
    # Opinions per stakeholder group in the round; None: suppressed (public version).
    by_group: dict[str, int | None]
    participants: int | None
    summary: str | None


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    outcome_id: str
    consultation_id: str | None
    topic: str | None
    you_said_th: str | None
    you_said_en: str | None
    we_did_th: str | None
    we_did_en: str | None
    status: str
    reason: str | None
    owner_unit: str | None
    due_on: date | None
    done_on: date | None
    recorded_on: date | None
    published: bool


@dataclass(frozen=True, slots=True)
class ItemSection:
    """One mission or strategy item's part of the report."""

    mission_item: str
    consultations: list[ConsultationLine]
    outcomes: list[OutcomeLine]
    participants: int | None


@dataclass(frozen=True, slots=True)
class ParticipationReport:
    fiscal_year: int
    months: Months
    first_day: date
    last_day: date
    sections: list[ItemSection]
    consultations: int
    participants: int | None
    # Opinions of the round per stakeholder group, every consultation together.
    by_group: dict[str, int | None]
    # Outcomes (the office's actions, not people: never suppressed) per status.
    outcomes_by_status: dict[str, int] = field(default_factory=dict)
    public: bool = False


class UnknownRound(ValueError):
    """A round that is not 6 or 12 (months)."""


def period(fiscal_year: int, months: int) -> tuple[date, date]:
    """First and last day (inclusive) of the 6- or 12-month round of a fiscal year."""
    if months not in MONTHS:
        raise UnknownRound(f"round must be 6 or 12 (months), not {months}")
    start, end = fiscal_year_bounds(fiscal_year) if months == 12 else round_bounds(fiscal_year, 1)
    return start.date(), (end - timedelta(days=1)).date()


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _opinions(cell: Mapping[str, Any], rounds: tuple[int, ...]) -> dict[str, int]:
    """Opinions per group of the cell in the given rounds (from `opinions.r<n>.<group>`)."""
    out: dict[str, int] = {}
    for name, value in cell.items():
        if not name.startswith(OPINIONS + ".") or type(value) is not int:
            continue
        _, round_name, group = name.split(".", 2)
        if round_name in {f"r{r}" for r in rounds}:
            out[group] = out.get(group, 0) + value
    return out


def _ordered(counts: Mapping[str, int], first: Sequence[str]) -> dict[str, int]:
    rank = {g: i for i, g in enumerate(first)}
    return {g: counts[g] for g in sorted(counts, key=lambda g: (rank.get(g, len(rank)), g))}


def participation_report(
    consultations: Iterable[Mapping[str, Any]],
    outcomes: Iterable[Mapping[str, Any]],
    fiscal_year: int,
    months: int,
    item_order: Sequence[str] = (),
    group_order: Sequence[str] = (),
) -> ParticipationReport:
    """The staff report of one fiscal year's round from the views' cells (flat, as
    `read_cache.cells` gives them); items in `item_order` first (the plan's order), groups
    in `group_order` first (the configured groups' order)."""
    first_day, last_day = period(fiscal_year, months)
    rounds = (1,) if months == 6 else (1, 2)
    lines: dict[str, list[ConsultationLine]] = {}
    topics: dict[str, str] = {}
    totals: dict[str, int] = {}
    for c in consultations:
        if c.get("fiscal_year") != fiscal_year:
            continue
        cid = str(c["consultation_id"])
        topic = str(c.get("topic") or cid)
        topics[cid] = topic
        counts = _opinions(c, rounds)
        in_round = c.get("opened_round") in rounds or any(counts.values())
        if not in_round:
            continue
        asked = tuple(str(g) for g in c.get("groups") or ())
        by_group = _ordered({**dict.fromkeys(asked, 0), **counts}, group_order or asked)
        for g, n in by_group.items():
            totals[g] = totals.get(g, 0) + n
        line = ConsultationLine(
            consultation_id=cid,
            topic=topic,
            status=c.get("status"),
            opens_on=_date(c.get("opens_on")),
            closes_on=_date(c.get("closes_on")),
            concluded_on=_date(c.get("concluded_on")),
            groups_asked=asked,
            by_group=dict(by_group),
            participants=sum(by_group.values()),
            summary=c.get("summary"),
        )
        lines.setdefault(str(c.get("mission_item") or ""), []).append(line)
    results: dict[str, list[OutcomeLine]] = {}
    by_status: dict[str, int] = {str(s): 0 for s in OutcomeStatus}
    for o in outcomes:
        if o.get("fiscal_year") != fiscal_year or o.get("recorded_round", 1) not in rounds:
            continue
        consultation_id = o.get("consultation_id")
        status = str(o.get("status") or "")
        by_status[status] = by_status.get(status, 0) + 1
        outcome = OutcomeLine(
            outcome_id=str(o["outcome_id"]),
            consultation_id=consultation_id,
            topic=topics.get(str(consultation_id)) if consultation_id else None,
            you_said_th=o.get("you_said_th"),
            you_said_en=o.get("you_said_en"),
            we_did_th=o.get("we_did_th"),
            we_did_en=o.get("we_did_en"),
            status=status,
            reason=o.get("reason"),
            owner_unit=o.get("owner_unit"),
            due_on=_date(o.get("due_on")),
            done_on=_date(o.get("done_on")),
            recorded_on=_date(o.get("recorded_on")),
            published=bool(o.get("published")),
        )
        results.setdefault(str(o.get("mission_item") or ""), []).append(outcome)
    rank = {code: i for i, code in enumerate(item_order)}
    items = sorted(set(lines) | set(results), key=lambda code: (rank.get(code, len(rank)), code))
    sections = []
    for code in items:
        found = sorted(lines.get(code, []), key=lambda c: (c.opens_on or date.max, c.topic))
        done = sorted(
            results.get(code, []), key=lambda o: (o.recorded_on or date.max, o.outcome_id)
        )
        participants = sum(c.participants or 0 for c in found)
        sections.append(ItemSection(code, found, done, participants))
    ordered_totals = _ordered(totals, group_order)
    return ParticipationReport(
        fiscal_year=fiscal_year,
        months=months,  # type: ignore[arg-type]  # checked by period()
        first_day=first_day,
        last_day=last_day,
        sections=sections,
        consultations=sum(len(s.consultations) for s in sections),
        participants=sum(ordered_totals.values()),
        by_group=dict(ordered_totals),
        outcomes_by_status=dict(by_status),
    )


def for_public(report: ParticipationReport, threshold: int = THRESHOLD) -> ParticipationReport:
    """What anyone may read: counts of 1 to `threshold` − 1 people hidden (with the
    secondary suppression of `domain.public`, since each table prints its total), and only
    the outcomes staff published."""
    sections = []
    for s in report.sections:
        consultations = [
            replace(
                c,
                by_group=suppress_cells({g: n or 0 for g, n in c.by_group.items()}, threshold),
                participants=suppress_total(c.participants or 0, threshold),
            )
            for c in s.consultations
        ]
        published = [o for o in s.outcomes if o.published]
        if consultations or published:
            sections.append(
                replace(
                    s,
                    consultations=consultations,
                    outcomes=published,
                    participants=suppress_total(s.participants or 0, threshold),
                )
            )
    shown = [o for s in sections for o in s.outcomes]
    by_status = {str(st): 0 for st in OutcomeStatus}
    for o in shown:
        by_status[o.status] = by_status.get(o.status, 0) + 1
    return replace(
        report,
        sections=sections,
        participants=suppress_total(report.participants or 0, threshold),
        by_group=suppress_cells({g: n or 0 for g, n in report.by_group.items()}, threshold),
        outcomes_by_status=by_status,
        public=True,
    )


PARTICIPATION_COLUMNS = (
    "fiscal_year",
    "round_months",
    "mission_item",
    "record",
    "id",
    "topic",
    "status",
    "opens_on",
    "closes_on",
    "group",
    "opinions",
    "results_summary",
    "you_said",
    "we_did",
    "owner_unit",
    "due_on",
    "done_on",
    "reason",
)


def participation_table(report: ParticipationReport) -> Table:
    """The report as one table (for CSV): a row per consultation and group asked or heard,
    then a row per outcome; a suppressed count is "<5" (the public version)."""

    def count(n: int | None) -> str | int:
        return f"<{THRESHOLD}" if n is None else n

    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    head = (report.fiscal_year, report.months)
    rows: list[tuple[TableCell, ...]] = []
    for s in report.sections:
        for c in s.consultations:
            groups = c.by_group or {"": 0}
            for group, n in groups.items():
                rows.append(
                    (
                        *head,
                        s.mission_item,
                        "consultation",
                        c.consultation_id,
                        c.topic,
                        c.status,
                        day(c.opens_on),
                        day(c.closes_on),
                        group or None,
                        count(n),
                        c.summary,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                    )
                )
        for o in s.outcomes:
            rows.append(
                (
                    *head,
                    s.mission_item,
                    "outcome",
                    o.outcome_id,
                    o.topic,
                    o.status,
                    None,
                    None,
                    None,
                    None,
                    None,
                    o.you_said_th,
                    o.we_did_th,
                    o.owner_unit,
                    day(o.due_on),
                    day(o.done_on),
                    o.reason,
                )
            )
    return Table(PARTICIPATION_COLUMNS, rows)
