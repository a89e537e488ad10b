"""`python -m services.workflow [run]` serves the workflow service;
`python -m services.workflow staff create --id ID --name NAME --role admin` creates or
resets an account (the password is asked for, or read from SIANG_NEW_PASSWORD, and kept
to the password rules of `domain.passwords`)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

import uvicorn

from services.workflow.adapters.staff_directory import StaffAccount, StaffDirectory
from services.workflow.app import SERVICE, create_app
from services.workflow.domain.passwords import password_problems
from services.workflow.settings import WorkflowSettings
from shared.infra.auth import StaffRole, hash_password
from shared.infra.logs import configure_logging
from shared.infra.mongo import create_mongo_client, database
from shared.infra.production import UnsafeSettings


async def create_staff(settings: WorkflowSettings, account: StaffAccount, password: str) -> None:
    client = create_mongo_client(settings.mongo)
    try:
        await StaffDirectory(database(client, settings.mongo)).save(
            account, hash_password(password)
        )
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.workflow")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="serve the workflow service (the default)")
    staff = sub.add_parser("staff", help="manage staff accounts")
    staff_sub = staff.add_subparsers(dest="action", required=True)
    create = staff_sub.add_parser("create", help="create or reset an account")
    create.add_argument("--id", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=[r.value for r in StaffRole], default="admin")
    create.add_argument("--unit", default=None)
    create.add_argument("--email", default=None)
    args = parser.parse_args(argv)
    settings = WorkflowSettings()
    if args.command == "staff":
        password = os.environ.get("SIANG_NEW_PASSWORD") or getpass.getpass("password: ")
        problems = password_problems(password, args.id, args.name)
        for problem in problems:
            print(f"error: {problem.text('en')}", file=sys.stderr)
        if problems:
            return 2
        account = StaffAccount(
            id=args.id, name=args.name, role=StaffRole(args.role), unit=args.unit, email=args.email
        )
        asyncio.run(create_staff(settings, account, password))
        print(f"account {args.id} ({args.role}) saved")
        return 0
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
