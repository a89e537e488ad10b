"""Pure pieces of the pages: SVG charts, Thai and English words, report filters."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.reporting.api.filters import Filters
from services.reporting.web.charts import bar_chart, column_chart
from services.reporting.web.texts import Texts
from shared.contract.catalogue import load_catalogue


def test_bar_chart_escapes_labels_and_shows_values() -> None:
    svg = str(bar_chart([("<b>web</b>", 12), ("line", None)], title="By & channel"))
    assert svg.startswith("<svg") and "<title>By &amp; channel</title>" in svg
    assert "&lt;b&gt;web&lt;/b&gt;" in svg and "<b>" not in svg
    assert ">12<" in svg and ">–<" in svg


def test_column_chart_of_empty_months() -> None:
    svg = str(column_chart([("ต.ค. 69", 0), ("พ.ย. 69", 0)], title="months"))
    assert svg.count("<rect") == 2 and 'height="0.0"' in svg
    # Month over year, so neighbouring labels never run into each other.
    assert ">ต.ค.</tspan>" in svg and ">69</tspan>" in svg


def test_a_bar_chart_makes_room_for_a_long_unit_name() -> None:
    """A unit's full name is neither cut off at the chart's left edge nor squeezed: the
    label column widens, and a name too long for it takes two lines."""
    short = str(bar_chart([("กลุ่มอำนวยการ", 6)], title="u", label_width=300, width=700))
    assert 'width="700"' in short and short.count("<tspan") == 1
    middling = "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา"
    wider = str(bar_chart([(middling, 2)], title="u", label_width=190, width=560))
    grown = int(wider.split('width="', 1)[1].split('"', 1)[0])
    assert grown > 560 and wider.count("<tspan") == 1
    longest = "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร และงานอื่น ๆ"
    two = str(bar_chart([(longest, 3), ("กลุ่มอำนวยการ", 6)], title="u", label_width=300))
    assert two.count("<tspan") == 3  # the long name on two lines, the short on one
    assert ">กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร<" not in two


def test_texts_in_thai_with_thai_digits_and_in_english() -> None:
    cat = load_catalogue()
    th = Texts("th", cat, thai_digits=True)
    assert th.month("2026-10") == "ต.ค. ๖๙" and th.n(1234) == "๑,๒๓๔"
    assert th.year(2570) == "๒๕๗๐" and th.unit("legal") == "กลุ่มกฎหมายและคดี"
    assert th.n(0.5, percent=True) == "๕๐.๐%"
    en = Texts("en", cat, thai_digits=True)  # Thai digits only ever apply to Thai
    assert en.month("2026-10") == "Oct 26" and en.n(1234) == "1,234"
    assert en.year(2570) == "2026–27" and en["received"] == "Received"
    assert en.category("nope") == "nope" and en.unit("nope") == "nope"


def test_filters_build_the_view_query_within_the_unit_scope() -> None:
    f = Filters.model_validate(
        {"fiscal_year": 2570, "round": 1, "complaint_type": "none", "group_by": "unit,channel"}
    )
    assert f.group_by == ["unit", "channel"]
    assert f.query("legal") == {
        "fiscal_year": 2570,
        "round": 1,
        "complaint_type": None,
        "unit": "legal",
    }
    with pytest.raises(ValidationError):
        Filters.model_validate({"group_by": "assignee"})
    with pytest.raises(ValidationError):
        Filters.model_validate({"fiscal_year": 2026})  # a C.E. year by mistake
    with pytest.raises(ValidationError):
        Filters.model_validate({"month": "2026-13"})
