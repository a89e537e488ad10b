"""Photos sent in a LINE conversation, kept in MongoDB GridFS (bucket `attachments`) with
the submission (and, with consent, the person) they belong to, so an erasure finds them.

The type is checked by content, not by what anyone claims: JPEG and PNG only; the size
limit is applied while downloading (`LineMessaging.content`).
"""

from __future__ import annotations

from typing import Any

from gridfs import AsyncGridFSBucket
from pymongo.asynchronous.database import AsyncDatabase

from shared.infra.attachments import IMAGES, media_type
from shared.infra.mongo import Document

BUCKET = "attachments"


class NotAnImage(Exception):
    """The content is neither JPEG nor PNG."""


def image_type(data: bytes) -> str | None:
    """The media type the bytes really are (JPEG or PNG), or None."""
    media = media_type(data)
    return media if media in IMAGES else None


class LinePhotos:
    def __init__(self, db: AsyncDatabase[Document], *, channel: str = "line") -> None:
        self._bucket = AsyncGridFSBucket(db, bucket_name=BUCKET)
        # Facebook Messenger photos are kept the same way (channel "facebook").
        self._channel = channel

    async def keep(
        self, data: bytes, *, submission_id: str, person_id: str | None, message_id: str
    ) -> str:
        """Store the photo; its GridFS id. `NotAnImage` for anything else."""
        media = image_type(data)
        if media is None:
            raise NotAnImage(message_id)
        metadata: dict[str, Any] = {
            "submission_id": submission_id,
            "channel": self._channel,
            "content_type": media,
            f"{self._channel}_message_id": message_id,
        }
        if person_id is not None:
            metadata["person_id"] = person_id
        extension = "jpg" if media == "image/jpeg" else "png"
        file_id = await self._bucket.upload_from_stream(
            f"{submission_id}.{extension}", data, metadata=metadata
        )
        return str(file_id)
