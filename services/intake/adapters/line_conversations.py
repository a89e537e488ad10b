"""Each LINE user's conversation state, in intake's collection `line_conversations` (and
each Facebook Messenger user's, the same way, in `facebook_conversations`), so a
conversation survives a restart and can be resumed.

The document's id is a keyed hash (HMAC-SHA256 with the channel secret) of the LINE user
id: the id itself is personal data and lives only in `personal_data`, and only with the
person's consent.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase

from services.intake.domain.line_conversation import State
from shared.infra.mongo import Document

COLLECTION = "line_conversations"
FACEBOOK_COLLECTION = "facebook_conversations"


class LineConversations:
    def __init__(
        self, db: AsyncDatabase[Document], *, secret: str, collection: str = COLLECTION
    ) -> None:
        self._docs = db[collection]
        self._secret = secret.encode()

    def key(self, user_id: str) -> str:
        return hmac.new(self._secret, user_id.encode(), hashlib.sha256).hexdigest()

    async def load(self, key: str) -> State | None:
        doc = await self._docs.find_one({"_id": key})
        return State.from_document(doc["state"]) if doc else None

    async def save(self, key: str, state: State) -> None:
        await self._docs.replace_one(
            {"_id": key},
            {"_id": key, "state": state.to_document(), "updated_at": datetime.now(UTC)},
            upsert=True,
        )

    async def forget(self, key: str) -> None:
        await self._docs.delete_one({"_id": key})
