"""A submission sent as a form (the public web form, a staff-keyed entry) turned into the
body the API takes as JSON, so both are validated by the one model.

Pure. Fields named `contact.phone` become `{"contact": {"phone": ...}}`; a group left
wholly blank (no contact, no letter) is absent; an unticked box is false; a coordinate
typed as text becomes a number when it is one (else the model refuses it, naming it)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

CHECKBOXES = ("consent.contact_me", "consent.share_name_with_unit")
#: Form fields that are not part of the body.
NOT_BODY = frozenset({"idempotency_key"})
_NUMBERS = frozenset({"location.lat", "location.lon"})


def _number(value: str) -> float | str:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value
    # "nan" and "inf" parse as floats but point nowhere.
    return number if math.isfinite(number) else value


def nest(flat: Mapping[str, str]) -> dict[str, Any]:
    """The body of a form's fields (see the module's doc)."""
    nested: dict[str, Any] = {}
    for name, value in flat.items():
        if name in NOT_BODY or name in CHECKBOXES:
            continue
        head, _, tail = name.partition(".")
        if not tail:
            nested[name] = value
            continue
        group = nested.setdefault(head, {})
        if isinstance(group, dict):
            given = value.strip()
            group[tail] = _number(given) if name in _NUMBERS and given else value
    for head in [h for h, v in nested.items() if isinstance(v, dict)]:
        if all(isinstance(v, str) and not v.strip() for v in nested[head].values()):
            del nested[head]
    consent = nested.setdefault("consent", {})
    if isinstance(consent, dict):
        for box in CHECKBOXES:
            consent[box.split(".", 1)[1]] = box in flat
    return nested
