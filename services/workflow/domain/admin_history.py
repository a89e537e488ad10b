"""What an admin changed, as the history page lists it: who, when, which setting (or
whose account), and each field's value before and after.

Pure: the handlers record an entry in the same transaction as the change itself, so a
change is never saved without its entry nor an entry without its change. A password is
never recorded, nor its hash: only that it was set.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

#: Fields never shown, whatever their value: the secret and what only the system keeps.
NOT_SHOWN = frozenset({"password", "password_hash", "session_version", "open_cases"})
#: A value longer than this is cut (a history line is a summary, not a copy).
MAX_VALUE = 120
#: An entry lists at most this many fields (a whole new rule set is still one entry).
MAX_CHANGES = 60


class Subject(StrEnum):
    """What an admin changed."""

    routing = "routing"
    sla = "sla"
    units = "units"
    closures = "closures"
    staff = "staff"


class FieldChange(BaseModel):
    """One field's value before and after (None: it had none, or it is gone)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    before: str | None = None
    after: str | None = None
    #: A secret that changed: shown as "set", never its value.
    secret: bool = False


class HistoryEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    at: AwareDatetime
    by: str
    by_name: str
    subject: Subject
    #: Whose account (staff); None for the office-wide settings.
    target: str | None = None
    #: True when the entry made something new (an account, a unit).
    created: bool = False
    changes: tuple[FieldChange, ...] = ()
    #: Fields changed beyond `MAX_CHANGES`, not listed.
    more: int = Field(default=0, ge=0)


def changes_between(
    before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> tuple[list[FieldChange], int]:
    """Each field (dotted path; list items by position, from 1) whose value differs, and
    how many more differ than an entry lists. `NOT_SHOWN` fields are left out."""
    old, new = _flatten(before or {}), _flatten(after)
    changed = [
        FieldChange(field=k, before=old.get(k), after=new.get(k))
        for k in sorted(old.keys() | new.keys(), key=_natural)
        if old.get(k) != new.get(k)
    ]
    return changed[:MAX_CHANGES], max(len(changed) - MAX_CHANGES, 0)


def entry_for(
    *,
    at: datetime,
    by: str,
    by_name: str,
    subject: Subject,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    target: str | None = None,
    password_set: bool = False,
) -> HistoryEntry:
    """The entry of a change from `before` (None: it is new) to `after`; a password set
    is recorded as set, its value never."""
    changes, more = changes_between(before, after)
    if password_set:
        changes.append(FieldChange(field="password", secret=True))
    return HistoryEntry(
        at=at,
        by=by,
        by_name=by_name,
        subject=subject,
        target=target,
        created=before is None,
        changes=tuple(changes),
        more=more,
    )


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, Mapping):
        found: dict[str, str] = {}
        for key, item in value.items():
            if str(key) in NOT_SHOWN:
                continue
            found.update(_flatten(item, f"{prefix}{key}."))
        return found
    if isinstance(value, list | tuple):
        found = {}
        for i, item in enumerate(value, start=1):
            found.update(_flatten(item, f"{prefix}{i}."))
        return found
    if value is None:
        return {}
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if len(text) > MAX_VALUE:
        text = text[: MAX_VALUE - 1] + "…"
    return {prefix.rstrip("."): text}


def _natural(path: str) -> tuple[tuple[int, str], ...]:
    # rules.2 before rules.10.
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in path.split("."))
