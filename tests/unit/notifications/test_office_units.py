"""The office as letters name it after an admin renamed or added units: the same office
(names, contacts, links) with the units' names laid over the catalogue file's, rebuilt
only when the kept names were read again."""

from __future__ import annotations

from typing import cast

from services.notifications.adapters.unit_names import OfficeUnits
from services.notifications.domain.office import Office
from shared.contract.catalogue import Catalogue, Unit, load_catalogue, with_units
from shared.contract.events import Language
from shared.infra.unit_directory import UnitDirectory

RENAMED = Unit(code="legal", name_th="กลุ่มกฎหมาย", name_en="Legal Division")
ADDED = Unit(code="welfare", name_th="กลุ่มสวัสดิการ", name_en="Student Welfare")


def test_an_office_names_renamed_and_added_units_and_keeps_the_rest() -> None:
    catalogue = load_catalogue()
    office = Office.with_catalogue(catalogue, phone="053-111-111")
    named = office.with_units(with_units(catalogue, [RENAMED, ADDED]).units)
    assert named.unit_name("legal", Language.en) == "Legal Division"
    assert named.unit_name("legal", Language.th) == "กลุ่มกฎหมาย"
    assert named.unit_name("welfare", Language.en) == "Student Welfare"
    assert named.unit_name("finance", Language.en) == office.unit_name("finance", Language.en)
    assert named.phone == "053-111-111" and named.categories == office.categories
    assert office.unit_name("legal", Language.en) == "Legal Affairs Division"  # unchanged


class Directory:
    """The kept names as `UnitDirectory.catalogue` hands them: the same object until
    they are read again."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.current = catalogue

    async def catalogue(self) -> Catalogue:
        return self.current


async def test_the_office_follows_the_names_read_and_is_reused_between_reads() -> None:
    catalogue = load_catalogue()
    directory = Directory(catalogue)
    units = OfficeUnits(cast(UnitDirectory, directory), Office.with_catalogue(catalogue))
    first = await units.office()
    assert await units.office() is first  # nothing read again: nothing rebuilt
    directory.current = with_units(catalogue, [RENAMED])
    renamed = await units.office()
    assert renamed.unit_name("legal", Language.en) == "Legal Division"
    assert renamed.name_en == first.name_en
