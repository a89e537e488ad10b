"""What the contract tests share: the schemathesis configuration (seeded and
deterministic, a bounded number of examples per operation), the callers (public, a
channel API key, staff, supervisor, admin) and the count of requests each one sent.

A staff caller's token is issued afresh for every request with its account's current
session version, read from workflow's `staff` collection: an operation such as
"sign out everywhere" ends the caller's sessions, and every later request would
otherwise be a 401 that tests nothing."""

from __future__ import annotations

import base64
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import strategies as st
from pymongo import MongoClient
from pymongo.database import Database
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi
from schemathesis.specs.openapi.schemas import OpenApiSchema

from services.intake.domain.tracking import ALPHABET, RANDOM_SYMBOLS, check_symbol
from services.participation.domain.consultation import MAX_DAYS
from services.workflow.domain.passwords import password_problems
from shared.infra.auth import AuthSettings, StaffRole, hash_password, issue_token
from shared.infra.sessions import SESSION_VERSION, STAFF_COLLECTION
from shared.thai.dates import BANGKOK

#: Examples per operation in the fuzzing phase (the coverage and examples phases add
#: their own, bounded by the schema): enough to reach every declared answer, few enough
#: that the services take a few minutes on two cores. A deeper run locally:
#: SIANG_CONTRACT_EXAMPLES=500 (and SIANG_CONTRACT_SEED for another deterministic draw).
MAX_EXAMPLES = int(os.environ.get("SIANG_CONTRACT_EXAMPLES", "25"))
SEED = int(os.environ.get("SIANG_CONTRACT_SEED", "18"))

#: Every request each (service, caller) sent, printed at the end of the run.
SENT: Counter[tuple[str, str]] = Counter()


def _tracking_code(symbols: str) -> str:
    body = symbols + check_symbol(symbols)
    return "SG-" + "-".join(body[i : i + 4] for i in range(0, len(body), 4))


# The OpenAPI's `tracking-code` format: a code that checks out (JSON Schema's pattern says
# the shape; its last symbol is a check symbol).
schemathesis.openapi.format(
    "tracking-code",
    st.text(alphabet=ALPHABET, min_size=RANDOM_SYMBOLS, max_size=RANDOM_SYMBOLS).map(
        _tracking_code
    ),
)


def _cursor(at: datetime, case_id: str) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{case_id}".encode()).decode()


# The OpenAPI's `cursor` format: a page's `next_cursor` as the case list gives it.
schemathesis.openapi.format(
    "cursor",
    st.builds(_cursor, st.datetimes(timezones=st.just(UTC)), st.text(min_size=1, max_size=40)),
)


# The OpenAPI's `past-date` format: a date not after today in Bangkok (today here is never
# later than the service's when it reads the request).
schemathesis.openapi.format(
    "past-date",
    st.dates(max_value=datetime.now(BANGKOK).date()).map(date.isoformat),
)


def config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "deterministic": True,
                "database": "none",
                "max-examples": MAX_EXAMPLES,
                "no-shrink": True,
            },
        }
    )


@dataclass(frozen=True)
class Account:
    id: str
    role: StaffRole
    unit: str | None

    def document(self) -> dict[str, Any]:
        """The account as workflow's staff directory stores it."""
        return {
            "_id": self.id,
            "name": f"contract {self.role}",
            "role": self.role.value,
            "unit": self.unit,
            "email": f"{self.id}@siang.invalid",
            "active": True,
            "absences": [],
            "open_cases": 0,
        }


ACCOUNTS = {
    "staff": Account("contract.staff", StaffRole.staff, "triage"),
    "supervisor": Account("contract.supervisor", StaffRole.supervisor, "triage"),
    "admin": Account("contract.admin", StaffRole.admin, None),
    # Roles that read reports only: a case is not theirs to read (403).
    "committee": Account("contract.committee", StaffRole.committee, None),
    "coordinator": Account("contract.coordinator", StaffRole.participation, None),
}


def _ordered_policy(policy: dict[str, Any]) -> None:
    """acknowledge <= first_response <= resolution, each at its default when absent."""
    days = sorted(
        int(policy.get(name, default))
        for name, default in (("acknowledge", 1), ("first_response", 5), ("resolution", 15))
    )
    first = min(days[1], 15)
    policy.update(acknowledge=min(days[0], first), first_response=first, resolution=days[2])


def _keep_sla_in_order(case: schemathesis.Case) -> None:
    body = case.body
    if isinstance(body, dict):
        for policy in [body.get("default"), *(body.get("rules") or [])]:
            if isinstance(policy, dict):
                _ordered_policy(policy)


def _account_of_the_url(case: schemathesis.Case) -> None:
    body = case.body
    if isinstance(body, dict):
        body["id"] = (case.path_parameters or {}).get("staff_id", body.get("id"))
        if body.get("password"):
            # The password rules (not the account's name or id inside, not a common one)
            # are in the description, beyond what JSON Schema can say.
            body["password"] = _a_password_for(str(body["id"]), str(body.get("name") or ""))
        for absence in body.get("absences") or []:
            if isinstance(absence, dict) and absence.get("end", "") < absence.get("start", ""):
                absence["start"], absence["end"] = absence["end"], absence["start"]


def _a_password_for(username: str, name: str) -> str:
    """A password the rules take for this account, new each time (the same one again is
    refused as the current one); a generated id may be one character, which a fixed
    password could well contain."""
    while True:
        n = next(_PASSWORDS)
        for alphabet in ("Kq#7vW!pXz-Rm@tL", "ภาษาไทย-ยาวพอ-สิบตัว", "Yh$bN%cJ+uE^sD"):
            candidate = f"{alphabet}{n}"
            if not password_problems(candidate, username, name):
                return candidate


_PASSWORDS = iter(range(1, 1 << 62))


def _with_a_pin(case: schemathesis.Case) -> None:
    headers = {k.lower() for k in case.headers or {}}
    if "x-tracking-pin" not in headers and "pin" not in (case.query or {}):
        case.query = {**(case.query or {}), "pin": "123456"}


def _with_a_pin_header(case: schemathesis.Case) -> None:
    """A complainant's change carries the PIN in `X-Tracking-PIN` (its description says it
    is required; the route answers its absence with a 422 naming `pin`)."""
    if "x-tracking-pin" not in {k.lower() for k in case.headers or {}}:
        case.headers = {**(case.headers or {}), "X-Tracking-PIN": "123456"}


_KEYS = iter(range(1, 1 << 62))


def _a_new_idempotency_key(case: schemathesis.Case) -> None:
    """A key is one submission's: reused with another body it is refused, on purpose."""
    for name, value in list((case.headers or {}).items()):
        if name.lower() == "idempotency-key" and isinstance(value, str):
            case.headers[name] = f"{value[:200]}.{next(_KEYS)}"  # type: ignore[index]


#: A 1x1 PNG: a file the description's "JPEG, PNG or PDF by content" takes, which JSON
#: Schema's `binary` cannot say.
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _a_new_submission(case: schemathesis.Case) -> None:
    """A new key, and no opinion on a consultation: one that is not published is a 422
    naming `consultation_id`, as the description says, and none is published here. A
    form's files are photos, as the description asks."""
    _a_new_idempotency_key(case)
    if isinstance(case.body, dict):
        for name in ("consultation_id", "stakeholder_group", "answers"):
            case.body.pop(name, None)
        for name in [n for n in case.body if n.startswith("answers.")]:  # a form's
            case.body.pop(name)
        for name in [n for n in case.body if n.startswith("attachment")]:
            case.body[name] = _PNG


def _one_person(case: schemathesis.Case) -> None:
    query = dict(case.query or {})
    if "tracking_code" not in query and "person_id" not in query:
        query["tracking_code"] = "SG-0000-0000-0000"
    if "tracking_code" in query:
        query.pop("person_id", None)
    case.query = query


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _consultation_in_order(case: schemathesis.Case) -> None:
    """closes_on within MAX_DAYS on or after opens_on; distinct question ids; a choice
    question with two or more distinct choice codes, a text question with none."""
    body = case.body
    if not isinstance(body, dict):
        return
    opens, closes = _date(body.get("opens_on")), _date(body.get("closes_on"))
    if opens is not None and closes is not None and not 0 <= (closes - opens).days <= MAX_DAYS:
        body["closes_on"] = opens.isoformat()
    for i, question in enumerate(body.get("questions") or []):
        if not isinstance(question, dict):
            continue
        question["id"] = f"q{i}"
        if question.get("kind") != "choice":
            question.pop("choices", None)
            continue
        given = [c for c in question.get("choices") or [] if isinstance(c, dict)]
        given += [{"label_th": "ใช่"}, {"label_th": "ไม่"}][: max(0, 2 - len(given))]
        question["choices"] = [{**c, "code": f"c{j}"} for j, c in enumerate(given)]


def _survey_in_order(case: schemathesis.Case) -> None:
    """closes_on within MAX_DAYS on or after opens_on; item and question ids distinct."""
    body = case.body
    if not isinstance(body, dict):
        return
    opens, closes = _date(body.get("opens_on")), _date(body.get("closes_on"))
    if opens is not None and closes is not None and not 0 <= (closes - opens).days <= MAX_DAYS:
        body["closes_on"] = opens.isoformat()
    for kind in ("items", "questions"):
        for i, entry in enumerate(body.get(kind) or []):
            if isinstance(entry, dict):
                entry["id"] = f"{kind[0]}{i}"


def _committee_in_order(case: schemathesis.Case) -> None:
    """The term ends on or after it starts; its order is signed on or before it starts."""
    body = case.body
    if not isinstance(body, dict):
        return
    starts, ends = _date(body.get("term_starts_on")), _date(body.get("term_ends_on"))
    if starts is not None and ends is not None and ends < starts:
        body["term_ends_on"] = starts.isoformat()
    order = body.get("order")
    signed = _date(order.get("signed_on")) if isinstance(order, dict) else None
    if isinstance(order, dict) and starts is not None and signed is not None and signed > starts:
        order["signed_on"] = starts.isoformat()


def _plan_of_the_url(case: schemathesis.Case) -> None:
    """The plan's year is the URL's; its item codes are distinct."""
    body = case.body
    if isinstance(body, dict):
        body["fiscal_year"] = (case.path_parameters or {}).get("fiscal_year")
        for i, item in enumerate(body.get("items") or []):
            if isinstance(item, dict):
                item["code"] = f"I{i}"


def _item_of_the_url(case: schemathesis.Case) -> None:
    if isinstance(case.body, dict):
        case.body["code"] = (case.path_parameters or {}).get("code")


def _reason_when_not_adopted(case: schemathesis.Case) -> None:
    body = case.body
    stated = isinstance(body, dict) and str(body.get("reason") or "").strip()
    if isinstance(body, dict) and body.get("status") == "not_adopted" and not stated:
        body["reason"] = "งบประมาณไม่พอ"


def _one_basis(case: schemathesis.Case) -> None:
    """An outcome answers exactly one thing (the first given, else a consultation); only
    a consultation's has opinions, and only it names no mission item of its own."""
    _reason_when_not_adopted(case)
    body = case.body
    if not isinstance(body, dict):
        return
    bases = ("consultation_id", "resolution", "complaints")
    kept = next((b for b in bases if body.get(b) is not None), "consultation_id")
    for other in bases:
        if other != kept:
            body.pop(other, None)
    if kept == "consultation_id":
        body["consultation_id"] = body.get("consultation_id") or "cn-none"
        body.pop("mission_item", None)
    else:
        body.pop("opinion_ids", None)
        body["mission_item"] = body.get("mission_item") or "S1"


#: Rules between fields, or between requests, that JSON Schema cannot state (the
#: operations' descriptions say them): a case generated as valid is made to keep them,
#: so it stays valid.
CROSS_FIELD: dict[str, Callable[[schemathesis.Case], None]] = {
    "PUT /v1/admin/sla": _keep_sla_in_order,
    "PUT /v1/admin/staff/{staff_id}": _account_of_the_url,
    "GET /v1/track/{tracking_code}": _with_a_pin,
    "POST /v1/submissions": _a_new_submission,
    "POST /v1/track/{tracking_code}/information": _with_a_pin_header,
    "POST /v1/track/{tracking_code}/withdrawal": _with_a_pin_header,
    "GET /v1/admin/people/export": _one_person,
    "POST /v1/consultations": _consultation_in_order,
    "PUT /v1/consultations/{consultation_id}": _consultation_in_order,
    "POST /v1/committees": _committee_in_order,
    "POST /v1/mission-surveys": _survey_in_order,
    "PUT /v1/mission-surveys/{survey_id}": _survey_in_order,
    "PUT /v1/missions/{fiscal_year}": _plan_of_the_url,
    "PUT /v1/missions/{fiscal_year}/items/{code}": _item_of_the_url,
    "POST /v1/outcomes": _one_basis,
    "PATCH /v1/outcomes/{outcome_id}": _reason_when_not_adopted,
}


def _negated_files_stay_negated(case: schemathesis.Case) -> None:
    """A form's file negated as "not binary" is sent as plain bytes, which a multipart body
    carries exactly like a file (here, a valid PNG): made a file of no type taken (415),
    it stays what the case says it is, a request to refuse. Files generated as files
    (schemathesis's `Binary`) are left alone."""
    if isinstance(case.body, dict) and case.media_type == "multipart/form-data":
        for name, value in case.body.items():
            if name.startswith("attachment") and isinstance(value, bytes):
                case.body[name] = b"not a photo, a PDF or anything this office takes"


def _positive(case: schemathesis.Case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


#: The contract accounts' first password, and each one's password as it stands now: a
#: change through `POST /v1/auth/password` that succeeds moves it on.
FIRST_PASSWORD = "Contract-Kq#7vW!pXz-0"
PASSWORDS: dict[str, str] = {}
CHANGE_MY_PASSWORD = "POST /v1/auth/password"


@dataclass
class Caller:
    """Who sends the requests of one run: the headers of each request."""

    service: str
    role: str
    headers: Callable[[], dict[str, str]] = field(default=lambda: {})
    account: Account | None = None

    def call_and_validate(self, case: schemathesis.Case) -> None:
        SENT[(self.service, self.role)] += 1
        keep = CROSS_FIELD.get(case.operation.label)
        if keep is not None and _positive(case):
            keep(case)
        if not _positive(case):
            _negated_files_stay_negated(case)
        new_password = self._knows_its_password(case)
        # A case that leaves its credentials out (or spoils them) on purpose keeps them so.
        negated = case.operation.schema.is_security_param_negated(case)
        response = case.call_and_validate(headers=None if negated else self.headers() or None)
        if new_password is not None and response.status_code == 200:
            PASSWORDS[self.account.id] = new_password  # type: ignore[union-attr]

    def _knows_its_password(self, case: schemathesis.Case) -> str | None:
        """A valid password change gives the account's current password (a wrong one is
        refused, and counted toward the lock-out) and a new one the rules take, as the
        description says; the new one, if so."""
        if case.operation.label != CHANGE_MY_PASSWORD or not _positive(case):
            return None
        if self.account is None or not isinstance(case.body, dict):
            return None
        new = _a_password_for(self.account.id, self.account.document()["name"])
        case.body.update(current_password=PASSWORDS[self.account.id], new_password=new)
        return new


def staff_caller(service: str, role: str, db: Database[Any], auth: AuthSettings) -> Caller:
    account = ACCOUNTS[role]

    def headers() -> dict[str, str]:
        doc = db[STAFF_COLLECTION].find_one({"_id": account.id}) or {}
        token = issue_token(
            auth,
            id=account.id,
            name=str(doc.get("name", account.id)),
            role=account.role,
            unit=account.unit,
            session_version=int(doc.get(SESSION_VERSION, 0)),
        )
        return {"Authorization": f"Bearer {token}"}

    return Caller(service, role, headers, account)


@contextmanager
def mongo(url: str, name: str) -> Iterator[Database[Any]]:
    client: MongoClient[Any] = MongoClient(url)
    try:
        yield client[name]
    finally:
        client.close()


def seed_accounts(db: Database[Any]) -> None:
    first = hash_password(FIRST_PASSWORD)
    db[STAFF_COLLECTION].insert_many(
        [{**a.document(), "password_hash": first} for a in ACCOUNTS.values()]
    )
    PASSWORDS.update(dict.fromkeys((a.id for a in ACCOUNTS.values()), FIRST_PASSWORD))


@contextmanager
def served(app: FastAPI, *, connected_within: float = 60.0) -> Iterator[OpenApiSchema]:
    """The app's OpenAPI as schemathesis reads it, the app started (its lifespan runs in
    schemathesis's own event loop thread) and connected to Kafka; stopped afterwards."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config())
    runtime = app.state.runtime
    deadline = time.monotonic() + connected_within
    while not runtime.broker_connected.is_set():
        if time.monotonic() > deadline:
            raise AssertionError(f"{runtime.service} did not connect to Kafka")
        time.sleep(0.05)
    try:
        yield schema
    finally:
        asgi.shutdown_lifespans()


def summary() -> list[str]:
    if not SENT:
        return []
    lines = ["generated requests per service and caller:"]
    for service in sorted({s for s, _ in SENT}):
        per = {r: n for (s, r), n in SENT.items() if s == service}
        parts = ", ".join(f"{r} {n}" for r, n in per.items())
        lines.append(f"  {service}: {sum(per.values())} ({parts})")
    lines.append(f"  total: {sum(SENT.values())} at {datetime.now(UTC):%H:%M:%S}Z")
    return lines
