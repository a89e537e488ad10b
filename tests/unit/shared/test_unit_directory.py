"""The units an admin renamed or added, laid over the catalogue file (one overlay for
workflow's saved settings and for the `unit.changed` events reporting and participation
keep), and which of those events a reader keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.contract.catalogue import Unit, load_catalogue, with_units
from shared.contract.events import CloudEvent, SurveyAnswered, UnitChanged, make_event
from shared.infra.unit_directory import latest, split, units_of


def changed(code: str, th: str, en: str, version: int) -> UnitChanged:
    return UnitChanged(code=code, name_th=th, name_en=en, version=version)


def event(data: Any) -> CloudEvent[Any]:
    return make_event(data, source="/tests", subject=getattr(data, "code", "x"))


def test_saved_names_and_added_units_join_the_file_and_triage_stays_the_files() -> None:
    catalogue = load_catalogue()
    saved = [
        Unit(code="legal", name_th="กลุ่มกฎหมาย", name_en="Legal"),
        Unit(code="welfare", name_th="กลุ่มสวัสดิการ", name_en="Welfare", triage=True),
    ]
    merged = with_units(catalogue, saved)
    codes = [u.code for u in merged.units]
    assert codes[: len(catalogue.units)] == [u.code for u in catalogue.units]
    assert codes[-1] == "welfare" and not merged.unit("welfare").triage
    assert merged.unit("legal").name_en == "Legal"
    assert merged.triage_unit.code == catalogue.triage_unit.code
    assert with_units(merged, saved) == merged  # applying the same again changes nothing
    assert with_units(catalogue, []) == catalogue


def test_the_newest_version_of_each_unit_wins_whatever_the_order() -> None:
    old, new = changed("legal", "เก่า", "Old", 3), changed("legal", "ใหม่", "New", 7)
    other = changed("finance", "การเงิน", "Finance", 5)
    assert latest([new, other, old]) == {"legal": new, "finance": other}
    assert latest([old, new, new]) == {"legal": new}  # a repeat changes nothing
    again = changed("legal", "ใหม่อีก", "Newer", 7)
    assert latest([new, again])["legal"] == again  # the same save: the later record


def test_kept_units_are_in_the_order_first_known_and_lay_over_the_file() -> None:
    docs = [
        {"_id": "welfare", "name_th": "สวัสดิการ", "name_en": "Welfare", "since": 9},
        {"_id": "legal", "name_th": "กลุ่มกฎหมาย", "name_en": "Legal Division", "since": 4},
    ]
    units = units_of(docs)
    assert [u.code for u in units] == ["legal", "welfare"]
    merged = with_units(load_catalogue(), units)
    assert merged.unit("legal").name_en == "Legal Division"
    assert merged.units[-1].code == "welfare" and merged.unit("welfare").name_th == "สวัสดิการ"


def test_a_batch_is_split_into_unit_events_and_the_rest_in_order() -> None:
    a, b = event(changed("legal", "ก", "A", 1)), event(changed("finance", "ข", "B", 1))
    answer = SurveyAnswered(case_id="c1", rating=4, solved=True, answered_at=datetime.now(UTC))
    survey = make_event(answer, source="/tests", subject="c1")
    units, rest = split([a, survey, b])
    assert units == [a, b] and rest == [survey]
