"""The body of `POST /v1/submissions` (and of the web form): what a person tells the office.

Pure validation, no I/O. `channel` is deliberately absent: it comes from the caller's
credentials, never from what the caller claims. The category is checked against the
catalogue passed in the validation context, so the API and the web form share exactly one
path: `parse_submission`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from shared.contract.catalogue import Catalogue, UnknownCategory
from shared.contract.events import (
    Channel,
    ComplaintType,
    Consent,
    Contact,
    Kind,
    Language,
    LetterReference,
    Location,
    SubmissionReceived,
)
from shared.thai.dates import BANGKOK

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

# Thai numbers: mobiles are 10 digits starting 06/08/09, landlines 9 digits starting 02-07.
# People write them with dashes or spaces ("02-123-4567", "081 234 5678").
# ASCII digits only: `\d` also takes Thai and other digits, which are no E.164 number.
_THAI_MOBILE = re.compile(r"^0[689][0-9]{8}$")
_THAI_LANDLINE = re.compile(r"^0[2-7][0-9]{7}$")
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
# Deliberately loose: the only real check of an address is a message that arrives.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
# A LINE Messaging API user id (from the LINE channel) or the LINE ID a person types.
_LINE_USER_ID = re.compile(r"^U[0-9a-f]{32}$")
_LINE_HANDLE = re.compile(r"^@?[A-Za-z0-9._-]{4,20}$")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_optionals_are_absent(cls, data: Any) -> Any:
        # Forms (and many clients) send "" for a field left blank: for an optional field
        # that means "not given", not "invalid". A blank required field stays an error.
        if not isinstance(data, dict):
            return data
        return {
            k: v
            for k, v in data.items()
            if not (
                isinstance(v, str)
                and v.strip() == ""
                and k in cls.model_fields
                and not cls.model_fields[k].is_required()
            )
        }


def normalise_phone(raw: str) -> str:
    """A Thai or E.164 phone number in E.164 form (+66...), or a `phone_format` error."""
    compact = _PHONE_SEPARATORS.sub("", raw)
    if _THAI_MOBILE.match(compact) or _THAI_LANDLINE.match(compact):
        return "+66" + compact[1:]
    if compact.startswith("+66") and (
        _THAI_MOBILE.match("0" + compact[3:]) or _THAI_LANDLINE.match("0" + compact[3:])
    ):
        return compact
    if _E164.match(compact) and not compact.startswith("+66"):
        return compact
    raise PydanticCustomError("phone_format", "not a Thai or E.164 phone number")


class ContactIn(_Body):
    """Who to answer. Every field is optional: anonymous submissions are welcome."""

    name: ShortText | None = None
    phone: str | None = Field(default=None, max_length=25, examples=["081-234-5678"])
    email: str | None = Field(default=None, max_length=254, examples=["somchai@example.com"])
    line_user_id: str | None = Field(default=None, max_length=64, examples=["@somchai.k"])

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else normalise_phone(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _EMAIL.match(value):
            raise PydanticCustomError("email_format", "not an e-mail address")
        return value

    @field_validator("line_user_id")
    @classmethod
    def _line(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not (_LINE_USER_ID.match(value) or _LINE_HANDLE.match(value)):
            raise PydanticCustomError("line_id_format", "not a LINE user id")
        return value

    def to_contact(self) -> Contact | None:
        """The details given, or None when every field is empty (anonymous)."""
        if not any((self.name, self.phone, self.email, self.line_user_id)):
            return None
        return Contact(
            name=self.name, phone=self.phone, email=self.email, line_user_id=self.line_user_id
        )


class LocationIn(_Body):
    text: str | None = Field(default=None, max_length=500)
    # Strict: a coordinate is a JSON number, not text or true (as the schema says).
    lat: StrictFloat | None = Field(default=None, ge=-90, le=90)
    lon: StrictFloat | None = Field(default=None, ge=-180, le=180, validate_default=True)

    @field_validator("lon")
    @classmethod
    def _both_or_neither(cls, lon: float | None, info: ValidationInfo) -> float | None:
        # A latitude without a longitude (or the reverse) points nowhere.
        lat = info.data.get("lat")
        if (lat is None) != (lon is None) and "lat" in info.data:
            raise PydanticCustomError("coordinates_pair", "give both lat and lon, or neither")
        return lon

    def to_location(self) -> Location | None:
        if self.text is None and self.lat is None:
            return None
        return Location(text=self.text or None, lat=self.lat, lon=self.lon)


class ConsentIn(Consent):
    """The consent as the body gives it: yes-or-no is `true` or `false`, not 1 or "yes"
    (which pydantic alone would take)."""

    @field_validator("contact_me", "share_name_with_unit", mode="before")
    @classmethod
    def _yes_or_no(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        code = "bool_parsing" if isinstance(value, str) else "bool_type"
        raise PydanticCustomError(code, "must be true or false")


# An opinion on a consultation: the kinds it may be, the shape of its group and answers
# (as the participation service names groups and questions).
OPINION_KINDS = frozenset({Kind.feedback, Kind.suggestion})
GROUP_CODE = r"^[a-z][a-z0-9_-]{0,31}$"
QUESTION_ID = r"^[a-z0-9_]{1,32}$"
MAX_ANSWERS = 50
Answer = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]


def _field_error(field: str, code: str, message: str) -> ValidationError:
    """A refusal of one field found by a rule across fields, located at that field."""
    return ValidationError.from_exception_data(
        "SubmissionRequest",
        [
            {
                "type": PydanticCustomError(code, message),
                "loc": tuple(field.split(".")),
                "input": None,
            }
        ],
    )


# A date as JSON writes it; pydantic alone would also take a number (a Unix time).
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class SubmissionRequest(_Body):
    """A complaint, feedback, suggestion, compliment or question, from any channel."""

    kind: Kind
    complaint_type: ComplaintType | None = Field(
        default=None,
        validate_default=True,
        description="Required for complaints (service or misconduct); absent otherwise.",
    )
    category: str = Field(
        min_length=1, max_length=40, description="A code from `GET /v1/categories`."
    )
    subject: Subject
    description: Description
    occurred_on: date | None = Field(
        default=None, description="When it happened; not in the future (Asia/Bangkok)."
    )
    location: LocationIn | None = None
    language: Language = Language.th
    contact: ContactIn | None = None
    consent: ConsentIn = ConsentIn()
    consultation_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9._:-]{1,64}$",
        description=(
            "The open public consultation this opinion is about (kinds feedback and "
            "suggestion only): 422 when no consultation has this id, 409 when it takes "
            "no opinions now."
        ),
    )
    stakeholder_group: str | None = Field(
        default=None,
        pattern=GROUP_CODE,
        description="With `consultation_id`: the sender's stakeholder group, one it asks.",
    )
    answers: dict[Annotated[str, StringConstraints(pattern=QUESTION_ID)], Answer] | None = Field(
        default=None,
        max_length=MAX_ANSWERS,
        description=(
            "With `consultation_id`: question id -> the text written, or the code of the "
            "choice picked. Without answers the description is the opinion."
        ),
    )
    named_person: ShortText | None = Field(
        default=None, description="The person the complaint is about, if named."
    )

    @field_validator("complaint_type")
    @classmethod
    def _complaint_type(
        cls, value: ComplaintType | None, info: ValidationInfo
    ) -> ComplaintType | None:
        kind = info.data.get("kind")
        if kind is None:
            return value  # kind itself is invalid; that error is enough
        if kind == Kind.complaint and value is None:
            raise PydanticCustomError("complaint_type_required", "required for a complaint")
        if kind != Kind.complaint and value is not None:
            raise PydanticCustomError("complaint_type_forbidden", "only for a complaint")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, code: str, info: ValidationInfo) -> str:
        catalogue = _context(info).get("catalogue")
        if not isinstance(catalogue, Catalogue):
            # Only `parse_submission` validates; skipping the check silently would let
            # an unknown category through, so refuse loudly instead.
            raise RuntimeError("SubmissionRequest must be validated with a catalogue")
        try:
            category = catalogue.category(code)
        except UnknownCategory:
            raise PydanticCustomError(
                "unknown_category", "no such category: {code}", {"code": code}
            ) from None
        kind = info.data.get("kind")
        if kind is not None and kind not in category.kinds:
            raise PydanticCustomError(
                "kind_not_accepted",
                "category {code} does not accept {kind}",
                {"code": code, "kind": str(kind)},
            )
        return code

    def opinion_answers(self) -> dict[str, str]:
        """The answers given, blanks dropped."""
        return {q: a for q, a in (self.answers or {}).items() if a.strip()}

    @field_validator("occurred_on", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise PydanticCustomError("date_type", "not a date (YYYY-MM-DD)")
        if not _ISO_DATE.match(value):
            raise PydanticCustomError("date_from_datetime_parsing", "not a date (YYYY-MM-DD)")
        return value

    @field_validator("occurred_on")
    @classmethod
    def _not_in_future(cls, value: date | None, info: ValidationInfo) -> date | None:
        today = _context(info).get("today") or datetime.now(BANGKOK).date()
        if value is not None and value > today:
            raise PydanticCustomError("date_in_future", "must not be in the future")
        return value

    def to_event_data(
        self,
        *,
        submission_id: str,
        tracking_code: str,
        channel: Channel,
        keyed_by: str | None,
        received_at: datetime,
        tracking_pin_hash: str | None = None,
        person_id: str | None = None,
        letter: LetterReference | None = None,
    ) -> SubmissionReceived:
        """The event of this submission. It names the sender only by `person_id`, their
        reference in the personal-data store; the contact itself never travels."""
        return SubmissionReceived(
            submission_id=submission_id,
            tracking_code=tracking_code,
            channel=channel,
            kind=self.kind,
            complaint_type=self.complaint_type,
            category=self.category,
            subject=self.subject,
            description=self.description,
            occurred_on=self.occurred_on,
            location=self.location.to_location() if self.location else None,
            language=self.language,
            person_id=person_id,
            consent=self.consent,
            consultation_id=self.consultation_id,
            stakeholder_group=self.stakeholder_group,
            answers=self.opinion_answers(),
            keyed_by=keyed_by,
            named_person=self.named_person,
            letter=letter,
            received_at=received_at,
            tracking_pin_hash=tracking_pin_hash,
        )


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _check_opinion_fields(body: SubmissionRequest) -> SubmissionRequest:
    """An opinion on a consultation is feedback or a suggestion; its group and answers
    mean nothing without the consultation, and contact details go with consent (as on
    the consultation's own page). Checked after the fields, so each refusal names one."""
    if body.consultation_id is None:
        for name in ("stakeholder_group", "answers"):
            if getattr(body, name):
                raise _field_error(name, "only_with_consultation", "only with consultation_id")
        return body
    if body.kind not in OPINION_KINDS:
        raise _field_error(
            "consultation_id", "kind_not_for_consultation", "only for feedback or suggestion"
        )
    has_contact = body.contact is not None and body.contact.to_contact() is not None
    if has_contact and not body.consent.contact_me:
        raise _field_error(
            "consent.contact_me", "consent_for_contact", "must be true to leave contact details"
        )
    return body


def parse_submission(
    raw: bytes | str | dict[str, Any], catalogue: Catalogue, *, today: date | None = None
) -> SubmissionRequest:
    """Validate a body (JSON text or an already-decoded mapping) against the catalogue.

    Raises pydantic's `ValidationError`; each error's `loc` names the field.
    """
    context = {"catalogue": catalogue, "today": today}
    if isinstance(raw, dict):
        body = SubmissionRequest.model_validate(raw, context=context)
    else:
        body = SubmissionRequest.model_validate_json(raw, context=context)
    return _check_opinion_fields(body)


OPENAPI_EXAMPLES: dict[str, dict[str, Any]] = {
    "complaint_th": {
        "summary": "ร้องเรียนการให้บริการ (ภาษาไทย)",
        "value": {
            "kind": "complaint",
            "complaint_type": "service",
            "category": "documents",
            "subject": "ขอหนังสือรับรองการทำงานแล้วไม่ได้รับภายในกำหนด",
            "description": (
                "ยื่นคำขอหนังสือรับรองการทำงานเมื่อวันที่ 3 มีนาคม "
                "เจ้าหน้าที่แจ้งว่าจะได้รับภายใน 7 วัน แต่ผ่านมา 3 สัปดาห์ยังไม่ได้รับ"
            ),
            "occurred_on": "2025-03-03",
            "location": {"text": "สำนักงานเขตพื้นที่การศึกษา ชั้น 2", "lat": 13.7563, "lon": 100.5018},
            "language": "th",
            "contact": {"name": "สมชาย ใจดี", "phone": "081-234-5678"},
            "consent": {"contact_me": True, "share_name_with_unit": False},
        },
    },
    "question_en": {
        "summary": "A question (English)",
        "value": {
            "kind": "question",
            "category": "school-admission",
            "subject": "When does admission for grade 1 open?",
            "description": "My daughter turns six in May. When and where do we apply?",
            "language": "en",
            "contact": {"email": "parent@example.com"},
            "consent": {"contact_me": True},
        },
    },
    "anonymous_th": {
        "summary": "ร้องเรียนแบบไม่ระบุตัวตน",
        "value": {
            "kind": "complaint",
            "complaint_type": "misconduct",
            "category": "teacher-conduct",
            "subject": "ครูเก็บเงินนักเรียนโดยไม่มีใบเสร็จ",
            "description": "ครูประจำชั้นเก็บเงินค่ากิจกรรมคนละ 200 บาท ไม่ออกใบเสร็จ",
            "language": "th",
        },
    },
}
