"""`make dev`: the local servers and the four services as separate processes.

Each service logs to `.local/logs/<service>.log`. Ctrl-C stops the services; the Kafka
broker and SecantusDB keep running (and keep their data), so the next `make dev` starts
in seconds from the same data; `make infra-down` stops them too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from deploy.local.servers import LOCAL_DIR, InfraError, servers

SERVICES = {"intake": 8001, "workflow": 8002, "notifications": 8003, "reporting": 8004}
PAGES = {
    "intake": "/  (public form)   /docs  (API)",
    "workflow": "/docs  (staff API)",
    "notifications": "/docs",
    "reporting": "/docs",
}


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def main() -> int:
    kafka, mongo = servers()
    try:
        mongo.ensure_running()
        kafka.ensure_running()
    except InfraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    logs = LOCAL_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SIANG_KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
        "SIANG_MONGO_URL": mongo.url,
        "PYTHONUNBUFFERED": "1",
    }
    procs: dict[str, subprocess.Popen[bytes]] = {}
    for name, port in SERVICES.items():
        env[f"SIANG_{name.upper()}_PORT"] = str(port)
        log = open(logs / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        procs[name] = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", f"services.{name}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2],
        )
    deadline = time.monotonic() + 60
    waiting = set(SERVICES)
    while waiting and time.monotonic() < deadline:
        for name in list(waiting):
            if procs[name].poll() is not None:
                print(f"error: {name} exited; see {logs / (name + '.log')}", file=sys.stderr)
                _stop(procs)
                return 1
            if _ready(SERVICES[name]):
                waiting.discard(name)
        time.sleep(0.3)
    print("\nSiang is running:")
    for name, port in SERVICES.items():
        state = "ready" if name not in waiting else "starting (see its log)"
        print(f"  {name:<14} http://127.0.0.1:{port}{PAGES[name]:<40} {state}")
    print(f"  kafka          {kafka.bootstrap}\n  mongodb        {mongo.url}")
    print(f"  logs           {logs}/\nPress Ctrl-C to stop the services.")
    stop = False

    def _on_signal(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    while not stop:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; see {logs / (name + '.log')}")
                stop = True
        time.sleep(0.5)
    _stop(procs)
    print("stopped the services; `make infra-down` stops Kafka and SecantusDB too.")
    return 0


def _stop(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    for proc in procs.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
