"""The JSON Schema of `POST /v1/submissions`' body, as exact as `parse_submission`: a
body valid by it is accepted unless the office's state refuses it (a key reused, the
service away), and one invalid by it is refused with 422.

pydantic's own schema of `SubmissionRequest` says less than the validation does: text
is stripped before its length is checked, a blank optional field counts as absent, the
phone, e-mail and LINE id have their formats, a category must be the catalogue's and
accept the kind, a complaint needs its type and nothing else may have one, and a
location has both coordinates or neither. Each is written here as JSON Schema; what
JSON Schema has no words for, "not after today in Bangkok", is the `past-date` format.
"""

from __future__ import annotations

from typing import Any

from services.intake.domain.submission import GROUP_CODE, MAX_ANSWERS, OPINION_KINDS, QUESTION_ID
from shared.contract.catalogue import Catalogue
from shared.contract.events import ComplaintType, Kind, Language

Schema = dict[str, Any]

#: Whitespace only: what a blank optional field may be (it then counts as absent).
BLANK: Schema = {"type": "string", "pattern": r"^\s*$"}
#: The separators people put in phone numbers ("02-123-4567", "081 234 5678", "(02)").
_SEP = r"[\s\-().]*"


def _digits(n: str) -> str:
    return f"({_SEP}[0-9]){{{n}}}"


_PHONE = (
    rf"^{_SEP}("
    rf"0{_SEP}[689]{_digits('8')}"  # a Thai mobile
    rf"|0{_SEP}[2-7]{_digits('7')}"  # a Thai landline
    rf"|\+{_SEP}6{_SEP}6{_SEP}([689]{_digits('8')}|[2-7]{_digits('7')})"  # the same, +66
    rf"|\+{_SEP}([1-57-9]{_digits('7,14')}|6{_SEP}[0-57-9]{_digits('6,13')})"  # E.164 elsewhere
    rf"){_SEP}$"
)


def stripped_text(max_length: int) -> Schema:
    """Text that is 1 to `max_length` characters once the whitespace around it goes."""
    return {"type": "string", "pattern": rf"^\s*\S([\s\S]{{0,{max_length - 2}}}\S)?\s*$"}


def _stripped(pattern: str) -> Schema:
    return {"type": "string", "pattern": rf"^\s*({pattern})\s*$"}


def _optional(schema: Schema) -> Schema:
    """An optional field: the value, null, or blank."""
    return {"anyOf": [schema, {"type": "null"}, BLANK]}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


_CONTACT: Schema = {
    "name": _optional(stripped_text(200)),
    "phone": _optional({"type": "string", "pattern": _PHONE, "maxLength": 25}),
    "email": _optional({**_stripped(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}"), "maxLength": 254}),
    "line_user_id": _optional(_stripped(r"U[0-9a-f]{32}|@?[A-Za-z0-9._-]{4,20}")),
}
_COORDINATE = {"lat": (-90, 90), "lon": (-180, 180)}
_ABSENT: Schema = {"anyOf": [{"type": "null"}, BLANK]}


def _location() -> Schema:
    coordinates = {
        name: {"type": "number", "minimum": low, "maximum": high}
        for name, (low, high) in _COORDINATE.items()
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "A place: its text, and both coordinates or neither.",
        "properties": {
            "text": _optional({"type": "string", "pattern": r"^\s*(\S([\s\S]{0,498}\S)?)?\s*$"}),
            "lat": {},
            "lon": {},
        },
        "anyOf": [
            {"required": ["lat", "lon"], "properties": coordinates},
            {"properties": {"lat": _ABSENT, "lon": _ABSENT}},
        ],
    }


def _by_kind(catalogue: Catalogue) -> list[Schema]:
    """Per kind: the categories that accept it, and whether a complaint type goes with it."""
    out = []
    for kind in Kind:
        codes = [c.code for c in catalogue.categories if kind in c.kinds]
        if not codes:
            continue
        required = ["kind", "category"]
        if kind is Kind.complaint:
            complaint_type: Schema = {"enum": [t.value for t in ComplaintType]}
            required.append("complaint_type")
        else:
            complaint_type = _ABSENT
        properties: Schema = {
            "kind": {"const": kind.value},
            "category": _stripped("|".join(codes)),
            "complaint_type": complaint_type,
        }
        if kind not in OPINION_KINDS:
            # Only feedback and suggestions are opinions on a consultation.
            properties["consultation_id"] = _ABSENT
        out.append({"required": required, "properties": properties})
    return out


def body_schema(base: Schema, catalogue: Catalogue) -> Schema:
    """`base` (pydantic's schema of `SubmissionRequest`, its `$defs` included) made exact
    for `catalogue`'s categories."""
    defs = base["$defs"]
    defs["ContactIn"]["properties"] = _CONTACT
    defs["LocationIn"] = _location()
    props = base["properties"]
    props["category"] = {
        "type": "string",
        "description": props["category"].get("description", ""),
    }
    props["complaint_type"] = {
        "description": props["complaint_type"].get("description", ""),
    }
    props["subject"] = stripped_text(200)
    props["description"] = stripped_text(10_000)
    props["occurred_on"] = _optional(
        {
            "type": "string",
            "format": "past-date",
            "description": "A date (YYYY-MM-DD) not after today in Asia/Bangkok.",
        }
    )
    props["location"] = _optional(_ref("LocationIn"))
    props["language"] = {"anyOf": [_ref("Language"), BLANK], "default": "th"}
    props["contact"] = _optional(_ref("ContactIn"))
    props["consent"] = {"anyOf": [_ref("ConsentIn"), BLANK]}
    props["consultation_id"] = _optional(_stripped(r"[A-Za-z0-9._:-]{1,64}"))
    props["stakeholder_group"] = _optional(
        {**_stripped(GROUP_CODE.strip("^$")), "description": "With `consultation_id` only."}
    )
    props["answers"] = _optional(
        {
            "type": "object",
            "description": props["answers"].get("description", ""),
            "propertyNames": {"pattern": QUESTION_ID},
            "maxProperties": MAX_ANSWERS,
            "additionalProperties": {"anyOf": [stripped_text(5000), BLANK]},
        }
    )
    props["named_person"] = _optional(stripped_text(200))
    base["anyOf"] = _by_kind(catalogue)
    base["description"] = (
        f"{base.get('description', '')} The whole body is at most 64 KiB."
    ).strip()
    return base


def form_schema(catalogue: Catalogue, files: tuple[str, ...]) -> Schema:
    """The same body sent as a `multipart/form-data` form (with files): each field by its
    dotted name (`contact.email`, `location.lat`, `answers.<question>`), a blank field
    not given, a yes-or-no `true` or `false`, and `files` as file fields; as exact as the
    JSON body's schema, the categories and complaint type by kind included."""

    def blank_or(schema: Schema) -> Schema:
        return {"anyOf": [schema, BLANK]}

    yes_or_no: Schema = {"type": "string", "enum": ["true", "false"]}
    coordinates = {
        f"location.{name}": {"type": "number", "minimum": low, "maximum": high}
        for name, (low, high) in _COORDINATE.items()
    }
    properties: Schema = {
        "kind": {"type": "string", "enum": [k.value for k in Kind]},
        "complaint_type": {"description": "Required for complaints; absent otherwise."},
        "category": {"type": "string", "description": "A code from `GET /v1/categories`."},
        "subject": stripped_text(200),
        "description": stripped_text(10_000),
        "occurred_on": blank_or({"type": "string", "format": "past-date"}),
        "language": blank_or({"type": "string", "enum": [lang.value for lang in Language]}),
        "location.text": blank_or(
            {"type": "string", "pattern": r"^\s*(\S([\s\S]{0,498}\S)?)?\s*$"}
        ),
        "location.lat": {},
        "location.lon": {},
        **{f"contact.{name}": blank_or(field["anyOf"][0]) for name, field in _CONTACT.items()},
        "consent.contact_me": yes_or_no,
        "consent.share_name_with_unit": yes_or_no,
        "consultation_id": blank_or(_stripped(r"[A-Za-z0-9._:-]{1,64}")),
        "stakeholder_group": blank_or(_stripped(GROUP_CODE.strip("^$"))),
        "named_person": blank_or(stripped_text(200)),
        **{
            name: {
                "type": "string",
                "format": "binary",
                "description": "A photo or document: JPEG, PNG or PDF by its content",
            }
            for name in files
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "category", "subject", "description"],
        "properties": properties,
        "patternProperties": {
            rf"^answers\.{QUESTION_ID.strip('^$')}$": blank_or(stripped_text(5000))
        },
        "allOf": [
            {"anyOf": _by_kind(catalogue)},
            {
                "anyOf": [
                    {"required": ["location.lat", "location.lon"], "properties": coordinates},
                    {"properties": {"location.lat": BLANK, "location.lon": BLANK}},
                ]
            },
        ],
    }
