"""How stakeholders take part in a mission item (seed measure 2.2): the item's groups,
practices, channels and process are optional (a plan on file from before keeps loading),
checked (an unknown one is refused naming the field) and shown on the public page with
each channel's contact."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.participation.adapters.plan_files import load_groups, load_missions
from services.participation.domain.errors import InvalidField
from services.participation.domain.plan import (
    REACH_CHANNELS,
    MissionItem,
    MissionPlan,
    StakeholderGroup,
    StakeholderGroups,
    check_groups,
)
from services.participation.settings import OfficeContacts, ParticipationSettings
from services.participation.web.take_part import reach
from services.participation.web.texts import Texts
from shared.contract.events import Channel, Language
from shared.contract.vocabulary import Practice

GROUPS = StakeholderGroups(
    groups=(
        StakeholderGroup(code="parents", name_th="ผู้ปกครอง", name_en="Parents"),
        StakeholderGroup(code="teachers", name_th="ครู", name_en="Teachers"),
    )
)
BARE = {"code": "S2", "kind": "strategy", "name_th": "คุณภาพผู้เรียน", "name_en": "Quality"}


def field_of(exc: ValidationError) -> str:
    return ".".join(str(p) for p in exc.errors()[0]["loc"])


def test_an_item_saved_before_the_fields_existed_loads_saying_nothing() -> None:
    plan = MissionPlan.model_validate({"fiscal_year": 2570, "items": [BARE]})
    item = plan.items[0]
    assert item.groups == () and item.practices == () and item.channels == ()
    assert item.process_th is None and not item.says_how()


def test_ticked_twice_is_once_and_the_vocabulary_orders_them() -> None:
    item = MissionItem.model_validate(
        {
            **BARE,
            "groups": ["teachers", "parents", "teachers"],
            "practices": ["survey", "consultation", "survey"],
            "channels": ["letter", "web", "line"],
            "process_th": "  ",
        }
    )
    assert item.groups == ("teachers", "parents")
    assert item.practices == (Practice.consultation, Practice.survey)
    assert item.channels == (Channel.web, Channel.line, Channel.letter)
    assert item.process_th is None  # a blank process says nothing
    assert item.says_how()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("practices", ["consultation", "petition"]),
        ("channels", ["web", "carrier-pigeon"]),
        # A partner system's API is how software reaches the office, not people.
        ("channels", ["api"]),
        ("groups", ["Parents.Board"]),
        ("process_en", "x" * 2001),
    ],
)
def test_an_unknown_practice_or_channel_is_refused_naming_the_field(
    field: str, value: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        MissionItem.model_validate({**BARE, field: value})
    assert field_of(caught.value).split(".")[0] == field


def test_a_group_the_office_has_not_configured_is_refused_naming_the_field() -> None:
    good = MissionItem.model_validate({**BARE, "groups": ["parents"]})
    bad = MissionItem.model_validate({**BARE, "code": "S3", "groups": ["parents", "aliens"]})
    check_groups((good,), GROUPS, "change the mission plan", field="")
    with pytest.raises(InvalidField) as one:
        check_groups((bad,), GROUPS, "change the mission plan", field="")
    assert one.value.field == "groups" and "aliens" in one.value.why
    with pytest.raises(InvalidField) as plan:
        check_groups((good, bad), GROUPS, "change the mission plan", field="items")
    assert plan.value.field == "items.1.groups"


def test_the_shipped_plan_says_how_stakeholders_take_part_in_every_item() -> None:
    settings = ParticipationSettings()
    groups = load_groups(settings.stakeholder_groups_path)
    for plan in load_missions(settings.missions_path):
        check_groups(plan.items, groups, "load the shipped plan", field="items")
        for item in plan.items:
            assert item.groups and item.practices and item.channels, item.code
            assert item.process_th and item.process_en, item.code
    used = {c for p in load_missions(settings.missions_path) for i in p.items for c in i.channels}
    assert used == set(REACH_CHANNELS)  # the demo shows every channel somewhere


def test_each_channel_links_its_contact_or_says_where_to_ask() -> None:
    contacts = OfficeContacts(
        web_form_url="https://siang.example.go.th/",
        email="saraban@example.go.th",
        phone="043-000-000",
        line_id="@spesao",
        line_url="https://line.me/R/ti/p/@spesao",
        facebook_url=None,
        open311_url=None,
        address_th=None,
    )
    shown = reach(contacts, Texts(Language.en))
    assert list(shown) == list(REACH_CHANNELS)
    assert shown[Channel.web].href == "https://siang.example.go.th/"
    assert shown[Channel.email].href == "mailto:saraban@example.go.th"
    assert shown[Channel.phone].href == "tel:043000000"
    assert shown[Channel.line].text == "LINE @spesao"
    assert shown[Channel.line].href == "https://line.me/R/ti/p/@spesao"
    # Not configured: named, with no dead link.
    assert shown[Channel.facebook].href is None
    assert shown[Channel.facebook].text == "The office's Facebook Page"
    assert shown[Channel.walk_in].href is None and shown[Channel.walk_in].text
