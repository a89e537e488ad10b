"""What a person holding the tracking code and PIN may read about their case: status,
unit, category, dates, the answer deadline, how it was closed, the public answer and the
public timeline. Never personal data, internal comments or staff names: those are not in
these shapes, so no page or answer can show them.

Pure: `public_steps` picks the timeline entries meant for the public from workflow's
stored timeline (plain documents, read by `services/intake/adapters/case_progress.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PublicStep:
    """One public entry of the case's timeline: a change of status or a public message."""

    at: datetime
    status: str | None  # the status it moved to, if it moved
    event: str  # the workflow's command: "open", "start", "comment", "add_info", ...
    message: str | None  # the words written for the complainant, if any


@dataclass(frozen=True, slots=True)
class CaseProgress:
    """The public fields of the case workflow opened for a tracking code."""

    status: str
    kind: str
    category: str
    unit: str
    updated_at: datetime | None
    answer_due_at: datetime | None
    close_reason: str | None
    public_answer: str | None
    timeline: tuple[PublicStep, ...]


def public_steps(entries: Iterable[Mapping[str, Any]]) -> tuple[PublicStep, ...]:
    """The entries marked public; a comment only when it carries public words (a public
    comment's text is its `public_reason`; its internal `reason` is never read)."""
    steps = []
    for entry in entries:
        if entry.get("visibility") != "public":
            continue
        event = str(entry.get("command"))
        message = entry.get("public_reason")
        if event == "comment" and not message:
            continue
        # A step that left the status as it was (a message, the complainant's own added
        # information) reads as what happened, not as the status again.
        moved = entry.get("from_status") != entry.get("to_status")
        steps.append(
            PublicStep(
                at=entry["at"],
                status=entry.get("to_status") if moved else None,
                event=event,
                message=str(message) if message else None,
            )
        )
    return tuple(steps)
