"""Routing: which unit a new case goes to, how urgent it is, and whether it looks like a
case the same person already filed.

The rules live in `deploy/config/routing.yaml` (admins edit them through the API; read by
`services/workflow/adapters/policy_files.py`):

- unit: the override for the category, else the catalogue's responsible unit, else the
  triage unit (an unknown category, or an override naming a unit that no longer exists);
- priority: the highest of the rules that match the submission's kind, complaint type and
  category; a misconduct complaint is never below high, whatever the file says;
- misconduct complaints go to the unit's supervisors (optionally to a fixed unit);
- whoever the submission names is excluded from assignment, for any kind;
- duplicate hint: the most recent case of the same contact in the same category opened
  within the window. Only a hint: a person decides to merge.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contract.catalogue import Catalogue, UnknownCategory
from shared.contract.events import ComplaintType, Contact, Kind, Priority, SubmissionReceived

PRIORITY_ORDER = (Priority.low, Priority.normal, Priority.high, Priority.urgent)


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PriorityRules(_Config):
    default: Priority = Priority.normal
    by_kind: dict[Kind, Priority] = Field(default_factory=dict)
    by_complaint_type: dict[ComplaintType, Priority] = Field(default_factory=dict)
    by_category: dict[str, Priority] = Field(default_factory=dict)


class MisconductRules(_Config):
    # None: the category's unit; a code: every misconduct complaint goes to that unit.
    unit: str | None = None


class RoutingConfig(_Config):
    category_units: dict[str, str] = Field(default_factory=dict)
    priority: PriorityRules = PriorityRules()
    misconduct: MisconductRules = MisconductRules()
    duplicate_window_days: int = Field(default=14, ge=0)

    def problems(self, catalogue: Catalogue) -> list[str]:
        """What in this configuration the catalogue does not know (empty when none)."""
        units = {u.code for u in catalogue.units}
        categories = {c.code for c in catalogue.categories}
        found = [f"unknown category {c!r}" for c in self.category_units if c not in categories]
        found += [
            f"category {c!r} routed to unknown unit {u!r}"
            for c, u in self.category_units.items()
            if u not in units
        ]
        found += [
            f"priority for unknown category {c!r}"
            for c in self.priority.by_category
            if c not in categories
        ]
        if self.misconduct.unit is not None and self.misconduct.unit not in units:
            found.append(f"misconduct routed to unknown unit {self.misconduct.unit!r}")
        return found


class RecentCase(_Config):
    """A case opened lately, as the duplicate check needs it."""

    case_id: str
    category: str
    contact_keys: frozenset[str]
    opened_at: AwareDatetime


class RoutingDecision(_Config):
    unit: str
    priority: Priority
    assign_to_supervisor: bool
    exclude: frozenset[str] = frozenset()
    duplicate_hint: str | None = None


def route(
    submission: SubmissionReceived,
    catalogue: Catalogue,
    config: RoutingConfig,
    recent_cases: Iterable[RecentCase] = (),
    contact_key: bytes = b"",
    contact: Contact | None = None,
) -> RoutingDecision:
    """Decide unit, priority, supervisor-only assignment, exclusions and duplicate hint.

    `recent_cases` may hold any cases; only those in the window and category count.
    `contact_key` is the secret the contact keys of `recent_cases` were made with.
    `contact` is the sender's, as the personal-data store holds it (the submission
    carries only its reference); None for an anonymous submission.
    """
    misconduct = (
        submission.kind is Kind.complaint and submission.complaint_type is ComplaintType.misconduct
    )
    unit = _unit_for(submission.category, catalogue, config)
    if misconduct and config.misconduct.unit in {u.code for u in catalogue.units}:
        unit = str(config.misconduct.unit)
    named = (submission.named_person or "").strip()
    return RoutingDecision(
        unit=unit,
        priority=_priority_for(submission, config.priority, misconduct),
        assign_to_supervisor=misconduct,
        exclude=frozenset({named}) if named else frozenset(),
        duplicate_hint=_duplicate_of(submission, contact, config, recent_cases, contact_key),
    )


def _unit_for(category: str, catalogue: Catalogue, config: RoutingConfig) -> str:
    units = {u.code for u in catalogue.units}
    override = config.category_units.get(category)
    if override in units:
        return str(override)
    try:
        return catalogue.category(category).unit
    except UnknownCategory:
        return catalogue.triage_unit.code


def _priority_for(
    submission: SubmissionReceived, rules: PriorityRules, misconduct: bool
) -> Priority:
    found = [rules.by_kind.get(submission.kind, rules.default)]
    if submission.complaint_type is not None and submission.kind is Kind.complaint:
        found.append(rules.by_complaint_type.get(submission.complaint_type, found[0]))
    found.append(rules.by_category.get(submission.category, found[0]))
    if misconduct:
        found.append(Priority.high)
    return max(found, key=PRIORITY_ORDER.index)


def _duplicate_of(
    submission: SubmissionReceived,
    contact: Contact | None,
    config: RoutingConfig,
    recent_cases: Iterable[RecentCase],
    contact_key: bytes,
) -> str | None:
    keys = contact_keys(contact, contact_key)
    if not keys:
        return None
    since = submission.received_at - timedelta(days=config.duplicate_window_days)
    matches = [
        c
        for c in recent_cases
        if c.category == submission.category
        and since <= c.opened_at <= submission.received_at
        and keys & c.contact_keys
    ]
    return max(matches, key=lambda c: c.opened_at).case_id if matches else None


def contact_keys(contact: Contact | None, secret: bytes) -> frozenset[str]:
    """Keyed hashes of each way to reach the person (phone, e-mail, LINE id).

    Two submissions share a contact when any key is shared. Keyed (HMAC-SHA256) because
    a plain hash of a Thai phone number is reversed by trying all of them (PDPA).
    """
    if contact is None:
        return frozenset()
    values = [
        f"phone:{_thai_phone(contact.phone)}" if contact.phone else None,
        f"email:{contact.email.strip().casefold()}" if contact.email else None,
        f"line:{contact.line_user_id.strip()}" if contact.line_user_id else None,
    ]
    return frozenset(
        hmac.new(secret, v.encode(), hashlib.sha256).hexdigest()
        for v in values
        if v and not v.endswith(":")
    )


def _thai_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    # +66 81 234 5678 and 081-234-5678 are the same number.
    return "0" + digits[2:] if digits.startswith("66") else digits
