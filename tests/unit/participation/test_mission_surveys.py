"""Mission satisfaction surveys (2.5), the pure part: a draft is checked against the plan
and groups; the lifecycle refuses what its table does not allow; an answer is checked
naming the field; answers are counted per item (distribution 1-5, mean, responses) the
same way running and from scratch; a per-person link is signed, verified, bound to its
survey and expires."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from deploy.local.demo_participation import DEMO_ANSWERS, demo_survey
from services.participation.adapters.plan_files import load_groups, load_missions
from services.participation.domain.errors import (
    ConflictingField,
    Forbidden,
    IllegalTransition,
    InvalidField,
    MissingField,
    Refused,
)
from services.participation.domain.lifecycle import SYSTEM
from services.participation.domain.mission_survey import (
    LikertItem,
    MissionSurvey,
    MissionSurveyDraft,
    SurveyCommand,
    SurveyStatus,
    TextQuestion,
    answered_event,
    check_answer,
    check_draft,
    decide,
    past_last_day,
)
from services.participation.domain.plan import StakeholderGroup, StakeholderGroups
from services.participation.domain.survey_links import (
    link_expiry,
    response_id_for,
    sign_link,
    verify_link,
)
from services.participation.domain.survey_results import (
    SurveyTally,
    increments,
    overall_mean,
    results,
    tally_of,
)
from services.participation.settings import ParticipationSettings
from shared.contract.events import MissionSurveyClosed, MissionSurveyOpened, SurveyLink
from shared.contract.survey_token import sign_survey_token
from tests.unit.participation.sample import ADMIN, COORDINATOR, PLAN, STAFF, TODAY

GROUPS = StakeholderGroups(
    groups=(
        StakeholderGroup(code="parents", name_th="ผู้ปกครอง", name_en="Parents"),
        StakeholderGroup(code="teachers", name_th="ครู", name_en="Teachers"),
    )
)
SECRET = "a-survey-secret-of-enough-bytes"
NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


def draft(**overrides: Any) -> MissionSurveyDraft:
    fields: dict[str, Any] = {
        "title_th": "ความพึงพอใจของผู้ปกครองต่อคุณภาพผู้เรียน",
        "mission_item": "S2",
        "group": "parents",
        "opens_on": date(2026, 12, 1),
        "closes_on": date(2027, 1, 31),
        "items": (
            LikertItem(id="teaching", text_th="คุณภาพการสอน"),
            LikertItem(id="safety", text_th="ความปลอดภัย"),
        ),
        "questions": (TextQuestion(id="idea", text_th="ข้อเสนอแนะ"),),
    }
    return MissionSurveyDraft(**{**fields, **overrides})


def survey(status: SurveyStatus = SurveyStatus.open, **overrides: Any) -> MissionSurvey:
    return MissionSurvey(
        **{**draft(**overrides).model_dump(), "survey_id": "ms-1", "status": status}
    )


# ----------------------------------------------------------------------- drafts


def test_a_sound_draft_passes_and_counts_for_the_fiscal_year_it_opens_in() -> None:
    check_draft(draft(), PLAN, GROUPS)
    assert draft().fiscal_year == 2570


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_on": date(2026, 11, 30)}, "closes_on"),
        ({"group": "monks"}, "group"),
        (
            {"items": (LikertItem(id="a", text_th="ก"), LikertItem(id="a", text_th="ข"))},
            "items[1].id",
        ),
        ({"questions": (TextQuestion(id="teaching", text_th="ซ้ำ"),)}, "questions[0].id"),
    ],
)
def test_a_refused_draft_names_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidField) as refused:
        check_draft(draft(**overrides), PLAN, GROUPS)
    assert refused.value.field == field


def test_an_item_the_plan_does_not_pursue_is_a_conflict_naming_mission_item() -> None:
    for code in ("S7", "S9"):
        with pytest.raises(ConflictingField) as refused:
            check_draft(draft(mission_item=code), PLAN, GROUPS)
        assert refused.value.field == "mission_item"


# -------------------------------------------------------------------- lifecycle


def test_opening_publishes_the_items_and_title_and_closing_the_counts() -> None:
    opened = decide(survey(SurveyStatus.draft), SurveyCommand.open, COORDINATOR, TODAY)
    assert opened.survey.status is SurveyStatus.open
    (event,) = opened.events
    assert isinstance(event, MissionSurveyOpened)
    assert (event.likert_items, event.text_items, event.title) == (
        ["teaching", "safety"],
        1,
        "ความพึงพอใจของผู้ปกครองต่อคุณภาพผู้เรียน",
    )
    tally = SurveyTally().add({"teaching": 5}, {}, SurveyLink.personal)
    closed = decide(opened.survey, SurveyCommand.close, ADMIN, TODAY, tally, links_sent=3)
    (event,) = closed.events
    assert isinstance(event, MissionSurveyClosed)
    assert event.counts == {"teaching": [0, 0, 0, 0, 1], "safety": [0, 0, 0, 0, 0]}
    assert (event.responses, event.links_sent, event.personal_responses) == (1, 3, 1)


@pytest.mark.parametrize(
    ("status", "command"),
    [
        (SurveyStatus.open, SurveyCommand.open),
        (SurveyStatus.closed, SurveyCommand.open),
        (SurveyStatus.draft, SurveyCommand.close),
        (SurveyStatus.closed, SurveyCommand.close),
        (SurveyStatus.open, SurveyCommand.edit),
    ],
)
def test_a_command_the_table_does_not_allow_is_an_illegal_transition(
    status: SurveyStatus, command: SurveyCommand
) -> None:
    with pytest.raises(IllegalTransition):
        decide(survey(status), command, COORDINATOR, TODAY)


def test_other_staff_run_no_survey_and_a_past_last_day_cannot_open() -> None:
    with pytest.raises(Forbidden):
        decide(survey(SurveyStatus.draft), SurveyCommand.open, STAFF, TODAY)
    with pytest.raises(InvalidField) as refused:
        decide(survey(SurveyStatus.draft), SurveyCommand.open, ADMIN, date(2027, 2, 1))
    assert refused.value.field == "closes_on"


def test_the_system_closes_a_survey_past_its_last_day_and_does_nothing_else() -> None:
    running = survey(SurveyStatus.open)
    assert not past_last_day(running, running.closes_on)  # the last day itself still counts
    day_after = running.closes_on + timedelta(days=1)
    assert past_last_day(running, day_after)
    assert not past_last_day(survey(SurveyStatus.draft), day_after)
    closed = decide(running, SurveyCommand.close, SYSTEM, day_after)
    assert closed.survey.status is SurveyStatus.closed
    assert isinstance(closed.events[0], MissionSurveyClosed)
    assert closed.events[0].actor == "system"
    with pytest.raises(Forbidden):
        decide(survey(SurveyStatus.draft), SurveyCommand.open, SYSTEM, TODAY)
    with pytest.raises(IllegalTransition):
        decide(survey(SurveyStatus.closed), SurveyCommand.close, SYSTEM, day_after)
    with pytest.raises(IllegalTransition):  # people close early; the system never does
        decide(running, SurveyCommand.close, SYSTEM, running.closes_on)


# ---------------------------------------------------------------------- answers


def test_an_answer_keeps_its_scores_and_trimmed_words() -> None:
    checked = check_answer(survey(), {"teaching": 4}, {"idea": "  ครูดีมาก  "}, TODAY)
    assert (checked.scores, checked.texts) == ({"teaching": 4}, {"idea": "ครูดีมาก"})
    event = answered_event(survey(), "sr-1", checked, SurveyLink.public, NOW)
    assert event.scores == {"teaching": 4} and event.texts == 1
    assert "ครูดีมาก" not in event.model_dump_json()


@pytest.mark.parametrize(
    ("scores", "texts", "field"),
    [
        ({"teaching": 6}, {}, "scores.teaching"),
        ({"teaching": 0}, {}, "scores.teaching"),
        ({"lunch": 3}, {}, "scores.lunch"),
        ({}, {"why": "x"}, "texts.why"),
    ],
)
def test_a_refused_answer_names_the_field(
    scores: dict[str, int], texts: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        check_answer(survey(), scores, texts, TODAY)
    assert refused.value.field == field


def test_an_empty_answer_is_missing_scores() -> None:
    with pytest.raises(MissingField) as refused:
        check_answer(survey(), {}, {"idea": "   "}, TODAY)
    assert refused.value.field == "scores"


@pytest.mark.parametrize(
    ("status", "today", "reason"),
    [
        (SurveyStatus.closed, TODAY, "closed"),
        (SurveyStatus.draft, TODAY, "not_open"),
        (SurveyStatus.open, date(2027, 2, 1), "period_ended"),
        (SurveyStatus.open, date(2026, 11, 30), "not_open"),
    ],
)
def test_a_survey_not_taking_answers_refuses_with_its_reason(
    status: SurveyStatus, today: date, reason: str
) -> None:
    with pytest.raises(Refused) as refused:
        check_answer(survey(status), {"teaching": 3}, {}, today)
    assert refused.value.reason == reason


# --------------------------------------------------------------------- counting


ANSWERS = [
    ({"teaching": 5, "safety": 4}, {"idea": "ดี"}, SurveyLink.public),
    ({"teaching": 3}, {}, SurveyLink.personal),
    ({"teaching": 4, "safety": 2}, {}, SurveyLink.public),
]


def _running(answers: list[tuple[dict[str, int], dict[str, str], SurveyLink]]) -> SurveyTally:
    """The counters as the adapter `$inc`s them, read back."""
    counters: dict[str, Any] = {}
    for scores, texts, via in answers:
        for path, n in increments(scores, texts, via).items():
            node = counters
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = node.get(leaf, 0) + n
    return SurveyTally.of(counters)


def test_answers_are_counted_per_item_with_distribution_mean_and_responses() -> None:
    tally = tally_of(ANSWERS)
    teaching, safety = results(["teaching", "safety"], tally)
    assert teaching.distribution == (0, 0, 1, 1, 1)
    assert (teaching.answered, teaching.mean) == (3, 4.0)
    assert safety.distribution == (0, 1, 0, 1, 0)
    assert (safety.answered, safety.mean) == (2, 3.0)
    assert (tally.responses, tally.public, tally.personal) == (3, 2, 1)
    assert tally.texts == {"idea": 1}
    assert overall_mean([teaching, safety]) == 3.6


def test_the_running_counters_equal_a_recount() -> None:
    assert _running(ANSWERS) == tally_of(ANSWERS)


def test_an_item_nobody_scored_has_no_mean() -> None:
    (result,) = results(["teaching"], SurveyTally())
    assert (result.distribution, result.answered, result.mean) == ((0, 0, 0, 0, 0), 0, None)


# ------------------------------------------------------------------------ links


def test_a_signed_link_names_its_survey_and_link_until_the_end_of_the_last_day() -> None:
    expires = link_expiry(date(2027, 1, 31))
    assert expires == datetime(2027, 1, 31, 17, 0, tzinfo=UTC)  # midnight in Bangkok
    token = sign_link("ms-1", "abc123", expires, SECRET)
    claims = verify_link(token, "ms-1", NOW, SECRET)
    assert (claims.survey_id, claims.link_id) == ("ms-1", "abc123")
    # Signed with a secret being rotated out: still good.
    assert verify_link(token, "ms-1", NOW, "another-secret-of-16-bytes", [SECRET]).link_id


def test_a_link_is_refused_when_forged_for_another_survey_expired_or_a_case_survey() -> None:
    token = sign_link("ms-1", "abc123", NOW + timedelta(days=1), SECRET)
    for bad, survey_id in [
        (token, "ms-2"),
        (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "ms-1"),
        (sign_link("ms-1", "abc123", NOW + timedelta(days=1), "someone-elses-secret"), "ms-1"),
        # A per-case survey link, signed with the same secret, is not a mission survey's.
        (sign_survey_token("ms-1", secret=SECRET, now=NOW), "ms-1"),
    ]:
        with pytest.raises(InvalidField) as refused:
            verify_link(bad, survey_id, NOW, SECRET)
        assert refused.value.field == "token"
    with pytest.raises(Refused) as late:
        verify_link(token, "ms-1", NOW + timedelta(days=2), SECRET)
    assert late.value.reason == "link_expired"


def test_a_link_gives_one_response_id_and_a_key_one_per_resend() -> None:
    assert response_id_for("ms-1", "abc") == response_id_for("ms-1", "abc", "key-1")
    assert response_id_for("ms-1", "abc") != response_id_for("ms-2", "abc")
    assert response_id_for("ms-1", key="key-00001") == response_id_for("ms-1", key="key-00001")
    assert response_id_for("ms-1") != response_id_for("ms-1")


# ------------------------------------------------------------------------- demo


@pytest.mark.parametrize("today", [date(2026, 12, 6), date(2026, 10, 1), date(2027, 9, 20)])
def test_the_demo_survey_and_its_answers_are_what_the_service_takes(today: date) -> None:
    settings = ParticipationSettings()
    plans = {p.fiscal_year: p for p in load_missions(settings.missions_path)}
    demo = MissionSurveyDraft.model_validate(demo_survey(today))
    check_draft(demo, plans.get(demo.fiscal_year), load_groups(settings.stakeholder_groups_path))
    opened = decide(
        MissionSurvey(**demo.model_dump(), survey_id="demo"), SurveyCommand.open, ADMIN, today
    ).survey
    for scores, idea in DEMO_ANSWERS:
        check_answer(opened, scores, {"idea": idea} if idea else {}, today)
