"""The office's plan for a fiscal year (B.E.): its mission and strategy items, which every
consultation and outcome is tied to, and the stakeholder groups it asks. Loaded from
`deploy/config/` by `adapters/plan_files.py`; an admin may change a year's items.

Each item may also say how stakeholders take part in it (seed measure 2.2): the groups
involved, the practices used, the channels that reach the office and the process in a
few words. Those fields are optional, so a plan saved before they existed loads as it was;
the groups are checked against the configured ones by `check_groups` (the model alone
does not know them)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from services.participation.domain.errors import InvalidField
from shared.contract.events import Channel
from shared.contract.vocabulary import Practice

#: Codes end up in field paths of the per-group counts, so no dots or dollars.
CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
GROUP_CODE = r"^[a-z][a-z0-9_-]{0,31}$"
MIN_FISCAL_YEAR = 2400  # a B.E. year; anything smaller is a CE year given by mistake
GroupCode = Annotated[str, StringConstraints(pattern=GROUP_CODE)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemKind(StrEnum):
    mission = "mission"  # พันธกิจ
    strategy = "strategy"  # ยุทธศาสตร์ / กลยุทธ์


#: The channels people use to reach the office (every `Channel` but a partner system's API).
ReachChannel = Literal[
    Channel.web,
    Channel.line,
    Channel.email,
    Channel.facebook,
    Channel.phone,
    Channel.walk_in,
    Channel.letter,
    Channel.open311,
]
REACH_CHANNELS: tuple[Channel, ...] = get_args(ReachChannel)
MAX_PROCESS = 2000


def _once(values: Iterable[str]) -> tuple[str, ...]:
    """Each value once, in the order first given (a box ticked twice is one choice)."""
    return tuple(dict.fromkeys(values))


class MissionItem(_Model):
    code: str = Field(pattern=CODE, examples=["S3"])
    kind: ItemKind
    name_th: str = Field(min_length=1, max_length=300)
    name_en: str = Field(min_length=1, max_length=300)
    # An item no longer pursued: kept for the consultations tied to it, offered for no new one.
    active: bool = True
    # How stakeholders take part in it (measure 2.2), published on `/missions`.
    groups: tuple[GroupCode, ...] = Field(
        default=(),
        max_length=50,
        description="codes of the configured stakeholder groups (GET /v1/stakeholder-groups)",
        examples=[["parents", "teachers"]],
    )
    practices: tuple[Practice, ...] = Field(default=(), max_length=len(Practice))
    channels: tuple[ReachChannel, ...] = Field(default=(), max_length=len(REACH_CHANNELS))
    process_th: str | None = Field(default=None, max_length=MAX_PROCESS)
    process_en: str | None = Field(default=None, max_length=MAX_PROCESS)

    @field_validator("groups")
    @classmethod
    def _groups_once(cls, groups: tuple[str, ...]) -> tuple[str, ...]:
        return _once(groups)

    @field_validator("practices")
    @classmethod
    def _practices_once(cls, practices: tuple[Practice, ...]) -> tuple[Practice, ...]:
        return tuple(p for p in Practice if p in practices)  # the vocabulary's order

    @field_validator("channels")
    @classmethod
    def _channels_once(cls, channels: tuple[Channel, ...]) -> tuple[Channel, ...]:
        return tuple(c for c in REACH_CHANNELS if c in channels)  # the vocabulary's order

    @field_validator("process_th", "process_en")
    @classmethod
    def _blank_is_none(cls, text: str | None) -> str | None:
        return text.strip() or None if text is not None else None

    def says_how(self) -> bool:
        """Whether the plan says anything of how stakeholders take part in this item."""
        return bool(
            self.groups or self.practices or self.channels or self.process_th or self.process_en
        )


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


def check_groups(
    items: Iterable[MissionItem], groups: StakeholderGroups, action: str, *, field: str
) -> None:
    """Refuse (422, naming the field) an item naming a stakeholder group the office has
    not configured. `field` is the items' path: "" for one item, "items" for a plan
    (then each item's index is named: `items.2.groups`)."""
    known = groups.codes()
    for index, item in enumerate(items):
        unknown = [g for g in item.groups if g not in known]
        if unknown:
            where = f"{field}.{index}.groups" if field else "groups"
            raise InvalidField(
                action,
                where,
                f"names no configured stakeholder group: {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))})",
            )
