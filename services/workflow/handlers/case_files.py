"""The files sent with a case, for the member of staff who may open them
(`domain/attachments.py`): the list on the case's page and API, and one file's bytes.
Anyone else gets no list, and "not found" for a file, as for a case they may not see."""

from __future__ import annotations

from services.workflow.adapters.case_files import CaseFile, CaseFiles, FileNotFound
from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.context import WorkflowContext
from services.workflow.domain.attachments import may_open_files
from services.workflow.handlers.queues import check_scope
from shared.infra.auth import Principal
from shared.infra.mongo import Document


def files_of(ctx: WorkflowContext) -> CaseFiles:
    return CaseFiles(ctx.store.cases.database)


def may_open(caller: Principal, doc: Document) -> bool:
    return may_open_files(
        role=caller.role.value,
        staff_id=caller.id,
        unit=caller.unit,
        case_unit=str(doc.get("unit")),
        assignee=doc.get("assignee"),
    )


async def files_for(ctx: WorkflowContext, doc: Document, caller: Principal) -> list[CaseFile]:
    """The case's files if the caller may open them (the caller may see the case)."""
    if not doc.get("submission_id") or not may_open(caller, doc):
        return []
    return await files_of(ctx).of_submission(str(doc["submission_id"]))


async def open_file(
    ctx: WorkflowContext, case_id: str, file_id: str, caller: Principal
) -> tuple[CaseFile, bytes]:
    """One file of the case; `CaseNotFound` when the case, the file or the right to open
    it is missing (the three are not told apart)."""
    doc = await ctx.store.get(case_id)
    check_scope(caller, doc)
    if not doc.get("submission_id") or not may_open(caller, doc):
        raise CaseNotFound(case_id)
    try:
        return await files_of(ctx).read(str(doc["submission_id"]), file_id)
    except FileNotFound:
        raise CaseNotFound(case_id) from None
