"""The office's plan for a fiscal year (B.E.): its mission and strategy items, which every
consultation and outcome is tied to, and the stakeholder groups it asks. Loaded from
`deploy/config/` by `adapters/plan_files.py`; an admin may change a year's items."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Codes end up in field paths of the per-group counts, so no dots or dollars.
CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
GROUP_CODE = r"^[a-z][a-z0-9_-]{0,31}$"
MIN_FISCAL_YEAR = 2400  # a B.E. year; anything smaller is a CE year given by mistake


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemKind(StrEnum):
    mission = "mission"  # พันธกิจ
    strategy = "strategy"  # ยุทธศาสตร์ / กลยุทธ์


class MissionItem(_Model):
    code: str = Field(pattern=CODE, examples=["S3"])
    kind: ItemKind
    name_th: str = Field(min_length=1, max_length=300)
    name_en: str = Field(min_length=1, max_length=300)
    # An item no longer pursued: kept for the consultations tied to it, offered for no new one.
    active: bool = True


class MissionPlan(_Model):
    fiscal_year: int = Field(ge=MIN_FISCAL_YEAR, examples=[2570])
    items: tuple[MissionItem, ...] = Field(min_length=1, max_length=100)

    @field_validator("items")
    @classmethod
    def _unique_codes(cls, items: tuple[MissionItem, ...]) -> tuple[MissionItem, ...]:
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                raise ValueError(f"item code {item.code} appears twice")
            seen.add(item.code)
        return items

    def item(self, code: str) -> MissionItem | None:
        return next((i for i in self.items if i.code == code), None)

    def with_item(self, item: MissionItem) -> MissionPlan:
        """The plan with `item` added, or replacing the item of the same code in place."""
        if self.item(item.code) is None:
            return self.model_copy(update={"items": (*self.items, item)})
        items = tuple(item if i.code == item.code else i for i in self.items)
        return self.model_copy(update={"items": items})


class StakeholderGroup(_Model):
    code: str = Field(pattern=GROUP_CODE, examples=["parents"])
    name_th: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)


class StakeholderGroups(_Model):
    groups: tuple[StakeholderGroup, ...] = Field(min_length=1)

    @field_validator("groups")
    @classmethod
    def _unique_codes(cls, groups: tuple[StakeholderGroup, ...]) -> tuple[StakeholderGroup, ...]:
        codes = [g.code for g in groups]
        if len(set(codes)) != len(codes):
            raise ValueError("a group code appears twice")
        return groups

    def codes(self) -> frozenset[str]:
        return frozenset(g.code for g in self.groups)

    def get(self, code: str) -> StakeholderGroup | None:
        return next((g for g in self.groups if g.code == code), None)
