"""The staff API for consultations: create and edit drafts, run the lifecycle commands,
read the opinions, tag their themes, and read a person's contact details (logged)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Body, Depends, Header, Query
from pydantic import BaseModel, Field

from services.participation.adapters.consultation_store import StaleVersion, counted
from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.api.views import (
    ConsultationDetail,
    ConsultationList,
    OpinionList,
    OpinionView,
    consultation_detail,
    consultation_summary,
    opinion_view,
)
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.consultation import ConsultationDraft
from services.participation.domain.errors import (
    ConflictingField,
    Forbidden,
    IllegalTransition,
    NotFound,
)
from services.participation.domain.lifecycle import MANAGERS, Command, CommandPayload
from services.participation.domain.opinions import MAX_THEMES, THEME
from services.participation.domain.tally import theme_counts
from services.participation.handlers import consultations, opinions
from shared.contract.events import ConsultationStatus, Contact
from shared.infra.personal_data import Reader

router = ApiRouter(prefix="/v1/consultations", tags=["consultations"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]


class LifecycleCommand(StrEnum):
    open = Command.open.value
    close = Command.close.value
    reopen = Command.reopen.value
    conclude = Command.conclude.value


class Themes(BaseModel):
    # As the domain keeps them (`check_themes`): the schema says it, so a body it takes is
    # one the domain takes.
    themes: list[Annotated[str, Field(pattern=THEME)]] = Field(
        max_length=MAX_THEMES, examples=[["อาหารกลางวัน", "การเดินทาง"]]
    )


class ContactView(BaseModel):
    opinion_id: str
    contact: Contact | None


def _expected(expected_version: int | None, if_match: str | None) -> int | None:
    if expected_version is None and if_match and if_match.strip('"').isdigit():
        return int(if_match.strip('"'))
    return expected_version


ExpectedVersion = Annotated[int | None, Query(ge=1, description="the version you saw")]
IfMatch = Annotated[str | None, Header(description="the consultation version you saw")]


@router.post(
    "",
    response_model=ConsultationDetail,
    status_code=201,
    summary="Create a draft",
    responses=refusals(ConflictingField),
)
async def create(draft: ConsultationDraft, ctx: Ctx, caller: Caller) -> ConsultationDetail:
    actor = actor_of(caller)
    doc = await consultations.create(ctx, draft, actor)
    return consultation_detail(doc, actor.role)


@router.get("", response_model=ConsultationList, summary="Consultations, newest period first")
async def list_all(
    ctx: Ctx,
    caller: Caller,
    fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None,
    status: Annotated[list[ConsultationStatus] | None, Query()] = None,
    mission_item: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ConsultationList:
    docs = await ctx.consultations.search(
        fiscal_year=fiscal_year, statuses=status or (), mission_item=mission_item, limit=limit
    )
    return ConsultationList(consultations=[consultation_summary(d) for d in docs])


@router.get("/{consultation_id}", response_model=ConsultationDetail, summary="One consultation")
async def get_one(consultation_id: str, ctx: Ctx, caller: Caller) -> ConsultationDetail:
    doc = await ctx.consultations.get(consultation_id)
    return consultation_detail(doc, actor_of(caller).role)


@router.put(
    "/{consultation_id}",
    response_model=ConsultationDetail,
    summary="Replace a draft's fields (409 once it has opened)",
    responses=refusals(IllegalTransition, StaleVersion, ConflictingField),
)
async def edit(
    consultation_id: str,
    draft: ConsultationDraft,
    ctx: Ctx,
    caller: Caller,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> ConsultationDetail:
    actor = actor_of(caller)
    doc = await consultations.edit(
        ctx, consultation_id, draft, actor, _expected(expected_version, if_match)
    )
    return consultation_detail(doc, actor.role)


@router.post(
    "/{consultation_id}/commands/{command}",
    response_model=ConsultationDetail,
    summary="Open, close, reopen or conclude (409 names the status when it is not allowed)",
    responses=refusals(IllegalTransition, StaleVersion),
)
async def command(
    consultation_id: str,
    command: LifecycleCommand,
    ctx: Ctx,
    caller: Caller,
    payload: Annotated[CommandPayload | None, Body()] = None,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> ConsultationDetail:
    actor = actor_of(caller)
    doc = await consultations.run_command(
        ctx,
        consultation_id,
        Command(command.value),
        actor,
        payload or CommandPayload(),
        _expected(expected_version, if_match),
    )
    return consultation_detail(doc, actor.role)


@router.get(
    "/{consultation_id}/opinions",
    response_model=OpinionList,
    summary="The opinions given, oldest first, and the themes tagged",
)
async def list_opinions(
    consultation_id: str,
    ctx: Ctx,
    caller: Caller,
    group: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    skip: Annotated[int, Query(ge=0)] = 0,
) -> OpinionList:
    await ctx.consultations.get(consultation_id)  # 404 for an unknown consultation
    docs = await ctx.consultations.opinions_of(consultation_id, group=group, limit=limit, skip=skip)
    every = await ctx.consultations.all_opinions(consultation_id)
    return OpinionList(
        opinions=[opinion_view(d) for d in docs],
        themes=theme_counts(counted(d) for d in every),
    )


@router.put(
    "/{consultation_id}/opinions/{opinion_id}/themes",
    response_model=OpinionView,
    summary="Tag an opinion with themes (replaces its themes)",
)
async def tag(
    consultation_id: str, opinion_id: str, body: Themes, ctx: Ctx, caller: Caller
) -> OpinionView:
    doc = await opinions.tag(ctx, consultation_id, opinion_id, body.themes, actor_of(caller))
    return opinion_view(doc)


@router.get(
    "/{consultation_id}/opinions/{opinion_id}/contact",
    response_model=ContactView,
    summary="The contact details a person left with their opinion (each read is logged)",
    responses=refusals(Forbidden),
)
async def contact(
    consultation_id: str,
    opinion_id: str,
    ctx: Ctx,
    caller: Caller,
    purpose: Annotated[str, Query(min_length=3, max_length=200)] = "answer the person",
) -> ContactView:
    actor = actor_of(caller)
    if actor.role not in MANAGERS:
        raise Forbidden(actor.role, "read the contact details of opinions")
    doc = await ctx.consultations.opinion(opinion_id)
    if doc is None or doc["consultation_id"] != consultation_id:
        raise NotFound("opinion", opinion_id)
    found: dict[str, Any] = {}
    if doc.get("person_id"):
        found = await ctx.consultations.people.read_for(
            Reader(staff_id=caller.id, purpose=purpose), [doc["person_id"]], about=opinion_id
        )
    return ContactView(opinion_id=opinion_id, contact=found.get(doc.get("person_id") or ""))
