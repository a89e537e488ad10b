"""Files sent with a submission on the web form, the API or a staff-keyed entry, kept in
MongoDB GridFS (bucket `attachments`, as LINE photos and mail attachments are) with the
submission's id and its sender's `person_id`, so an erasure finds them
(`services/workflow/adapters/erasures.py`) and the case page lists them.

They are written in the transaction that accepts the submission, so a submission is never
durable without its files nor its files without it. PyMongo's GridFS refuses to run inside
a transaction (it may create its indexes on first use), so this writes the GridFS
documents itself: one `files` document and its `chunks`, exactly as the GridFS spec lays
them out, readable by any GridFS client; the indexes are made at start-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bson import Binary, ObjectId
from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.intake.adapters.line_photos import BUCKET
from services.intake.domain.files import SentFile
from shared.infra.attachments import EXTENSIONS
from shared.infra.mongo import Document

#: GridFS's default chunk size (255 KiB): what its own clients write.
CHUNK_BYTES = 255 * 1024


def gridfs_documents(
    file: SentFile,
    *,
    submission_id: str,
    person_id: str | None,
    channel: str,
    at: datetime,
    position: int,
) -> tuple[Document, list[Document]]:
    """The `files` document and the `chunks` of one file."""
    file_id = ObjectId()
    metadata: dict[str, Any] = {
        "submission_id": submission_id,
        "channel": channel,
        "content_type": file.media_type,
        "position": position,
    }
    if person_id is not None:
        metadata["person_id"] = person_id
    extension = EXTENSIONS.get(file.media_type, "bin")
    doc: Document = {
        "_id": file_id,
        "length": len(file.data),
        "chunkSize": CHUNK_BYTES,
        "uploadDate": at,
        "filename": f"{submission_id}-{position}.{extension}",
        "metadata": metadata,
    }
    chunks: list[Document] = [
        {
            "_id": ObjectId(),
            "files_id": file_id,
            "n": n,
            "data": Binary(file.data[start : start + CHUNK_BYTES]),
        }
        for n, start in enumerate(range(0, len(file.data), CHUNK_BYTES))
    ]
    return doc, chunks


class SubmissionFiles:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.files = db[f"{BUCKET}.files"]
        self.chunks = db[f"{BUCKET}.chunks"]

    async def ensure_indexes(self) -> None:
        # GridFS's own two, so its clients find them made; and the submission's, by which
        # the case page lists a case's files.
        await self.files.create_index([("filename", ASCENDING), ("uploadDate", ASCENDING)])
        await self.chunks.create_index([("files_id", ASCENDING), ("n", ASCENDING)], unique=True)
        await self.files.create_index([("metadata.submission_id", ASCENDING)])

    async def insert(
        self, docs: Sequence[tuple[Document, list[Document]]], session: AsyncClientSession
    ) -> None:
        """Every file of a group of submissions: two statements, whatever their number."""
        if not docs:
            return
        await self.files.insert_many([doc for doc, _ in docs], session=session)
        await self.chunks.insert_many([c for _, chunks in docs for c in chunks], session=session)
