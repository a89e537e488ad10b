"""Who may open the files sent with a case (photos of people and places, scanned letters):
fewer than may read the case. The member of staff it is assigned to, a supervisor of its
unit, and an admin; not the unit's other staff. Whoever the case names or excluded from it
(misconduct) has already been refused the case itself (`handlers/queues.check_scope`)."""

from __future__ import annotations


def may_open_files(
    *, role: str, staff_id: str, unit: str | None, case_unit: str, assignee: str | None
) -> bool:
    if role == "admin":
        return True
    if role == "supervisor":
        return unit == case_unit
    if role == "staff":
        return assignee == staff_id
    return False
