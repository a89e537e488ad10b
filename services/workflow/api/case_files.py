"""`GET /v1/cases/{case_id}/files/{file_id}`: a file sent with a case (a photo, a scanned
letter, a PDF), for the member of staff it is assigned to, a supervisor of its unit, or
an admin (`domain/attachments.py`). Everyone else, as for a case they may not see, gets
404. The console's case page shows them through this route (its cookie, for a GET)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.api.auth import Caller
from services.workflow.api.errors import SIGNED_IN, refusals
from services.workflow.context import WorkflowContext, context_of
from services.workflow.domain.errors import Forbidden
from services.workflow.handlers.case_files import open_file
from shared.infra.http import StrictJsonRoute

router = APIRouter(
    prefix="/v1/cases",
    tags=["cases"],
    route_class=StrictJsonRoute,
    responses=refusals(*SIGNED_IN),
)

_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/{case_id}/files/{file_id}",
    summary="A file sent with a case (assignee, the unit's supervisors and admins)",
    response_class=Response,
    responses={
        200: {
            "description": "The file, as stored (its type checked by content on arrival)",
            "content": {"image/jpeg": _BINARY, "image/png": _BINARY, "application/pdf": _BINARY},
        },
        **refusals(Forbidden, CaseNotFound),
    },
)
async def case_file(
    case_id: str,
    file_id: str,
    ctx: Annotated[WorkflowContext, Depends(context_of)],
    caller: Caller,
) -> Response:
    found, data = await open_file(ctx, case_id, file_id, caller)
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(found.content_type, "pdf")
    return Response(
        data,
        media_type=found.content_type,
        headers={
            # Personal data: kept by no cache, shown in the browser, never sniffed.
            "Cache-Control": "private, no-store",
            "Content-Disposition": f'inline; filename="{found.file_id}.{extension}"',
        },
    )
