"""The office's mission plan per fiscal year, changed by an admin: a whole year at once,
or one item added or changed (items are never deleted: a consultation may name one;
an item no longer pursued is saved with `active: false`)."""

from __future__ import annotations

from services.participation.context import ParticipationContext
from services.participation.domain.errors import ConflictingField, Forbidden, NotFound
from services.participation.domain.lifecycle import Actor, Role
from services.participation.domain.plan import MissionItem, MissionPlan


def _admin_only(actor: Actor, action: str) -> None:
    if actor.role is not Role.admin:
        raise Forbidden(actor.role, action)


async def save_plan(ctx: ParticipationContext, plan: MissionPlan, actor: Actor) -> MissionPlan:
    _admin_only(actor, "change the mission plan")
    earlier = await ctx.plans.get(plan.fiscal_year)
    if earlier is not None:
        kept = {i.code for i in plan.items}
        dropped = [i.code for i in earlier.items if i.code not in kept]
        if dropped:
            raise ConflictingField(
                "change the mission plan",
                "items",
                f"leave out {', '.join(dropped)}; save them with active: false instead",
            )
    await ctx.plans.save(plan, actor.id, ctx.now())
    return plan


async def save_item(
    ctx: ParticipationContext, fiscal_year: int, item: MissionItem, actor: Actor
) -> MissionPlan:
    _admin_only(actor, "change the mission plan")
    plan = await ctx.plans.get(fiscal_year)
    if plan is None:
        raise NotFound("mission plan for fiscal year", str(fiscal_year))
    updated = plan.with_item(item)
    await ctx.plans.save(updated, actor.id, ctx.now())
    return updated
