"""The privacy commands of the PDPA, for admins only: erase a person (by a case's
tracking code or their person id), list the erasures, export everything held about a
person. Who asks is the signed-in admin, never a field of the request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.api.auth import Caller
from services.workflow.api.errors import SIGNED_IN, refusals
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.erasure import NOTE_MAX
from services.workflow.domain.errors import DomainError, Forbidden, MissingField
from services.workflow.handlers.privacy import (
    EXPORT_PURPOSE,
    Requester,
    erase_person,
    erasures_of,
    export_person,
    person_of,
)
from shared.contract.events import LegalBasis
from shared.infra.auth import Principal, StaffRole
from shared.infra.http import StrictJsonRoute
from shared.infra.personal_data import Reader

router = APIRouter(
    prefix="/v1/admin",
    tags=["privacy"],
    route_class=StrictJsonRoute,
    responses=refusals(*SIGNED_IN, Forbidden),
)

_CODE = Field(default=None, min_length=1, max_length=64)


def _only(given: str, absent: str) -> dict[str, Any]:
    return {
        "required": [given],
        "properties": {given: {"type": "string"}, absent: {"type": "null"}},
    }


class ErasureRequest(BaseModel):
    """One of `tracking_code` and `person_id`; `note` is required with `other`."""

    model_config = ConfigDict(
        extra="forbid",
        # What the validators below refuse, said in the schema too.
        json_schema_extra={
            "allOf": [
                {
                    "anyOf": [
                        _only("tracking_code", "person_id"),
                        _only("person_id", "tracking_code"),
                    ]
                },
                {
                    "anyOf": [
                        {"properties": {"legal_basis": {"not": {"const": LegalBasis.other.value}}}},
                        {
                            "required": ["note"],
                            "properties": {"note": {"type": "string", "pattern": r"\S"}},
                        },
                    ]
                },
            ]
        },
    )

    tracking_code: str | None = _CODE
    person_id: str | None = _CODE
    legal_basis: LegalBasis
    note: str | None = Field(default=None, max_length=NOTE_MAX)

    @model_validator(mode="after")
    def one_target(self) -> ErasureRequest:
        if (self.tracking_code is None) == (self.person_id is None):
            raise ValueError("give exactly one of tracking_code and person_id")
        return self


class ErasureRecord(BaseModel):
    erasure_id: str
    person_id: str
    case_ids: list[str]
    legal_basis: LegalBasis
    note: str | None
    requested_by: str
    at: datetime
    attachments_deleted: int
    #: Only in the answer to a request: it repeated an earlier one, nothing was erased.
    repeated: bool = False


def _record(doc: dict[str, Any], repeated: bool = False) -> ErasureRecord:
    return ErasureRecord(erasure_id=doc["_id"], repeated=repeated, **doc)


def _admin(caller: Principal, what: str) -> None:
    if caller.role is not StaffRole.admin:
        raise Forbidden(caller.role, what)


@router.post(
    "/erasures",
    response_model=ErasureRecord,
    status_code=201,
    summary="Erase a person's personal data (201; 200 with repeated=true if already erased)",
    responses={
        200: {"model": ErasureRecord, "description": "Erased before: the first erasure, repeated"},
        **refusals(CaseNotFound, RequestValidationError, DomainError),
    },
)
async def erase(
    body: ErasureRequest,
    response: Response,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
) -> ErasureRecord:
    _admin(caller, "erase personal data")
    person_id = await person_of(ctx, body.tracking_code, body.person_id)
    done = await erase_person(
        ctx, person_id, body.legal_basis, body.note, Requester(caller.id, caller.role.value)
    )
    if done.repeated:
        response.status_code = 200
    return _record(done.record, done.repeated)


@router.get(
    "/erasures",
    response_model=list[ErasureRecord],
    summary="The erasures, newest first",
    responses=refusals(RequestValidationError),
)
async def list_erasures(
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ErasureRecord]:
    _admin(caller, "list erasures")
    return [_record(d) for d in await erasures_of(ctx).listing(limit)]


@router.get(
    "/people/export",
    summary="Everything held about the person behind a case (right of access; logged)",
    description="Give one of `tracking_code` and `person_id` (neither or both: 422).",
    responses=refusals(CaseNotFound, RequestValidationError, DomainError),
)
async def export(
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
    tracking_code: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    person_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> dict[str, Any]:
    _admin(caller, "export personal data")
    if (tracking_code is None) == (person_id is None):
        raise MissingField("export personal data", "tracking_code (or person_id, not both)")
    person = await person_of(ctx, tracking_code, person_id)
    return await export_person(ctx, person, Reader(caller.id, EXPORT_PURPOSE))
