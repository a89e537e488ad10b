"""Who hears that a complainant added information or withdrew: the person holding the
case (or the unit's supervisors when nobody does), never the complainant's own words in a
mailbox, and never an echo of them back to the complainant."""

from __future__ import annotations

from collections.abc import Callable

from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.notice import RecipientRole, TemplateName
from services.notifications.domain.office import Office, SurveyLinks
from shared.contract.events import (
    CaseClosed,
    CaseInfoAdded,
    CaseStatus,
    Channel,
    CloseReason,
)

from .sample import event, plan

WORDS = "บ้านเลขที่ 12 ซอย 5 โทร 081-234-5678"


def info_added(assignee: str | None = "somchai.r") -> CaseInfoAdded:
    return CaseInfoAdded(
        case_id="c-1",
        follow_up_id="f-1",
        text=WORDS,
        attachments=["65f0a1", "65f0a2"],
        channel=Channel.web,
        resumed=True,
        assignee=assignee,
    )


def test_added_information_tells_the_assignee_without_quoting_it(
    facts: Callable[..., CaseFacts], office: Office, survey_links: SurveyLinks
) -> None:
    case = facts(assignee="somchai.r", status=CaseStatus.awaiting_info)

    [notice] = plan(event(info_added()), case, office, survey_links)

    assert (notice.recipient_role, notice.recipient) == (RecipientRole.assignee, "somchai.r")
    assert notice.template is TemplateName.complainant_added_info
    assert notice.context["resumed"] is True and notice.context["attachments"] == 2
    assert WORDS not in str(notice.context)


def test_added_information_on_an_unassigned_case_goes_to_the_units_supervisors(
    facts: Callable[..., CaseFacts], office: Office, survey_links: SurveyLinks
) -> None:
    [notice] = plan(event(info_added(None)), facts(), office, survey_links)

    assert notice.recipient_role is RecipientRole.supervisor
    assert notice.recipient == "@unit:promotion"
    assert notice.context["unassigned"] is True


def test_a_withdrawal_tells_the_assignee_and_confirms_it_to_the_complainant(
    facts: Callable[..., CaseFacts], office: Office, survey_links: SurveyLinks
) -> None:
    closed = CaseClosed(case_id="c-1", reason=CloseReason.withdrawn, actor="complainant")

    notices = plan(event(closed), facts(assignee="somchai.r"), office, survey_links)

    by_role = {n.recipient_role: n for n in notices}
    assert by_role[RecipientRole.assignee].template is TemplateName.complainant_withdrew
    assert by_role[RecipientRole.assignee].recipient == "somchai.r"
    assert by_role[RecipientRole.complainant].template is TemplateName.case_closed


def test_a_withdrawal_the_assignee_recorded_themselves_tells_only_the_complainant(
    facts: Callable[..., CaseFacts], office: Office, survey_links: SurveyLinks
) -> None:
    closed = CaseClosed(case_id="c-1", reason=CloseReason.withdrawn, actor="somchai.r")

    notices = plan(event(closed), facts(assignee="somchai.r"), office, survey_links)

    assert [n.recipient_role for n in notices] == [RecipientRole.complainant]
