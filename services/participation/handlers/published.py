"""What the public sees of a fiscal year's participation: "you said, we did", the
published outcomes per mission item, each with what was heard in the office's words: the
topic of the consultation it answers, the committee and the text of the resolution, or
the category, round and count of the complaints."""

from __future__ import annotations

from dataclasses import dataclass

from services.participation.adapters.outcome_store import outcome_of
from services.participation.context import ParticipationContext
from services.participation.domain.outcomes import Outcome, by_mission_item
from services.participation.domain.plan import ItemKind, MissionItem


@dataclass(frozen=True, slots=True)
class PublishedOutcome:
    outcome: Outcome
    # The consultation's topic (None for another basis).
    topic_th: str | None
    topic_en: str | None
    # The committee whose resolution it answers, or the category and unit of the
    # complaints, by name (the code when the catalogue or the records lack it).
    committee_th: str | None = None
    committee_en: str | None = None
    category_th: str | None = None
    category_en: str | None = None
    unit_th: str | None = None
    unit_en: str | None = None


@dataclass(frozen=True, slots=True)
class ItemOutcomes:
    item: MissionItem
    outcomes: list[PublishedOutcome]


async def heard_names(ctx: ParticipationContext, outcomes: list[Outcome]) -> list[PublishedOutcome]:
    """Each outcome with the names of what it answers: one read of the consultations'
    topics and one of the committees' names for all of them; the units' names as an
    admin gave them, the catalogue's others."""
    topics = await ctx.consultations.topics(
        {o.consultation_id for o in outcomes if o.consultation_id}
    )
    committees = await ctx.committees.names(
        {o.resolution.committee_id for o in outcomes if o.resolution}
    )
    categories = {c.code: (c.name_th, c.name_en) for c in ctx.catalogue.categories}
    units = {u.code: (u.name_th, u.name_en) for u in (await ctx.unit_directory.catalogue()).units}
    out = []
    for o in outcomes:
        topic: tuple[str | None, str | None] = (None, None)
        if o.consultation_id:
            topic = topics.get(o.consultation_id, (o.consultation_id, None))
        committee: tuple[str | None, str | None] = (None, None)
        if o.resolution:
            name = o.resolution.committee_id
            committee = committees.get(name, (name, None))
        category: tuple[str | None, str | None] = (None, None)
        unit: tuple[str | None, str | None] = (None, None)
        if o.complaints:
            code = o.complaints.category
            category = categories.get(code, (code, code))
            if o.complaints.unit:
                unit = units.get(o.complaints.unit, (o.complaints.unit, o.complaints.unit))
        out.append(PublishedOutcome(o, *topic, *committee, *category, *unit))
    return out


async def you_said_we_did(ctx: ParticipationContext, fiscal_year: int) -> list[ItemOutcomes]:
    plan = await ctx.plans.get(fiscal_year)
    outcomes = [
        outcome_of(d)
        for d in await ctx.outcomes.search(fiscal_year=fiscal_year, published_only=True)
    ]
    named = {p.outcome.outcome_id: p for p in await heard_names(ctx, outcomes)}
    items = {i.code: i for i in plan.items} if plan else {}
    out: list[ItemOutcomes] = []
    for code, group in by_mission_item(list(items), outcomes):
        item = items.get(code) or MissionItem(
            code=code, kind=ItemKind.mission, name_th=code, name_en=code
        )
        out.append(ItemOutcomes(item=item, outcomes=[named[o.outcome_id] for o in group]))
    return out
