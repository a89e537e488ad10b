"""What one-document writes cost SecantusDB's storage with its index catalogue walked as
it ships (several times per statement and per document) and as the local server runs
it, once per write statement (`deploy/local/secantus_catalogue.py`).

Each collection has twelve indexes, as `cases` has. Each row is CPU time per statement
in a fresh process, the two kinds alternated `--rounds` times; the baseline is the
shipped storage.

    .venv/bin/python -m bench.catalogue [--statements 2000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time

from bench.common import table

INDEXES = 11  # besides _id, as on `cases`


def measure(statements: int, memoised: bool) -> dict[str, float]:
    """CPU ms per statement: one-document inserts, one-document updates by _id, and
    inserts of twenty documents at a time."""
    from secantus.storage import Storage

    if memoised:
        from deploy.local import secantus_catalogue

        assert secantus_catalogue.install()
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


def in_child(statements: int, memoised: bool) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.catalogue", "--child", str(statements)]
        + (["--memoised"] if memoised else []),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.catalogue")
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--memoised", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.memoised)))
        return
    rows = []
    for round_ in range(1, args.rounds + 1):
        for label, memoised in (("as shipped (baseline)", False), ("once per statement", True)):
            costs = in_child(args.statements, memoised)
            rows.append([f"{round_}", label, *(f"{costs[k]:.3f} ms" for k in costs)])
    print(table(rows, ["round", "catalogue walked", "insert one", "update one", "insert twenty"]))


if __name__ == "__main__":
    main()
