"""Apply a sequence of events to case facts, parking surveys that come before their case.

Pure: the adapters load the facts and parked events of the cases a batch touches, feed
the events in delivery order, and write the `BatchOutcome` in one transaction. The live
consumer and the rebuild both go through here, so they cannot disagree.

Why parking: `survey.answered` travels on its own topic, so the reporting consumer can
read it before the case events that led to it (the cases topic lags): before the
`case.opened` (the reducer would count an orphan and drop it), or before the resolution
(the reducer would time the case's open deadlines against the answer's time and call
them missed). So a survey of a case not yet surveyable here is kept, and applied right
after the event that makes the case surveyable (resolved or closed at least once), which
is where it would have come had the topics been read in step. Case events on the cases
topic never overtake each other (same key, same partition), so they are not parked: one
without its case is a real orphan and is counted as such by the reducer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.reporting.domain.facts import CaseFacts
from services.reporting.domain.reducers import case_id_of, reduce
from services.reporting.domain.views import Span, ViewUpdate, combine, span_prefix
from shared.contract.events import CaseStatus, CloudEvent, SurveyAnswered

# Combining as we go keeps a rebuild of a year of events in bounded memory.
_COMBINE_EVERY = 20_000


_CLOSED_ONCE = span_prefix(Span.received_to_closed)


def surveyable(facts: CaseFacts) -> bool:
    """True once the case was resolved or closed (even if reopened since): when the office
    asks for a survey, so when a survey can truly have been answered."""
    if facts.resolved_at is not None or facts.status == CaseStatus.closed:
        return True
    # `closed_at` is cleared by a reopening; the time-to-close observation stays.
    return any(name.startswith(_CLOSED_ONCE) for name in facts.contributions)


def parks(event: CloudEvent[Any], facts: CaseFacts | None) -> bool:
    """True for a survey to keep until its case is known and surveyable."""
    return isinstance(event.data, SurveyAnswered) and (facts is None or not surveyable(facts))


@dataclass(slots=True)
class BatchOutcome:
    """What applying events changed: to be written in one transaction.

    `facts` holds the new facts of every case that changed; `parked` the events to keep
    for later; `adopted` the ids of earlier-parked events now applied (to delete).
    `applied` is every event consumed, parked ones included. What records that each was
    applied: `recorded`, the ids of the events folded into each case's facts (stored
    with them); a parked event's own document; for the rest (`ledgered`: notifications,
    participation, events of a case never opened) the ledger.
    """

    facts: dict[str, CaseFacts] = field(default_factory=dict)
    updates: list[ViewUpdate] = field(default_factory=list)
    parked: list[CloudEvent[Any]] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    applied: list[CloudEvent[Any]] = field(default_factory=list)
    recorded: dict[str, list[str]] = field(default_factory=dict)
    newest: datetime | None = None

    def ledgered(self) -> list[str]:
        """The ids of the applied events neither a case's facts nor a parked document hold."""
        held = {i for ids in self.recorded.values() for i in ids}
        held.update(e.id for e in self.parked)
        return [e.id for e in self.applied if e.id not in held]

    def counts_by_type(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.applied:
            out[e.type] = out.get(e.type, 0) + 1
        return out


class Applier:
    """Feeds events through `reduce` in order, keeping facts and parked events in memory."""

    def __init__(
        self,
        facts: Mapping[str, CaseFacts] | None = None,
        parked: Mapping[str, Sequence[CloudEvent[Any]]] | None = None,
    ) -> None:
        self._facts: dict[str, CaseFacts] = dict(facts or {})
        self._parked: dict[str, list[CloudEvent[Any]]] = {
            k: list(v) for k, v in (parked or {}).items() if v
        }
        self._stored_parked = {e.id for events in self._parked.values() for e in events}
        self._out = BatchOutcome()

    def feed_all(self, events: Iterable[CloudEvent[Any]]) -> Applier:
        for e in events:
            self.feed(e)
        return self

    def feed(self, event: CloudEvent[Any]) -> None:
        out = self._out
        out.applied.append(event)
        if out.newest is None or event.time > out.newest:
            out.newest = event.time
        case_id = case_id_of(event)
        facts = self._facts.get(case_id) if case_id else None
        if case_id and parks(event, facts):
            self._parked.setdefault(case_id, []).append(event)
            out.parked.append(event)
            return
        self._reduce(event, case_id, facts)
        if case_id:
            self._adopt(case_id)

    def _reduce(self, event: CloudEvent[Any], case_id: str | None, facts: CaseFacts | None) -> None:
        r = reduce(event, facts)
        if case_id and r.new_facts is not None:
            # The facts hold the event from now on (written even if it changed nothing).
            self._facts[case_id] = r.new_facts
            self._out.facts[case_id] = r.new_facts
            self._out.recorded.setdefault(case_id, []).append(event.id)
        self._out.updates.extend(r.updates)
        if len(self._out.updates) > _COMBINE_EVERY:
            self._out.updates = combine(self._out.updates)

    def _adopt(self, case_id: str) -> None:
        waiting = self._parked.get(case_id)
        facts = self._facts.get(case_id)
        if not waiting or facts is None or not surveyable(facts):
            return
        del self._parked[case_id]
        for event in waiting:
            if event.id in self._stored_parked:
                self._out.adopted.append(event.id)
            else:  # parked and adopted within this batch: never stored
                self._out.parked.remove(event)
            self._reduce(event, case_id, self._facts.get(case_id))

    def outcome(self) -> BatchOutcome:
        """The changes so far, updates merged per view document."""
        self._out.updates = combine(self._out.updates)
        return self._out

    def still_parked(self) -> dict[str, list[CloudEvent[Any]]]:
        """Parked events not adopted yet, per case."""
        return {k: list(v) for k, v in self._parked.items()}
