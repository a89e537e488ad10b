"""The mission-survey API (measure 2.5). Staff (`/v1/mission-surveys`): create and edit
drafts, open and close, read the results and the free-text answers, mint signed
per-person links (JSON, or CSV for a mail merge). The public
(`/v1/public/mission-surveys`): read a questionnaire, answer it through the public link
or one's own link (once per link)."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Header, Query, Response

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.api.survey_views import (
    LinkList,
    LinkRequest,
    LinkView,
    MissionSurveyDetail,
    MissionSurveyList,
    PublicMissionSurvey,
    SurveyReceiptView,
    TextAnswerList,
    public_survey,
    survey_detail,
    survey_summary,
    text_answer,
)
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.errors import (
    ConflictingField,
    IllegalTransition,
    NotAuthentic,
    NotFound,
    Refused,
)
from services.participation.domain.mission_survey import (
    MissionSurveyDraft,
    SurveyAnswerBody,
    SurveyCommand,
    SurveyStatus,
)
from services.participation.handlers import mission_surveys
from services.participation.handlers.mission_surveys import PersonalLink
from shared.thai.dates import to_bangkok

router = ApiRouter(prefix="/v1/mission-surveys", tags=["mission surveys"])
public_router = ApiRouter(prefix="/v1/public/mission-surveys", tags=["public"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]
ExpectedVersion = Annotated[int | None, Query(ge=1, description="the version you saw")]
IfMatch = Annotated[str | None, Header(description="the survey version you saw")]
# Spreadsheets run a cell starting with these as a formula: a label is written as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class LifecycleCommand(StrEnum):
    open = SurveyCommand.open.value
    close = SurveyCommand.close.value


class LinkFormat(StrEnum):
    json = "json"
    csv = "csv"


def _expected(expected_version: int | None, if_match: str | None) -> int | None:
    if expected_version is None and if_match and if_match.strip('"').isdigit():
        return int(if_match.strip('"'))
    return expected_version


@router.post(
    "",
    response_model=MissionSurveyDetail,
    status_code=201,
    summary="Create a survey's draft (a questionnaire for one group about a mission item)",
    responses=refusals(ConflictingField),
)
async def create(draft: MissionSurveyDraft, ctx: Ctx, caller: Caller) -> MissionSurveyDetail:
    actor = actor_of(caller)
    doc = await mission_surveys.create(ctx, draft, actor)
    return survey_detail(doc, actor.role)


@router.get("", response_model=MissionSurveyList, summary="Surveys, newest period first")
async def list_all(
    ctx: Ctx,
    caller: Caller,
    fiscal_year: Annotated[int | None, Query(ge=2400, le=2800)] = None,
    status: Annotated[list[SurveyStatus] | None, Query()] = None,
    mission_item: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> MissionSurveyList:
    docs = await ctx.surveys.search(
        fiscal_year=fiscal_year, statuses=status or (), mission_item=mission_item, limit=limit
    )
    return MissionSurveyList(surveys=[survey_summary(d) for d in docs])


@router.get(
    "/{survey_id}",
    response_model=MissionSurveyDetail,
    summary="One survey with its results per item (distribution 1-5, mean, responses)",
)
async def get_one(survey_id: str, ctx: Ctx, caller: Caller) -> MissionSurveyDetail:
    doc = await ctx.surveys.get(survey_id)
    return survey_detail(doc, actor_of(caller).role)


@router.put(
    "/{survey_id}",
    response_model=MissionSurveyDetail,
    summary="Replace a draft's fields (409 once it has opened)",
    responses=refusals(IllegalTransition, StaleVersion, ConflictingField),
)
async def edit(
    survey_id: str,
    draft: MissionSurveyDraft,
    ctx: Ctx,
    caller: Caller,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> MissionSurveyDetail:
    actor = actor_of(caller)
    doc = await mission_surveys.edit(
        ctx, survey_id, draft, actor, _expected(expected_version, if_match)
    )
    return survey_detail(doc, actor.role)


@router.post(
    "/{survey_id}/commands/{command}",
    response_model=MissionSurveyDetail,
    summary="Open or close (409 names the status when it is not allowed)",
    responses=refusals(IllegalTransition, StaleVersion),
)
async def command(
    survey_id: str,
    command: LifecycleCommand,
    ctx: Ctx,
    caller: Caller,
    expected_version: ExpectedVersion = None,
    if_match: IfMatch = None,
) -> MissionSurveyDetail:
    actor = actor_of(caller)
    doc = await mission_surveys.run_command(
        ctx, survey_id, SurveyCommand(command.value), actor, _expected(expected_version, if_match)
    )
    return survey_detail(doc, actor.role)


@router.get(
    "/{survey_id}/texts",
    response_model=TextAnswerList,
    summary="The free-text answers, oldest first (for staff; never published)",
)
async def texts(
    survey_id: str,
    ctx: Ctx,
    caller: Caller,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    skip: Annotated[int, Query(ge=0)] = 0,
) -> TextAnswerList:
    await ctx.surveys.get(survey_id)  # 404 for an unknown survey
    docs = await ctx.surveys.texts_of(survey_id, limit=limit, skip=skip)
    return TextAnswerList(survey_id=survey_id, answers=[text_answer(d) for d in docs])


def links_csv(links: list[PersonalLink]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["recipient", "url", "expires_at"])
    for link in links:
        label = f"'{link.recipient}" if link.recipient.startswith(_FORMULA) else link.recipient
        # Bangkok time, to the minute (midnight after the survey's last day, 00:00+07:00),
        # not the same instant in UTC, which a mail merge would copy as the day before.
        expires = to_bangkok(link.expires_at).isoformat(timespec="minutes")
        writer.writerow([label, link.url, expires])
    return out.getvalue()


@router.post(
    "/{survey_id}/links",
    response_model=LinkList,
    summary="Signed per-person links, one per recipient, each answered once (JSON or CSV)",
    description=(
        "The recipients' labels are answered back beside their links and kept nowhere. "
        "A link lasts to the end of the survey's last day. `format=csv` answers a CSV "
        "(recipient, url, expires_at) for a mail merge. A closed survey takes no answers: 409."
    ),
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **refusals(IllegalTransition),
    },
)
async def links(
    survey_id: str,
    body: LinkRequest,
    ctx: Ctx,
    caller: Caller,
    format: Annotated[LinkFormat, Query()] = LinkFormat.json,
) -> LinkList | Response:
    minted = await mission_surveys.mint_links(ctx, survey_id, body.recipients, actor_of(caller))
    # The links are credentials: nothing on the way keeps a copy.
    headers = {"Cache-Control": "no-store"}
    if format is LinkFormat.csv:
        headers["Content-Disposition"] = f'attachment; filename="{survey_id}-links.csv"'
        return Response(links_csv(minted), media_type="text/csv; charset=utf-8", headers=headers)
    expires_at = minted[0].expires_at
    return Response(
        LinkList(
            survey_id=survey_id,
            expires_at=expires_at,
            links=[LinkView(recipient=m.recipient, url=m.url, token=m.token) for m in minted],
        ).model_dump_json(),
        media_type="application/json",
        headers=headers,
    )


# ----------------------------------------------------------------------- public


@public_router.get(
    "/{survey_id}",
    response_model=PublicMissionSurvey,
    summary="A survey's questionnaire, and its counts once closed (never the words written)",
)
async def get_public(survey_id: str, ctx: Ctx) -> PublicMissionSurvey:
    doc = await ctx.surveys.get(survey_id)
    if doc["status"] == SurveyStatus.draft.value:
        raise NotFound("survey", survey_id)  # a draft is not published yet
    return public_survey(doc, ctx.today())


@public_router.post(
    "/{survey_id}/responses",
    response_model=SurveyReceiptView,
    status_code=201,
    summary="Answer a survey: through its public link, or a per-person link (`token`, once)",
    responses={
        200: {"description": "the same submission_key again: received once already"},
        **refusals(Refused, NotAuthentic),
    },
)
async def answer(
    survey_id: str, body: SurveyAnswerBody, ctx: Ctx, response: Response
) -> SurveyReceiptView:
    receipt = await mission_surveys.answer(ctx, survey_id, body)
    if receipt.replayed:
        response.status_code = 200
    return SurveyReceiptView(
        response_id=receipt.response_id,
        survey_id=receipt.survey_id,
        answered_at=receipt.answered_at,
        via=receipt.via,
        replayed=receipt.replayed,
    )
