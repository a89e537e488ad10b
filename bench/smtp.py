"""What an e-mail costs the sender and the relay on one machine, sent command by command
(smtplib's `sendmail`, the baseline) and with PIPELINING (`smtp_transfer.transfer`).

The relay is the one the e2e system and `bench.pipeline` run (`tests/e2e/system.py`), in
a process of its own: offering PIPELINING and answering pipelined commands together, or,
for the baseline, as aiosmtpd ships (no PIPELINING, each reply written at once). The
sender sends from worker threads over pooled connections, as notifications does. Each
row: CPU per message of the sender's process and of the relay's, and messages per second;
the two kinds alternated `--rounds` times.

    .venv/bin/python -m bench.smtp [--messages 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import smtplib
import statistics
import subprocess
import sys
import threading
import time

from bench.common import table
from bench.costs import cpu_seconds
from services.notifications.adapters.channels.smtp_transfer import transfer
from tests.e2e.system import free_port

# A notice's size and shape: headers, then base64 lines of 76 characters (about 9 KB).
MESSAGE = (
    b"From: <siang@office.example.go.th>\r\nTo: <somsri@example.com>\r\n"
    b"Subject: =?utf-8?b?4LmA4Lij4Li34LmI4Lit4LiH?=\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    + b"4Liq4Liz4LiZ4Lix4LiB4LiH4Liy4LiZ4LmA4LiC4LiV4Lie4Li34LmJ4LiZ4LiX4Li14LmI4LiB4Liy4Lij\r\n"
    * 120
)
CONCURRENCY = 12
KINDS = {"command by command (sendmail)": False, "pipelined (transfer)": True}


def serve(port: int, pipelining: bool) -> None:
    """The relay, until killed: the e2e system's, or aiosmtpd's own behaviour."""
    import uvloop
    from aiosmtpd.smtp import SMTP

    from tests.e2e.system import Inbox, Relay, RelayController

    class Shipped(Relay):  # type: ignore[misc]
        push = SMTP.push  # type: ignore[assignment]

    class Controller(RelayController):
        def factory(self) -> Relay:
            kind = Relay if pipelining else Shipped
            return kind(self.handler, **self.SMTP_kwargs)

    relay = Controller(
        Inbox(pipelining=pipelining), hostname="127.0.0.1", port=port, loop=uvloop.new_event_loop()
    )
    relay.start()
    print("ready", flush=True)
    while True:
        time.sleep(60)


def cpu(pid: int) -> float:
    seconds = cpu_seconds(pid)
    assert seconds is not None, f"process {pid} is gone"
    return seconds


def send_all(port: int, messages: int, pipelined: bool) -> float:
    """Messages/s, sent from `CONCURRENCY` threads over pooled connections."""
    idle: list[smtplib.SMTP] = []
    lock = threading.Lock()

    def one() -> None:
        with lock:
            conn = idle.pop() if idle else None
        if conn is None:
            conn = smtplib.SMTP("127.0.0.1", port, timeout=10)
            conn.ehlo()
        if pipelined:
            transfer(conn, "siang@office.example.go.th", "somsri@example.com", MESSAGE)
        else:
            conn.sendmail("siang@office.example.go.th", ["somsri@example.com"], MESSAGE)
        with lock:
            idle.append(conn)

    async def run() -> None:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def sent() -> None:
            async with gate:
                await asyncio.to_thread(one)

        await asyncio.gather(*(sent() for _ in range(messages)))

    started = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - started
    for conn in idle:
        conn.quit()
    return messages / elapsed


def measure(messages: int, pipelined: bool) -> dict[str, float]:
    port = free_port()
    relay = subprocess.Popen(
        [sys.executable, "-m", "bench.smtp", "--serve", str(port)]
        + (["--pipelining"] if pipelined else []),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert relay.stdout is not None and relay.stdout.readline().strip() == "ready"
        send_all(port, 200, pipelined)  # both sides' code warm
        sender_before, relay_before = cpu(os.getpid()), cpu(relay.pid)
        rate = send_all(port, messages, pipelined)
        return {
            "sender µs/message": (cpu(os.getpid()) - sender_before) / messages * 1e6,
            "relay µs/message": (cpu(relay.pid) - relay_before) / messages * 1e6,
            "messages/s": rate,
        }
    finally:
        relay.kill()
        relay.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.smtp")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pipelining", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.pipelining)
        return
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for _ in range(args.rounds):
        for kind, pipelined in KINDS.items():
            runs[kind].append(measure(args.messages, pipelined))
    rows = []
    for kind, results in runs.items():
        cells = []
        for measure_name in results[0]:
            seen = sorted(r[measure_name] for r in results)
            cells.append(f"{statistics.median(seen):,.0f} ({seen[0]:,.0f}-{seen[-1]:,.0f})")
        rows.append([kind, *cells])
    print(
        f"{args.messages} messages of {len(MESSAGE):,} bytes, {CONCURRENCY} threads; median (range)"
    )
    print(f"of {args.rounds} rounds, alternated:")
    print(table(rows, ["sending", *next(iter(runs.values()))[0]]))


if __name__ == "__main__":
    main()
