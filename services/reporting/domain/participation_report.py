"""The participation report (seed measure 2.6), pure: the participation views' cells of a
fiscal year in, the report of a 6- or 12-month round out, for staff or for the public.

Per mission item: its consultations (topic, period, status, the opinions per stakeholder
group, the results summary), its outcomes ("you said, we did": what was heard, what was
decided, its status and dates), the committee meetings held about it (day, attendance
per group, resolutions) with the committees' appointment orders (number, day: the
evidence of measure 2.3), the reviews of performance with stakeholders (2.1: participants
per group, findings, the outcomes they led to) and the mission surveys' results (2.5:
responses, mean and distribution 1-5 per Likert item). The 6-month round is
October–March of the fiscal year: the consultations opened or answered then, the
opinions given then, the outcomes recorded then, the meetings and reviews held then, the
survey answers given then; the 12-month round is the whole year. Statuses are as of the
day the report is made, which it prints.

Taking part per group (`GroupTake`) counts occasions, not people, in separate columns:
opinions given, attendances at committee meetings (a member at two meetings is two),
participants of reviews held and survey answers. Nothing identifies a person across them,
so the columns cannot be de-duplicated; the total says "times", never "people". A meeting
or review about several items is counted once in the overview, however many sections
show it.

The public version (`for_public`) suppresses small counts with the transparency page's
rules and threshold (`domain.public.SMALL_CELL`, one home), shows a survey's mean only
from `SMALL_CELL` answers or more, and shows only the outcomes staff published. Findings
and resolutions are the office's own words and are shown; attendance is only ever a count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from services.reporting.domain.participation import (
    ANSWERS,
    HIGHEST_SCORE,
    LOWEST_SCORE,
    OPINIONS,
    SCORES,
)
from services.reporting.domain.public import (
    SMALL_CELL,
    public_mean,
    suppress_cells,
    suppress_total,
)
from services.reporting.domain.tables import Cell as TableCell
from services.reporting.domain.tables import Table
from shared.contract.events import OutcomeStatus
from shared.thai.fiscal import fiscal_year_bounds, round_bounds

Months = Literal[6, 12]
MONTHS: tuple[Months, Months] = (6, 12)
#: A count the public version hides is None; pages print it as "*" (under the threshold,
#: or a figure from which such a count could be worked out).
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
class Resolution:
    number: int
    text: str
    mission_item: str | None


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """A committee meeting held in the round; attendance as counts only."""

    meeting_id: str
    committee_id: str
    held_on: date | None
    closed: bool
    agenda_items: int
    present: int | None
    # None in the public version (only who was there is published, as counts).
    absent: int | None
    present_by_group: dict[str, int | None]
    # The resolutions about this section's item, or about no item in particular.
    resolutions: tuple[Resolution, ...]


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A committee's appointment order (its number and the day it was signed)."""

    order_id: str
    committee_id: str
    number: str
    signed_on: date | None


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """A review of performance with stakeholders (measure 2.1)."""

    review_id: str
    kind: str
    title: str
    committee_id: str | None
    status: str
    planned_on: date | None
    held_on: date | None
    reported_on: date | None
    by_group: dict[str, int | None]
    participants: int | None
    findings: tuple[str, ...]
    # The outcomes its findings led to (in the public version, the published ones).
    outcomes: tuple[OutcomeLine, ...]


@dataclass(frozen=True, slots=True)
class SurveyItemLine:
    """One Likert item's answers in the round: how many gave 1..5, and the mean."""

    item_id: str
    answers: int | None
    distribution: tuple[int | None, ...]
    mean: float | None


@dataclass(frozen=True, slots=True)
class SurveyLine:
    """A mission survey of one stakeholder group (measure 2.5); never its free text."""

    survey_id: str
    title: str | None
    group: str
    status: str | None
    opens_on: date | None
    closes_on: date | None
    responses: int | None
    items: tuple[SurveyItemLine, ...]
    # Signed per-person links sent and answered through (staff version only).
    links_sent: int | None
    personal_responses: int | None


@dataclass(frozen=True, slots=True)
class GroupTake:
    """How often a stakeholder group took part in the round, per way of taking part.
    Occasions, not people: the same person may count in several columns."""

    opinions: int | None = 0
    attendances: int | None = 0
    reviews: int | None = 0
    survey_answers: int | None = 0
    total: int | None = 0


@dataclass(frozen=True, slots=True)
class ItemSection:
    """One mission or strategy item's part of the report."""

    mission_item: str
    consultations: list[ConsultationLine]
    outcomes: list[OutcomeLine]
    participants: int | None
    meetings: list[MeetingLine] = field(default_factory=list)
    orders: list[OrderLine] = field(default_factory=list)
    reviews: list[ReviewLine] = field(default_factory=list)
    surveys: list[SurveyLine] = field(default_factory=list)


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
    meetings: int = 0
    reviews: int = 0
    survey_responses: int | None = 0
    # Taking part per group, every way together (see the module's note: occasions).
    taking_part: dict[str, GroupTake] = field(default_factory=dict)


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


def _sub(cell: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """The integer measures of a flat cell under `prefix.` (a flattened sub-document)."""
    start = prefix + "."
    return {
        name[len(start) :]: value
        for name, value in cell.items()
        if name.startswith(start) and type(value) is int
    }


def _add(into: dict[str, int], counts: Mapping[str, int]) -> None:
    for g, n in counts.items():
        into[g] = into.get(g, 0) + n


def _items_of(cell: Mapping[str, Any]) -> list[str]:
    return [str(i) for i in cell.get("mission_items") or ()] or [""]


def _meeting_line(cell: Mapping[str, Any], item: str, group_order: Sequence[str]) -> MeetingLine:
    resolutions = tuple(
        Resolution(int(r.get("number") or 0), str(r.get("text") or ""), r.get("mission_item"))
        for r in cell.get("resolutions") or ()
        if isinstance(r, Mapping) and r.get("mission_item") in (None, "", item or None)
    )
    return MeetingLine(
        meeting_id=str(cell["meeting_id"]),
        committee_id=str(cell.get("committee_id") or ""),
        held_on=_date(cell.get("held_on")),
        closed=bool(cell.get("closed")),
        agenda_items=int(cell.get("agenda_items") or 0),
        present=int(cell.get("present") or 0),
        absent=int(cell.get("absent") or 0),
        present_by_group=dict(_ordered(_sub(cell, "present_by_group"), group_order)),
        resolutions=resolutions,
    )


def _survey_line(cell: Mapping[str, Any], rounds: tuple[int, ...]) -> SurveyLine:
    responses = sum(_sub(cell, ANSWERS).get(f"r{r}", 0) for r in rounds)
    counts: dict[str, list[int]] = {}
    for name, n in _sub(cell, SCORES).items():
        round_name, item, score = name.rsplit(".", 2) if name.count(".") == 2 else ("", "", "")
        if round_name not in {f"r{r}" for r in rounds} or not score.startswith("s"):
            continue
        value = int(score[1:]) if score[1:].isdigit() else 0
        if LOWEST_SCORE <= value <= HIGHEST_SCORE:
            counts.setdefault(item, [0] * HIGHEST_SCORE)[value - 1] += n
    order = [str(i) for i in cell.get("likert_items") or ()]
    items = order + sorted(set(counts) - set(order))
    lines = []
    for item in items:
        dist = counts.get(item, [0] * HIGHEST_SCORE)
        answers = sum(dist)
        total = sum(n * (i + 1) for i, n in enumerate(dist))
        lines.append(
            SurveyItemLine(item, answers, tuple(dist), total / answers if answers else None)
        )
    return SurveyLine(
        survey_id=str(cell["survey_id"]),
        title=cell.get("title"),
        group=str(cell.get("group") or ""),
        status=cell.get("status"),
        opens_on=_date(cell.get("opens_on")),
        closes_on=_date(cell.get("closes_on")),
        responses=responses,
        items=tuple(lines),
        links_sent=int(cell.get("links_sent") or 0),
        personal_responses=int(cell.get("personal_responses") or 0),
    )


def participation_report(
    consultations: Iterable[Mapping[str, Any]],
    outcomes: Iterable[Mapping[str, Any]],
    fiscal_year: int,
    months: int,
    item_order: Sequence[str] = (),
    group_order: Sequence[str] = (),
    meetings: Iterable[Mapping[str, Any]] = (),
    orders: Iterable[Mapping[str, Any]] = (),
    reviews: Iterable[Mapping[str, Any]] = (),
    surveys: Iterable[Mapping[str, Any]] = (),
) -> ParticipationReport:
    """The staff report of one fiscal year's round from the views' cells (flat, as
    `read_cache.cells` gives them); items in `item_order` first (the plan's order), groups
    in `group_order` first (the configured groups' order). `orders` may hold other years'
    orders: an order signed in an earlier year is shown for a committee that met, or held
    a review, in the round."""
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
    outcomes_of_year: list[OutcomeLine] = []
    for o in outcomes:
        if o.get("fiscal_year") != fiscal_year:
            continue
        consultation_id = o.get("consultation_id")
        status = str(o.get("status") or "")
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
        outcomes_of_year.append(outcome)
        if o.get("recorded_round", 1) not in rounds:
            continue
        by_status[status] = by_status.get(status, 0) + 1
        results.setdefault(str(o.get("mission_item") or ""), []).append(outcome)
    # Every outcome of the year by id, for the reviews that name theirs (any round).
    every_outcome = {o.outcome_id: o for found in results.values() for o in found}
    for known in outcomes_of_year:
        every_outcome.setdefault(known.outcome_id, known)

    attended: dict[str, int] = {}
    held: dict[str, list[MeetingLine]] = {}
    met: dict[str, set[str]] = {}  # committee -> the items it met or reviewed about
    meeting_count = 0
    for m in meetings:
        if m.get("fiscal_year") != fiscal_year or m.get("round") not in rounds:
            continue
        meeting_count += 1
        _add(attended, _sub(m, "present_by_group"))
        for item in _items_of(m):
            held.setdefault(item, []).append(_meeting_line(m, item, group_order))
            met.setdefault(str(m.get("committee_id") or ""), set()).add(item)

    reviewed: dict[str, int] = {}
    review_lines: dict[str, list[ReviewLine]] = {}
    review_count = 0
    for r in reviews:
        if r.get("fiscal_year") != fiscal_year or r.get("round") not in rounds:
            continue
        counts = _sub(r, "participants_by_group")
        if r.get("status") in ("held", "reported"):
            review_count += 1
            _add(reviewed, counts)
        item = str(r.get("mission_item") or "")
        committee = r.get("committee_id")
        if committee:
            met.setdefault(str(committee), set()).add(item)
        linked = tuple(
            every_outcome[str(i)] for i in r.get("outcome_ids") or () if str(i) in every_outcome
        )
        review_lines.setdefault(item, []).append(
            ReviewLine(
                review_id=str(r["review_id"]),
                kind=str(r.get("kind") or ""),
                title=str(r.get("title") or r["review_id"]),
                committee_id=committee,
                status=str(r.get("status") or ""),
                planned_on=_date(r.get("planned_on")),
                held_on=_date(r.get("held_on")),
                reported_on=_date(r.get("reported_on")),
                by_group=dict(_ordered(counts, group_order)),
                participants=int(r.get("participants") or 0),
                findings=tuple(str(f) for f in r.get("findings") or ()),
                outcomes=linked,
            )
        )

    order_lines: dict[str, dict[str, OrderLine]] = {}
    for o in orders:
        signed = _date(o.get("signed_on"))
        committee = str(o.get("committee_id") or "")
        if signed is None or signed > last_day:
            continue
        in_round = o.get("fiscal_year") == fiscal_year and o.get("round") in rounds
        if not in_round and committee not in met:
            continue
        order = OrderLine(str(o["order_id"]), committee, str(o.get("number") or ""), signed)
        where = set(_items_of(o)) if in_round else set()
        for item in where | met.get(committee, set()):
            order_lines.setdefault(item, {})[order.order_id] = order

    surveyed: dict[str, int] = {}
    survey_lines: dict[str, list[SurveyLine]] = {}
    for c in surveys:
        if c.get("fiscal_year") != fiscal_year:
            continue
        survey = _survey_line(c, rounds)
        if c.get("opened_round") not in rounds and not survey.responses:
            continue
        surveyed[survey.group] = surveyed.get(survey.group, 0) + (survey.responses or 0)
        survey_lines.setdefault(str(c.get("mission_item") or ""), []).append(survey)

    rank = {code: i for i, code in enumerate(item_order)}
    codes = set(lines) | set(results) | set(held) | set(order_lines) | set(review_lines)
    items = sorted(codes | set(survey_lines), key=lambda code: (rank.get(code, len(rank)), code))
    sections = []
    for code in items:
        found = sorted(lines.get(code, []), key=lambda c: (c.opens_on or date.max, c.topic))
        done = sorted(
            results.get(code, []), key=lambda o: (o.recorded_on or date.max, o.outcome_id)
        )
        participants = sum(c.participants or 0 for c in found)
        sections.append(
            ItemSection(
                code,
                found,
                done,
                participants,
                meetings=sorted(
                    held.get(code, []), key=lambda m: (m.held_on or date.max, m.meeting_id)
                ),
                orders=sorted(
                    order_lines.get(code, {}).values(),
                    key=lambda o: (o.signed_on or date.max, o.order_id),
                ),
                reviews=sorted(
                    review_lines.get(code, []),
                    key=lambda r: (r.held_on or r.planned_on or date.max, r.review_id),
                ),
                surveys=sorted(
                    survey_lines.get(code, []),
                    key=lambda v: (v.opens_on or date.max, v.survey_id),
                ),
            )
        )
    ordered_totals = _ordered(totals, group_order)
    every_group = _ordered(
        dict.fromkeys([*totals, *attended, *reviewed, *surveyed], 0), group_order
    )
    taking_part = {
        g: GroupTake(
            opinions=totals.get(g, 0),
            attendances=attended.get(g, 0),
            reviews=reviewed.get(g, 0),
            survey_answers=surveyed.get(g, 0),
            total=totals.get(g, 0) + attended.get(g, 0) + reviewed.get(g, 0) + surveyed.get(g, 0),
        )
        for g in every_group
    }
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
        meetings=meeting_count,
        reviews=review_count,
        survey_responses=sum(surveyed.values()),
        taking_part=taking_part,
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
        meetings = [_public_meeting(m, threshold) for m in s.meetings]
        reviews = [_public_review(r, threshold) for r in s.reviews]
        surveys = [_public_survey(v, threshold) for v in s.surveys]
        if consultations or published or meetings or s.orders or reviews or surveys:
            sections.append(
                replace(
                    s,
                    consultations=consultations,
                    outcomes=published,
                    participants=suppress_total(s.participants or 0, threshold),
                    meetings=meetings,
                    reviews=reviews,
                    surveys=surveys,
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
        survey_responses=suppress_total(report.survey_responses or 0, threshold),
        taking_part=_public_taking_part(report.taking_part, threshold),
    )


def _counts(counts: Mapping[str, int | None], threshold: int) -> dict[str, int | None]:
    return suppress_cells({g: n or 0 for g, n in counts.items()}, threshold)


def _public_meeting(m: MeetingLine, threshold: int) -> MeetingLine:
    return replace(
        m,
        present=suppress_total(m.present or 0, threshold),
        absent=None,
        present_by_group=_counts(m.present_by_group, threshold),
    )


def _public_review(r: ReviewLine, threshold: int) -> ReviewLine:
    return replace(
        r,
        by_group=_counts(r.by_group, threshold),
        participants=suppress_total(r.participants or 0, threshold),
        outcomes=tuple(o for o in r.outcomes if o.published),
    )


def _public_survey(v: SurveyLine, threshold: int) -> SurveyLine:
    items = []
    for i in v.items:
        answers = i.answers or 0
        total = sum((n or 0) * (k + 1) for k, n in enumerate(i.distribution))
        shown = suppress_cells(dict(enumerate(n or 0 for n in i.distribution)), threshold)
        items.append(
            SurveyItemLine(
                i.item_id,
                suppress_total(answers, threshold),
                tuple(shown.values()),
                public_mean(total, answers, threshold),
            )
        )
    return replace(
        v,
        responses=suppress_total(v.responses or 0, threshold),
        items=tuple(items),
        links_sent=None,
        personal_responses=None,
    )


_TAKE_COLUMNS = ("opinions", "attendances", "reviews", "survey_answers")


def _public_taking_part(
    taking_part: Mapping[str, GroupTake], threshold: int
) -> dict[str, GroupTake]:
    """Each column suppressed as a table of its own; a group's total is hidden too when any
    of its cells is (else the hidden one is the total less the others), and then, if it is
    the only total hidden, the next smallest total with it (the totals add up to the sum
    of the column totals printed beside them)."""
    columns = {
        c: suppress_cells({g: getattr(t, c) or 0 for g, t in taking_part.items()}, threshold)
        for c in _TAKE_COLUMNS
    }
    totals = {g: t.total or 0 for g, t in taking_part.items()}
    hidden = {g for g, n in totals.items() if 0 < n < threshold}
    hidden |= {g for g in totals if any(columns[c][g] is None for c in _TAKE_COLUMNS)}
    if len(hidden) == 1:
        others = [(n, i, g) for i, (g, n) in enumerate(totals.items()) if n > 0 and g not in hidden]
        if others:
            hidden.add(min(others)[2])
    return {
        g: GroupTake(
            opinions=columns["opinions"][g],
            attendances=columns["attendances"][g],
            reviews=columns["reviews"][g],
            survey_answers=columns["survey_answers"][g],
            total=None if g in hidden else totals[g],
        )
        for g in taking_part
    }


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
    # Committees, reviews and mission surveys (see `participation_table`).
    "committee_id",
    "number",
    "date",
    "people",
    "text",
    "likert_item",
    "mean",
    "score_1",
    "score_2",
    "score_3",
    "score_4",
    "score_5",
    "outcome_ids",
)


def participation_table(report: ParticipationReport) -> Table:
    """The report as one table (for CSV), a row per:

    - consultation and group asked or heard (`opinions`), then outcome;
    - committee meeting and group present (`people`: members present), and resolution
      (`number`, `text`);
    - appointment order (`number`, `date` signed);
    - review and group taking part (`people`), and finding (`number`, `text`);
      `outcome_ids` the outcomes its findings led to;
    - mission survey and Likert item (`people`: answers to the item, `mean`, `score_1`
      to `score_5`: how many gave each score).

    A suppressed count is "*" (the public version: under the threshold, or a figure from
    which such a count could be worked out). Each row is one record's: nothing is
    added up across kinds, and an attendance, a review participant and a survey answer
    are occasions, not distinct people."""

    def count(n: int | None) -> str | int:
        return "*" if n is None else n

    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    rows: list[tuple[TableCell, ...]] = []

    def row(item: str, record: str, id_: str, **cells: TableCell) -> None:
        values: dict[str, TableCell] = {
            "fiscal_year": report.fiscal_year,
            "round_months": report.months,
            "mission_item": item,
            "record": record,
            "id": id_,
            **cells,
        }
        rows.append(tuple(values.get(c) for c in PARTICIPATION_COLUMNS))

    for s in report.sections:
        item = s.mission_item
        for c in s.consultations:
            common = {
                "topic": c.topic,
                "status": c.status,
                "opens_on": day(c.opens_on),
                "closes_on": day(c.closes_on),
                "results_summary": c.summary,
            }
            for group, n in (c.by_group or {"": 0}).items():
                row(
                    item,
                    "consultation",
                    c.consultation_id,
                    group=group or None,
                    opinions=count(n),
                    **common,
                )
        for o in s.outcomes:
            row(
                item,
                "outcome",
                o.outcome_id,
                topic=o.topic,
                status=o.status,
                you_said=o.you_said_th,
                we_did=o.we_did_th,
                owner_unit=o.owner_unit,
                due_on=day(o.due_on),
                done_on=day(o.done_on),
                reason=o.reason,
            )
        for od in s.orders:
            row(
                item,
                "appointment_order",
                od.order_id,
                committee_id=od.committee_id,
                number=od.number,
                date=day(od.signed_on),
            )
        for m in s.meetings:
            status = "closed" if m.closed else "recorded"
            for group, n in (m.present_by_group or {"": m.present}).items():
                row(
                    item,
                    "meeting",
                    m.meeting_id,
                    committee_id=m.committee_id,
                    status=status,
                    date=day(m.held_on),
                    group=group or None,
                    people=count(n),
                )
            for r in m.resolutions:
                row(
                    item,
                    "resolution",
                    m.meeting_id,
                    committee_id=m.committee_id,
                    date=day(m.held_on),
                    number=r.number,
                    text=r.text,
                )
        for rv in s.reviews:
            linked = " ".join(o.outcome_id for o in rv.outcomes) or None
            common = {
                "topic": rv.title,
                "status": rv.status,
                "committee_id": rv.committee_id,
                "date": day(rv.held_on or rv.planned_on),
                "outcome_ids": linked,
            }
            for group, n in (rv.by_group or {"": rv.participants}).items():
                row(item, "review", rv.review_id, group=group or None, people=count(n), **common)
            for k, finding in enumerate(rv.findings, start=1):
                row(item, "finding", rv.review_id, topic=rv.title, number=k, text=finding)
        for sv in s.surveys:
            for line in sv.items:
                scores = {f"score_{k}": count(n) for k, n in enumerate(line.distribution, start=1)}
                row(
                    item,
                    "survey_item",
                    sv.survey_id,
                    topic=sv.title,
                    status=sv.status,
                    opens_on=day(sv.opens_on),
                    closes_on=day(sv.closes_on),
                    group=sv.group,
                    likert_item=line.item_id,
                    people=count(line.answers),
                    mean=None if line.mean is None else round(line.mean, 2),
                    **scores,
                )
    return Table(PARTICIPATION_COLUMNS, rows)
