"""`python -m services.notifications [run]`: serve the notifications service with uvicorn.

    python -m services.notifications dead-letters list [--all] [--limit N] [--json]
    python -m services.notifications dead-letters redrive ID [ID ...]

The dead-letter commands need only MongoDB (`SIANG_MONGO_*`): a re-driven delivery is
due at once, and the running service's worker sends it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
import uvicorn

from services.notifications.adapters.dead_letters import DeadLetterStore
from services.notifications.adapters.ledger import DeliveryLedger
from services.notifications.app import SERVICE, create_app
from services.notifications.handlers.redrive import redrive
from services.notifications.settings import NotificationsSettings
from shared.infra.logs import configure_logging
from shared.infra.mongo import create_mongo_client, database
from shared.infra.production import UnsafeSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.notifications")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the service (the default)")
    letters = commands.add_parser("dead-letters", help="deliveries given up on")
    actions = letters.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="list dead letters, newest first")
    listing.add_argument("--all", action="store_true", help="include re-driven ones")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    again = actions.add_parser("redrive", help="re-queue dead letters by id")
    again.add_argument("ids", nargs="+", metavar="ID")
    return parser


def _line(doc: dict[str, Any]) -> str:
    failed = doc["failed_at"].isoformat(timespec="seconds") if doc.get("failed_at") else "-"
    return "  ".join(
        [
            doc["_id"],
            failed,
            doc.get("status", "?"),
            f"{doc.get('channel')}/{doc.get('template')}",
            f"case={doc.get('case_id') or '-'}",
            f"attempts={doc.get('attempts')}",
            str(doc.get("reason", "")),
        ]
    )


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    # The stored notice holds the recipient's address: listings leave it out (PDPA).
    return {k: v for k, v in doc.items() if k != "notice"} | {"id": doc["_id"]}


async def dead_letters(argv: Sequence[str], settings: NotificationsSettings, out: TextIO) -> int:
    """`dead-letters list|redrive ...`; returns the exit status (1: an id was not found)."""
    args = _parser().parse_args(["dead-letters", *argv])
    client = create_mongo_client(settings.mongo)
    try:
        db = database(client, settings.mongo)
        letters = DeadLetterStore(db)
        if args.action == "list":
            docs = await letters.listing(include_redriven=args.all, limit=args.limit)
            for doc in docs:
                if args.json:
                    out.write(orjson.dumps(_public(doc), default=str).decode() + "\n")
                else:
                    out.write(_line(doc) + "\n")
            if not docs and not args.json:
                out.write("no dead letters\n")
            return 0
        done = await redrive(client, letters, DeliveryLedger(db), args.ids, datetime.now(UTC))
        for letter_id in done:
            out.write(f"re-queued {letter_id}\n")
        missing = [i for i in args.ids if i not in done]
        for letter_id in missing:
            out.write(f"not an open dead letter: {letter_id}\n")
        return 1 if missing else 0
    finally:
        await client.close()


def main(
    argv: Sequence[str] | None = None,
    settings: NotificationsSettings | None = None,
    out: TextIO | None = None,
) -> int:
    args = _parser().parse_args(argv)
    settings = settings or NotificationsSettings()
    if args.command == "dead-letters":
        rest = list(argv if argv is not None else sys.argv[1:])
        rest = rest[rest.index("dead-letters") + 1 :]
        return asyncio.run(dead_letters(rest, settings, out or sys.stdout))
    configure_logging(SERVICE, settings.log_level, settings.log_file)
    try:
        app = create_app(settings)
    except UnsafeSettings as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
