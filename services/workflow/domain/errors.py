"""Errors the workflow domain raises, each with structured details for the API layer.

The edge maps them once (`services/workflow/api/errors.py`): `Forbidden` → 403,
`NotFound` → 404, `IllegalTransition` → 409, `MissingField` and `InvalidField` → 422.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every refusal the domain makes; `details` is safe to show to the caller."""

    code = "domain_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class IllegalTransition(DomainError):
    """The command is not allowed from the case's current state."""

    code = "illegal_transition"

    def __init__(self, state: str, command: str, why: str | None = None) -> None:
        message = f"cannot {command} a case that is {state}"
        if why:
            message = f"{message}: {why}"
        super().__init__(message, state=state, command=command)
        self.state = state
        self.command = command


class ReopenRefused(IllegalTransition):
    """A reopen outside its limits: too many reopens, too late, or not closed as resolved."""

    code = "reopen_refused"


class Forbidden(DomainError):
    """The actor's role may not issue the command (or not with this payload)."""

    code = "forbidden"

    def __init__(self, role: str, command: str, why: str | None = None) -> None:
        message = f"role {role} may not {command}"
        if why:
            message = f"{message}: {why}"
        super().__init__(message, role=role, command=command)
        self.role = role
        self.command = command


class ConflictOfInterest(Forbidden):
    """Assigning a case to the person it complains about."""

    code = "conflict_of_interest"


class NotFound(DomainError):
    """What the request names by its URL does not exist."""

    code = "not_found"


class MissingField(DomainError):
    """A field the command needs is absent or blank."""

    code = "missing_field"

    def __init__(self, command: str, field: str) -> None:
        super().__init__(f"{command} needs {field}", command=command, field=field)
        self.command = command
        self.field = field


class InvalidField(DomainError):
    """A field is present but its value cannot be accepted."""

    code = "invalid_field"

    def __init__(self, command: str, field: str, why: str) -> None:
        super().__init__(f"{command}: {field} {why}", command=command, field=field)
        self.command = command
        self.field = field
