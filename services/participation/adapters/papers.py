"""Committee papers (the signed appointment orders) in MongoDB GridFS, bucket
`participation_papers`: the file as uploaded, its type as its content says, the
committee and order it belongs to. An order is the office's own document, not a
person's: it is kept apart from intake's `attachments` (photos people send, which an
erasure deletes by person), and read only through the committee's access rule."""

from __future__ import annotations

import contextlib
import hashlib

from bson import ObjectId
from bson.errors import InvalidId
from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase

from services.participation.domain.errors import NotFound
from shared.infra.attachments import EXTENSIONS
from shared.infra.mongo import Document

BUCKET = "participation_papers"


class CommitteePapers:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._bucket = AsyncGridFSBucket(db, bucket_name=BUCKET)

    async def keep(self, data: bytes, *, committee_id: str, order_id: str, media: str) -> str:
        """Store the document; its GridFS id. The name is made here, never the sender's
        (a file name may carry a person's name)."""
        file_id = await self._bucket.upload_from_stream(
            f"{committee_id}-{order_id}.{EXTENSIONS[media]}",
            data,
            metadata={
                "committee_id": committee_id,
                "order_id": order_id,
                "content_type": media,
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        return str(file_id)

    async def read(self, file_id: str) -> bytes:
        try:
            stream = await self._bucket.open_download_stream(ObjectId(file_id))
        except (InvalidId, NoFile):
            raise NotFound("document", file_id) from None
        return await stream.read()

    async def drop(self, file_id: str) -> None:
        """Remove a file whose order was not recorded (its transaction failed)."""
        with contextlib.suppress(NoFile):
            await self._bucket.delete(ObjectId(file_id))
