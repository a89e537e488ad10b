"""What a WiredTiger commit costs beside a thread busy in Python, at CPython's default GIL
switch interval and at the one the local SecantusDB runs with (`deploy/local/secantusd.py`).

Each WiredTiger call lets go of the GIL and takes it back; while another thread runs
Python, taking it back waits for that thread's switch interval to end. SecantusDB serves
each connection from its own thread and a statement makes dozens of WiredTiger calls, so
this wait, paid per call, is what made its statements slow under load. The baseline is
the same commits with no other thread running.

    .venv/bin/python -m bench.switch_interval
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time

from wiredtiger import wiredtiger_open

from bench.common import table
from deploy.local.secantusd import SWITCH_INTERVAL

DEFAULT_INTERVAL = 0.005


def commits_per_second(home: str, count: int, busy_neighbour: bool) -> float:
    """Small transactions committed with the log synced, as SecantusDB commits them."""
    conn = wiredtiger_open(
        home, "create,log=(enabled=true),transaction_sync=(enabled=true,method=fsync)"
    )
    session = conn.open_session()
    session.create("table:t", "key_format=S,value_format=S")
    cursor = session.open_cursor("table:t")
    stop = threading.Event()

    def spin() -> None:
        n = 0
        while not stop.is_set():
            n += 1

    neighbour = threading.Thread(target=spin, daemon=True)
    if busy_neighbour:
        neighbour.start()
    started = time.perf_counter()
    for i in range(count):
        session.begin_transaction()
        cursor[f"k{i}"] = "v" * 100
        session.commit_transaction("sync=on")
    elapsed = time.perf_counter() - started
    stop.set()
    if busy_neighbour:
        neighbour.join()
    conn.close()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.switch_interval")
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args()
    rows = []
    for label, interval, busy in (
        ("baseline: no other thread", DEFAULT_INTERVAL, False),
        ("beside a busy thread, default 5 ms", DEFAULT_INTERVAL, True),
        (
            f"beside a busy thread, {SWITCH_INTERVAL * 1000:g} ms (local SecantusDB)",
            SWITCH_INTERVAL,
            True,
        ),
    ):
        sys.setswitchinterval(interval)
        with tempfile.TemporaryDirectory(prefix="bench-switch-") as home:
            rate = commits_per_second(home, args.commits, busy)
        rows.append([label, f"{rate:,.0f}/s", f"{1000 / rate:.2f} ms"])
    sys.setswitchinterval(DEFAULT_INTERVAL)
    print(table(rows, ["WiredTiger commits", "per second", "each"]))


if __name__ == "__main__":
    main()
