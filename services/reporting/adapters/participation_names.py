"""The names the participation report prints beside codes: the mission and strategy items
of a fiscal year and the stakeholder groups.

Items come from participation's `participation_missions` (read only: one document per
fiscal year, `{_id: year, items: [{code, kind, name_th, name_en, groups, practices,
channels, process_th, process_en}]}`, the last five saying how stakeholders take part in
the item, measure 2.2, and absent from plans saved before they existed), so an admin's
change to the plan shows here too; each year's items are re-read after
`_KEEP_SECONDS`. Groups come from the same configuration file the participation service
reads (`deploy/config/stakeholder_groups.yaml`): they live nowhere else. A code with no
name is printed as the code.

The events name a committee and a survey's Likert items by id only, so their names are
read the same way (read only, `_KEEP_SECONDS`): committees' `name_th`/`name_en` from
`participation_committees` (only those fields: a committee's members are never read
here), and a year's surveys' titles and item statements from
`participation_mission_surveys` (never an answer).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from pymongo.asynchronous.database import AsyncDatabase

from shared.infra.mongo import Document

MISSIONS = "participation_missions"
COMMITTEES = "participation_committees"
SURVEYS = "participation_mission_surveys"
_KEEP_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Name:
    th: str
    en: str


Names = Mapping[str, Name]


@dataclass(frozen=True, slots=True)
class ItemName(Name):
    """A mission item's name and how stakeholders take part in it: codes of groups,
    practices and channels, and the office's own words for the process."""

    groups: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    process_th: str | None = None
    process_en: str | None = None

    def says_how(self) -> bool:
        return bool(
            self.groups or self.practices or self.channels or self.process_th or self.process_en
        )


def _codes(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _item_names(entries: object) -> dict[str, ItemName]:
    out: dict[str, ItemName] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and entry.get("code"):
            code = str(entry["code"])
            th = str(entry.get("name_th") or code)
            out[code] = ItemName(
                th,
                str(entry.get("name_en") or th),
                groups=_codes(entry.get("groups")),
                practices=_codes(entry.get("practices")),
                channels=_codes(entry.get("channels")),
                process_th=str(entry["process_th"]) if entry.get("process_th") else None,
                process_en=str(entry["process_en"]) if entry.get("process_en") else None,
            )
    return out


def _names(entries: object) -> dict[str, Name]:
    out: dict[str, Name] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and entry.get("code"):
            code = str(entry["code"])
            th = str(entry.get("name_th") or code)
            out[code] = Name(th, str(entry.get("name_en") or th))
    return out


def load_group_names(path: Path) -> dict[str, Name]:
    """The stakeholder groups of the file, in its order (the report's column order)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return _names(doc.get("groups") if isinstance(doc, Mapping) else None)


class MissionNames:
    """Each fiscal year's items (names, how stakeholders take part), in the plan's order,
    kept for a few seconds."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.plans = db[MISSIONS]
        self._kept: dict[int, tuple[float, dict[str, ItemName]]] = {}

    async def of_year(self, fiscal_year: int) -> dict[str, ItemName]:
        kept = self._kept.get(fiscal_year)
        if kept is not None and time.monotonic() - kept[0] < _KEEP_SECONDS:
            return kept[1]
        doc = await self.plans.find_one({"_id": fiscal_year}, {"items": 1})
        names = _item_names((doc or {}).get("items"))
        self._kept[fiscal_year] = (time.monotonic(), names)
        return names


@dataclass(frozen=True, slots=True)
class SurveyNames:
    """A survey's title and its Likert items' statements, by item id."""

    title: Name | None
    items: dict[str, Name]


def _text(doc: Mapping[str, object], stem: str) -> Name | None:
    th = doc.get(f"{stem}_th")
    if not th:
        return None
    return Name(str(th), str(doc.get(f"{stem}_en") or th))


class RecordNames:
    """Committees' names, and each fiscal year's surveys' titles and item statements."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.committees_of = db[COMMITTEES]
        self.surveys_of = db[SURVEYS]
        self._committees: tuple[float, dict[str, Name]] | None = None
        self._surveys: dict[int, tuple[float, dict[str, SurveyNames]]] = {}

    async def committees(self) -> dict[str, Name]:
        """Every committee's name (an office has a few dozen: one small read)."""
        kept = self._committees
        if kept is not None and time.monotonic() - kept[0] < _KEEP_SECONDS:
            return kept[1]
        names: dict[str, Name] = {}
        async for doc in self.committees_of.find({}, {"name_th": 1, "name_en": 1}):
            name = _text(doc, "name")
            if name is not None:
                names[str(doc["_id"])] = name
        self._committees = (time.monotonic(), names)
        return names

    async def surveys(self, fiscal_year: int) -> dict[str, SurveyNames]:
        kept = self._surveys.get(fiscal_year)
        if kept is not None and time.monotonic() - kept[0] < _KEEP_SECONDS:
            return kept[1]
        names: dict[str, SurveyNames] = {}
        projection = {"title_th": 1, "title_en": 1, "items": 1}
        async for doc in self.surveys_of.find({"fiscal_year": fiscal_year}, projection):
            items: dict[str, Name] = {}
            for entry in doc.get("items") or []:
                if isinstance(entry, Mapping) and entry.get("id"):
                    text = _text(entry, "text")
                    if text is not None:
                        items[str(entry["id"])] = text
            names[str(doc["_id"])] = SurveyNames(_text(doc, "title"), items)
        self._surveys[fiscal_year] = (time.monotonic(), names)
        return names
