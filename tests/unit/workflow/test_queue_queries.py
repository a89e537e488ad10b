"""The console queue's MongoDB translation: which conditions an index finds the candidates
by, keyset page positions in each order, and the tabs as filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.workflow.adapters.case_queries import (
    BadPosition,
    CaseFilter,
    Position,
    Sort,
    Window,
    by_days,
    case_query,
    queue_pipeline,
    window_leads,
    window_pipeline,
)
from services.workflow.domain.case_search import read_search
from services.workflow.domain.errors import Forbidden
from services.workflow.handlers.queues import Queue, QueueAsk, queue_filter, received_window
from shared.infra.auth import Principal
from shared.thai.calendar import ThaiCalendar

AT = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # a Friday, 10:00 in Bangkok


def person(role: str, unit: str | None = "promotion", who: str = "promotion.a") -> Principal:
    return Principal.model_validate({"sub": who, "name": who, "role": role, "unit": unit, "exp": 0})


def stages(wanted: CaseFilter, sort: Sort = Sort.newest, position: Position | None = None):
    return queue_pipeline(wanted, sort, position, limit=50, count_up_to=1000)


def test_the_first_stage_holds_only_what_an_index_finds_the_candidates_by() -> None:
    wanted = CaseFilter(
        hidden_from="promotion.a",
        one_unit=True,
        unit="promotion",
        statuses=["assigned", "in_progress"],
        channels=["line"],
        words="หลังคา",
    )
    lead, rest, project, facet = stages(wanted)
    assert lead == {"$match": {"unit": "promotion", "status": {"$in": ["assigned", "in_progress"]}}}
    assert rest["$match"]["excluded_assignees"] == {"$ne": "promotion.a"}
    assert rest["$match"]["channel"] == {"$in": ["line"]}
    assert rest["$match"]["$or"][0]["subject"]["$regex"] == "หลังคา"
    assert project == {"$project": {"received_at": "$received_at"}}  # the order's keys only
    assert facet["$facet"]["total"] == [{"$limit": 1001}, {"$count": "n"}]
    assert facet["$facet"]["rows"] == [
        {"$sort": {"received_at": -1, "_id": -1}},
        {"$limit": 51},
    ]


@pytest.mark.parametrize(
    ("wanted", "lead"),
    [
        (CaseFilter(tracking_code="SG-1", one_unit=True, unit="x"), ["tracking_code"]),
        (CaseFilter(contact_keys=["k"], one_unit=True, unit="x"), ["contact_keys"]),
        (
            CaseFilter(due=Window(AT, AT + timedelta(days=3)), one_unit=True, unit="x"),
            ["clocks.resolution.due_at"],
        ),
        # Overdue has no start: every old case is past its deadline, so the unit leads.
        (CaseFilter(due=Window(end=AT), one_unit=True, unit="x"), ["unit"]),
        (CaseFilter(assignee="a", statuses=["assigned"]), ["assignee", "status"]),
        (CaseFilter(statuses=["assigned"], received=Window(AT)), ["status"]),
        # A unit's cases of some weeks, closed ones too: by the unit's days received.
        (
            CaseFilter(one_unit=True, unit="x", received=Window(AT), statuses=["closed"]),
            ["unit", "received_at"],
        ),
        (CaseFilter(one_unit=True, unit="x", received=Window(AT)), ["unit", "received_at"]),
        (
            CaseFilter(one_unit=True, unit="x", received=Window(AT), statuses=["assigned"]),
            ["unit", "status"],
        ),
        (CaseFilter(received=Window(AT)), ["received_at"]),
        (CaseFilter(kinds=["question"]), []),
    ],
)
def test_the_narrowest_condition_leads(wanted: CaseFilter, lead: list[str]) -> None:
    assert list(stages(wanted)[0]["$match"]) == lead


def test_long_lists_in_the_order_received_are_read_days_at_a_time_by_bounded_reads() -> None:
    days = {"$gte": AT - timedelta(days=7)}
    unit = CaseFilter(hidden_from="x", one_unit=True, unit="promotion")
    every_open = CaseFilter(hidden_from="x", statuses=["received", "assigned", "received"])
    assert by_days(unit, Sort.newest) and by_days(every_open, Sort.oldest)
    # A unit's open cases are fewer by their status; a deadline order is not by day.
    assert not by_days(
        CaseFilter(one_unit=True, unit="promotion", statuses=["received"]), Sort.newest
    )
    assert not by_days(every_open, Sort.due)
    assert window_leads(unit, days) == [{"unit": "promotion", "received_at": days}]
    # Each status's days apart (index status, received_at), each status once.
    assert window_leads(every_open, days) == [
        {"status": "received", "received_at": days},
        {"status": "assigned", "received_at": days},
    ]
    assert window_leads(CaseFilter(hidden_from="x"), days) == [{"received_at": days}]
    lead, rest, *_ = queue_pipeline_with(every_open, window_leads(every_open, days)[1])
    assert lead == {"$match": {"status": "assigned", "received_at": days}}
    assert "status" not in rest["$match"]


def queue_pipeline_with(wanted: CaseFilter, lead: dict[str, object]) -> list[dict[str, object]]:
    return window_pipeline(wanted, Sort.newest, None, limit=50, count_up_to=200, lead=lead)


def test_a_page_goes_on_strictly_after_the_last_case_of_the_page_before() -> None:
    row = {"_id": "c-5", "rank": 2, "received_at": AT}
    after = Position.of(Sort.priority, row)
    rows = stages(CaseFilter(), Sort.priority, after)[-1]["$facet"]["rows"]
    assert rows[0] == {
        "$match": {
            "$or": [
                {"rank": {"$lt": 2}},
                {"rank": 2, "received_at": {"$lt": AT}},
                {"rank": 2, "received_at": AT, "_id": {"$lt": "c-5"}},
            ]
        }
    }
    assert rows[1] == {"$sort": {"rank": -1, "received_at": -1, "_id": -1}}
    # "Previous page": strictly before its first case, read backwards.
    before = Position.of(Sort.priority, row, before=True)
    rows = stages(CaseFilter(), Sort.priority, before)[-1]["$facet"]["rows"]
    assert rows[0]["$match"]["$or"][0] == {"rank": {"$gt": 2}}
    assert rows[1] == {"$sort": {"rank": 1, "received_at": 1, "_id": 1}}


def test_soonest_deadline_first_then_the_case_id() -> None:
    row = {"_id": "c-1", "due": AT}
    rows = stages(CaseFilter(), Sort.due, Position.of(Sort.due, row))[-1]["$facet"]["rows"]
    assert rows[0]["$match"]["$or"] == [
        {"due": {"$gt": AT}},
        {"due": AT, "_id": {"$gt": "c-1"}},
    ]


@pytest.mark.parametrize("sort", list(Sort))
def test_a_position_survives_the_address(sort: Sort) -> None:
    row = {"_id": "c-0123456789abcdef0123", "received_at": AT, "due": AT, "rank": 3}
    position = Position.of(sort, row, before=True)
    assert Position.parse(position.token(), sort, before=True) == position


@pytest.mark.parametrize(
    "token",
    ["", "not-base64!", "bmV3ZXN0fDIwMjZ8", Position.of(Sort.due, {"_id": "c", "due": AT}).token()],
)
def test_a_position_the_list_did_not_give_is_refused(token: str) -> None:
    with pytest.raises(BadPosition):
        Position.parse(token, Sort.newest)


def test_the_api_list_still_reads_tracking_code_or_subject_and_its_cursor() -> None:
    query = case_query(CaseFilter(text="sg-1", after=(AT, "c-9"), hidden_from="x"))
    assert query["excluded_assignees"] == {"$ne": "x"}
    assert query["$and"][0]["$or"][0] == {"tracking_code": "SG-1"}
    assert query["$and"][1]["$or"][1] == {"received_at": AT, "_id": {"$lt": "c-9"}}


# ------------------------------------------------------------ the tabs


def filter_for(ask: QueueAsk, who: Principal | None = None) -> CaseFilter | None:
    return queue_filter(who or person("staff"), ask, AT, ThaiCalendar(), 3)


def test_mine_is_mine_wherever_it_is_and_open_by_default() -> None:
    wanted = filter_for(QueueAsk(queue=Queue.mine))
    assert wanted is not None
    assert (wanted.assignee, wanted.one_unit, wanted.hidden_from) == (
        "promotion.a",
        False,
        "promotion.a",
    )
    assert "closed" not in wanted.statuses and "resolved" in wanted.statuses


def test_staff_see_their_own_unit_and_an_admin_the_unit_picked_or_every_unit() -> None:
    staff = filter_for(QueueAsk(queue=Queue.unit, unit="legal"))
    assert staff is not None and (staff.one_unit, staff.unit) == (True, "promotion")
    admin = person("admin", None, "admin")
    picked = filter_for(QueueAsk(queue=Queue.unit, unit="legal"), admin)
    assert picked is not None and (picked.one_unit, picked.unit) == (True, "legal")
    every = filter_for(QueueAsk(queue=Queue.unit), admin)
    assert every is not None and not every.one_unit


def test_due_soon_is_the_next_three_business_days_of_running_clocks() -> None:
    wanted = filter_for(QueueAsk(queue=Queue.due_soon))
    assert wanted is not None and wanted.due is not None
    # From Friday 4 December 2026: not Monday 7th (in lieu of King Bhumibol's birthday on
    # the Saturday) nor Thursday 10th (Constitution Day), so Tuesday, Wednesday and Friday
    # 11th, to its last second.
    assert wanted.due.start == AT
    assert wanted.due.end is not None and wanted.due.end.isoformat() == "2026-12-12T00:00:00+07:00"
    assert set(wanted.statuses) == {
        "received",
        "triaged",
        "assigned",
        "in_progress",
        "awaiting_info",
    }


def test_a_deadline_tab_with_only_closed_statuses_selects_nothing() -> None:
    assert filter_for(QueueAsk(queue=Queue.overdue, statuses=("closed",))) is None
    escalated = filter_for(QueueAsk(queue=Queue.escalated, statuses=("closed", "in_progress")))
    assert escalated is not None and escalated.statuses == ("in_progress",)
    assert escalated.escalated


def test_a_code_or_a_contact_searches_every_case_the_caller_may_see() -> None:
    search = read_search("SG-7KQ4-M9XT-3PW5", b"k")
    wanted = filter_for(QueueAsk(queue=Queue.mine, search=search, statuses=("closed",)))
    assert wanted is not None
    assert wanted.tracking_code == "SG-7KQ4-M9XT-3PW5" and wanted.assignee is None
    assert (wanted.one_unit, wanted.unit, wanted.statuses) == (True, "promotion", ())
    assert wanted.hidden_from == "promotion.a"


def test_escalated_is_a_deadline_the_scanner_reported_and_words_go_beside_it() -> None:
    wanted = filter_for(QueueAsk(queue=Queue.escalated, search=read_search("หลังคา", b"k")))
    assert wanted is not None
    rest = stages(wanted)[1]["$match"]
    escalated, words = rest["$and"]
    assert {"clocks.resolution.emitted": 100} in escalated["$or"]
    assert len(escalated["$or"]) == 3 and words["$or"][1]["description"]["$regex"] == "หลังคา"


def test_words_search_within_the_tab() -> None:
    wanted = filter_for(QueueAsk(queue=Queue.unassigned, search=read_search("หลังคา", b"k")))
    assert wanted is not None and wanted.words == "หลังคา" and wanted.unassigned


def test_the_received_days_are_bangkok_days_both_included() -> None:
    window = received_window(date(2026, 11, 1), date(2026, 11, 30))
    assert window is not None
    assert window.start is not None and window.start.isoformat() == "2026-11-01T00:00:00+07:00"
    assert window.end is not None and window.end.isoformat() == "2026-12-01T00:00:00+07:00"
    assert received_window(None, None) is None


def test_committee_members_read_no_queue() -> None:
    with pytest.raises(Forbidden):
        filter_for(QueueAsk(), person("committee", None, "c"))
