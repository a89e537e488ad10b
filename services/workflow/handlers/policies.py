"""The routing rules and deadline policies in force: the YAML files' at first, replaced by
what an admin saves (at once on the replica that took the change, within
`SIANG_WORKFLOW_CONFIG_CHECK_SECONDS` on every other, and at every later start)."""

from __future__ import annotations

import logging

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import PyMongoError

from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import InvalidField
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from shared.infra.mongo import in_transaction

log = logging.getLogger(__name__)


async def restore_saved(ctx: WorkflowContext) -> None:
    """Put in force what an admin saved (before this process started, or since)."""
    saved = await ctx.settings_store.saved()
    if saved.routing is not None:
        ctx.routing = saved.routing
    if saved.sla is not None:
        ctx.sla = saved.sla


async def in_force(ctx: WorkflowContext) -> None:
    """Bring this replica's policies up to what was saved, if another replica saved a
    change since it last looked (a look costs one read, at most every few seconds). If
    MongoDB cannot be asked, the policies in force stay: the work that needs them will
    meet the same trouble and be retried."""
    try:
        if await ctx.settings_store.changed():
            await restore_saved(ctx)
            log.info("routing rules and deadline policies re-read: an admin changed them")
    except PyMongoError as exc:
        log.warning("could not check for changed policies: %r", exc)


async def replace_routing(ctx: WorkflowContext, config: RoutingConfig) -> RoutingConfig:
    """Save and apply new routing rules, refused if they name what the catalogue lacks."""
    problems = config.problems(ctx.catalogue)
    if problems:
        raise InvalidField("update routing", "routing", "; ".join(problems))

    async def save(session: AsyncClientSession) -> None:
        await ctx.settings_store.save_routing(config, session)

    await in_transaction(ctx.client, save)
    ctx.routing = config
    return config


async def replace_sla(ctx: WorkflowContext, config: SlaConfig) -> SlaConfig:
    """Save and apply new deadline policies (for cases opened from now on)."""
    # The model itself refuses a first response beyond s.38's 15 days.

    async def save(session: AsyncClientSession) -> None:
        await ctx.settings_store.save_sla(config, session)

    await in_transaction(ctx.client, save)
    ctx.sla = config
    return config
