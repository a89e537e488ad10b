"""The office's units as an admin changes them: the names given and the unit added,
checked (laid over the catalogue file by `shared.contract.catalogue.with_units`).

A unit is never removed here (cases, staff and categories name it), nor is the triage
unit changed: the catalogue file says which one it is. Pure: the saved units come from
`adapters/settings_store.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.workflow.domain.errors import InvalidField
from shared.contract.catalogue import Unit


def renamed(
    units: Iterable[Unit],
    names: Mapping[str, tuple[str, str]],
    added: Unit | None = None,
) -> tuple[Unit, ...]:
    """`units` with the names given by code (Thai, English) and `added` at the end;
    `InvalidField` for a blank name or an added unit whose code is taken."""
    current = tuple(units)
    result: list[Unit] = []
    for unit in current:
        th, en = names.get(unit.code, (unit.name_th, unit.name_en))
        result.append(_named(unit, th, en, f"units.{unit.code}"))
    if added is not None:
        if added.code in {u.code for u in current}:
            raise InvalidField("add a unit", "new.code", "is the code of a unit already")
        result.append(
            _named(added, added.name_th, added.name_en, "new").model_copy(update={"triage": False})
        )
    return tuple(result)


def _named(unit: Unit, th: str, en: str, where: str) -> Unit:
    th, en = th.strip(), en.strip()
    if not th:
        raise InvalidField("name a unit", f"{where}.name_th", "needs a Thai name")
    if not en:
        raise InvalidField("name a unit", f"{where}.name_en", "needs an English name")
    if len(th) > 200 or len(en) > 200:
        raise InvalidField("name a unit", where, "a name is at most 200 characters")
    return unit.model_copy(update={"name_th": th, "name_en": en})
