"""What the case page shows beside the case itself: its codes in words (`case_words`),
its timeline as steps in words, and whom the assign form offers, by name with their open
cases, in the case's unit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from services.workflow.adapters.staff_directory import ASSIGNABLE, StaffAccount
from services.workflow.api.cases import CaseDetail
from services.workflow.context import WorkflowContext
from services.workflow.web.case_words import CaseWords
from services.workflow.web.texts import Texts
from shared.infra.auth import Principal, StaffRole
from shared.infra.mongo import Document
from shared.thai.dates import to_bangkok


@dataclass(frozen=True, slots=True)
class Assignable:
    """A person the assign form offers."""

    id: str
    name: str
    open_cases: int
    absent_today: bool


async def case_page_values(
    ctx: WorkflowContext, doc: Document, case: CaseDetail, caller: Principal, lang: str
) -> dict[str, Any]:
    """The case page's values beside `case`: `w` (the words), `steps` and `staff`."""
    accounts = await ctx.directory.accounts()
    words = CaseWords(Texts(lang), lang, ctx.catalogue, {a.id: a.name for a in accounts})
    return {
        "w": words,
        "steps": [words.step(entry) for entry in case.timeline],
        "staff": assignable(
            ctx,
            accounts,
            unit=doc["unit"],
            named=doc.get("excluded_assignees", []),
            caller=caller,
        ),
    }


def assignable(
    ctx: WorkflowContext,
    accounts: Iterable[StaffAccount],
    *,
    unit: str,
    named: Sequence[str],
    caller: Principal,
) -> list[Assignable]:
    """The active staff and supervisors of `unit` but those the case names (the command
    would refuse them), fewest open cases first; a member of staff takes a case only for
    themselves, so they are offered only themselves."""
    today = to_bangkok(ctx.clock.now()).date()
    excluded = {n.strip().casefold() for n in named}
    offered = [
        Assignable(
            id=a.id,
            name=a.name,
            open_cases=a.open_cases,
            absent_today=any(absence.covers(today) for absence in a.absences),
        )
        for a in accounts
        if a.unit == unit
        and a.active
        and a.role.value in ASSIGNABLE
        and not {a.id.casefold(), a.name.strip().casefold()} & excluded
        and (caller.role is not StaffRole.staff or a.id == caller.id)
    ]
    return sorted(offered, key=lambda p: (p.absent_today, p.open_cases, p.name))
