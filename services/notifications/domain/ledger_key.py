"""The delivery ledger's unique key: one delivery per (event, recipient, channel, template).

The key is what makes a redelivered event send nothing twice, so it must be stable
across processes and releases: plain string joining, no `hash()` (salted per process)
and no JSON (key order). The recipient is hashed, so the ledger holds no e-mail address
or phone number and a PDPA erasure never has to rewrite it.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache

# Fixed forever: changing it would make every recorded delivery look new.
_NOTIFICATION_NAMESPACE = uuid.UUID("0b6c0e4e-5a8e-4c1f-9d0e-3f1f5b1a2c7d")


def recipient_digest(recipient_role: str, recipient: str) -> str:
    """A pseudonymous, stable digest of who receives a message (32 hex characters)."""
    raw = f"{recipient_role}\x1f{recipient}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def ledger_key(
    source_event_id: str, recipient_role: str, recipient: str, channel: str, template: str
) -> str:
    """`<event id>|<channel>|<template>|<recipient digest>`, the same for the same inputs."""
    if not source_event_id:
        raise ValueError("source_event_id must not be empty")
    digest = recipient_digest(recipient_role, recipient)
    return f"{source_event_id}|{channel}|{template}|{digest}"


# Asked for many times between planning and settling (channels, logs, metrics,
# `notification.sent`): computed once per recent notice. The key holds no address.
@lru_cache(maxsize=4096)
def notification_id(key: str) -> str:
    """A UUID derived from the ledger key: every retry of one delivery has the same id."""
    return str(uuid.uuid5(_NOTIFICATION_NAMESPACE, key))
