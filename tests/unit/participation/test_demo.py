"""The participation demo of `make dev` is what the service accepts: every consultation a
sound draft of the shipped plan and groups, every opinion one its consultation takes,
every outcome one an office can record, whatever day the demo is loaded on."""

from __future__ import annotations

from datetime import date

import pytest

from deploy.local.demo_participation import demo_consultations
from services.participation.adapters.plan_files import load_groups, load_missions
from services.participation.domain.consultation import Consultation, ConsultationDraft, check_draft
from services.participation.domain.opinions import OpinionBody, check_opinion
from services.participation.domain.outcomes import OutcomeDraft, check_new, heard_consultation
from services.participation.settings import ParticipationSettings
from shared.contract.catalogue import load_catalogue
from shared.contract.events import ConsultationStatus

SETTINGS = ParticipationSettings()
PLANS = {p.fiscal_year: p for p in load_missions(SETTINGS.missions_path)}
GROUPS = load_groups(SETTINGS.stakeholder_groups_path)
UNITS = frozenset(u.code for u in load_catalogue(SETTINGS.catalogue_path).units)


@pytest.mark.parametrize("today", [date(2026, 12, 6), date(2026, 10, 1), date(2027, 9, 20)])
def test_the_demo_is_what_the_service_accepts(today: date) -> None:
    demos = demo_consultations(today)
    assert {d.target for d in demos} == {"draft", "open", "concluded"}
    for demo in demos:
        draft = ConsultationDraft.model_validate(demo.body)
        check_draft(draft, PLANS.get(draft.fiscal_year), GROUPS)
        consultation = Consultation(
            **draft.model_dump(), consultation_id="demo", status=ConsultationStatus.open
        )
        for opinion in demo.opinions:
            body = OpinionBody(
                group=opinion.group,
                answers=opinion.answers,
                contact=opinion.contact,
                consent={"contact_me": opinion.contact is not None},
            )
            check_opinion(consultation, body, today)
        for o in demo.outcomes:
            outcome = OutcomeDraft(
                consultation_id="demo",
                you_said_th=o.you_said_th,
                we_did_th=o.we_did_th,
                owner_unit=o.owner_unit,
                status=o.status,
                reason=o.reason,
                due_on=o.due_on,
            )
            heard = heard_consultation(
                ConsultationStatus.concluded, draft.fiscal_year, draft.mission_item
            )
            check_new(outcome, heard, None, UNITS, today, "oc-demo")
