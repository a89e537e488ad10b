"""Open311's requests read back name the responsible unit as an admin last named it (the
kept `unit.changed` names over the catalogue file), whether found by id or by search."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from services.intake.domain.open311 import Search, Tracked
from services.intake.domain.tracking import new_tracking_code
from services.intake.handlers.open311 import Keys, Open311Desk, Requests
from services.intake.handlers.receive import Reception
from shared.contract.catalogue import Catalogue, Unit, load_catalogue, with_units
from shared.contract.events import Language

CODE = new_tracking_code()
RENAMED = Unit(code="legal", name_th="กลุ่มกฎหมาย", name_en="Legal Division")


class OneRequest:
    async def find(self, search: Search) -> list[Tracked]:
        return [
            Tracked(
                tracking_code=CODE,
                submission_id="s-1",
                category="teacher-conduct",
                received_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
                status="in_progress",
                unit="legal",
                updated_at=None,
                answer_due_at=None,
                public_answer=None,
            )
        ]

    async def code_of(self, submission_id: str) -> str | None:
        return CODE


def desk(names: Catalogue | None) -> Open311Desk:
    async def named() -> Catalogue:
        assert names is not None
        return names

    return Open311Desk(
        cast(Requests, OneRequest()),
        cast(Keys, None),
        cast(Reception, None),
        load_catalogue(),
        jurisdiction_id="siang",
        names=None if names is None else named,
    )


def agency(views: list[dict[str, Any]]) -> str:
    (view,) = views
    return str(view["agency_responsible"])


async def test_a_request_read_back_names_its_unit_as_renamed() -> None:
    renamed = desk(with_units(load_catalogue(), [RENAMED]))
    assert agency(await renamed.one(CODE, Language.en)) == "Legal Division"
    assert agency(await renamed.search({}, Language.th)) == "กลุ่มกฎหมาย"
    # Without kept names, the file's.
    assert agency(await desk(None).one(CODE, Language.en)) == "Legal Affairs Division"
