"""`python -m deploy.local.demo_data [--force]`: load the demo cases into a running system.

Run by `make dev` once the services answer. Everything goes through the real APIs, as a
person would: each demo submission is posted to intake's public web channel, the
workflow opens and assigns it, then the assigned staff member signs in and takes the
story's steps (the unit's supervisor for reject and refer).

Once: a marker document (`dev_demo`, id `demo-data`, in the Siang database) makes later
runs skip the load; it lives with the data, so wiping `.local/mongo` loads the demo again.
An interrupted load is safe to run again: submissions carry an Idempotency-Key, and steps
already on a case's timeline are not taken twice.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from pymongo import MongoClient

from deploy.local.demo_story import DemoSubmission, Step, load_demo, steps_to_do, supervisor_of
from shared.infra.settings import MongoSettings
from shared.thai.dates import BANGKOK

MARKER_COLLECTION = "dev_demo"
MARKER_ID = "demo-data"
STAFF_FILE = Path(__file__).resolve().parents[1] / "config" / "staff.yaml"
ADMIN = "admin"
# How many sample tracking codes (with PINs) the marker keeps for `make dev` to print.
SAMPLES = 3

Say = Callable[[str], None]


class DemoError(RuntimeError):
    """The demo could not be loaded; the message says where it stopped."""


@dataclass
class LoadResult:
    submitted: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    samples: list[dict[str, str]] = field(default_factory=list)


def demo_password(path: Path = STAFF_FILE) -> str:
    """The demo accounts' password: one place, the staff file the workflow seeds from."""
    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["demo_password"])


# ------------------------------------------------------------------ the marker


def _marker_collection(mongo: MongoSettings) -> Any:
    client: MongoClient[dict[str, Any]] = MongoClient(
        mongo.url, serverSelectionTimeoutMS=mongo.server_selection_timeout_ms, tz_aware=True
    )
    return client, client[mongo.database][MARKER_COLLECTION]


def read_marker(mongo: MongoSettings) -> dict[str, Any] | None:
    """The marker of an earlier load, or None when the demo was never loaded here."""
    client, marker = _marker_collection(mongo)
    with client:
        found: dict[str, Any] | None = marker.find_one({"_id": MARKER_ID})
        return found


def write_marker(mongo: MongoSettings, result: LoadResult) -> None:
    client, marker = _marker_collection(mongo)
    with client:
        marker.replace_one(
            {"_id": MARKER_ID},
            {
                "_id": MARKER_ID,
                "loaded_at": datetime.now(UTC),
                "submitted": result.submitted,
                "statuses": dict(result.statuses),
                "warnings": result.warnings,
                # Demo only: lets `make dev` show how public tracking looks.
                "samples": result.samples,
            },
            upsert=True,
        )


# ------------------------------------------------------------------ the APIs


class DemoClient:
    """The intake and workflow APIs as the demo uses them."""

    def __init__(self, http: httpx.Client, intake_url: str, workflow_url: str) -> None:
        self.http = http
        self.intake = intake_url.rstrip("/")
        self.workflow = workflow_url.rstrip("/")
        self._tokens: dict[str, str] = {}
        self._password = demo_password()

    def submit(self, entry: DemoSubmission, deadline: float) -> dict[str, Any]:
        """Post one submission on the web channel; waits out 429 and 503 until `deadline`."""
        while True:
            answer = self.http.post(
                f"{self.intake}/v1/submissions",
                json=entry.body,
                headers={"Idempotency-Key": f"siang-demo-{entry.key}"},
            )
            if answer.status_code == 202:
                receipt: dict[str, Any] = answer.json()
                return receipt
            if answer.status_code in (429, 503) and time.monotonic() < deadline:
                time.sleep(min(float(answer.headers.get("Retry-After", "2")), 10.0))
                continue
            raise DemoError(f"{entry.key}: intake answered {answer.status_code}: {answer.text}")

    def token(self, user: str) -> str:
        if user not in self._tokens:
            answer = self.http.post(
                f"{self.workflow}/v1/auth/login",
                json={"username": user, "password": self._password},
            )
            if answer.status_code != 200:
                raise DemoError(f"sign-in as {user} failed: {answer.status_code} {answer.text}")
            self._tokens[user] = str(answer.json()["access_token"])
        return self._tokens[user]

    def _auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"}

    def cases_by_code(self, codes: set[str]) -> dict[str, dict[str, Any]]:
        """The case summaries (seen by the admin) whose tracking code is in `codes`."""
        found: dict[str, dict[str, Any]] = {}
        cursor: str | None = None
        while True:
            params: dict[str, str | int] = {"limit": 200}
            if cursor:
                params["cursor"] = cursor
            answer = self.http.get(
                f"{self.workflow}/v1/cases", params=params, headers=self._auth(ADMIN)
            )
            answer.raise_for_status()
            page = answer.json()
            found.update(
                {c["tracking_code"]: c for c in page["cases"] if c["tracking_code"] in codes}
            )
            cursor = page.get("next_cursor")
            if not cursor or len(found) == len(codes):
                return found

    def case(self, case_id: str, user: str) -> dict[str, Any]:
        answer = self.http.get(f"{self.workflow}/v1/cases/{case_id}", headers=self._auth(user))
        answer.raise_for_status()
        detail: dict[str, Any] = answer.json()
        return detail

    def command(
        self, case_id: str, command: str, payload: dict[str, Any], user: str
    ) -> dict[str, Any]:
        answer = self.http.post(
            f"{self.workflow}/v1/cases/{case_id}/commands/{command}",
            json=payload,
            headers=self._auth(user),
        )
        if answer.status_code != 200:
            raise DemoError(f"{command} as {user}: {answer.status_code} {answer.text[:300]}")
        detail: dict[str, Any] = answer.json()
        return detail


# ------------------------------------------------------------------ the load


def wait_for_cases(
    api: DemoClient, codes: set[str], timeout: float, say: Say
) -> dict[str, dict[str, Any]]:
    """Poll until the workflow has opened a case for every tracking code."""
    deadline = time.monotonic() + timeout
    while True:
        found = api.cases_by_code(codes)
        if len(found) == len(codes):
            return found
        if time.monotonic() > deadline:
            missing = len(codes) - len(found)
            raise DemoError(f"{missing} demo submissions have no case after {timeout:.0f}s")
        say(f"  waiting for the workflow: {len(found)}/{len(codes)} cases opened")
        time.sleep(1.0)


def play_story(
    api: DemoClient, entry: DemoSubmission, summary: dict[str, Any], case_ids: dict[str, str]
) -> str:
    """Take the story's remaining steps on one case; returns the case's status."""
    case_id = summary["case_id"]
    assignee = summary.get("assignee")
    head = supervisor_of(summary["unit"])
    detail = api.case(case_id, ADMIN)
    todo = steps_to_do(entry.story, detail["timeline"])
    if todo and assignee is None:
        # Nobody could take it when it was opened: the supervisor takes it.
        api.command(case_id, "assign", {"assignee": head}, head)
        assignee = head
    for step in todo:
        actor = _actor(step, assignee, head)
        detail = api.command(case_id, step.command, _payload(step, case_ids), actor)
    return str(detail["status"])


def _actor(step: Step, assignee: str | None, head: str) -> str:
    return head if step.by_supervisor or assignee is None else assignee


def _payload(step: Step, case_ids: dict[str, str]) -> dict[str, Any]:
    if step.merge_into is not None:
        return {"into_case_id": case_ids[step.merge_into]}
    return dict(step.payload)


def load(
    intake_url: str,
    workflow_url: str,
    *,
    entries: list[DemoSubmission],
    say: Say = print,
    timeout: float = 90.0,
) -> LoadResult:
    """Submit every entry, wait for their cases, play their stories. Raises `DemoError`
    when a submission is refused or its case never opens; a failing story step is a
    warning (the rest of the demo still loads)."""
    result = LoadResult()
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=15.0) as http:
        api = DemoClient(http, intake_url, workflow_url)
        receipts = {e.key: api.submit(e, deadline) for e in entries}
        result.submitted = len(receipts)
        say(f"  submitted {len(receipts)} demo submissions through the public web channel")
        codes = {r["tracking_code"]: key for key, r in receipts.items()}
        cases = wait_for_cases(api, set(codes), max(deadline - time.monotonic(), 5.0), say)
        case_ids = {codes[code]: c["case_id"] for code, c in cases.items()}
        for entry in entries:
            summary = cases[receipts[entry.key]["tracking_code"]]
            try:
                status = play_story(api, entry, summary, case_ids)
            except (DemoError, httpx.HTTPError) as exc:
                result.warnings.append(f"{entry.key}: {exc}")
                status = "?"
            result.statuses[status] += 1
        result.samples = [
            {
                "key": e.key,
                "tracking_code": receipts[e.key]["tracking_code"],
                "tracking_pin": receipts[e.key]["tracking_pin"],
                "tracking_url": receipts[e.key]["tracking_url"],
            }
            for e in entries
            if e.story
        ][:SAMPLES]
    return result


def ensure_loaded(
    intake_url: str,
    workflow_url: str,
    *,
    mongo: MongoSettings,
    force: bool = False,
    say: Say = print,
) -> dict[str, Any]:
    """Load the demo unless the marker says it was loaded; returns the marker."""
    marker = None if force else read_marker(mongo)
    if marker is not None:
        loaded = marker["loaded_at"].astimezone(BANGKOK)
        count = marker["submitted"]
        say(f"demo data: already loaded on {loaded:%Y-%m-%d %H:%M} ({count} submissions); skipped")
        return marker
    say("demo data: loading (first run on this database)…")
    entries = load_demo(datetime.now(BANGKOK).date())
    result = load(intake_url, workflow_url, entries=entries, say=say)
    for warning in result.warnings:
        say(f"  warning: {warning}")
    states = ", ".join(f"{n} {s}" for s, n in sorted(result.statuses.items()))
    say(f"  cases now: {states}")
    write_marker(mongo, result)
    return read_marker(mongo) or {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.local.demo_data")
    env = os.environ
    parser.add_argument(
        "--intake", default=f"http://127.0.0.1:{env.get('SIANG_INTAKE_PORT', '8001')}"
    )
    parser.add_argument(
        "--workflow", default=f"http://127.0.0.1:{env.get('SIANG_WORKFLOW_PORT', '8002')}"
    )
    parser.add_argument("--force", action="store_true", help="load even if loaded before")
    args = parser.parse_args(argv)
    try:
        ensure_loaded(args.intake, args.workflow, mongo=MongoSettings(), force=args.force)
    except (DemoError, httpx.HTTPError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
