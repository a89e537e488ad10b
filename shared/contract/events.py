"""Every event Siang publishes: the CloudEvents 1.0 envelope and the data of each type.

One place per contract (ARCHITECTURE.md shows who publishes and who reads each topic).
Models are frozen and named in the past tense; they change only additively, and a breaking
change is a new `.v2` type on a new topic. `tests/unit/shared/test_events.py` compares
each model's JSON Schema with the committed one under `shared/contract/schemas/`, so a
contract change shows in review.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

import orjson
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from shared.contract import topics

TYPE_PREFIX = "th.go.siang."


class Kind(StrEnum):
    complaint = "complaint"
    feedback = "feedback"
    suggestion = "suggestion"
    compliment = "compliment"
    question = "question"


class ComplaintType(StrEnum):
    service = "service"
    misconduct = "misconduct"


class Channel(StrEnum):
    web = "web"
    line = "line"
    email = "email"
    phone = "phone"
    walk_in = "walk_in"
    letter = "letter"
    facebook = "facebook"
    open311 = "open311"
    api = "api"


STAFF_KEYED_CHANNELS = frozenset({Channel.phone, Channel.walk_in, Channel.letter})


class Language(StrEnum):
    th = "th"
    en = "en"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class CaseStatus(StrEnum):
    received = "received"
    triaged = "triaged"
    assigned = "assigned"
    in_progress = "in_progress"
    awaiting_info = "awaiting_info"
    resolved = "resolved"
    closed = "closed"


class CloseReason(StrEnum):
    resolved = "resolved"
    duplicate = "duplicate"
    referred = "referred"
    not_in_scope = "not_in_scope"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Clock(StrEnum):
    acknowledge = "acknowledge"
    first_response = "first_response"
    resolution = "resolution"


class Visibility(StrEnum):
    internal = "internal"
    public = "public"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------- submissions


class Location(Frozen):
    text: str | None = Field(default=None, max_length=500)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class LetterReference(Frozen):
    """An official letter's own reference, as the office's registry (สารบรรณ) files it:
    its number (เลขที่หนังสือ, e.g. "ศธ 04002/1234") and the date it bears (ลงวันที่)."""

    number: str = Field(min_length=1, max_length=60)
    dated: date


class Contact(Frozen):
    """Personal data, as the personal-data store holds it (`shared/infra/personal_data.py`).

    Never carried by an event: events carry the person's reference (`person_id`), so an
    erasure there leaves nothing readable on Kafka, in the event store or in logs.
    """

    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=254)
    line_user_id: str | None = Field(default=None, max_length=64)
    # A Facebook Page-scoped id (PSID): known only from the Page's signed webhook.
    facebook_psid: str | None = Field(default=None, max_length=64)


class Consent(Frozen):
    contact_me: bool = False
    share_name_with_unit: bool = False


def _without_contact(data: Any) -> Any:
    """Events written before contacts moved to the personal-data store carried them
    inline: such an event is still read (replays, rebuilds), without the contact."""
    if isinstance(data, dict) and "contact" in data:
        return {k: v for k, v in data.items() if k != "contact"}
    return data


class SubmissionReceived(Frozen):
    submission_id: str
    tracking_code: str
    channel: Channel
    kind: Kind
    complaint_type: ComplaintType | None = None
    category: str
    subject: str
    description: str
    occurred_on: date | None = None
    location: Location | None = None
    language: Language = Language.th
    # The sender's reference in the personal-data store; None when anonymous.
    person_id: str | None = None
    consent: Consent = Consent()
    consultation_id: str | None = None
    # An opinion on a consultation (with `consultation_id`): the sender's stakeholder group
    # and their answers (question id -> the text, or the code of the choice picked).
    stakeholder_group: str | None = None
    answers: dict[str, str] = Field(default_factory=dict)
    # Who keyed it (phone, walk-in, letter): the signed-in staff account, from its token;
    # the person complained about, if named.
    keyed_by: str | None = None
    named_person: str | None = None
    # A letter's registry number and date (channel `letter`).
    letter: LetterReference | None = None
    received_at: AwareDatetime
    # shared.contract.tracking_pin.hash_pin of the PIN shown once to the person; never the PIN.
    tracking_pin_hash: str | None = None

    _legacy_contact = model_validator(mode="before")(_without_contact)


class SubmissionFollowUp(Frozen):
    """The complainant adds information to their submission (and so to its case): through
    the tracking door with code and PIN, or by a reply mail from the case's own address.
    Keyed, like `submission.received`, by the submission id, so it never overtakes it.
    No contact details: the words and the stored files' ids only."""

    follow_up_id: str
    submission_id: str
    tracking_code: str
    text: str = Field(min_length=1, max_length=5000)
    # GridFS ids of the files added with it (intake's `attachments` bucket).
    attachments: list[str] = Field(default_factory=list, max_length=10)
    channel: Channel
    received_at: AwareDatetime


class SubmissionWithdrawn(Frozen):
    """The complainant withdraws their submission: its case closes as withdrawn."""

    withdrawal_id: str
    submission_id: str
    tracking_code: str
    reason: str | None = Field(default=None, max_length=2000)
    channel: Channel
    received_at: AwareDatetime


# ---------------------------------------------------------------------- cases


class CaseOpened(Frozen):
    case_id: str
    submission_id: str
    tracking_code: str
    channel: Channel
    kind: Kind
    complaint_type: ComplaintType | None = None
    category: str
    unit: str
    priority: Priority
    language: Language = Language.th
    subject: str
    received_at: AwareDatetime
    deadlines: dict[Clock, AwareDatetime] = Field(default_factory=dict)
    # The complainant's reference in the personal-data store, which notifications reads
    # to answer them; only with their consent.
    person_id: str | None = None
    consent: Consent = Consent()

    _legacy_contact = model_validator(mode="before")(_without_contact)


class CaseTriaged(Frozen):
    case_id: str
    unit: str
    priority: Priority
    category: str
    actor: str
    duplicate_hint: str | None = None


class CaseAssigned(Frozen):
    case_id: str
    unit: str
    assignee: str
    previous_assignee: str | None = None
    actor: str
    reason: str | None = None


class CaseStatusChanged(Frozen):
    case_id: str
    from_status: CaseStatus = Field(alias="from")
    to_status: CaseStatus = Field(alias="to")
    command: str
    reason: str | None = None
    public_reason: str | None = None
    actor: str


class CaseCommented(Frozen):
    case_id: str
    comment_id: str
    visibility: Visibility
    text: str
    author: str


class CaseMerged(Frozen):
    case_id: str
    into_case_id: str
    actor: str


class CaseReopened(Frozen):
    case_id: str
    reason: str
    actor: str
    reopen_count: int = Field(ge=1)


class CaseInfoAdded(Frozen):
    """The complainant added information (`submission.follow_up`): a message on the case
    that staff and the complainant read; `resumed` when it ended an awaiting-info pause."""

    case_id: str
    follow_up_id: str
    text: str
    attachments: list[str] = Field(default_factory=list)
    channel: Channel
    resumed: bool = False
    assignee: str | None = None


class CaseSlaWarning(Frozen):
    case_id: str
    clock: Clock
    threshold_percent: Literal[50, 75]
    due_at: AwareDatetime
    unit: str
    assignee: str | None = None


class CaseSlaBreached(Frozen):
    case_id: str
    clock: Clock
    due_at: AwareDatetime
    unit: str
    assignee: str | None = None
    escalated_to: str | None = None


class CaseClosed(Frozen):
    case_id: str
    reason: CloseReason
    actor: str
    duplicate_of: str | None = None
    referred_to: str | None = None
    public_answer: str | None = None


# -------------------------------------------------------------------- surveys


class SurveyAnswered(Frozen):
    case_id: str
    rating: int = Field(ge=1, le=5)
    solved: bool
    comment: str | None = Field(default=None, max_length=2000)
    answered_at: AwareDatetime


# -------------------------------------------------------------- notifications


class DeliveryChannel(StrEnum):
    """What a notice goes by: the values of a notification event's `channel`."""

    email = "email"
    line = "line"
    sms = "sms"
    # Messenger, to the Page-scoped id (PSID) of a person who wrote to the office's Page.
    facebook = "facebook"
    webhook = "webhook"


class NotificationSent(Frozen):
    notification_id: str
    case_id: str | None = None
    source_event_id: str
    channel: str
    template: str
    recipient_role: str
    attempts: int = Field(ge=1)


class NotificationFailed(Frozen):
    notification_id: str
    case_id: str | None = None
    source_event_id: str
    channel: str
    template: str
    recipient_role: str
    attempts: int = Field(ge=1)
    reason: str
    permanent: bool


# ----------------------------------------------------------------- dead letters


class DeadLetter(Frozen):
    """What lands on `<topic>.dlq`: the record as it came, and why it could not be used."""

    topic: str
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    value: str
    error: str
    attempts: int = Field(ge=1)
    failed_at: AwareDatetime


# ------------------------------------------------------------------- registry


class EventType(Frozen):
    name: str
    topic: str
    data: builtins.type[BaseModel]
    type: str


def _t(name: str, topic: str, data: type[BaseModel]) -> EventType:
    return EventType(name=name, type=f"{TYPE_PREFIX}{name}.v1", topic=topic, data=data)


REGISTRY: dict[str, EventType] = {
    e.type: e
    for e in (
        _t("submission.received", topics.SUBMISSIONS, SubmissionReceived),
        _t("submission.follow_up", topics.SUBMISSIONS, SubmissionFollowUp),
        _t("submission.withdrawn", topics.SUBMISSIONS, SubmissionWithdrawn),
        _t("case.opened", topics.CASES, CaseOpened),
        _t("case.triaged", topics.CASES, CaseTriaged),
        _t("case.assigned", topics.CASES, CaseAssigned),
        _t("case.status_changed", topics.CASES, CaseStatusChanged),
        _t("case.commented", topics.CASES, CaseCommented),
        _t("case.merged", topics.CASES, CaseMerged),
        _t("case.reopened", topics.CASES, CaseReopened),
        _t("case.info_added", topics.CASES, CaseInfoAdded),
        _t("case.sla_warning", topics.CASES, CaseSlaWarning),
        _t("case.sla_breached", topics.CASES, CaseSlaBreached),
        _t("case.closed", topics.CASES, CaseClosed),
        _t("survey.answered", topics.SURVEYS, SurveyAnswered),
        _t("notification.sent", topics.NOTIFICATIONS, NotificationSent),
        _t("notification.failed", topics.NOTIFICATIONS, NotificationFailed),
    )
}
_BY_MODEL: dict[type[BaseModel], EventType] = {e.data: e for e in REGISTRY.values()}


def _register(*types: EventType) -> None:
    """Add event types declared further down (participation, privacy) to the registry."""
    REGISTRY.update({e.type: e for e in types})
    _BY_MODEL.update({e.data: e for e in types})


def event_type_of(data: BaseModel | type[BaseModel]) -> EventType:
    model = data if isinstance(data, type) else type(data)
    try:
        return _BY_MODEL[model]
    except KeyError:
        raise UnknownEventType(model.__name__) from None


# ------------------------------------------------------------------- envelope

D = TypeVar("D", bound=BaseModel)


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return str(uuid.uuid4())


class CloudEvent(BaseModel, Generic[D]):
    """A CloudEvents 1.0 event in structured JSON mode.

    `subject` is the submission id on the submissions topic and the case id everywhere
    after, and is also the Kafka key, so each case's events stay in order.
    `correlationid` is a CloudEvents extension attribute carried from the first HTTP
    request to the last notification; `traceparent` (the CloudEvents distributed-tracing
    extension, W3C Trace Context) is the span that emitted the event, in the trace of that
    request (`shared/infra/tracing.py`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: Literal["1.0"] = "1.0"
    id: Annotated[str, Field(min_length=1)] = Field(default_factory=_new_id)
    source: Annotated[str, Field(min_length=1)]
    type: str
    time: AwareDatetime = Field(default_factory=_now)
    subject: Annotated[str, Field(min_length=1)]
    datacontenttype: Literal["application/json"] = "application/json"
    correlationid: str | None = None
    traceparent: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
    )
    data: D

    def to_json(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json", by_alias=True, exclude_none=False))

    @property
    def topic(self) -> str:
        return REGISTRY[self.type].topic


def json_values(
    events: Sequence[CloudEvent[Any]], given: Sequence[bytes] | None = None
) -> Sequence[bytes]:
    """Each event's `to_json()`, or `given` when a writer has them already (so an event
    written to two places is turned into JSON once); one per event."""
    if given is None:
        return [e.to_json() for e in events]
    if len(given) != len(events):
        raise ValueError("one JSON value per event")
    return given


class UnknownEventType(ValueError):
    """A record whose `type` is not in the registry: a dead letter, never a silent drop."""


class MalformedEvent(ValueError):
    """A record that is not a valid CloudEvent of a known type; carries the reason."""


def make_event(
    data: D,
    *,
    source: str,
    subject: str,
    correlation_id: str | None = None,
    time: datetime | None = None,
    event_id: str | None = None,
    traceparent: str | None = None,
) -> CloudEvent[D]:
    """Wrap `data` in an envelope whose `type` comes from the registry."""
    et = event_type_of(data)
    envelope: builtins.type[CloudEvent[D]] = CloudEvent[type(data)]  # type: ignore[misc,assignment]
    return envelope(
        id=event_id or _new_id(),
        source=source,
        type=et.type,
        time=time or _now(),
        subject=subject,
        correlationid=correlation_id,
        traceparent=traceparent,
        data=data,
    )


def parse_event(raw: bytes | str | dict[str, Any]) -> CloudEvent[Any]:
    """Parse and validate a record into the envelope typed by its `type` attribute.

    Raises `MalformedEvent` (with a reason fit for a dead letter) on anything else.
    """
    try:
        doc = raw if isinstance(raw, dict) else orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedEvent(f"not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise MalformedEvent("not a JSON object")
    et = REGISTRY.get(str(doc.get("type")))
    if et is None:
        raise MalformedEvent(f"unknown event type {doc.get('type')!r}")
    try:
        return CloudEvent[et.data].model_validate(doc)  # type: ignore[name-defined]
    except ValidationError as exc:
        raise MalformedEvent(f"invalid {et.name}: {exc.errors(include_url=False)}") from exc


# -------------------------------------------------------------- participation
# On `siang.participation.v1`, keyed by consultation id (an outcome without one: its own
# id), so a consultation's events stay in order. No personal data: opinions are counted,
# and a person who left contact details is named only in the personal-data store.


class ConsultationStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    concluded = "concluded"


class OutcomeStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    not_adopted = "not_adopted"


class QuestionAsked(Frozen):
    """What a channel needs to check an answer: the question's id and kind, the codes of
    its choices, whether it must be answered."""

    id: str
    kind: Literal["text", "choice"]
    choices: list[str] = Field(default_factory=list)
    required: bool = False


class ConsultationOpened(Frozen):
    consultation_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    topic: str
    groups: list[str]
    opens_on: date
    closes_on: date
    questions: int = Field(ge=0)
    # The questions themselves, so intake can check an opinion sent through a channel
    # (empty in events written before they were carried).
    asked: list[QuestionAsked] = Field(default_factory=list)
    # Opened again after it was closed (a longer period, more opinions).
    reopened: bool = False
    actor: str


class ConsultationClosed(Frozen):
    consultation_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    opinions: int = Field(ge=0)
    by_group: dict[str, int] = Field(default_factory=dict)
    actor: str
    reason: str | None = None


class ConsultationConcluded(Frozen):
    consultation_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    topic: str
    summary: str
    opinions: int = Field(ge=0)
    by_group: dict[str, int] = Field(default_factory=dict)
    actor: str


class OpinionReceived(Frozen):
    opinion_id: str
    consultation_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    group: str
    channel: Channel
    # How many of the consultation's questions it answered.
    answered: int = Field(ge=0)
    # Whether the person left contact details (they are in the personal-data store).
    with_contact: bool = False
    received_at: AwareDatetime


class OutcomeBasis(StrEnum):
    """What an outcome answers: a consultation (or some of its opinions), a committee's
    resolution, or a pattern of complaints (a category's complaints in a round)."""

    consultation = "consultation"
    resolution = "resolution"
    complaints = "complaints"


class HeardResolution(Frozen):
    """The committee resolution an outcome answers, as taken at the meeting."""

    committee_id: str
    meeting_id: str
    number: int = Field(ge=1)
    # The resolution's words (the committee's, not a person's) and the meeting's day.
    text: str
    held_on: date


class HeardComplaints(Frozen):
    """The pattern of complaints an outcome answers: a category's complaints received in
    one round (1: October-March, 2: April-September) of a fiscal year, in one unit or all."""

    category: str
    fiscal_year: int = Field(ge=2400)
    round: int = Field(ge=1, le=2)
    unit: str | None = None
    # How many there were when the outcome was recorded or last changed (None: the
    # reporting views were not on file to count them).
    count: int | None = Field(default=None, ge=0)


class OutcomeRecorded(Frozen):
    outcome_id: str
    # Events written before other bases existed answer a consultation.
    basis: OutcomeBasis = OutcomeBasis.consultation
    consultation_id: str | None = None
    resolution: HeardResolution | None = None
    complaints: HeardComplaints | None = None
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    owner_unit: str
    status: OutcomeStatus
    due_on: date | None = None
    done_on: date | None = None
    published: bool = False
    # How many opinions it answers, beside the consultation as a whole.
    opinions: int = Field(default=0, ge=0)
    # "You said, we did" in the office's own words (no personal data): what the
    # participation report and the ITA evidence show for how results were used.
    you_said_th: str | None = None
    you_said_en: str | None = None
    we_did_th: str | None = None
    we_did_en: str | None = None
    # Why it was not adopted (status not_adopted).
    reason: str | None = None
    actor: str


class OutcomeUpdated(Frozen):
    outcome_id: str
    basis: OutcomeBasis = OutcomeBasis.consultation
    consultation_id: str | None = None
    resolution: HeardResolution | None = None
    complaints: HeardComplaints | None = None
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    from_status: OutcomeStatus
    to_status: OutcomeStatus
    reason: str | None = None
    due_on: date | None = None
    done_on: date | None = None
    published: bool = False
    # What the office did, as it stands after the change (None in events written
    # before the text was carried).
    we_did_th: str | None = None
    we_did_en: str | None = None
    actor: str


class PersonToTell(Frozen):
    """Someone who gave an opinion an outcome answers and consented to be contacted:
    their reference only (the contact stays in the personal-data store), the language
    they wrote in and the channel they came by (the route to try first)."""

    person_id: str
    language: Language = Language.th
    channel: Channel = Channel.web


class OutcomePublished(Frozen):
    """An outcome shown on "you said, we did" for the first time. Sent once per outcome
    (taking it off the page and back does not send it again); the people to tell come in
    parts of at most 500, each its own event, so no record grows past Kafka's limit."""

    outcome_id: str
    basis: OutcomeBasis = OutcomeBasis.consultation
    consultation_id: str | None = None
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    # The consultation's topic, and the office's words: what a notice quotes.
    topic_th: str | None = None
    topic_en: str | None = None
    you_said_th: str
    you_said_en: str | None = None
    we_did_th: str
    we_did_en: str | None = None
    status: OutcomeStatus
    reason: str | None = None
    people: list[PersonToTell] = Field(default_factory=list, max_length=500)
    part: int = Field(default=1, ge=1)
    parts: int = Field(default=1, ge=1)
    actor: str


_register(
    _t("participation.consultation_opened", topics.PARTICIPATION, ConsultationOpened),
    _t("participation.consultation_closed", topics.PARTICIPATION, ConsultationClosed),
    _t("participation.consultation_concluded", topics.PARTICIPATION, ConsultationConcluded),
    _t("participation.opinion_received", topics.PARTICIPATION, OpinionReceived),
    _t("participation.outcome_recorded", topics.PARTICIPATION, OutcomeRecorded),
    _t("participation.outcome_updated", topics.PARTICIPATION, OutcomeUpdated),
    _t("participation.outcome_published", topics.PARTICIPATION, OutcomePublished),
)


# ------------------------------------------------- mission satisfaction surveys
# Measure 2.5 beyond the per-case survey: a questionnaire per stakeholder group and fiscal
# year about a mission item, on `siang.participation.v1` keyed by survey id. Scores and
# counts only: never a free-text answer (it may name people) nor who answered.


class SurveyLink(StrEnum):
    public = "public"  # the survey's one public link
    personal = "personal"  # a signed link sent to one person, answered once


class MissionSurveyOpened(Frozen):
    survey_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    group: str
    # The questionnaire's title in Thai, as the office's report names it.
    title: str | None = None
    # The ids of its Likert items (scored 1-5), and how many free-text questions it has.
    likert_items: list[str]
    text_items: int = Field(ge=0)
    opens_on: date
    closes_on: date
    actor: str


class MissionSurveyAnswered(Frozen):
    survey_id: str
    response_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    group: str
    via: SurveyLink
    # Likert item id -> the score given (1-5); items left blank are absent.
    scores: dict[str, int]
    # How many free-text questions were answered (the text stays in the service).
    texts: int = Field(ge=0)
    answered_at: AwareDatetime


class MissionSurveyClosed(Frozen):
    survey_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    group: str
    responses: int = Field(ge=0)
    # Likert item id -> how many gave 1, 2, 3, 4 and 5.
    counts: dict[str, list[int]] = Field(default_factory=dict)
    # How many signed per-person links were sent, and how many of the responses came
    # through one (the response rate of the people asked by name).
    links_sent: int = Field(default=0, ge=0)
    personal_responses: int = Field(default=0, ge=0)
    actor: str


_register(
    _t("participation.mission_survey_opened", topics.PARTICIPATION, MissionSurveyOpened),
    _t("participation.mission_survey_answered", topics.PARTICIPATION, MissionSurveyAnswered),
    _t("participation.mission_survey_closed", topics.PARTICIPATION, MissionSurveyClosed),
)


# ------------------------------------------- committees' papers and meetings, reviews
# Measures 2.3 and 2.1 on `siang.participation.v1`. A committee's order documents and
# meetings are keyed by committee id (in order per committee); a review by its own id.
# Members are named by member id only (their names are in the personal-data store); the
# minutes and the documents themselves stay in the service. Each event carries the fiscal
# year (B.E.) and mission items it counts for, so a reader needs no other record.


class AppointmentOrderAttached(Frozen):
    committee_id: str
    order_id: str
    # The office's order number (เลขที่คำสั่ง) and the day it was signed.
    number: str
    signed_on: date
    fiscal_year: int = Field(ge=2400)
    mission_items: list[str] = Field(default_factory=list)
    content_type: str
    size_bytes: int = Field(ge=1)
    actor: str


class ResolutionTaken(Frozen):
    number: int = Field(ge=1)
    text: str
    # The mission or strategy item the resolution is about, if any.
    mission_item: str | None = None


class _MeetingFacts(Frozen):
    meeting_id: str
    committee_id: str
    fiscal_year: int = Field(ge=2400)
    # The committee's mission items and those its resolutions name.
    mission_items: list[str] = Field(default_factory=list)
    held_on: date
    agenda_items: int = Field(ge=0)
    # Member ids, and how many of each stakeholder group were there or not.
    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    present_by_group: dict[str, int] = Field(default_factory=dict)
    absent_by_group: dict[str, int] = Field(default_factory=dict)
    resolutions: list[ResolutionTaken] = Field(default_factory=list)
    # The meeting's version: a later record of the same meeting replaces an earlier one.
    version: int = Field(ge=1)
    actor: str


class CommitteeMeetingRecorded(_MeetingFacts):
    """A meeting recorded, or its attendance, minutes or resolutions recorded again."""


class CommitteeMeetingClosed(_MeetingFacts):
    """The minutes approved: the meeting's record is final."""


class ReviewKind(StrEnum):
    meeting = "meeting"
    survey_round = "survey_round"


class ReviewStatus(StrEnum):
    planned = "planned"
    held = "held"
    reported = "reported"


class _ReviewFacts(Frozen):
    review_id: str
    fiscal_year: int = Field(ge=2400)
    mission_item: str
    kind: ReviewKind
    title: str
    committee_id: str | None = None
    actor: str


class ReviewPlanned(_ReviewFacts):
    planned_on: date


class ReviewHeld(_ReviewFacts):
    held_on: date
    # Participants counted per stakeholder group, and their sum.
    participants_by_group: dict[str, int]
    participants: int = Field(ge=0)


class ReviewReported(_ReviewFacts):
    held_on: date
    reported_on: date
    participants_by_group: dict[str, int]
    participants: int = Field(ge=0)
    findings: list[str]
    # The outcomes ("you said, we did") the review's findings led to.
    outcome_ids: list[str] = Field(default_factory=list)


_register(
    _t(
        "participation.appointment_order_attached",
        topics.PARTICIPATION,
        AppointmentOrderAttached,
    ),
    _t("participation.committee_meeting_recorded", topics.PARTICIPATION, CommitteeMeetingRecorded),
    _t("participation.committee_meeting_closed", topics.PARTICIPATION, CommitteeMeetingClosed),
    _t("participation.review_planned", topics.PARTICIPATION, ReviewPlanned),
    _t("participation.review_held", topics.PARTICIPATION, ReviewHeld),
    _t("participation.review_reported", topics.PARTICIPATION, ReviewReported),
)


# ---------------------------------------------------------------------- privacy
# On `siang.cases.v1`, keyed by case id. Workflow has deleted the person from the
# personal-data store; each service erases the copies it keeps (notifications: cached
# contacts, pending and failed deliveries, dead letters). Reporting's aggregates hold no
# personal data, so it ignores it.


class LegalBasis(StrEnum):
    """Why a person's data is erased (PDPA section 33 and the office's retention rule)."""

    data_subject_request = "data_subject_request"
    consent_withdrawn = "consent_withdrawn"
    retention = "retention"
    other = "other"


class CasePersonalDataErased(Frozen):
    case_id: str
    person_id: str
    erasure_id: str
    legal_basis: LegalBasis


_register(_t("case.personal_data_erased", topics.CASES, CasePersonalDataErased))


# ------------------------------------------------------------------------ units
# On `siang.units.v1`, keyed by unit code, published by workflow in the transaction of an
# admin's change to the units (`services/workflow/handlers/policies.py`). Readers keep the
# latest per code and name units by it instead of the catalogue file; a unit is never
# removed (cases, staff and categories name it).


class UnitChanged(Frozen):
    """A unit's names as they are now: renamed, added, or announced again."""

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    name_th: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    # Workflow's settings version of the change: a reader keeps the highest it saw, so a
    # late or repeated event never brings an older name back.
    version: int = Field(ge=0)


_register(_t("unit.changed", topics.UNITS, UnitChanged))
