"""The local SecantusDB's transaction registry, bounded: it forgets finished transactions
once idle past their lifetime, still aborts abandoned ones, and walks itself at most once
a second instead of on every statement."""

from __future__ import annotations

import threading

from secantus.transactions import TransactionRegistry, TxnState

from deploy.local import secantus_registry


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def registry(clock: Clock) -> TransactionRegistry:
    assert secantus_registry.install()
    return TransactionRegistry(lifetime_seconds=60, time_func=clock)


def begin(r: TransactionRegistry, lsid: bytes, number: int = 1) -> None:
    txn, error = r.for_statement(lsid, None, number, start=True)
    assert error is None and txn is not None


def test_finished_transactions_are_forgotten_once_idle_past_their_lifetime() -> None:
    clock = Clock()
    r = registry(clock)
    for n in range(50):
        begin(r, b"session-%d" % n)
        assert r.commit(b"session-%d" % n, 1) is None
    begin(r, b"abandoned")
    clock.now += 30
    assert r.prune_expired() == 0 and len(r._txns) == 51
    clock.now += 31
    # The abandoned transaction is aborted, as before; nothing idle that long is kept.
    assert r.prune_expired() == 1
    assert r._txns == {}


def test_a_forgotten_session_can_start_its_next_transaction() -> None:
    clock = Clock()
    r = registry(clock)
    begin(r, b"s", 1)
    assert r.commit(b"s", 1) is None
    clock.now += 120
    r.prune_expired()
    begin(r, b"s", 2)
    assert r.commit(b"s", 2) is None
    # An old number is still refused: the session's sequence is kept apart.
    _, error = r.for_statement(b"s", None, 1, start=True)
    assert error is not None


def test_the_registry_is_walked_at_most_once_a_second() -> None:
    clock = Clock()
    r = registry(clock)
    begin(r, b"a")  # a walk, at 1,000 s
    clock.now += 59.9
    begin(r, b"b")  # a walk, at 1,059.9 s: `a` is not idle for a minute yet
    clock.now += 0.6
    # `a` has been idle past its lifetime, but the last walk was under a second ago...
    assert r.prune_expired() == 0 and r._txns[b"a"].state is TxnState.IN_PROGRESS
    clock.now += 0.5
    assert r.prune_expired() == 1 and b"a" not in r._txns  # ...the next one finds it
    assert r._txns[b"b"].state is TxnState.IN_PROGRESS


def test_installing_twice_changes_nothing() -> None:
    assert secantus_registry.install()
    first = TransactionRegistry._prune_locked
    assert secantus_registry.install()
    assert TransactionRegistry._prune_locked is first


def test_a_transaction_running_a_statement_never_holds_up_the_walk() -> None:
    """SecantusDB's own walk waited for each transaction's lock while holding the
    registry's: one statement stuck in WiredTiger stalled every client."""
    clock = Clock()
    r = registry(clock)
    begin(r, b"busy")
    begin(r, b"idle")
    clock.now += 61  # both idle past their lifetime, as far as `last_use` says
    holding, done = threading.Event(), threading.Event()

    def run_a_statement() -> None:
        with r._txns[b"busy"].mutex:  # what a statement of `busy` holds while it runs
            holding.set()
            done.wait()

    statement = threading.Thread(target=run_a_statement)
    statement.start()
    assert holding.wait(10)
    walk = threading.Thread(target=r.prune_expired)
    walk.start()
    walk.join(10)
    walk_finished_meanwhile = not walk.is_alive()
    done.set()
    statement.join()
    walk.join()
    assert walk_finished_meanwhile
    # The idle one is aborted and forgotten; the busy one is left to its statement...
    assert b"idle" not in r._txns
    assert r._txns[b"busy"].state is TxnState.IN_PROGRESS
    # ...and aborted by a later walk if it is still abandoned then.
    clock.now += 1.1
    assert r.prune_expired() == 1 and b"busy" not in r._txns
