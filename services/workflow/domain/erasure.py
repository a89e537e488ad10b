"""Whether an erasure request erases anything, and what (PDPA section 33).

Pure: given the cases of the person and whether the person is still on file, the
decision says which cases to mark and whether the request only repeats an earlier one;
given a case, which of its free texts from the complainant go with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.workflow.domain.errors import MissingField
from shared.contract.events import LegalBasis

#: The longest note an admin may write with a request.
NOTE_MAX = 2000


@dataclass(frozen=True, slots=True)
class ErasureDecision:
    person_id: str
    #: The cases to mark as erased (those not marked yet), oldest first.
    case_ids: tuple[str, ...]
    #: Nothing left to erase: the person is gone and every case is marked already.
    repeated: bool


def check_basis(basis: LegalBasis, note: str | None) -> str | None:
    """The note to record; `other` needs one, as the law asks for the reason."""
    cleaned = (note or "").strip() or None
    if basis is LegalBasis.other and cleaned is None:
        raise MissingField("erase personal data (legal basis: other)", "note")
    return cleaned


def decide_erasure(
    person_id: str, cases: Sequence[Mapping[str, Any]], on_file: bool
) -> ErasureDecision:
    """What erasing `person_id` does, given their `cases` and whether the store still
    holds them (`on_file`)."""
    pending = tuple(str(c["_id"]) for c in cases if c.get("personal_data_erased_at") is None)
    return ErasureDecision(
        person_id=person_id, case_ids=pending, repeated=not on_file and not pending
    )


def free_text_erasure(case: Mapping[str, Any], not_solved: str) -> dict[str, Any]:
    """The `$set` that blanks what the complainant wrote in the satisfaction survey, which
    may name people: the comment kept on the case (marked erased, so the page says so;
    the score stays, as the reports count it), and the comment a survey reopening wrote
    after its reason `not_solved` before the reason stopped carrying it. Empty when the
    case holds none."""
    changes: dict[str, Any] = {}
    survey = case.get("survey")
    if isinstance(survey, Mapping) and survey.get("comment"):
        changes["survey.comment"] = None
        changes["survey.comment_erased"] = True
    for i, entry in enumerate(case.get("timeline") or ()):
        reason = entry.get("reason")
        if (
            entry.get("actor") == "survey"
            and isinstance(reason, str)
            and reason.startswith(not_solved)
            and reason != not_solved
        ):
            changes[f"timeline.{i}.reason"] = not_solved
    return changes
