"""`python -m deploy.local up|down|status|env`: the local Kafka and MongoDB-wire server."""

from __future__ import annotations

import argparse
import sys
import time

from deploy.local.servers import InfraError, servers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.local")
    parser.add_argument("action", choices=["up", "down", "status", "env"])
    args = parser.parse_args(argv)
    kafka, mongo = servers()
    if args.action == "up":
        try:
            for server in (mongo, kafka):
                t0 = time.monotonic()
                how = server.ensure_running()
                print(
                    f"{server.name}: {how} on 127.0.0.1:{server.port} in "
                    f"{time.monotonic() - t0:.1f}s (log: {server.log_file})"
                )
        except InfraError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    elif args.action == "down":
        for server in (kafka, mongo):
            print(f"{server.name}: {'stopped' if server.stop() else 'was not running'}")
    elif args.action == "status":
        for server in (kafka, mongo):
            pid = server.pid()
            state = f"running, pid {pid}, RSS {server.rss_mib():.0f} MiB" if pid else "stopped"
            print(f"{server.name}: {state} (127.0.0.1:{server.port})")
    else:
        print(f"SIANG_KAFKA_BOOTSTRAP_SERVERS={kafka.bootstrap}")
        print(f"SIANG_MONGO_URL={mongo.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
