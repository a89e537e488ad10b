"""The guided conversation of the chat channels (LINE, and Facebook Messenger), pure: a
state and what arrived → the next state, the replies, and perhaps a finished submission.
The words name the chat the person is on (`State.chat`): "LINE" unless a channel says.

kind → category (quick replies, from the catalogue) → description → optional photo →
optional location → consent (may we contact you on LINE?) → confirm. "ยกเลิก"/"cancel"
ends it at any step; "English"/"ไทย" switches the language. A conversation's id is the
webhook event id that started it, so a redelivered confirm submits under the same
idempotency key; the last event ids seen are kept so a redelivered event does nothing.

No LINE user id appears here: the handler keys the state by a keyed hash of it and adds
the contact (with consent) when it turns the draft into a submission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from services.intake.domain.kind_choices import KIND_CHOICES
from shared.contract.catalogue import Catalogue, Category
from shared.contract.events import Kind, Language

SEEN_KEPT = 50
MAX_DESCRIPTION = 5000
MAX_LOCATION_TEXT = 500
SUBJECT_CHARS = 80
LABEL_CHARS = 20  # LINE's limit for a quick reply label
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN = re.compile(r"[A-Za-z]")


class Step(StrEnum):
    idle = "idle"
    kind = "kind"
    category = "category"
    description = "description"
    photo = "photo"
    location = "location"
    consent = "consent"
    confirm = "confirm"


class Arrived(StrEnum):
    follow = "follow"
    unfollow = "unfollow"
    text = "text"
    postback = "postback"
    image = "image"
    location = "location"
    other = "other"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One webhook event from a person, as the conversation sees it."""

    arrived: Arrived
    event_id: str
    text: str = ""  # a text message, or a postback's data
    message_id: str | None = None  # how to fetch an image (LINE: its message id)
    place: str | None = None  # a location's title and address
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class State:
    step: Step = Step.idle
    language: Language = Language.th
    conversation_id: str | None = None
    kind: str | None = None  # "complaint:service", "feedback", ...
    category: str | None = None
    description: str | None = None
    photo_message_id: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    contact_me: bool | None = None
    seen: tuple[str, ...] = ()
    # The chat's name in the words ("updates on this LINE chat"): kept across restarts.
    chat: str = "LINE"

    def to_document(self) -> dict[str, Any]:
        return {
            "step": self.step.value,
            "language": self.language.value,
            "conversation_id": self.conversation_id,
            "kind": self.kind,
            "category": self.category,
            "description": self.description,
            "photo_message_id": self.photo_message_id,
            "place": self.place,
            "lat": self.lat,
            "lon": self.lon,
            "contact_me": self.contact_me,
            "seen": list(self.seen),
            "chat": self.chat,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> State:
        return cls(
            step=Step(doc.get("step", "idle")),
            language=Language(doc.get("language", "th")),
            conversation_id=doc.get("conversation_id"),
            kind=doc.get("kind"),
            category=doc.get("category"),
            description=doc.get("description"),
            photo_message_id=doc.get("photo_message_id"),
            place=doc.get("place"),
            lat=doc.get("lat"),
            lon=doc.get("lon"),
            contact_me=doc.get("contact_me"),
            seen=tuple(doc.get("seen") or ()),
            chat=str(doc.get("chat") or "LINE"),
        )


class Action(StrEnum):
    postback = "postback"
    location = "location"
    camera = "camera"
    camera_roll = "cameraRoll"


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    data: str = ""
    action: Action = Action.postback


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    """A confirmed conversation: the submission body (without contact) and its key."""

    conversation_id: str
    body: dict[str, Any]
    contact_me: bool
    photo_message_id: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    state: State | None  # None: forget the person (they unfollowed)
    replies: tuple[Reply, ...] = ()
    draft: Draft | None = None
    duplicate: bool = False


# --- wording -------------------------------------------------------------------------


_T: dict[str, tuple[str, str]] = {
    "greeting": (
        "สวัสดีครับ/ค่ะ ที่นี่รับเรื่องร้องเรียน ข้อเสนอแนะ คำชมเชย และคำถาม "
        "ตอบไม่กี่ข้อแล้วจะได้รหัสติดตามเรื่องทันที พิมพ์ 'ยกเลิก' เมื่อใดก็ได้ "
        "(Type 'English' for English.)",
        "Hello! Tell us a complaint, feedback, a suggestion, a compliment or a question. "
        "A few questions and you get a tracking code. Type 'cancel' at any time. "
        "(พิมพ์ 'ไทย' สำหรับภาษาไทย)",
    ),
    "kind": ("เรื่องของท่านเป็นแบบใด", "What would you like to tell us?"),
    "category": ("เกี่ยวกับเรื่องใด (เลือกหรือพิมพ์หมายเลข)", "What is it about? (pick or type the number)"),
    "description": (
        "เล่าเรื่องที่เกิดขึ้นให้เราทราบ (เกิดอะไร ที่ไหน เมื่อไร)",
        "Please describe it (what happened, where, when).",
    ),
    "photo": ("ส่งรูปภาพประกอบได้ 1 รูป หรือกด 'ข้าม'", "Send one photo if you have one, or tap 'Skip'."),
    "location": (
        "ส่งตำแหน่งที่เกิดเหตุ (หรือพิมพ์สถานที่) หรือกด 'ข้าม'",
        "Share the location (or type the place), or tap 'Skip'.",
    ),
    "consent": (
        "ให้เจ้าหน้าที่แจ้งความคืบหน้าทาง {chat} นี้ได้หรือไม่",
        "May we send you updates on this {chat} chat?",
    ),
    "confirm": ("ตรวจสอบแล้วกด 'ยืนยัน' เพื่อส่งเรื่อง", "Check, then tap 'Confirm' to send."),
    "cancelled": (
        "ยกเลิกแล้ว พิมพ์ข้อความใดก็ได้เพื่อเริ่มใหม่",
        "Cancelled. Send any message to start again.",
    ),
    "too_long": ("ข้อความยาวเกินไป กรุณาย่อลง", "That is too long; please shorten it."),
    "received": (
        "ได้รับเรื่องแล้ว รหัสติดตาม {code} รหัส PIN {pin} (เก็บไว้ อย่าเปิดเผย) ติดตามได้ที่ {url}",
        "Received. Tracking code {code}, PIN {pin} (keep it private). Track it at {url}",
    ),
    "busy": (
        "ระบบขัดข้องชั่วคราว ยังไม่ได้ส่งเรื่อง กรุณากด 'ยืนยัน' อีกครั้งในอีกสักครู่",
        "We could not send it just now. Please tap 'Confirm' again in a moment.",
    ),
    "skip": ("ข้าม", "Skip"),
    "yes": ("ได้", "Yes"),
    "no": ("ไม่ต้อง", "No"),
    "send": ("ยืนยัน", "Confirm"),
    "cancel": ("ยกเลิก", "Cancel"),
    "camera": ("ถ่ายรูป", "Camera"),
    "camera_roll": ("เลือกรูป", "Photos"),
    "share_location": ("ส่งตำแหน่ง", "Location"),
    "summary": (
        "ประเภท: {kind}\nเรื่อง: {category}\nรายละเอียด: {description}\nรูปภาพ: {photo}\n"
        "สถานที่: {place}\nติดต่อกลับทาง {chat}: {consent}",
        "Kind: {kind}\nAbout: {category}\nDetails: {description}\nPhoto: {photo}\n"
        "Place: {place}\nUpdates on {chat}: {consent}",
    ),
    "none": ("-", "-"),
    "attached": ("แนบแล้ว", "attached"),
}

CANCEL_WORDS = {"ยกเลิก", "cancel"}
SKIP_WORDS = {"ข้าม", "skip"}
YES_WORDS = {"ได้", "ใช่", "yes", "y"}
NO_WORDS = {"ไม่ต้อง", "ไม่", "no", "n"}
CONFIRM_WORDS = {"ยืนยัน", "confirm"}
ENGLISH_WORDS = {"english", "en"}
THAI_WORDS = {"ไทย", "thai", "th"}


def t(key: str, language: Language, **values: Any) -> str:
    th, en = _T[key]
    return (en if language is Language.en else th).format(**values)


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


# --- the machine ---------------------------------------------------------------------


def advance(state: State | None, incoming: Incoming, catalogue: Catalogue) -> Outcome:
    """The next state and replies after `incoming`; a redelivered event changes nothing."""
    state = state or State()
    if incoming.event_id and incoming.event_id in state.seen:
        return Outcome(state, duplicate=True)
    if incoming.arrived is Arrived.unfollow:
        return Outcome(None)
    seen = (*state.seen, incoming.event_id)[-SEEN_KEPT:] if incoming.event_id else state.seen
    state = replace(state, seen=seen)
    words = incoming.text.strip().casefold() if incoming.arrived is Arrived.text else ""
    data = incoming.text if incoming.arrived is Arrived.postback else ""
    if incoming.arrived is Arrived.follow:
        return _start(state, incoming, greet=True)
    if words in CANCEL_WORDS or data == "cancel":
        return Outcome(_idle(state), (Reply(t("cancelled", state.language)),))
    if words in ENGLISH_WORDS or words in THAI_WORDS or data.startswith("lang="):
        english = words in ENGLISH_WORDS or data == "lang=en"
        state = replace(state, language=Language.en if english else Language.th)
        if state.step is Step.idle:
            return _start(state, incoming, greet=True)
        return Outcome(state, (prompt(state, catalogue),))
    if state.step is Step.idle:
        outcome = _start(state, incoming, greet=True)
        if not data.startswith("kind="):
            return outcome
        assert outcome.state is not None
        state = outcome.state
    return _STEPS[state.step](state, incoming, words, data, catalogue)


def _idle(state: State) -> State:
    return State(language=state.language, seen=state.seen, chat=state.chat)


def _start(state: State, incoming: Incoming, *, greet: bool) -> Outcome:
    language = state.language
    # Whoever opens in English is answered in English (until they pick Thai).
    if (
        incoming.arrived is Arrived.text
        and _LATIN.search(incoming.text)
        and not _THAI.search(incoming.text)
    ):
        language = Language.en
    fresh = State(
        step=Step.kind,
        language=language,
        conversation_id=incoming.event_id,
        seen=state.seen,
        chat=state.chat,
    )
    replies = (Reply(t("greeting", language)),) if greet else ()
    return Outcome(fresh, (*replies, _kind_prompt(language)))


def _kind_prompt(language: Language) -> Reply:
    english = language is Language.en
    choices = tuple(
        Choice(_label(en if english else th), f"kind={code}")
        for code, (th, en) in KIND_CHOICES.items()
    )
    return Reply(t("kind", language), choices)


def categories_for(catalogue: Catalogue, kind: str) -> list[Category]:
    wanted = Kind(kind.split(":")[0])
    return [c for c in catalogue.categories if wanted in c.kinds][:12]


def _name(category: Category, language: Language) -> str:
    return category.name_en if language is Language.en else category.name_th


def prompt(state: State, catalogue: Catalogue) -> Reply:
    """What to ask at the state's step (again)."""
    lang = state.language
    cancel = Choice(t("cancel", lang), "cancel")
    match state.step:
        case Step.idle | Step.kind:
            return _kind_prompt(lang)
        case Step.category:
            cats = categories_for(catalogue, state.kind or "feedback")
            lines = [f"{i}. {_name(c, lang)}" for i, c in enumerate(cats, 1)]
            choices = tuple(
                Choice(_label(f"{i}. {_name(c, lang)}"), f"category={c.code}")
                for i, c in enumerate(cats, 1)
            )
            return Reply("\n".join([t("category", lang), *lines]), (*choices, cancel)[:13])
        case Step.description:
            return Reply(t("description", lang), (cancel,))
        case Step.photo:
            return Reply(
                t("photo", lang),
                (
                    Choice(t("camera", lang), action=Action.camera),
                    Choice(t("camera_roll", lang), action=Action.camera_roll),
                    Choice(t("skip", lang), "skip"),
                    cancel,
                ),
            )
        case Step.location:
            return Reply(
                t("location", lang),
                (
                    Choice(t("share_location", lang), action=Action.location),
                    Choice(t("skip", lang), "skip"),
                    cancel,
                ),
            )
        case Step.consent:
            return Reply(
                t("consent", lang, chat=state.chat),
                (
                    Choice(t("yes", lang), "consent=yes"),
                    Choice(t("no", lang), "consent=no"),
                    cancel,
                ),
            )
        case Step.confirm:
            return Reply(
                summary(state, catalogue) + "\n\n" + t("confirm", lang),
                (Choice(t("send", lang), "confirm"), cancel),
            )


def summary(state: State, catalogue: Catalogue) -> str:
    lang = state.language
    th, en = KIND_CHOICES.get(state.kind or "", ("-", "-"))
    category = (
        _name(catalogue.category(state.category), lang)
        if state.category and state.category in {c.code for c in catalogue.categories}
        else "-"
    )
    description = state.description or "-"
    if len(description) > 300:
        description = description[:299] + "…"
    place = state.place or (f"{state.lat:.5f}, {state.lon:.5f}" if state.lat is not None else None)
    return t(
        "summary",
        lang,
        kind=en if lang is Language.en else th,
        category=category,
        description=description,
        photo=t("attached", lang) if state.photo_message_id else t("none", lang),
        place=place or t("none", lang),
        consent=t("yes" if state.contact_me else "no", lang),
        chat=state.chat,
    )


def _ask(state: State, catalogue: Catalogue) -> Outcome:
    return Outcome(state, (prompt(state, catalogue),))


def _number(words: str) -> int | None:
    return int(words) if words.isdigit() else None


def _on_kind(
    state: State, incoming: Incoming, words: str, data: str, catalogue: Catalogue
) -> Outcome:
    chosen = data.removeprefix("kind=") if data.startswith("kind=") else None
    if chosen is None and words:
        english = state.language is Language.en
        by_label = {
            (en if english else th).casefold(): code for code, (th, en) in KIND_CHOICES.items()
        }
        chosen = by_label.get(words)
    if chosen not in KIND_CHOICES or not categories_for(catalogue, chosen):
        return _ask(state, catalogue)
    return _ask(replace(state, step=Step.category, kind=chosen), catalogue)


def _on_category(
    state: State, incoming: Incoming, words: str, data: str, catalogue: Catalogue
) -> Outcome:
    if data.startswith("kind="):
        return _on_kind(state, incoming, words, data, catalogue)
    cats = categories_for(catalogue, state.kind or "feedback")
    code = data.removeprefix("category=") if data.startswith("category=") else None
    number = _number(words)
    if code is None and number is not None and 1 <= number <= len(cats):
        code = cats[number - 1].code
    if code not in {c.code for c in cats}:
        return _ask(state, catalogue)
    return _ask(replace(state, step=Step.description, category=code), catalogue)


def _on_description(
    state: State, incoming: Incoming, words: str, data: str, catalogue: Catalogue
) -> Outcome:
    text = incoming.text.strip() if incoming.arrived is Arrived.text else ""
    if not text:
        return _ask(state, catalogue)
    if len(text) > MAX_DESCRIPTION:
        return Outcome(state, (Reply(t("too_long", state.language)),))
    return _ask(replace(state, step=Step.photo, description=text), catalogue)


def _on_photo(
    state: State, incoming: Incoming, words: str, data: str, catalogue: Catalogue
) -> Outcome:
    if incoming.arrived is Arrived.image and incoming.message_id:
        return _ask(
            replace(state, step=Step.location, photo_message_id=incoming.message_id), catalogue
        )
    if data == "skip" or words in SKIP_WORDS:
        return _ask(replace(state, step=Step.location), catalogue)
    if incoming.arrived is Arrived.location:  # a location first: take it, skip the photo
        return _on_location(replace(state, step=Step.location), incoming, words, data, catalogue)
    return _ask(state, catalogue)


def _on_location(
    state: State, incoming: Incoming, words: str, data: str, catalogue: Catalogue
) -> Outcome:
    if incoming.arrived is Arrived.location and incoming.lat is not None:
        place = (incoming.place or "")[:MAX_LOCATION_TEXT] or None
        return _ask(
            replace(state, step=Step.consent, place=place, lat=incoming.lat, lon=incoming.lon),
            catalogue,
        )
    if data == "skip" or words in SKIP_WORDS:
        return _ask(replace(state, step=Step.consent), catalogue)
    if incoming.arrived is Arrived.text and incoming.text.strip():
        if len(incoming.text.strip()) > MAX_LOCATION_TEXT:
            return Outcome(state, (Reply(t("too_long", state.language)),))
        return _ask(replace(state, step=Step.consent, place=incoming.text.strip()), catalogue)
    return _ask(state, catalogue)


def _on_consent(
    state: State, incoming: Incoming, words: str, data: str, catalogue: Catalogue
) -> Outcome:
    if data == "consent=yes" or words in YES_WORDS:
        return _ask(replace(state, step=Step.confirm, contact_me=True), catalogue)
    if data == "consent=no" or words in NO_WORDS:
        return _ask(replace(state, step=Step.confirm, contact_me=False), catalogue)
    return _ask(state, catalogue)


def _on_confirm(
    state: State, incoming: Incoming, words: str, data: str, catalogue: Catalogue
) -> Outcome:
    if data == "confirm" or words in CONFIRM_WORDS:
        # The state stays at `confirm` until the submission is durable: the handler
        # moves it to idle then, so a failed attempt can simply be confirmed again.
        return Outcome(state, draft=draft_of(state))
    return _ask(state, catalogue)


_STEPS = {
    Step.kind: _on_kind,
    Step.category: _on_category,
    Step.description: _on_description,
    Step.photo: _on_photo,
    Step.location: _on_location,
    Step.consent: _on_consent,
    Step.confirm: _on_confirm,
}


def draft_of(state: State) -> Draft:
    assert state.conversation_id and state.kind and state.category and state.description
    kind, _, complaint_type = state.kind.partition(":")
    first_line = state.description.splitlines()[0].strip() or state.description.strip()
    subject = (
        first_line if len(first_line) <= SUBJECT_CHARS else first_line[: SUBJECT_CHARS - 1] + "…"
    )
    body: dict[str, Any] = {
        "kind": kind,
        "category": state.category,
        "subject": subject,
        "description": state.description,
        "language": state.language.value,
        "consent": {"contact_me": bool(state.contact_me)},
    }
    if complaint_type:
        body["complaint_type"] = complaint_type
    if state.place or state.lat is not None:
        location: dict[str, Any] = {"text": state.place}
        if state.lat is not None and state.lon is not None:
            location |= {"lat": state.lat, "lon": state.lon}
        body["location"] = location
    return Draft(
        conversation_id=state.conversation_id,
        body=body,
        contact_me=bool(state.contact_me),
        photo_message_id=state.photo_message_id,
    )


def submitted(state: State, code: str, pin: str, url: str) -> Outcome:
    """After the submission is durable: back to idle, and the receipt for the person."""
    return Outcome(
        _idle(state), (Reply(t("received", state.language, code=code, pin=pin, url=url)),)
    )


def not_submitted(state: State) -> Outcome:
    """The submission could not be made durable: stay at confirm, ask to try again."""
    lang = state.language
    return Outcome(
        state,
        (
            Reply(
                t("busy", lang),
                (Choice(t("send", lang), "confirm"), Choice(t("cancel", lang), "cancel")),
            ),
        ),
    )


__all__ = [
    "Action",
    "Arrived",
    "Choice",
    "Draft",
    "Incoming",
    "Outcome",
    "Reply",
    "State",
    "Step",
    "advance",
    "not_submitted",
    "submitted",
]
