"""Kafka topic names: the one place they are spelled (`events.py` says which event types
go on which topic)."""

from __future__ import annotations

SUBMISSIONS = "siang.submissions.v1"
CASES = "siang.cases.v1"
SURVEYS = "siang.surveys.v1"
NOTIFICATIONS = "siang.notifications.v1"
PARTICIPATION = "siang.participation.v1"
# The office's units as an admin named or added them (`unit.changed`, keyed by unit code).
UNITS = "siang.units.v1"

ALL = (SUBMISSIONS, CASES, SURVEYS, NOTIFICATIONS, PARTICIPATION, UNITS)

# Topics whose records are the latest state per key, not a history: compacted, so a
# reader that starts from nothing years later still finds every unit's name.
COMPACTED = frozenset({UNITS})


def dead_letters(topic: str) -> str:
    """The dead-letter topic of `topic`: a message that failed every retry."""
    return f"{topic}.dlq"


def with_prefix(prefix: str, topic: str) -> str:
    """A topic name under a prefix, so tests and side-by-side stacks never share data."""
    return f"{prefix}{topic}" if prefix else topic
