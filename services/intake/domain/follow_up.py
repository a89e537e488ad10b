"""What a complainant may do on their own case, given its code and PIN: add information
(text, up to 5,000 characters) while it is open, or withdraw it while the office still
has work to do on it. Pure: the tracking door (`handlers/track.py`) has already checked
the code and PIN; this decides from the case's public status and intake's own record.

Each follow-up and withdrawal gets an id derived from the submission and the key of the
request that sent it (a form's hidden key, an `Idempotency-Key`, a mail's UID), so the
same request sent twice is one event: its outbox row is refused the second time and the
workflow's processed-event ledger ignores a second delivery.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.intake.errors import CaseClosed, NotWithdrawable

MAX_TEXT = 5000
MAX_REASON = 2000

_NS = uuid.UUID("3c1b7a52-5f8e-4d1a-9b6c-2e0d4f7a9c31")

# Statuses in which the office still has work to do: the case can be withdrawn.
_WITHDRAWABLE = frozenset({"received", "triaged", "assigned", "in_progress", "awaiting_info"})


class FollowUpBody(BaseModel):
    """`POST /v1/track/{code}/information`: what the complainant adds."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)
    ]


class WithdrawalBody(BaseModel):
    """`POST /v1/track/{code}/withdrawal`: why, if they want to say."""

    model_config = ConfigDict(extra="forbid")

    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_REASON)] | None
    ) = Field(default=None)

    @property
    def given_reason(self) -> str | None:
        return self.reason or None


def follow_up_id(submission_id: str, key: str) -> str:
    """The id of the follow-up (or withdrawal) `key` sent about `submission_id`."""
    return f"f-{uuid.uuid5(_NS, f'{submission_id}|{key}').hex[:24]}"


def check_may_add(status: str, withdrawn_at: datetime | None) -> None:
    """`CaseClosed` unless the case still takes the complainant's information."""
    if status == "closed" or withdrawn_at is not None:
        raise CaseClosed()


def check_may_withdraw(status: str, withdrawn_at: datetime | None) -> None:
    """`CaseClosed` for a closed case, `NotWithdrawable` for one already withdrawn or
    already answered."""
    if status == "closed":
        raise CaseClosed()
    if withdrawn_at is not None:
        raise NotWithdrawable("withdrawn")
    if status not in _WITHDRAWABLE:
        raise NotWithdrawable(status)
