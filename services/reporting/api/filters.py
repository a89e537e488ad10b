"""The report filters: the dimensions of the views, as query parameters."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.reporting.domain.tables import GROUPABLE
from shared.contract.events import Channel, ComplaintType, Kind

Format = Literal["json", "csv"]
# One `group_by` value: dimensions separated by commas, blanks around them ignored.
_DIMENSION = f"(\\s*({'|'.join(GROUPABLE)})?\\s*)"
_GROUP_BY = f"^{_DIMENSION}(,{_DIMENSION})*$"


class Filters(BaseModel):
    """Every filter is optional; `complaint_type=none` selects kinds without one."""

    model_config = ConfigDict(extra="forbid")

    fiscal_year: int | None = Field(default=None, ge=2400, le=2800, description="B.E., e.g. 2570")
    # An int between the bounds, not `Literal[1, 2]`: a query's "1" is text, which a
    # literal integer never equals (every `?round=` was refused).
    round: int | None = Field(default=None, ge=1, le=2, description="half of the fiscal year")
    month: str | None = Field(default=None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")
    unit: str | None = Field(default=None, max_length=40)
    category: str | None = Field(default=None, max_length=40)
    kind: Kind | None = None
    complaint_type: ComplaintType | Literal["none"] | None = None
    channel: Channel | None = None
    group_by: list[str] = Field(
        default_factory=list,
        description="dimensions, e.g. unit; several as repeated parameters or unit,channel",
        json_schema_extra={"items": {"type": "string", "pattern": _GROUP_BY}},
    )
    format: Format = "json"

    @field_validator("group_by", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        # `?group_by=unit,channel` as well as `?group_by=unit&group_by=channel`
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            value = [p.strip() for v in value for p in str(v).split(",") if p.strip()]
            for name in value:
                if name not in GROUPABLE:
                    raise ValueError(f"{name!r} is not a dimension ({', '.join(GROUPABLE)})")
        return value

    def query(self, unit: str | None) -> dict[str, Any]:
        """The MongoDB filter on `report_cases`, with the caller's unit scope applied."""
        q: dict[str, Any] = {}
        for name in ("fiscal_year", "round", "month", "category", "kind", "channel"):
            value = getattr(self, name)
            if value is not None:
                q[name] = str(value) if name not in ("fiscal_year", "round") else value
        if self.complaint_type is not None:
            q["complaint_type"] = (
                None if self.complaint_type == "none" else str(self.complaint_type)
            )
        if unit is not None:
            q["unit"] = unit
        return q

    def echo(self, unit: str | None) -> dict[str, Any]:
        """The filters as applied, for the answer."""
        out = self.model_dump(mode="json", exclude={"format", "group_by"}, exclude_none=True)
        if unit is not None:
            out["unit"] = unit
        return out
