"""The demo's script, read from `deploy/config/demo/submissions.yaml`. Pure: no I/O
beyond reading that file.

A demo entry is the body of `POST /v1/submissions` plus a `key` and a `story`: the staff
steps to take once the workflow has opened and assigned the case. This module turns the
YAML into request bodies and steps, and decides which steps of a story are still to do,
so that an interrupted load can be run again without doing anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

DEMO_FILE = Path(__file__).resolve().parents[1] / "config" / "demo" / "submissions.yaml"

# Only a unit's supervisor (or an admin) may take these (services/workflow lifecycle table).
SUPERVISOR_COMMANDS = frozenset({"reject", "refer"})
# Commands whose single YAML value is the text of one payload field.
_TEXT_FIELD = {
    "request_info": "public_reason",
    "resolve": "public_answer",
    "reject": "public_reason",
    "refer": "referred_to",
    "close": "public_reason",
    "merge": "into_case_id",
}
_BARE = frozenset({"start", "info_received", "withdraw", "close"})
_COMMANDS = _BARE | set(_TEXT_FIELD) | {"comment"}
# Keys of a demo entry that are not part of the submission body.
_NOT_BODY = frozenset({"key", "story", "occurred_days_ago"})


class DemoFileError(ValueError):
    """The demo file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Step:
    """One staff command. `merge_into` names the demo key of the case merged into; the
    loader turns it into that case's id."""

    command: str
    payload: dict[str, Any] = field(default_factory=dict)
    merge_into: str | None = None

    @property
    def by_supervisor(self) -> bool:
        return self.command in SUPERVISOR_COMMANDS


@dataclass(frozen=True)
class DemoSubmission:
    key: str
    body: dict[str, Any]
    story: tuple[Step, ...]


def parse_step(raw: object, key: str) -> Step:
    """A step from its YAML form: `start`, `resolve: <text>`, `comment: {text, visibility}`."""
    if isinstance(raw, str):
        if raw not in _BARE:
            raise DemoFileError(f"{key}: step {raw!r} needs a value")
        return Step(raw)
    if not isinstance(raw, dict) or len(raw) != 1:
        raise DemoFileError(f"{key}: a step is a command name or a one-key mapping: {raw!r}")
    ((command, value),) = raw.items()
    if command not in _COMMANDS:
        raise DemoFileError(f"{key}: unknown command {command!r}")
    if command == "comment":
        if not isinstance(value, dict) or not value.get("text"):
            raise DemoFileError(f"{key}: comment needs {{text, visibility}}")
        return Step("comment", {"text": str(value["text"]).strip(), **_visibility(value)})
    if not isinstance(value, str) or not value.strip():
        raise DemoFileError(f"{key}: {command} needs a text")
    if command == "merge":
        return Step("merge", merge_into=value.strip())
    return Step(command, {_TEXT_FIELD[command]: value.strip()})


def _visibility(value: dict[str, Any]) -> dict[str, str]:
    visibility = value.get("visibility", "internal")
    if visibility not in ("internal", "public"):
        raise DemoFileError(f"comment visibility must be internal or public: {visibility!r}")
    return {"visibility": visibility}


def parse_entry(raw: dict[str, Any], today: date) -> DemoSubmission:
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        raise DemoFileError(f"an entry without a key: {str(raw)[:80]}")
    body = {k: v for k, v in raw.items() if k not in _NOT_BODY}
    days_ago = raw.get("occurred_days_ago")
    if days_ago is not None:
        body["occurred_on"] = (today - timedelta(days=int(days_ago))).isoformat()
    body.setdefault("language", "th")
    story = tuple(parse_step(step, key) for step in raw.get("story") or [])
    return DemoSubmission(key=key, body=body, story=story)


def parse_demo(text: str, today: date) -> list[DemoSubmission]:
    """Every demo entry of a YAML document; keys must be unique and merges must name one."""
    doc = yaml.safe_load(text) or {}
    entries = [parse_entry(raw, today) for raw in doc.get("submissions", [])]
    keys = [e.key for e in entries]
    if len(set(keys)) != len(keys):
        raise DemoFileError(f"duplicate keys: {sorted({k for k in keys if keys.count(k) > 1})}")
    for entry in entries:
        for step in entry.story:
            if step.merge_into is not None and step.merge_into not in keys:
                raise DemoFileError(f"{entry.key}: merge into unknown key {step.merge_into}")
    return entries


def load_demo(today: date, path: Path = DEMO_FILE) -> list[DemoSubmission]:
    return parse_demo(path.read_text(encoding="utf-8"), today)


def steps_to_do(story: tuple[Step, ...], timeline: list[dict[str, Any]]) -> tuple[Step, ...]:
    """The steps not yet taken, judged by the staff entries already on the case's timeline.

    Only the demo acts on demo cases before the load finishes, so the n-th staff entry is
    the n-th step; an entry by the system (open, triage, assign) is not a step.
    """
    done = sum(1 for entry in timeline if entry.get("role") not in (None, "system"))
    # A supervisor's own assignment (a case nobody could take) is not a story step either.
    done -= sum(
        1
        for e in timeline
        if e.get("role") not in (None, "system") and e.get("command") == "assign"
    )
    return story[max(done, 0) :]


def supervisor_of(unit: str) -> str:
    """The demo directory's supervisor of a unit (`deploy/config/staff.yaml`)."""
    return f"{unit}.head"
