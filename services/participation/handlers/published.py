"""What the public sees of a fiscal year's participation: "you said, we did", the
published outcomes per mission item with the topic of the consultation each answers."""

from __future__ import annotations

from dataclasses import dataclass

from services.participation.adapters.outcome_store import outcome_of
from services.participation.context import ParticipationContext
from services.participation.domain.outcomes import Outcome, by_mission_item
from services.participation.domain.plan import ItemKind, MissionItem


@dataclass(frozen=True, slots=True)
class PublishedOutcome:
    outcome: Outcome
    topic_th: str
    topic_en: str | None


@dataclass(frozen=True, slots=True)
class ItemOutcomes:
    item: MissionItem
    outcomes: list[PublishedOutcome]


async def you_said_we_did(ctx: ParticipationContext, fiscal_year: int) -> list[ItemOutcomes]:
    plan = await ctx.plans.get(fiscal_year)
    outcomes = [
        outcome_of(d)
        for d in await ctx.outcomes.search(fiscal_year=fiscal_year, published_only=True)
    ]
    topics = await ctx.consultations.topics({o.consultation_id for o in outcomes})
    items = {i.code: i for i in plan.items} if plan else {}
    out: list[ItemOutcomes] = []
    for code, group in by_mission_item(list(items), outcomes):
        item = items.get(code) or MissionItem(
            code=code, kind=ItemKind.mission, name_th=code, name_en=code
        )
        out.append(
            ItemOutcomes(
                item=item,
                outcomes=[
                    PublishedOutcome(o, *topics.get(o.consultation_id, (o.consultation_id, None)))
                    for o in group
                ],
            )
        )
    return out
