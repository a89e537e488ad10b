"""How the public can take part in each item of a year's plan (seed measures 1.1, 2.2): the
plan's own words per item (groups, practices, channels, process) beside what is open for
it today, the consultations taking opinions and the mission surveys taking answers.

Three reads whatever the plan's size: the plan, the year's open consultations and its
open surveys."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.participation.adapters.consultation_store import consultation_of
from services.participation.adapters.mission_survey_store import survey_of
from services.participation.context import ParticipationContext
from services.participation.domain.consultation import Consultation
from services.participation.domain.mission_survey import MissionSurvey, SurveyStatus, takes_answers
from services.participation.domain.opinions import takes_opinions
from services.participation.domain.plan import MissionItem
from shared.contract.events import ConsultationStatus


@dataclass(frozen=True, slots=True)
class ItemTakingPart:
    item: MissionItem
    consultations: list[Consultation] = field(default_factory=list)
    surveys: list[MissionSurvey] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TakingPart:
    fiscal_year: int
    # False when the year has no plan on file (the page says so).
    planned: bool
    items: list[ItemTakingPart]


async def taking_part(ctx: ParticipationContext, fiscal_year: int) -> TakingPart:
    """The year's items still pursued, in the plan's order, each with what is open now."""
    plan = await ctx.plans.get(fiscal_year)
    if plan is None:
        return TakingPart(fiscal_year, planned=False, items=[])
    today = ctx.today()
    consultations = [
        c
        for c in map(
            consultation_of,
            await ctx.consultations.search(
                fiscal_year=fiscal_year, statuses=(ConsultationStatus.open,)
            ),
        )
        if takes_opinions(c, today)
    ]
    surveys = [
        s
        for s in map(
            survey_of,
            await ctx.surveys.search(fiscal_year=fiscal_year, statuses=(SurveyStatus.open,)),
        )
        if takes_answers(s, today)
    ]
    items = [
        ItemTakingPart(
            item,
            sorted(
                (c for c in consultations if c.mission_item == item.code),
                key=lambda c: (c.closes_on, c.consultation_id),
            ),
            sorted(
                (s for s in surveys if s.mission_item == item.code),
                key=lambda s: (s.closes_on, s.survey_id),
            ),
        )
        for item in plan.items
        if item.active
    ]
    return TakingPart(fiscal_year, planned=True, items=items)
