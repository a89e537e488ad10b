"""The admin pages' forms read into what the API takes, each refusal tied to the row it
is about; a form filled from the settings in force reads back as those settings."""

from __future__ import annotations

import pytest

from services.workflow.adapters.policy_files import load_routing_config, load_sla_config
from services.workflow.adapters.staff_directory import StaffAccount
from services.workflow.web.admin_forms import (
    FormProblems,
    account_from_form,
    closure_values,
    closures_from_form,
    routing_from_form,
    routing_values,
    sla_from_form,
    sla_values,
    units_from_form,
)
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Priority
from shared.infra.auth import StaffRole

CATALOGUE = load_catalogue()


def problems_of(error: pytest.ExceptionInfo[FormProblems]) -> dict[str, str]:
    return {row: p.key for row, p in error.value.problems.items()}


def test_the_routing_in_force_reads_back_unchanged() -> None:
    config = load_routing_config()
    read = routing_from_form(routing_values(config, CATALOGUE), CATALOGUE)
    assert read.model_dump() == config.model_dump()


def test_a_category_sent_to_another_unit_becomes_an_override() -> None:
    values = routing_values(load_routing_config(), CATALOGUE)
    read = routing_from_form({**values, "unit.documents": "legal"}, CATALOGUE)
    assert read.category_units == {"documents": "legal"}
    # Choosing the catalogue's own unit again is no override.
    assert routing_from_form(values, CATALOGUE).category_units == {}


def test_each_wrong_routing_row_is_named() -> None:
    values = routing_values(load_routing_config(), CATALOGUE)
    with pytest.raises(FormProblems) as error:
        routing_from_form(
            {
                **values,
                "unit.documents": "nowhere",
                "priority.corruption": "extreme",
                "kind.question": "soon",
                "duplicate_window_days": "400",
                "misconduct_unit": "nowhere",
            },
            CATALOGUE,
        )
    assert problems_of(error) == {
        "cat.documents": "admin.err.unknown_unit",
        "cat.corruption": "admin.err.choice",
        "kind.question": "admin.err.choice",
        "duplicate_window_days": "admin.err.at_most",
        "misconduct": "admin.err.unknown_unit",
    }


def test_a_window_that_is_no_number_is_named_so() -> None:
    values = routing_values(load_routing_config(), CATALOGUE)
    with pytest.raises(FormProblems) as error:
        routing_from_form({**values, "duplicate_window_days": "two weeks"}, CATALOGUE)
    assert problems_of(error) == {"duplicate_window_days": "admin.err.whole_number"}


def test_the_deadline_policies_read_back_and_blank_or_removed_rows_are_no_rules() -> None:
    config = load_sla_config()
    values, rows = sla_values(config)
    assert len(rows) == len(config.rules) + 3
    assert sla_from_form(values).model_dump() == config.model_dump()
    fewer = sla_from_form({**values, "rule1.remove": "1"})
    assert fewer.model_dump()["rules"] == config.model_dump()["rules"][1:]


def test_a_new_rule_row_is_added_and_each_wrong_row_is_named() -> None:
    values, rows = sla_values(load_sla_config())
    new = rows[-1]
    added = sla_from_form(
        {
            **values,
            f"rule{new}.priority": "urgent",
            f"rule{new}.kind": "question",
            f"rule{new}.acknowledge": "1",
            f"rule{new}.first_response": "1",
            f"rule{new}.resolution": "2",
        }
    )
    assert added.rules[-1].priority is Priority.urgent and added.rules[-1].resolution == 2
    with pytest.raises(FormProblems) as error:
        sla_from_form(
            {
                **values,
                "default.first_response": "20",  # beyond s.38's 15 days
                "rule2.acknowledge": "9",  # after its first response
                f"rule{new}.priority": "high",  # days missing
                "rule3.resolution": "x",
            }
        )
    assert problems_of(error) == {
        "default": "admin.err.legal",
        "rule2": "admin.err.order",
        f"rule{new}": "admin.err.days_needed",
        "rule3": "admin.err.whole_number",
    }


def test_units_renamed_and_one_added_or_each_problem_named() -> None:
    units = CATALOGUE.units
    names, added = units_from_form(
        {"th.legal": "กฎหมาย", "new.code": "welfare", "new.name_th": "สวัสดิการ", "new.name_en": "W"},
        units,
    )
    assert names["legal"] == ("กฎหมาย", "Legal Affairs Division")
    assert added is not None and added.code == "welfare"
    assert units_from_form({}, units)[1] is None
    with pytest.raises(FormProblems) as error:
        units_from_form({"en.legal": " ", "new.code": "Bad Code"}, units)
    assert problems_of(error) == {
        "unit.legal": "admin.err.names_needed",
        "new": "admin.err.unit_code",
    }
    with pytest.raises(FormProblems) as error:
        units_from_form({"new.code": "legal", "new.name_th": "ก", "new.name_en": "L"}, units)
    assert problems_of(error) == {"new": "admin.err.code_taken"}


def test_closures_read_in_be_each_bad_row_named() -> None:
    read = closures_from_form(
        {"day1": "2/1/2569", "note1": "ปิดซ่อมอาคาร", "day2": "", "note2": "", "day3": "2026-01-05"}
    )
    assert [c.day.isoformat() for c in read] == ["2026-01-02", "2026-01-05"]
    assert read[0].note == "ปิดซ่อมอาคาร"
    values, rows = closure_values(read, lambda d: d.isoformat())
    assert closures_from_form(values) == read and len(rows) == 5
    assert closures_from_form({**values, "remove1": "1"}) == read[1:]
    with pytest.raises(FormProblems) as error:
        closures_from_form(
            {"day1": "31/2/2569", "day2": "2026-01-05", "day3": "5/1/2569", "day4": "1/1/1900"}
        )
    assert problems_of(error) == {
        "row1": "admin.err.date",
        "row3": "admin.err.closure_twice",
        "row4": "admin.err.invalid",
    }


def test_a_new_account_and_each_wrong_field_named() -> None:
    form = {"username": "Somchai.K", "name": "สมชาย ก", "unit": "legal", "role": "staff"}
    account = account_from_form(form, None, CATALOGUE.units)
    assert account.id == "somchai.k" and account.unit == "legal" and account.email is None
    with pytest.raises(FormProblems) as error:
        account_from_form(
            {"username": "x y", "name": "", "unit": "", "role": "staff"}, None, CATALOGUE.units
        )
    assert problems_of(error) == {
        "username": "admin.err.username",
        "name": "admin.err.required",
        "unit": "admin.err.unit_needed",
    }


def test_a_change_keeps_what_the_form_does_not_show() -> None:
    base = StaffAccount(id="legal.a", name="ก", role=StaffRole.staff, unit="legal", cap=4)
    changed = account_from_form(
        {"name": "ข", "unit": "", "role": "admin", "email": "a@example.com"}, base, CATALOGUE.units
    )
    assert (changed.id, changed.name, changed.unit, changed.role, changed.cap) == (
        "legal.a",
        "ข",
        None,
        StaffRole.admin,
        4,
    )
