"""The shipped plan and stakeholder groups load, and the public form's fields become the
API's body."""

from __future__ import annotations

from services.participation.adapters.plan_files import load_groups, load_missions
from services.participation.domain.plan import ItemKind
from services.participation.settings import ParticipationSettings
from services.participation.web.pages import opinion_fields
from shared.contract.events import Language


def test_the_shipped_plan_covers_this_fiscal_year_with_missions_and_strategies() -> None:
    settings = ParticipationSettings()
    plans = {p.fiscal_year: p for p in load_missions(settings.missions_path)}
    assert 2570 in plans
    kinds = {i.kind for i in plans[2570].items}
    assert kinds == {ItemKind.mission, ItemKind.strategy}
    assert all(i.name_th and i.name_en for i in plans[2570].items)


def test_the_shipped_groups_are_the_offices_stakeholders() -> None:
    groups = load_groups(ParticipationSettings().stakeholder_groups_path)
    assert {"parents", "teachers", "school-directors", "students", "community"} <= groups.codes()
    assert {"partner-agencies", "staff"} <= groups.codes()


def test_the_port_is_8005() -> None:
    assert ParticipationSettings().port == 8005


def test_the_form_becomes_the_api_body() -> None:
    flat = {
        "submission_key": "abcdef0123456789",
        "group": "parents",
        "answers.lunch": "good",
        "answers.idea": "ผลไม้",
        "contact.name": " มาลี ",
        "contact.phone": "",
        "consent.contact_me": "true",
    }
    assert opinion_fields(flat, Language.en) == {
        "group": "parents",
        "answers": {"lunch": "good", "idea": "ผลไม้"},
        "consent": {"contact_me": True},
        "contact": {"name": "มาลี"},
        "language": "en",
        "submission_key": "abcdef0123456789",
    }
    bare = opinion_fields({"group": "teachers", "contact.email": " "}, Language.th)
    assert "contact" not in bare and bare["consent"] == {"contact_me": False}
