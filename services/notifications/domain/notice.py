"""A notice: one message to one recipient on one channel, decided but not yet sent.

A notice is self-contained: its context holds only JSON values (dates as ISO strings),
so it can be stored in the delivery ledger or a scheduled-attempt collection and
rendered again, identically, on a retry hours later.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from services.notifications.domain.ledger_key import ledger_key, notification_id

# DeliveryChannel is the contract's now (reporting names it in words); the notices and
# their channels still import it from here (re-exported: `as`).
from shared.contract.events import DeliveryChannel as DeliveryChannel
from shared.contract.events import Language


class RecipientRole(StrEnum):
    complainant = "complainant"
    assignee = "assignee"
    supervisor = "supervisor"
    # A partner system subscribed to case updates through a signed webhook.
    subscriber = "subscriber"
    # Someone who gave an opinion in a consultation and consented to be contacted.
    participant = "participant"


class TemplateName(StrEnum):
    case_received = "case_received"
    case_assigned = "case_assigned"
    status_update = "status_update"
    public_comment = "public_comment"
    sla_warning = "sla_warning"
    sla_breached = "sla_breached"
    case_resolved = "case_resolved"
    case_closed = "case_closed"
    # To the assignee: the complainant added information, or withdrew.
    complainant_added_info = "complainant_added_info"
    complainant_withdrew = "complainant_withdrew"
    daily_digest = "daily_digest"
    # To a participant: an outcome answering their opinion was published.
    outcome_published = "outcome_published"


STAFF_ROLES = frozenset({RecipientRole.assignee, RecipientRole.supervisor})


class Notice(BaseModel):
    """What to send, to whom, how.

    `recipient` depends on the role: for the complainant it is the address on `channel`
    (e-mail address, LINE user id, E.164 phone number); for staff it is the staff id,
    or `@unit:<code>` for the supervisors of a unit, resolved to an address by the
    staff directory at the edge; for a subscriber it is the subscriber id.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_event_id: str = Field(min_length=1)
    case_id: str | None = None
    correlation_id: str | None = None
    # The W3C traceparent of the event that caused it: the notice's span is its child.
    traceparent: str | None = None
    recipient_role: RecipientRole
    recipient: str = Field(min_length=1)
    channel: DeliveryChannel
    template: TemplateName
    language: Language
    context: dict[str, JsonValue]

    @property
    def ledger_key(self) -> str:
        """The delivery ledger's unique key (event id, recipient, channel, template)."""
        return ledger_key(
            self.source_event_id,
            self.recipient_role.value,
            self.recipient,
            self.channel.value,
            self.template.value,
        )

    @property
    def notification_id(self) -> str:
        """Stable across retries and redeliveries; goes in notification.sent/failed."""
        return notification_id(self.ledger_key)


# The members of the public: their notices hold an address from the personal-data store.
PUBLIC_ROLES = frozenset({RecipientRole.complainant, RecipientRole.participant})
# What a complainant's notice holds that names or reaches the person.
PERSONAL_CONTEXT = frozenset({"name"})
REDACTED = "<complainant>"


def kafka_copy(notice: Notice, reason: str) -> tuple[dict[str, JsonValue], str]:
    """The notice and failure reason as a dead letter on Kafka may carry them.

    Kafka keeps records for days and an erasure cannot reach them, so a complainant's
    address and name stay in MongoDB's dead letters (which erasure scrubs) and the Kafka
    copy says only whose notice it was. A receiving server often quotes the address in
    its refusal, so the reason loses it too."""
    doc: dict[str, JsonValue] = notice.model_dump(mode="json")
    if notice.recipient_role not in PUBLIC_ROLES:
        return doc, reason
    doc["recipient"] = REDACTED
    doc["context"] = {k: v for k, v in notice.context.items() if k not in PERSONAL_CONTEXT}
    return doc, reason.replace(notice.recipient, REDACTED)
