"""The one place an exception met while delivering becomes a delivery failure.

Channels classify their own protocol errors; what reaches here besides is a template
that cannot render (permanent: retrying renders the same) or something unforeseen
(temporary, so a bug shows as retries and then a dead letter, never a silent drop).
"""

from __future__ import annotations

from jinja2 import TemplateError
from pydantic import ValidationError

from services.notifications.domain.backoff import (
    DeliveryFailure,
    PermanentFailure,
    classify_exception,
)
from services.notifications.domain.templates import TemplateProblem


class UnreachableRecipient(PermanentFailure):
    """A staff id or unit with nobody (or no address) to send to."""


def as_delivery_failure(exc: BaseException) -> DeliveryFailure:
    if isinstance(exc, DeliveryFailure):
        return exc
    if isinstance(exc, TemplateProblem | TemplateError | ValidationError):
        return PermanentFailure(f"cannot render: {type(exc).__name__}: {exc}")
    return classify_exception(exc)
