"""Files sent with a submission (photos, scanned letters, PDFs): how many, how large, and
of which type. Pure: the type is what the file's first bytes say (read by the caller with
`shared.infra.attachments.media_type`), never its name or the Content-Type its sender
claims. Too many or too large is 413, a type not taken 415; each names the file's field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The file fields of a form, in order: `<input type=file name=attachment1>`, ...
FILE_FIELD = "attachment"


def file_fields(count: int) -> tuple[str, ...]:
    return tuple(f"{FILE_FIELD}{n}" for n in range(1, count + 1))


@dataclass(frozen=True, slots=True)
class FileRules:
    max_count: int
    max_bytes: int
    # The media types taken (by content).
    accepted: frozenset[str]


@dataclass(frozen=True, slots=True)
class SentFile:
    field: str
    data: bytes
    media_type: str


class FileRefused(Exception):
    """A file the submission cannot keep; nothing of the submission was stored."""

    def __init__(self, field: str, rules: FileRules) -> None:
        super().__init__(field)
        self.field = field
        self.rules = rules


class TooManyFiles(FileRefused):
    pass


class FileTooLarge(FileRefused):
    pass


class FileTypeRefused(FileRefused):
    pass


def check_files(
    files: Mapping[str, bytes], types: Mapping[str, str | None], rules: FileRules
) -> tuple[SentFile, ...]:
    """The files to keep, in field order; a typed refusal for the first one that may not
    be kept. `types` holds each field's media type as its content says (None: unknown)."""
    sent = sorted((name, data) for name, data in files.items() if data)
    if len(sent) > rules.max_count:
        raise TooManyFiles(sent[rules.max_count][0], rules)
    kept = []
    for name, data in sent:
        if len(data) > rules.max_bytes:
            raise FileTooLarge(name, rules)
        media = types.get(name)
        if media is None or media not in rules.accepted:
            raise FileTypeRefused(name, rules)
        kept.append(SentFile(field=name, data=data, media_type=media))
    return tuple(kept)
