"""The LINE conversation, pure: each step, cancel, language, redelivery, the draft."""

from __future__ import annotations

from services.intake.domain.line_conversation import (
    Arrived,
    Incoming,
    Outcome,
    State,
    Step,
    advance,
    categories_for,
    not_submitted,
    submitted,
)
from services.intake.domain.submission import parse_submission
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Language

CATALOGUE = load_catalogue()
_n = 0


def _in(arrived: Arrived, **kw: object) -> Incoming:
    global _n
    _n += 1
    return Incoming(arrived, f"E{_n}", **kw)  # type: ignore[arg-type]


def _run(state: State | None, *events: Incoming) -> Outcome:
    outcome = Outcome(state)
    for e in events:
        outcome = advance(outcome.state, e, CATALOGUE)
    return outcome


def _to_confirm(first: Incoming | None = None) -> Outcome:
    category = categories_for(CATALOGUE, "complaint:service")[0].code
    return _run(
        None,
        first or _in(Arrived.follow),
        _in(Arrived.postback, text="kind=complaint:service"),
        _in(Arrived.postback, text=f"category={category}"),
        _in(Arrived.text, text="ขอเอกสารแล้วไม่ได้รับ\nรอมาสามสัปดาห์"),
        _in(Arrived.image, message_id="m-1"),
        _in(Arrived.location, place="สพป. ชั้น 2", lat=13.75, lon=100.5),
        _in(Arrived.postback, text="consent=yes"),
    )


def test_follow_greets_and_asks_the_kind_with_quick_replies() -> None:
    outcome = _run(None, _in(Arrived.follow))
    assert outcome.state is not None and outcome.state.step is Step.kind
    assert len(outcome.replies) == 2
    assert [c.data for c in outcome.replies[1].choices][:2] == [
        "kind=complaint:service",
        "kind=complaint:misconduct",
    ]
    assert all(len(c.label) <= 20 for c in outcome.replies[1].choices)


def test_a_whole_conversation_ends_in_one_valid_draft() -> None:
    outcome = _to_confirm()
    assert outcome.state is not None and outcome.state.step is Step.confirm
    assert "สพป. ชั้น 2" in outcome.replies[0].text
    done = advance(outcome.state, _in(Arrived.postback, text="confirm"), CATALOGUE)
    draft = done.draft
    assert draft is not None and draft.contact_me and draft.photo_message_id == "m-1"
    assert draft.conversation_id == outcome.state.conversation_id
    body = parse_submission(draft.body, CATALOGUE)
    assert body.kind.value == "complaint" and body.complaint_type is not None
    assert body.subject == "ขอเอกสารแล้วไม่ได้รับ"
    assert body.location is not None and body.location.lat == 13.75
    assert body.consent.contact_me and body.contact is None  # the handler adds the contact
    # The state stays at confirm until the handler says the submission is durable.
    assert done.state is not None and done.state.step is Step.confirm


def test_categories_are_offered_by_number_or_tap_and_only_for_the_kind() -> None:
    outcome = _run(
        None, _in(Arrived.text, text="สวัสดี"), _in(Arrived.postback, text="kind=question")
    )
    assert outcome.state is not None and outcome.state.step is Step.category
    cats = categories_for(CATALOGUE, "question")
    assert all("question" in c.kinds for c in cats)
    by_number = advance(outcome.state, _in(Arrived.text, text="2"), CATALOGUE)
    assert by_number.state is not None and by_number.state.category == cats[1].code
    nonsense = advance(outcome.state, _in(Arrived.postback, text="category=nope"), CATALOGUE)
    assert nonsense.state is not None and nonsense.state.step is Step.category


def test_photo_and_location_may_be_skipped_and_a_typed_place_is_kept() -> None:
    outcome = _run(
        None,
        _in(Arrived.follow),
        _in(Arrived.postback, text="kind=feedback"),
        _in(Arrived.text, text="1"),
        _in(Arrived.text, text="ดีมาก"),
        _in(Arrived.postback, text="skip"),
        _in(Arrived.text, text="โรงเรียนบ้านหนองบัว"),
        _in(Arrived.text, text="no"),
        _in(Arrived.text, text="ยืนยัน"),
    )
    assert outcome.draft is not None
    assert outcome.draft.body["location"] == {"text": "โรงเรียนบ้านหนองบัว"}
    assert not outcome.draft.contact_me and outcome.draft.photo_message_id is None


def test_cancel_at_any_step_goes_back_to_idle() -> None:
    outcome = _to_confirm()
    cancelled = advance(outcome.state, _in(Arrived.text, text="ยกเลิก"), CATALOGUE)
    assert cancelled.state is not None and cancelled.state.step is Step.idle
    assert cancelled.state.description is None and cancelled.draft is None
    again = advance(cancelled.state, _in(Arrived.text, text="Cancel"), CATALOGUE)
    assert again.state is not None and again.state.step is Step.idle


def test_english_when_written_in_english_or_picked() -> None:
    opened = _run(None, _in(Arrived.text, text="Hello, I have a question"))
    assert opened.state is not None and opened.state.language is Language.en
    assert "Hello" in opened.replies[0].text
    thai = advance(opened.state, _in(Arrived.text, text="ไทย"), CATALOGUE)
    assert thai.state is not None and thai.state.language is Language.th
    assert thai.state.step is Step.kind


def test_a_redelivered_event_changes_nothing() -> None:
    first = _in(Arrived.follow)
    outcome = _run(None, first)
    again = advance(outcome.state, first, CATALOGUE)
    assert again.duplicate and again.state == outcome.state and again.replies == ()


def test_unfollow_forgets_the_conversation() -> None:
    assert _run(None, _in(Arrived.follow), _in(Arrived.unfollow)).state is None


def test_state_survives_its_document() -> None:
    state = _to_confirm().state
    assert state is not None
    assert State.from_document(state.to_document()) == state


def test_receipt_and_retry_replies() -> None:
    state = _to_confirm().state
    assert state is not None
    done = submitted(state, "SG-ABC", "123456", "http://x/track/SG-ABC")
    assert done.state is not None and done.state.step is Step.idle
    assert "SG-ABC" in done.replies[0].text and "123456" in done.replies[0].text
    busy = not_submitted(state)
    assert busy.state == state and busy.replies[0].choices[0].data == "confirm"
