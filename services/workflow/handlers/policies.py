"""The routing rules and deadline policies in force: the YAML files' at first, replaced by
what an admin saves (at once, and at every later start)."""

from __future__ import annotations

from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import InvalidField
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig


async def restore_saved(ctx: WorkflowContext) -> None:
    """Put back in force what an admin saved before this process started."""
    routing, sla = await ctx.settings_store.saved()
    if routing is not None:
        ctx.routing = routing
    if sla is not None:
        ctx.sla = sla


async def replace_routing(ctx: WorkflowContext, config: RoutingConfig) -> RoutingConfig:
    """Save and apply new routing rules, refused if they name what the catalogue lacks."""
    problems = config.problems(ctx.catalogue)
    if problems:
        raise InvalidField("update routing", "routing", "; ".join(problems))
    await ctx.settings_store.save_routing(config)
    ctx.routing = config
    return config


async def replace_sla(ctx: WorkflowContext, config: SlaConfig) -> SlaConfig:
    """Save and apply new deadline policies (for cases opened from now on)."""
    # The model itself refuses a first response beyond s.38's 15 days.
    await ctx.settings_store.save_sla(config)
    ctx.sla = config
    return config
