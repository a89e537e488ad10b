"""Files sent with a mail, kept in MongoDB GridFS (bucket `attachments`, as LINE photos
are) with the submission and its sender's `person_id`, so an erasure finds them.

The type is checked by content, not by the name or the Content-Type the mail claims:
JPEG and PNG only, as for LINE. Each file also carries the key of the mail it came in, so
a mail received again after a crash does not store its files twice.
"""

from __future__ import annotations

from gridfs import AsyncGridFSBucket
from pymongo.asynchronous.database import AsyncDatabase

from services.intake.adapters.line_photos import BUCKET, image_type
from shared.infra.mongo import Document


class MailAttachments:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._bucket = AsyncGridFSBucket(db, bucket_name=BUCKET)
        self._files = db[f"{BUCKET}.files"]

    async def kept_for(self, message_key: str) -> bool:
        found = await self._files.find_one({"metadata.email_message_key": message_key}, {"_id": 1})
        return found is not None

    async def kept_ids(self, message_key: str) -> list[str]:
        """The ids of the files kept from one mail, in the order they were kept."""
        cursor = self._files.find({"metadata.email_message_key": message_key}, {"_id": 1})
        return [str(d["_id"]) async for d in cursor.sort("uploadDate", 1)]

    async def keep(
        self,
        data: bytes,
        *,
        submission_id: str,
        person_id: str,
        message_key: str,
    ) -> str | None:
        """Store one file; its GridFS id, or None when it is no JPEG or PNG."""
        media = image_type(data)
        if media is None:
            return None
        extension = "jpg" if media == "image/jpeg" else "png"
        file_id = await self._bucket.upload_from_stream(
            f"{submission_id}.{extension}",
            data,
            metadata={
                "submission_id": submission_id,
                "person_id": person_id,
                "channel": "email",
                "content_type": media,
                "email_message_key": message_key,
            },
        )
        return str(file_id)
