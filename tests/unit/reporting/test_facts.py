"""Case facts survive a round trip through a BSON-friendly document."""

from __future__ import annotations

from datetime import UTC, timedelta

from services.reporting.domain.facts import facts_from_doc, facts_to_doc
from shared.contract.events import CaseStatus as S
from shared.contract.events import Clock

from .histories import T0, Case, Replay


def test_round_trip_with_naive_utc_datetimes_as_pymongo_returns_them() -> None:
    c = Case()
    r = Replay().feed(
        [
            c.opened(deadlines={Clock.resolution: T0 + timedelta(days=10)}),
            c.assigned(after=timedelta(hours=3)),
            c.status(S.assigned, S.resolved, after=timedelta(days=1)),
        ]
    )
    facts = r.facts["c1"]
    doc = facts_to_doc(facts)
    assert doc["contributions"] == sorted(doc["contributions"])
    assert all(isinstance(pair, list) and len(pair) == 2 for pair in doc["contributions"])
    naive = {
        k: (val.astimezone(UTC).replace(tzinfo=None) if hasattr(val, "astimezone") else val)
        for k, val in doc.items()
    }
    naive["deadlines"] = {k: d.replace(tzinfo=None) for k, d in doc["deadlines"].items()}
    back = facts_from_doc({**naive, "_id": "c1"})
    assert back == facts
    assert back.received_at.tzinfo is UTC
