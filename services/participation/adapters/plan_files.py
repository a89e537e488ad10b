"""The shipped plan and groups (`deploy/config/missions.yaml`,
`deploy/config/stakeholder_groups.yaml`), read into the domain's models."""

from __future__ import annotations

from pathlib import Path

import yaml

from services.participation.domain.plan import MissionPlan, StakeholderGroups


def load_missions(path: Path) -> list[MissionPlan]:
    """Every fiscal year's plan in the file (`fiscal_years: [{fiscal_year, items}]`)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [MissionPlan.model_validate(year) for year in doc.get("fiscal_years", [])]


def load_groups(path: Path) -> StakeholderGroups:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return StakeholderGroups.model_validate({"groups": doc.get("groups", [])})
