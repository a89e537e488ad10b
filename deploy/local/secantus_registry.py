"""A bounded transaction registry for the local SecantusDB (installed by `secantusd.py`).

SecantusDB 0.7.0b3 keeps the last transaction of every session that ever ran one, and
walks all of them, taking each one's lock, on every statement, commit and abort (to
abort in-progress transactions left idle past their lifetime). Nothing removes an entry,
not even `endSessions`, so each client that comes and goes (a service restart, a test, a
benchmark) makes every later statement slower. After an afternoon of test and benchmark
runs the walk was 22% of the server's CPU under the pipeline benchmark; on a freshly
started server, 4.5%.

The replacement keeps the behaviour a driver can observe: in-progress transactions idle
past the lifetime are still aborted (checked at most once a second instead of on every
statement), and a finished transaction is forgotten only once it has been idle that long
too, long after any driver would retry its commit. What is left is the sessions in use.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

# How often, at most, the registry is walked.
PRUNE_EVERY_SECONDS = 1.0


def install() -> bool:
    """Replace the registry's pruning; False (and the server unchanged) if this SecantusDB
    does not have the shape this was written for."""
    try:
        from secantus import transactions
    except ImportError:
        return False
    registry = getattr(transactions, "TransactionRegistry", None)
    state = getattr(transactions, "TxnState", None)
    original = getattr(registry, "_prune_locked", None)
    if registry is None or state is None or original is None:
        log.warning("SecantusDB's transaction registry has changed; not bounding it")
        return False
    if getattr(original, "bounded", False):
        return True
    in_progress = state.IN_PROGRESS
    last_walk: dict[int, float] = {}

    def prune_locked(self: Any) -> int:
        now = self._time()
        if now - last_walk.get(id(self), float("-inf")) < PRUNE_EVERY_SECONDS:
            return 0
        last_walk[id(self)] = now
        reaped: int = original(self)
        cutoff = now - self._lifetime
        idle = [
            lsid
            for lsid, txn in self._txns.items()
            if txn.state is not in_progress and txn.last_use < cutoff
        ]
        for lsid in idle:
            del self._txns[lsid]
        return reaped

    prune_locked.bounded = True  # type: ignore[attr-defined]
    registry._prune_locked = prune_locked
    return True
