"""Which generation of the view collections is current, and their names.

Every collection that a rebuild replaces (the summary views, the case facts, the parked
events and the ledger of applied events) exists once per *version*, e.g.
`report_cases_v3`. One pointer document, `report_meta {_id: "views", version: 3}`, says
which version is current. A rebuild fills version 4 on the side and flips the pointer in
a transaction: the swap is atomic for readers and writers alike, which renaming five
collections one by one would not be. The live consumer writes the pointer document in
each of its transactions, so a batch racing the flip gets a write conflict and is
retried against the new version instead of landing in the old one.

The record of applied events (the case facts' `applied` lists, the parked events and
the ledger of the rest: `adapters/applied_events.py`) is versioned with the views (rather
than kept in the shared `processed_events`) because it must say what *these* views
contain: a rebuilt version may hold events the live consumer has not received yet, and
must then skip them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.reporting.domain import views as v

META = "report_meta"
POINTER_ID = "views"
REBUILD_ID = "rebuild"
#: Unversioned, append-only: every event the consumer applied, as it came.
JOURNAL = "report_journal"
#: Unversioned: each live batch's view updates, `_id` = the pointer's batch count after
#: it, so that readers can bring their copy of the cells up to date (`read_cache.cells`).
DELTAS = "report_deltas"

FACTS = "report_facts"
PARKED = "report_parked"
APPLIED = "report_applied"
VERSIONED = (*v.VIEW_KEYS, FACTS, PARKED, APPLIED)

_SUFFIX = re.compile(r"^(?P<base>report_[a-z_]+)_v(?P<version>\d+)$")


@dataclass(frozen=True, slots=True)
class ViewSet:
    """The physical collection names of one version."""

    version: int

    def name(self, logical: str) -> str:
        """`report_cases` -> `report_cases_v3`."""
        if logical not in VERSIONED:
            raise ValueError(f"{logical!r} is not a versioned reporting collection")
        return f"{logical}_v{self.version}"

    def names(self) -> list[str]:
        return [self.name(n) for n in VERSIONED]


def version_of(collection: str) -> int | None:
    """The version of a versioned collection name, None for any other name."""
    m = _SUFFIX.match(collection)
    if m is None or m["base"] not in VERSIONED:
        return None
    return int(m["version"])
