"""The office's units and categories, read from a YAML file under `deploy/config/`.

Intake validates `category` against it and shows it on the public form; workflow routes
each category to its responsible unit. An admin may rename the units and add some
(workflow's admin pages): `with_units` lays those over the file, in workflow from its
saved settings, in reporting, participation, intake and notifications from the
`unit.changed` events they keep (`shared/infra/unit_directory.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contract.events import Kind

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "deploy" / "config" / "catalogue.yaml"


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    name_th: str
    name_en: str
    triage: bool = False


class Category(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    name_th: str
    name_en: str
    kinds: tuple[Kind, ...]
    unit: str


class UnknownCategory(LookupError):
    """A category code the catalogue does not list."""


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    units: tuple[Unit, ...]
    categories: tuple[Category, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        codes = {u.code for u in self.units}
        if len(codes) != len(self.units):
            raise ValueError("unit codes must be unique")
        if len({c.code for c in self.categories}) != len(self.categories):
            raise ValueError("category codes must be unique")
        for c in self.categories:
            if c.unit not in codes:
                raise ValueError(f"category {c.code!r} names unknown unit {c.unit!r}")
        if sum(u.triage for u in self.units) != 1:
            raise ValueError("exactly one unit must be the triage unit")
        return self

    @cached_property
    def _categories(self) -> dict[str, Category]:
        return {c.code: c for c in self.categories}

    @cached_property
    def _units(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    def category(self, code: str) -> Category:
        try:
            return self._categories[code]
        except KeyError:
            raise UnknownCategory(code) from None

    def unit(self, code: str) -> Unit:
        return self._units[code]

    @property
    def triage_unit(self) -> Unit:
        return next(u for u in self.units if u.triage)


def with_units(catalogue: Catalogue, units: Iterable[Unit]) -> Catalogue:
    """The catalogue with the names `units` give its units and the units it lacks (added
    by an admin), in the file's order, then the order they come in. The triage unit stays
    the file's: an added unit never is one."""
    by_code = {u.code: u for u in units}
    merged = [
        u.model_copy(update={"name_th": s.name_th, "name_en": s.name_en})
        if (s := by_code.pop(u.code, None))
        else u
        for u in catalogue.units
    ]
    merged += [u.model_copy(update={"triage": False}) for u in by_code.values()]
    return catalogue.model_copy(update={"units": tuple(merged)})


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read and validate the catalogue; `path` defaults to the shipped one."""
    with open(path or DEFAULT_PATH, encoding="utf-8") as fh:
        return Catalogue.model_validate(yaml.safe_load(fh))
