"""Errors the participation domain raises, each with structured details for the API.

The edge maps them once (`services/participation/api/errors.py`): `NotFound` → 404,
`Forbidden` and `NotAuthentic` → 403, `IllegalTransition`, `Refused` and
`ConflictingField` → 409,
`TooLarge` → 413, `UnsupportedType` → 415, `MissingField` and `InvalidField` → 422.
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


class NotFound(DomainError):
    """No record of this kind with this id (a consultation, an outcome, a mission plan)."""

    code = "not_found"

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} {key}", kind=kind, key=key)
        self.kind = kind
        self.key = key


class IllegalTransition(DomainError):
    """The command is not allowed from the record's current status."""

    code = "illegal_transition"

    def __init__(self, status: str, command: str, why: str | None = None) -> None:
        message = f"cannot {command} when {status}"
        if why:
            message = f"{message}: {why}"
        super().__init__(message, status=status, command=command)
        self.status = status
        self.command = command


class Refused(DomainError):
    """A request the record's state turns down (an opinion on a closed consultation)."""

    code = "refused"

    def __init__(self, message: str, reason: str, **details: Any) -> None:
        super().__init__(message, reason=reason, **details)
        self.reason = reason


class Forbidden(DomainError):
    """The caller's role may not do this."""

    code = "forbidden"

    def __init__(self, role: str, action: str) -> None:
        super().__init__(f"role {role} may not {action}", role=role, action=action)


class MissingField(DomainError):
    """A field the request needs is absent or blank."""

    code = "missing_field"

    def __init__(self, action: str, field: str) -> None:
        super().__init__(f"{action} needs {field}", action=action, field=field)
        self.field = field


class InvalidField(DomainError):
    """A field is present but its value cannot be accepted."""

    code = "invalid_field"

    def __init__(self, action: str, field: str, why: str) -> None:
        super().__init__(f"{action}: {field} {why}", action=action, field=field)
        self.field = field
        self.why = why


class ConflictingField(InvalidField):
    """A field well formed by itself that the records on file turn down: a mission item
    the year's plan does not have or no longer pursues, a consultation not on file, a
    role another member holds. Not the request's fault alone (it may pass once the
    records change), so 409, not 422; the field is named all the same."""

    code = "conflicting_field"


class NotAuthentic(InvalidField):
    """A field the office signs (a survey link's token) that it did not sign, or signed
    for something else. Well formed, so not a 422: the caller holds no link that lets
    them do this (403); the field is named all the same."""

    code = "not_authentic"


class TooLarge(DomainError):
    """An uploaded file is past the size limit."""

    code = "too_large"

    def __init__(self, field: str, limit: int) -> None:
        megabytes = f"{limit / 1_048_576:.1f}".rstrip("0").rstrip(".")
        super().__init__(
            f"{field} is larger than the limit of {megabytes} MB ({limit} bytes); "
            "send a smaller file (scan at a lower resolution, or as PDF)",
            field=field,
            limit_bytes=limit,
        )
        self.field = field


class UnsupportedType(DomainError):
    """An uploaded file is not of a type accepted here (told by its content)."""

    code = "unsupported_type"

    def __init__(self, field: str, accepted: list[str]) -> None:
        super().__init__(
            f"{field} is not a {' or '.join(accepted)} file (checked by its content)",
            field=field,
            accepted=accepted,
        )
        self.field = field
