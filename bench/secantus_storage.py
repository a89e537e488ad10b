"""What write statements cost SecantusDB's storage as it ships (the baseline) and with
the local server's adapters added one by one: its index catalogue walked once per write
statement (`deploy/local/secantus_catalogue.py`), then WiredTiger's keys and values
packed by one loop per format (`deploy/local/wiredtiger_packing.py`).

Each collection has twelve indexes, as `cases` has. Each row is CPU time per statement
in a fresh process, the kinds alternated `--rounds` times; the table gives each
kind's median and range.

    .venv/bin/python -m bench.secantus_storage [--statements 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time

from bench.common import table

INDEXES = 11  # besides _id, as on `cases`


# The adapters each row adds, in the order `secantusd.py` installs them.
KINDS = {
    "as shipped (baseline)": (),
    "catalogue once per statement": ("catalogue",),
    "and packing by format": ("catalogue", "packing"),
}


def measure(statements: int, adapters: list[str]) -> dict[str, float]:
    """CPU ms per statement: one-document inserts, one-document updates by _id, and
    inserts of twenty documents at a time."""
    from deploy.local import secantus_catalogue, wiredtiger_packing

    if "catalogue" in adapters:
        assert secantus_catalogue.install()
    if "packing" in adapters:
        assert wiredtiger_packing.install()
    from secantus.storage import Storage

    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as home:
        store = Storage(f"{home}/db")
        for coll in ("cases", "batches"):
            for n in range(INDEXES):
                store.create_index("d", coll, f"f{n}_1", {f"f{n}": 1})
        fields = range(INDEXES)
        costs: dict[str, float] = {}
        started = time.process_time()
        for n in range(statements):
            store.insert("d", "cases", [{"_id": n, **{f"f{i}": n for i in fields}, "x": "y" * 500}])
        costs["insert one"] = time.process_time() - started
        started = time.process_time()
        for n in range(statements):
            store.update_matching("d", "cases", {"_id": n}, {"$set": {"f3": -n, "seen": True}})
        costs["update one"] = time.process_time() - started
        started = time.process_time()
        for n in range(0, statements * 20, 20):
            batch = [{"_id": k, **{f"f{i}": k for i in fields}} for k in range(n, n + 20)]
            store.insert("d", "batches", batch)
        costs["insert twenty"] = time.process_time() - started
        store.close()
    return {k: v * 1000 / statements for k, v in costs.items()}


def in_child(statements: int, adapters: tuple[str, ...]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.secantus_storage", "--child", str(statements)]
        + [f"--adapter={a}" for a in adapters],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.secantus_storage")
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--adapter", action="append", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.adapter)))
        return
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in KINDS}
    for _ in range(args.rounds):
        for label, adapters in KINDS.items():
            runs[label].append(in_child(args.statements, adapters))
    rows = []
    for label, costs in runs.items():
        cells = []
        for kind in costs[0]:
            seen = sorted(c[kind] for c in costs)
            cells.append(f"{statistics.median(seen):.3f} ms ({seen[0]:.3f}-{seen[-1]:.3f})")
        rows.append([label, *cells])
    print(f"CPU per statement, median (range) of {args.rounds} runs each, alternated:")
    print(table(rows, ["storage", "insert one", "update one", "insert twenty"]))


if __name__ == "__main__":
    main()
