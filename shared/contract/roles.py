"""The roles of the office's people who sign in: what the access rules, the tokens and
the pages' words are about (`shared.contract.vocabulary` says each in Thai and English)."""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    staff = "staff"
    supervisor = "supervisor"
    admin = "admin"
    committee = "committee"
    # A coordinator of participation work: runs consultations and outcomes in the
    # participation service; of complaints, no more than the committee (reports, no case).
    participation = "participation"
