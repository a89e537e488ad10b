"""`python -m services.intake [run]`: serve the intake service with uvicorn.
`python -m services.intake keys create --channel line [--label ...]`: a new API key,
printed once; `keys list`; `keys revoke KEY_ID`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

import uvicorn

from services.intake.adapters.api_keys import ApiKeys
from services.intake.app import SERVICE, create_app
from services.intake.domain.api_keys import issue_key
from services.intake.settings import IntakeSettings
from shared.contract.events import Channel
from shared.infra.logs import configure_logging
from shared.infra.mongo import create_mongo_client, database
from shared.infra.production import UnsafeSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.intake")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the intake API and web form (default)")
    keys = commands.add_parser("keys", help="channel API keys").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="mint a key for a channel; printed once")
    create.add_argument("--channel", required=True, choices=[c.value for c in Channel])
    create.add_argument("--label", default="", help="who holds it, e.g. 'LINE OA gateway'")
    keys.add_parser("list", help="key ids, channels and states (never the keys)")
    revoke = keys.add_parser("revoke", help="stop a key from working")
    revoke.add_argument("key_id")
    return parser


async def _keys(args: argparse.Namespace, settings: IntakeSettings) -> int:
    client = create_mongo_client(settings.mongo)
    try:
        keys = ApiKeys(database(client, settings.mongo))
        now = datetime.now(UTC)
        if args.action == "create":
            if args.channel == Channel.web.value:
                print("the web channel needs no key", file=sys.stderr)
                return 2
            issued = issue_key(
                Channel(args.channel), label=args.label, now=now, created_by="command line"
            )
            await keys.add(issued.record)
            print(f"key id:  {issued.record.key_id}")
            print(f"channel: {issued.record.channel.value}")
            print(f"api key: {issued.key}")
            print("Store the key now: it is kept only as a hash and cannot be shown again.")
            return 0
        if args.action == "list":
            for record in await keys.all():
                state = f"revoked {record.revoked_at:%Y-%m-%d}" if record.revoked_at else "active"
                print(
                    f"{record.key_id}  {record.channel.value:<9} {state:<18} "
                    f"{record.created_at:%Y-%m-%d}  {record.label}"
                )
            return 0
        if await keys.revoke(args.key_id, now, "command line"):
            print(
                f"revoked {args.key_id} (running services stop accepting it within "
                f"{settings.api_key_cache_seconds:g} s)"
            )
            return 0
        print(f"no active key {args.key_id}", file=sys.stderr)
        return 1
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = IntakeSettings()
    if args.command == "keys":
        return asyncio.run(_keys(args, settings))
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
