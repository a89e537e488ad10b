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

The walk also never waits. SecantusDB's own walk takes each transaction's lock while it
holds the registry's, and a transaction's lock is held for as long as one of its
statements runs. So one slow statement (its thread waiting inside WiredTiger to take the
GIL back, see `secantusd.py`) held the registry, and with it every other statement and
commit of every client: the transactions of all four services ended together after
9-17 s, and the pipeline benchmark offered 250 cases/s carried 20-45. A transaction whose
lock is taken is running a statement, so it is not idle: the walk passes it by and looks
again next time.
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
    in_progress, aborted = state.IN_PROGRESS, state.ABORTED
    last_walk: dict[int, float] = {}

    def prune_locked(self: Any) -> int:
        now = self._time()
        if now - last_walk.get(id(self), float("-inf")) < PRUNE_EVERY_SECONDS:
            return 0
        last_walk[id(self)] = now
        cutoff = now - self._lifetime
        reaped = 0
        idle: list[bytes] = []
        for lsid, txn in self._txns.items():
            if not txn.mutex.acquire(blocking=False):
                continue  # one of its statements is running: not idle
            try:
                if txn.last_use >= cutoff:
                    continue
                if txn.state is in_progress:
                    # Abandoned mid-way: aborted, as SecantusDB's own walk would.
                    self._rollback_quietly(txn)
                    txn.state = aborted
                    reaped += 1
                idle.append(lsid)
            finally:
                txn.mutex.release()
        for lsid in idle:
            del self._txns[lsid]
        return reaped

    prune_locked.bounded = True  # type: ignore[attr-defined]
    registry._prune_locked = prune_locked
    return True
