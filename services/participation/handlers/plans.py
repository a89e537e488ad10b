"""The office's mission plan per fiscal year: a whole year at once (an admin), or one item
added or changed (an admin or a participation coordinator, who keeps the plan the
consultations hang on). Items are never deleted: a consultation may name one; an item no
longer pursued is saved with `active: false`."""

from __future__ import annotations

from services.participation.context import ParticipationContext
from services.participation.domain.errors import ConflictingField, Forbidden, NotFound
from services.participation.domain.lifecycle import MANAGERS, Actor, Role
from services.participation.domain.plan import MissionItem, MissionPlan, check_groups


def _admin_only(actor: Actor, action: str) -> None:
    if actor.role is not Role.admin:
        raise Forbidden(actor.role, action)


async def save_plan(ctx: ParticipationContext, plan: MissionPlan, actor: Actor) -> MissionPlan:
    _admin_only(actor, "change the mission plan")
    check_groups(plan.items, ctx.groups, "change the mission plan", field="items")
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
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, "change the mission plan")
    check_groups((item,), ctx.groups, "change the mission plan", field="")
    plan = await ctx.plans.get(fiscal_year)
    if plan is None:
        raise NotFound("mission plan for fiscal year", str(fiscal_year))
    updated = plan.with_item(item)
    await ctx.plans.save(updated, actor.id, ctx.now())
    return updated


async def add_item(
    ctx: ParticipationContext, fiscal_year: int, item: MissionItem, actor: Actor
) -> MissionPlan:
    """A new item; the year's plan begins with it if the year has none yet. An item of
    the same code is refused (409), not overwritten: changing one is `save_item`."""
    action = "add a mission item"
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, action)
    check_groups((item,), ctx.groups, action, field="")
    plan = await ctx.plans.get(fiscal_year)
    if plan is not None and plan.item(item.code) is not None:
        raise ConflictingField(action, "code", f"is already an item of fiscal year {fiscal_year}")
    updated = (
        MissionPlan(fiscal_year=fiscal_year, items=(item,))
        if plan is None
        else plan.with_item(item)
    )
    await ctx.plans.save(updated, actor.id, ctx.now())
    return updated
