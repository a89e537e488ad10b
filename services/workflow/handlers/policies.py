"""The office's settings in force: routing rules, deadline policies, unit names and
office closures. The YAML files' (and the settings') at first, replaced by what an admin
saves (at once on the replica that took the change, within
`SIANG_WORKFLOW_CONFIG_CHECK_SECONDS` on every other, and at every later start).

Each save writes its history entry (who, when, before and after) in the same
transaction, whether it came through the API or the admin pages. A save of the units
also writes a `unit.changed` event per unit (its names now) to the outbox, for reporting
and participation, which name units by them (`shared/infra/unit_directory.py`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import PyMongoError

from services.workflow.context import WorkflowContext
from services.workflow.domain.admin_history import Subject, entry_for
from services.workflow.domain.closures import Closure, calendar_of, in_order
from services.workflow.domain.errors import InvalidField
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from shared.contract.catalogue import Unit, with_units
from shared.contract.events import CloudEvent, UnitChanged
from shared.infra.auth import Principal
from shared.infra.mongo import in_transaction

log = logging.getLogger(__name__)


async def restore_saved(ctx: WorkflowContext) -> None:
    """Put in force what an admin saved (before this process started, or since)."""
    saved = await ctx.settings_store.saved()
    if saved.routing is not None:
        ctx.routing = saved.routing
    if saved.sla is not None:
        ctx.sla = saved.sla
    if saved.units is not None:
        ctx.catalogue = with_units(ctx.catalogue, saved.units)
    if saved.closures is not None:
        _apply_closures(ctx, saved.closures)


async def in_force(ctx: WorkflowContext) -> None:
    """Bring this replica's settings up to what was saved, if another replica saved a
    change since it last looked (a look costs one read, at most every few seconds). If
    MongoDB cannot be asked, the settings in force stay: the work that needs them will
    meet the same trouble and be retried."""
    try:
        if await ctx.settings_store.changed():
            await restore_saved(ctx)
            log.info("office settings re-read: an admin changed them")
    except PyMongoError as exc:
        log.warning("could not check for changed settings: %r", exc)


async def replace_routing(
    ctx: WorkflowContext, config: RoutingConfig, by: Principal
) -> RoutingConfig:
    """Save and apply new routing rules, refused if they name what the catalogue lacks."""
    await in_force(ctx)  # the units another replica added may be named
    problems = config.problems(ctx.catalogue)
    if problems:
        raise InvalidField("update routing", "routing", "; ".join(problems))
    await _save(
        ctx,
        by,
        Subject.routing,
        ctx.routing.model_dump(mode="json"),
        config.model_dump(mode="json"),
        lambda session: ctx.settings_store.save_routing(config, session),
    )
    ctx.routing = config
    return config


async def replace_sla(ctx: WorkflowContext, config: SlaConfig, by: Principal) -> SlaConfig:
    """Save and apply new deadline policies (for cases opened from now on)."""
    # The model itself refuses a first response beyond s.38's 15 days.
    await in_force(ctx)  # so the history's "before" is what was in force
    await _save(
        ctx,
        by,
        Subject.sla,
        ctx.sla.model_dump(mode="json"),
        config.model_dump(mode="json"),
        lambda session: ctx.settings_store.save_sla(config, session),
    )
    ctx.sla = config
    return config


async def replace_units(
    ctx: WorkflowContext, units: tuple[Unit, ...], by: Principal
) -> tuple[Unit, ...]:
    """Save and apply the units' names and the units added; every unit in force must
    stay (cases, staff and categories name them)."""
    await in_force(ctx)
    missing = {u.code for u in ctx.catalogue.units} - {u.code for u in units}
    if missing:
        raise InvalidField("update units", "units", f"would remove {sorted(missing)}")
    before = ctx.catalogue.units

    async def write(session: AsyncClientSession) -> None:
        # Every unit, not only those this replica saw change: another replica's save
        # may not be in force here yet, and a reader keeps only the newest version.
        version = await ctx.settings_store.save_units(units, session)
        await ctx.store.outbox.add(_unit_events(ctx, units, version), session)
        await ctx.settings_store.mark_units_announced(session)

    await _save(ctx, by, Subject.units, _by_code(before), _by_code(units), write)
    ctx.relay.wake()
    ctx.catalogue = with_units(ctx.catalogue, units)
    return ctx.catalogue.units


async def announce_units(ctx: WorkflowContext) -> int:
    """At start: publish the saved units once if they were saved before workflow
    published them (returns how many), so reporting and participation learn them too."""

    async def work(session: AsyncClientSession) -> int:
        pending = await ctx.settings_store.unannounced_units(session)
        if pending is None:
            return 0
        units, version = pending
        await ctx.store.outbox.add(_unit_events(ctx, units, version), session)
        await ctx.settings_store.mark_units_announced(session)
        return len(units)

    told = await in_transaction(ctx.client, work)
    if told:
        ctx.relay.wake()
        log.info("announced %d saved unit(s) to the other services", told)
    return told


def _unit_events(
    ctx: WorkflowContext, units: Iterable[Unit], version: int
) -> list[CloudEvent[UnitChanged]]:
    # Keyed by unit code: each unit's changes stay in order.
    return [
        ctx.envelope(
            u.code, UnitChanged(code=u.code, name_th=u.name_th, name_en=u.name_en, version=version)
        )
        for u in units
    ]


async def replace_closures(
    ctx: WorkflowContext, closures: tuple[Closure, ...], by: Principal
) -> tuple[Closure, ...]:
    """Save and apply the office's own closures (deadlines computed from now on)."""
    ordered = in_order(closures)
    await in_force(ctx)
    await _save(
        ctx,
        by,
        Subject.closures,
        _by_day(ctx.closures),
        _by_day(ordered),
        lambda session: ctx.settings_store.save_closures(ordered, session),
    )
    _apply_closures(ctx, ordered)
    return ordered


async def _save(
    ctx: WorkflowContext,
    by: Principal,
    subject: Subject,
    before: dict[str, Any],
    after: dict[str, Any],
    write: Callable[[AsyncClientSession], Awaitable[object]],
) -> None:
    """The change and its history entry, in one transaction."""
    entry = entry_for(
        at=ctx.clock.now(), by=by.id, by_name=by.name, subject=subject, before=before, after=after
    )

    async def save(session: AsyncClientSession) -> None:
        await write(session)
        await ctx.history.record(entry, session)

    await in_transaction(ctx.client, save)
    log.info("admin change: %s by=%s", subject.value, by.id)


def _apply_closures(ctx: WorkflowContext, closures: tuple[Closure, ...]) -> None:
    ctx.closures = closures
    ctx.calendar = calendar_of(closures)


def _by_code(units: tuple[Unit, ...]) -> dict[str, Any]:
    # Keyed by code, so a history entry names the unit, not its place in the list.
    return {u.code: {"name_th": u.name_th, "name_en": u.name_en} for u in units}


def _by_day(closures: tuple[Closure, ...]) -> dict[str, Any]:
    return {c.day.isoformat(): c.note or "-" for c in closures}
