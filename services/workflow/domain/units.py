"""The office's units as workflow uses them: the catalogue file's, with the names an
admin gave them and the units an admin added.

A unit is never removed here (cases, staff and categories name it), nor is the triage
unit changed: the catalogue file says which one it is. Pure: the saved units come from
`adapters/settings_store.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.workflow.domain.errors import InvalidField
from shared.contract.catalogue import Catalogue, Unit


def with_units(catalogue: Catalogue, saved: Iterable[Unit]) -> Catalogue:
    """The catalogue with the saved names of its units and the saved units it lacks
    (added by an admin), in the file's order, then the order they were added."""
    by_code = {u.code: u for u in saved}
    units = [
        u.model_copy(update={"name_th": s.name_th, "name_en": s.name_en})
        if (s := by_code.pop(u.code, None))
        else u
        for u in catalogue.units
    ]
    units += [u.model_copy(update={"triage": False}) for u in by_code.values()]
    return catalogue.model_copy(update={"units": tuple(units)})


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
