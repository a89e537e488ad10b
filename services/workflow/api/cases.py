"""The staff API for cases: their unit's queue, one case with its timeline and deadlines,
and the lifecycle commands."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, WithJsonSchema

from services.workflow.adapters.case_queries import CaseFilter, Overdue
from services.workflow.adapters.case_store import CaseNotFound, StaleVersion, clocks_of
from services.workflow.api.auth import Caller
from services.workflow.api.errors import SIGNED_IN, refusals
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import DomainError, Forbidden, IllegalTransition, InvalidField
from services.workflow.domain.lifecycle import (
    Actor,
    Command,
    CommandPayload,
    Role,
    allowed_commands,
)
from services.workflow.domain.sla import is_overdue
from services.workflow.handlers import queues
from services.workflow.handlers.case_files import files_for
from services.workflow.handlers.commands import run_command
from services.workflow.handlers.complainant import contact_for_staff
from services.workflow.handlers.queues import check_scope
from shared.contract.events import CaseStatus, Channel, Kind, Priority
from shared.infra.auth import Principal, StaffRole
from shared.infra.http import StrictJsonRoute
from shared.infra.mongo import Document

#: The lifecycle role of each staff account's role. Built from every account role, so
#: none is left out (participation was: only the scope check, which refuses coordinators
#: before any case view or command, kept that KeyError from being a 500); a new account
#: role without a lifecycle role fails at import, not on a request.
ROLE = {staff_role: Role(staff_role.value) for staff_role in StaffRole}


class CaseSummary(BaseModel):
    case_id: str
    tracking_code: str
    status: CaseStatus
    kind: str
    complaint_type: str | None
    category: str
    unit: str
    priority: str
    assignee: str | None
    subject: str
    channel: str
    received_at: datetime
    resolution_due_at: datetime | None = None
    overdue: bool = False


class CaseList(BaseModel):
    cases: list[CaseSummary]
    # Pass it back as `cursor` for the next page; absent on the last page.
    next_cursor: str | None = None


class ClockView(BaseModel):
    clock: str
    due_at: datetime
    running: bool
    paused: bool
    stopped_at: datetime | None
    overdue: bool
    warnings_sent: list[int]


class FileView(BaseModel):
    """A file sent with the case (a photo, a scanned letter, a PDF), listed only for the
    staff who may open it: the assignee, the unit's supervisors, admins."""

    file_id: str
    content_type: str
    size: int
    channel: str
    url: str


class LetterView(BaseModel):
    number: str
    dated: date


class PlaceView(BaseModel):
    text: str | None = None
    lat: float | None = None
    lon: float | None = None


class SurveyView(BaseModel):
    """The complainant's answer to the satisfaction survey after the case was resolved."""

    rating: int
    solved: bool
    comment: str | None = None
    #: The comment was blanked with the complainant's personal data.
    comment_erased: bool = False
    answered_at: datetime


class RelatedCase(BaseModel):
    """Another case this one is tied to: its possible duplicate, the case it was merged
    into, or one merged into it. Listed only when the caller may open it."""

    case_id: str
    tracking_code: str
    subject: str
    status: CaseStatus


class CaseDetail(CaseSummary):
    version: int
    description: str
    close_reason: str | None
    public_answer: str | None
    duplicate_hint: str | None
    reopen_count: int
    clocks: list[ClockView]
    timeline: list[dict[str, Any]]
    contact: dict[str, Any] | None
    allowed_commands: list[Command]
    # Where it happened, as the person said (an address, a point).
    location: PlaceView | None = None
    # Who keyed it in (phone, walk-in, letter): the account, and its name now.
    keyed_by: str | None = None
    keyed_by_name: str | None = None
    letter: LetterView | None = None
    files: list[FileView] = []
    # When it happened, as the person said (a day).
    occurred_on: date | None = None
    assignee_name: str | None = None
    survey: SurveyView | None = None
    # Routing's hint that this may repeat an earlier case of the same person.
    possible_duplicate: RelatedCase | None = None
    merged_into: RelatedCase | None = None
    merged_cases: list[RelatedCase] = []


def make_cursor(doc: Document) -> str:
    key = f"{doc['received_at'].isoformat()}|{doc['_id']}"
    return base64.urlsafe_b64encode(key.encode()).decode()


def after_cursor(cursor: str) -> tuple[datetime, str]:
    """The (received_at, case id) of the case the cursor names: the list goes on after it."""
    try:
        at_text, _, case_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        at = datetime.fromisoformat(at_text)
    except ValueError as exc:
        raise InvalidField("list cases", "cursor", "is not a cursor this API gave") from exc
    return at, case_id


def summary(doc: Document, now: datetime) -> dict[str, Any]:
    clocks = clocks_of(doc) if "clocks" in doc else {}
    resolution = next((s for c, s in clocks.items() if c.value == "resolution"), None)
    return {
        "case_id": doc["_id"],
        **{k: doc.get(k) for k in CaseSummary.model_fields if k in doc},
        "resolution_due_at": resolution.due_at if resolution else None,
        "overdue": bool(
            resolution and resolution.stopped_at is None and is_overdue(resolution, now)
        ),
    }


router = APIRouter(
    prefix="/v1/cases",
    tags=["cases"],
    route_class=StrictJsonRoute,
    responses=refusals(*SIGNED_IN),
)


@router.get(
    "",
    response_model=CaseList,
    summary="Cases in the caller's unit, newest first",
    responses=refusals(Forbidden, RequestValidationError, InvalidField),
)
async def list_cases(
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    priority: Annotated[list[Priority] | None, Query()] = None,
    kind: Annotated[list[Kind] | None, Query()] = None,
    channel: Annotated[list[Channel] | None, Query()] = None,
    overdue: bool | None = None,
    text: Annotated[str | None, Query(max_length=100)] = None,
    assignee: str | None = None,
    mine: bool = False,
    unit: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[
        str | None,
        Query(description="`next_cursor` of the page before (one this API did not give: 422)"),
        WithJsonSchema({"type": "string", "format": "cursor"}),
    ] = None,
) -> CaseList:
    now = ctx.clock.now()
    wanted = CaseFilter(
        one_unit=bool(unit),
        unit=unit or None,
        statuses=[v.value for v in status or ()],
        priorities=[v.value for v in priority or ()],
        kinds=[v.value for v in kind or ()],
        channels=[v.value for v in channel or ()],
        assignee=caller.id if mine else assignee or None,
        overdue=Overdue(at=now, late=overdue) if overdue is not None else None,
        text=text,
        after=after_cursor(cursor) if cursor else None,
    )
    docs = await queues.list_cases(ctx, caller, wanted, limit=limit + 1)
    more = len(docs) > limit
    docs = docs[:limit]
    return CaseList(
        cases=[CaseSummary(**summary(d, now)) for d in docs],
        next_cursor=make_cursor(docs[-1]) if more and docs else None,
    )


@router.get(
    "/{case_id}",
    response_model=CaseDetail,
    summary="One case, its timeline and deadlines",
    responses=refusals(Forbidden, CaseNotFound),
)
async def get_case(
    case_id: str, ctx: Annotated[WorkflowContext, Depends(context_of)], caller: Caller
) -> CaseDetail:
    doc = await ctx.store.get(case_id)
    check_scope(caller, doc)
    return await detail(ctx, doc, caller, purpose="case detail (API)")


@router.post(
    "/{case_id}/commands/{command}",
    response_model=CaseDetail,
    summary="Run a lifecycle command (409 names the state when it is not allowed)",
    description=(
        "Which fields each command needs, and from which states, is the lifecycle's "
        "table (`allowed_commands` of the case says which it may run now): a command "
        "without them is a 422 naming the field, one the state does not allow a 409."
    ),
    responses=refusals(
        CaseNotFound,
        Forbidden,
        IllegalTransition,
        StaleVersion,
        RequestValidationError,
        DomainError,
    ),
)
async def command(
    case_id: str,
    command: Command,
    payload: CommandPayload,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
    expected_version: Annotated[int | None, Query(ge=1, description="the version you saw")] = None,
    if_match: Annotated[str | None, Header(description="the case version you saw")] = None,
) -> CaseDetail:
    check_scope(caller, await ctx.store.get(case_id))
    expected = expected_version
    if expected is None and if_match and if_match.strip('"').isdigit():
        expected = int(if_match.strip('"'))
    doc = await run_command(
        ctx,
        case_id,
        command,
        Actor(id=caller.id, role=ROLE[caller.role]),
        payload,
        expected_version=expected,
    )
    return await detail(ctx, doc, caller, purpose=f"case command {command.value} (API)")


async def detail(
    ctx: WorkflowContext, doc: Document, caller: Principal, *, purpose: str
) -> CaseDetail:
    """One case as `caller` sees it. The complainant's contact is read for `purpose`, and
    the read is logged; lists never show it."""
    now = ctx.clock.now()
    contact = await contact_for_staff(ctx, doc, caller, purpose)
    clocks = [
        ClockView(
            clock=c.value,
            due_at=s.due_at,
            running=s.running,
            paused=s.paused_since is not None,
            stopped_at=s.stopped_at,
            overdue=is_overdue(s, now),
            warnings_sent=list(s.emitted),
        )
        for c, s in clocks_of(doc).items()
    ]
    keyer = await ctx.directory.account(doc["keyed_by"]) if doc.get("keyed_by") else None
    assignee = await ctx.directory.account(doc["assignee"]) if doc.get("assignee") else None
    files = [
        FileView(
            file_id=f.file_id,
            content_type=f.content_type,
            size=f.size,
            channel=f.channel,
            url=f"/v1/cases/{doc['_id']}/files/{f.file_id}",
        )
        for f in await files_for(ctx, doc, caller)
    ]
    return CaseDetail(
        **summary(doc, now),
        location=doc.get("location"),
        keyed_by=doc.get("keyed_by"),
        keyed_by_name=keyer.name if keyer else None,
        assignee_name=assignee.name if assignee else None,
        occurred_on=doc.get("occurred_on"),
        survey=doc.get("survey"),
        possible_duplicate=await _related(ctx, caller, doc.get("duplicate_hint")),
        merged_into=await _related(ctx, caller, doc.get("merged_into")),
        merged_cases=[
            _related_view(d) for d in await ctx.store.merged_into(doc["_id"]) if _may_see(caller, d)
        ],
        letter=doc.get("letter"),
        files=files,
        version=doc["version"],
        description=doc.get("description", ""),
        close_reason=doc.get("close_reason"),
        public_answer=doc.get("public_answer"),
        duplicate_hint=doc.get("duplicate_hint"),
        reopen_count=doc.get("reopen_count", 0),
        clocks=clocks,
        timeline=doc.get("timeline", []),
        contact=contact,
        allowed_commands=allowed_commands(CaseStatus(doc["status"]), ROLE[caller.role]),
    )


async def _related(
    ctx: WorkflowContext, caller: Principal, case_id: str | None
) -> RelatedCase | None:
    if not case_id:
        return None
    try:
        doc = await ctx.store.get(case_id)
    except CaseNotFound:
        return None
    return _related_view(doc) if _may_see(caller, doc) else None


def _may_see(caller: Principal, doc: Document) -> bool:
    # A related case the caller may not open is not named at all: as with the case
    # itself, whether it exists is not theirs to know.
    try:
        check_scope(caller, doc)
    except (CaseNotFound, Forbidden):
        return False
    return True


def _related_view(doc: Document) -> RelatedCase:
    return RelatedCase(
        case_id=doc["_id"],
        tracking_code=doc["tracking_code"],
        subject=doc.get("subject", ""),
        status=doc["status"],
    )
