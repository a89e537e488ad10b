"""The files sent with a submission, as intake keeps them in GridFS (bucket `attachments`,
metadata `submission_id`; `services/intake/adapters/submission_files.py`): listed for a
case's page and read one at a time for the member of staff who may open them. Read only:
intake writes them, an erasure deletes them (`adapters/erasures.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId
from bson.errors import InvalidId
from gridfs import AsyncGridFSBucket, NoFile
from pymongo.asynchronous.database import AsyncDatabase

from services.workflow.adapters.erasures import ATTACHMENTS
from shared.infra.mongo import Document

#: What is served as what: only these types are ever stored (checked by content).
SERVED = frozenset({"image/jpeg", "image/png", "application/pdf"})


@dataclass(frozen=True, slots=True)
class CaseFile:
    file_id: str
    content_type: str
    size: int
    channel: str
    uploaded_at: datetime

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class FileNotFound(LookupError):
    pass


class CaseFiles:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._files = db[f"{ATTACHMENTS}.files"]
        self._bucket = AsyncGridFSBucket(db, bucket_name=ATTACHMENTS)

    async def of_submission(self, submission_id: str) -> list[CaseFile]:
        cursor = self._files.find(
            {"metadata.submission_id": submission_id},
            {"length": 1, "uploadDate": 1, "metadata": 1},
        ).sort([("uploadDate", 1), ("metadata.position", 1)])
        return [_case_file(d) async for d in cursor]

    async def read(self, submission_id: str, file_id: str) -> tuple[CaseFile, bytes]:
        """One file of the submission (`FileNotFound`: none by that id, or another's)."""
        try:
            oid = ObjectId(file_id)
        except InvalidId:
            raise FileNotFound(file_id) from None
        doc = await self._files.find_one(
            {"_id": oid, "metadata.submission_id": submission_id},
            {"length": 1, "uploadDate": 1, "metadata": 1},
        )
        if doc is None:
            raise FileNotFound(file_id)
        found = _case_file(doc)
        if found.content_type not in SERVED:
            raise FileNotFound(file_id)
        try:
            stream = await self._bucket.open_download_stream(oid)
            data = await stream.read()
        except NoFile:
            raise FileNotFound(file_id) from None
        return found, data


def _case_file(doc: Document) -> CaseFile:
    meta = doc.get("metadata") or {}
    return CaseFile(
        file_id=str(doc["_id"]),
        content_type=str(meta.get("content_type", "application/octet-stream")),
        size=int(doc.get("length", 0)),
        channel=str(meta.get("channel", "")),
        uploaded_at=doc["uploadDate"],
    )
