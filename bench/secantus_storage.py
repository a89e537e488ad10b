"""What write statements cost SecantusDB's storage as it ships (the baseline) and with
the local server's adapters added one by one: its index catalogue walked once per write
statement (`deploy/local/secantus_catalogue.py`); WiredTiger's keys and values packed by
one join or split (`deploy/local/wiredtiger_packing.py`); then `$in` over strings matched
by membership (`deploy/local/secantus_membership.py`) and documents copied as plain
trees for updates (`deploy/local/secantus_copy.py`); then index keys of plain top-level
fields encoded directly (`deploy/local/secantus_index_keys.py`).

The collections written one and twenty documents at a time have twelve indexes, as
`cases` has; the ledger has two, as the notifications ledger has. Each row is CPU time
per statement in a fresh process, the kinds alternated `--rounds` times; the table gives
each kind's median and range.

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


# The adapters (`deploy/local/secantus_adapters.py`) each row adds to the one before.
KINDS = {
    "as shipped (baseline)": (),
    "catalogue once per statement": ("catalogue",),
    "and packing by format": ("catalogue", "packing"),
    "and $in by membership, tree copies": ("catalogue", "packing", "membership", "copy"),
    "and index keys of plain fields directly": (
        "catalogue",
        "packing",
        "membership",
        "copy",
        "index keys",
    ),
}
# A notice as the notifications ledger keeps it until the delivery is settled.
NOTICE = {
    "notification_id": "0" * 32,
    "case_id": "C-2026-000123",
    "channel": "email",
    "template": "case_assigned",
    "address": "someone@example.org",
    "context": {
        "subject": "เรื่องที่ 1: ขอให้ปรับปรุงการให้บริการ",
        "tracking_code": "ABCD-1234",
        "deadlines": {"acknowledge": "2026-12-08", "resolve": "2027-01-15"},
        "labels": {"unit": "กลุ่มส่งเสริมการจัดการศึกษา", "category": "เอกสาร"},
    },
}


def measure(statements: int, adapters: list[str]) -> dict[str, float]:
    """CPU ms per statement: one-document inserts and updates by _id, inserts of twenty
    documents at a time, and a ledger's settling update of twenty rows by id list."""
    from deploy.local import secantus_adapters

    assert all(secantus_adapters.install(adapters).values())
    from secantus.storage import Storage

    with tempfile.TemporaryDirectory(prefix="bench-secantus-storage-") as home:
        store = Storage(f"{home}/db")
        for coll in ("cases", "batches"):
            for n in range(INDEXES):
                store.create_index("d", coll, f"f{n}_1", {f"f{n}": 1})
        store.create_index("d", "ledger", "state_1_due_1", {"state": 1, "due": 1})
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
        rows = [
            {"_id": f"k{k}", "state": "sending", "due": k, "claim": "t", "notice": NOTICE}
            for k in range(statements * 20)
        ]
        store.insert("d", "ledger", rows)
        started = time.process_time()
        for n in range(0, statements * 20, 20):
            store.update_matching(
                "d",
                "ledger",
                {"_id": {"$in": [f"k{k}" for k in range(n, n + 20)]}, "claim": "t"},
                {"$set": {"state": "sent"}, "$unset": {"notice": "", "claim": "", "due": ""}},
                multi=True,
            )
        costs["settle twenty by id list"] = time.process_time() - started
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
    header = ["storage", *next(iter(runs.values()))[0]]
    print(table(rows, header))


if __name__ == "__main__":
    main()
