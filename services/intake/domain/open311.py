"""Open311 GeoReport v2, pure: the catalogue as services, a posted request as the one
submission body, the filters of a request search, and a tracked submission as a service
request. No I/O and no encoding: `api/open311.py` writes JSON or XML.

A service is a category of the catalogue; its one attribute, `kind`, says what is told
(a complaint about a service unless the category takes no complaints). The service
request id is the tracking code; the token is the submission id. A request's status is
open or closed as the one vocabulary groups the case's status
(`shared/contract/vocabulary.py`). What a person wrote, where, and who they are stay
with the office: a request read back carries its status, service, dates and the unit
responsible, never the description, the place or the contact (as on the public tracking
page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.intake.domain.kind_choices import KIND_CHOICES
from services.intake.domain.tracking import InvalidTrackingCode, normalise_tracking_code
from shared.contract.catalogue import Catalogue, Category, UnknownCategory
from shared.contract.events import CaseStatus, Kind, Language
from shared.contract.vocabulary import CLOSED_STATUSES, STATUS_LABELS
from shared.thai.dates import BANGKOK

MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
MAX_DESCRIPTION = 4000  # the spec's limit
SUBJECT_CHARS = 80
KIND_ATTRIBUTE = "kind"
# RFC 3339 as w3 dates are written (the spec's format): a zone is required.
_W3 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
_NUMBER = re.compile(r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$")


class Open311Error(Exception):
    """A refusal in the spec's words: its HTTP code and a description."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description


def _name(category: Category, language: Language) -> str:
    return category.name_en if language is Language.en else category.name_th


def _kinds_of(category: Category) -> list[str]:
    return [k for k in KIND_CHOICES if Kind(k.split(":")[0]) in category.kinds]


def services(catalogue: Catalogue, language: Language) -> list[dict[str, Any]]:
    """GET services: every category, with the unit that answers it as its group."""
    return [
        {
            "service_code": c.code,
            "service_name": _name(c, language),
            "description": f"{c.name_th} / {c.name_en}",
            "metadata": True,
            "type": "realtime",
            "keywords": ", ".join(k.value for k in c.kinds),
            "group": _unit_name(catalogue, c.unit, language),
        }
        for c in catalogue.categories
    ]


def _unit_name(catalogue: Catalogue, code: str, language: Language) -> str:
    unit = catalogue.unit(code)
    return unit.name_en if language is Language.en else unit.name_th


def service(catalogue: Catalogue, code: str) -> Category:
    try:
        return catalogue.category(code)
    except UnknownCategory:
        raise Open311Error(404, f"service_code {code!r} not found") from None


def definition(catalogue: Catalogue, code: str, language: Language) -> dict[str, Any]:
    """GET a service definition: the one attribute, what kind of matter it is."""
    category = service(catalogue, code)
    english = language is Language.en
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": KIND_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 1,
                "description": (
                    "What is it? (a complaint about the service if not said)"
                    if english
                    else "เป็นเรื่องแบบใด (ไม่ระบุ: ร้องเรียนการบริการ)"
                ),
                "values": [
                    {"key": k, "name": KIND_CHOICES[k][1] if english else KIND_CHOICES[k][0]}
                    for k in _kinds_of(category)
                ],
            }
        ],
    }


@dataclass(frozen=True, slots=True)
class Posted:
    """A posted service request as the one submission body (contact included)."""

    body: dict[str, Any]


def _one(form: Mapping[str, str], name: str) -> str | None:
    value = form.get(name)
    return value.strip() if value is not None and value.strip() else None


def _coordinate(form: Mapping[str, str], name: str) -> float | None:
    raw = _one(form, name)
    if raw is None:
        return None
    if not _NUMBER.match(raw):
        raise Open311Error(400, f"{name} must be a number")
    return float(raw)


def posted(form: Mapping[str, str], catalogue: Catalogue) -> Posted:
    """The submission body of a POST's fields, or `Open311Error` (400/404) naming the
    field. The body itself is then validated as every channel's is."""
    code = _one(form, "service_code")
    if code is None:
        raise Open311Error(400, "service_code is required")
    category = service(catalogue, code)
    description = _one(form, "description")
    if description is None:
        raise Open311Error(400, "description is required: say what happened")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description must be at most {MAX_DESCRIPTION} characters")
    kinds = _kinds_of(category)
    chosen = _one(form, f"attribute[{KIND_ATTRIBUTE}]") or (
        "complaint:service" if "complaint:service" in kinds else kinds[0]
    )
    if chosen not in kinds:
        raise Open311Error(400, f"attribute[kind] must be one of {', '.join(kinds)}")
    kind, _, complaint_type = chosen.partition(":")
    first = description.splitlines()[0].strip()
    subject = first if len(first) <= SUBJECT_CHARS else first[: SUBJECT_CHARS - 1] + "…"
    body: dict[str, Any] = {
        "kind": kind,
        "category": category.code,
        "subject": subject,
        "description": description,
    }
    if complaint_type:
        body["complaint_type"] = complaint_type
    media = _one(form, "media_url")
    if media is not None:
        # No photo is fetched from an address a client names; staff see the link.
        body["description"] = f"{description}\n\nmedia_url: {media[:500]}"
    lat, lon = _coordinate(form, "lat"), _coordinate(form, "long")
    if (lat is None) != (lon is None):
        raise Open311Error(400, "lat and long go together: give both, or neither")
    place = _one(form, "address_string") or _one(form, "address_id")
    if place is not None or lat is not None:
        body["location"] = {"text": place, "lat": lat, "lon": lon}
    name = " ".join(n for n in (_one(form, "first_name"), _one(form, "last_name")) if n)
    contact = {
        k: v
        for k, v in (("name", name), ("email", _one(form, "email")), ("phone", _one(form, "phone")))
        if v
    }
    if contact:
        # Leaving an e-mail or a phone number through an app is asking to be answered.
        body["contact"] = contact
        body["consent"] = {"contact_me": True}
    return Posted(body)


#: What the spec calls each field the submission model names otherwise.
FIELD_NAMES = {
    "location.lat": "lat",
    "location.lon": "long",
    "location.text": "address_string",
    "contact.name": "first_name",
    "contact.email": "email",
    "contact.phone": "phone",
    "category": "service_code",
    "kind": "attribute[kind]",
    "complaint_type": "attribute[kind]",
}


@dataclass(frozen=True, slots=True)
class Search:
    """GET requests: by ids (which overrides the rest), or by services, dates and status."""

    ids: tuple[str, ...] = ()
    by_ids: bool = False  # ids were asked for: only those (none, if none is a code)
    services: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset()


def w3_date(raw: str, name: str) -> datetime:
    if not _W3.fullmatch(raw):
        raise Open311Error(400, f"{name} must be a w3 date-time such as 2010-01-01T00:00:00Z")
    try:
        return datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} is not a date-time that exists") from None


#: The shapes of the search's lists, as documented: comma-separated, no empty entry.
LIST_PATTERN = r"^[^,]+(,[^,]+)*$"
STATUS_PATTERN = r"^(open|closed)(,(open|closed))*$"


def _listed(raw: str | None, name: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not re.fullmatch(LIST_PATTERN, raw):
        raise Open311Error(400, f"{name} must be a comma-separated list with no empty entry")
    return tuple(p.strip() for p in raw.split(","))


def _code_or_none(raw: str) -> str | None:
    try:
        return normalise_tracking_code(raw)
    except InvalidTrackingCode:
        return None


def search(params: Mapping[str, str], now: datetime) -> Search:
    """The filters of a GET requests, or `Open311Error` (400) naming the parameter. No
    dates: the last 90 days; at most 1000 requests, the newest first."""
    # Every parameter is checked, though ids override the others' selection.
    ids = _listed(params.get("service_request_id"), "service_request_id")[:MAX_REQUESTS]
    services = _listed(params.get("service_code"), "service_code")
    status = params.get("status")
    if status is not None and not re.fullmatch(STATUS_PATTERN, status):
        raise Open311Error(400, "status must be open, closed or both (comma-separated)")
    statuses = frozenset(status.split(",")) if status else frozenset()
    start = w3_date(params["start_date"], "start_date") if "start_date" in params else None
    end = w3_date(params["end_date"], "end_date") if "end_date" in params else None
    if ids:
        # An id that is no tracking code we could have issued is simply not found.
        return Search(ids=tuple(c for c in map(_code_or_none, ids) if c), by_ids=True)
    if start is None and end is None:
        start = now - timedelta(days=DEFAULT_DAYS)
    return Search(
        services=services,
        start=start,
        end=end,
        statuses=statuses,
    )


def open_or_closed(status: str) -> str:
    """The spec's two statuses, as the one vocabulary groups the case's."""
    return "closed" if status in {s.value for s in CLOSED_STATUSES} else "open"


def _w3(at: datetime | None) -> str | None:
    return at.astimezone(BANGKOK).isoformat(timespec="seconds") if at else None


@dataclass(frozen=True, slots=True)
class Tracked:
    """What intake knows of one Open311 submission, and its case's public progress."""

    tracking_code: str
    submission_id: str
    category: str
    received_at: datetime
    status: str  # the case's status ("received" before workflow opened it)
    unit: str | None
    updated_at: datetime | None
    answer_due_at: datetime | None
    public_answer: str | None


def request_view(tracked: Tracked, catalogue: Catalogue, language: Language) -> dict[str, Any]:
    """One service request as GET requests shows it, in the spec's order of fields."""
    try:
        category = catalogue.category(tracked.category)
        service_name: str | None = _name(category, language)
        unit_code: str | None = tracked.unit or category.unit
    except UnknownCategory:
        service_name, unit_code = None, tracked.unit
    try:
        label: str | None = STATUS_LABELS[CaseStatus(tracked.status)].in_language(language)
    except ValueError:
        label = None
    notes = ": ".join(p for p in (label, tracked.public_answer) if p) or None
    known = {u.code for u in catalogue.units}
    agency = (
        _unit_name(catalogue, unit_code, language)
        if unit_code is not None and unit_code in known
        else unit_code
    )
    return {
        "service_request_id": tracked.tracking_code,
        "status": open_or_closed(tracked.status),
        "status_notes": notes,
        "service_name": service_name,
        "service_code": tracked.category,
        "description": None,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _w3(tracked.received_at),
        "updated_datetime": _w3(tracked.updated_at or tracked.received_at),
        "expected_datetime": _w3(tracked.answer_due_at),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def notice(code: str, pin: str, url: str) -> str:
    """The service notice of a new request: how the person follows it on the web."""
    return (
        f"รับเรื่องแล้ว รหัสติดตาม {code} รหัส PIN {pin} ติดตามได้ที่ {url} / "
        f"Received: tracking code {code}, PIN {pin}; follow it at {url}"
    )
