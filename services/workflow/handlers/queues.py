"""The staff's lists of cases: which cases a member of staff may see, and a page of them."""

from __future__ import annotations

from dataclasses import replace

from services.workflow.adapters.case_queries import CaseFilter, case_query
from services.workflow.adapters.case_store import CaseNotFound
from services.workflow.context import WorkflowContext
from services.workflow.domain.errors import Forbidden
from shared.infra.auth import Principal, StaffRole
from shared.infra.mongo import Document

# Roles that read reports and never a complaint case (nor its existence).
REPORTS_ONLY = frozenset({StaffRole.committee, StaffRole.participation})


def scope_of(caller: Principal) -> CaseFilter:
    """The cases a caller may see: their unit's (all, for admins), never one naming them."""
    if caller.role in REPORTS_ONLY:
        raise Forbidden(
            caller.role,
            "read cases",
            "committee members and participation coordinators read reports only",
        )
    return CaseFilter(
        hidden_from=caller.id, one_unit=caller.role is not StaffRole.admin, unit=caller.unit
    )


def check_scope(caller: Principal, doc: Document) -> None:
    scope = scope_of(caller)
    if caller.id in doc.get("excluded_assignees", []) or (
        scope.one_unit and doc["unit"] != caller.unit and doc.get("assignee") != caller.id
    ):
        # Not "forbidden": whether such a case exists is not theirs to know.
        raise CaseNotFound(doc["_id"])


async def list_cases(
    ctx: WorkflowContext, caller: Principal, wanted: CaseFilter, *, limit: int
) -> list[Document]:
    """Up to `limit` cases of those `wanted` that the caller may see, newest first."""
    scope = scope_of(caller)
    seen = replace(wanted, hidden_from=scope.hidden_from)
    if not wanted.one_unit or caller.role is not StaffRole.admin:
        # Only an admin picks the unit; everyone else sees their own.
        seen = replace(seen, one_unit=scope.one_unit, unit=scope.unit)
    return await ctx.store.page(case_query(seen), limit=limit)
