"""The routing rules and deadline policies an admin saved (`workflow_settings`), which
replace the YAML files' at start and at once when saved."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from shared.infra.mongo import Document


class SettingsStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.settings = db["workflow_settings"]

    async def save_routing(self, config: RoutingConfig) -> None:
        await self._save("routing", config.model_dump(mode="json"))

    async def save_sla(self, config: SlaConfig) -> None:
        await self._save("sla", config.model_dump(mode="json"))

    async def saved(self) -> tuple[RoutingConfig | None, SlaConfig | None]:
        """What an admin saved, if anything: (routing rules, deadline policies)."""
        routing: RoutingConfig | None = None
        sla: SlaConfig | None = None
        async for saved in self.settings.find({}):
            if saved["_id"] == "routing":
                routing = RoutingConfig.model_validate(saved["config"])
            elif saved["_id"] == "sla":
                sla = SlaConfig.model_validate(saved["config"])
        return routing, sla

    async def _save(self, name: str, config: Document) -> None:
        await self.settings.update_one({"_id": name}, {"$set": {"config": config}}, upsert=True)
