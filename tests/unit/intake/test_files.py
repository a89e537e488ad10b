"""Files sent with a submission: counted, sized and typed by content, each refusal naming
the file's field."""

from __future__ import annotations

import pytest

from services.intake.domain.files import (
    FileRules,
    FileTooLarge,
    FileTypeRefused,
    TooManyFiles,
    check_files,
)
from shared.infra.attachments import DOCUMENTS, media_type

RULES = FileRules(max_count=2, max_bytes=1000, accepted=DOCUMENTS)
JPEG = b"\xff\xd8\xff\xe0" + b"x" * 100
PDF = b"%PDF-1.4\n" + b"x" * 100 + b"\n%%EOF\n"


def check(files: dict[str, bytes]):
    return check_files(files, {n: media_type(d) for n, d in files.items()}, RULES)


def test_photos_and_pdfs_are_kept_in_field_order_empty_inputs_skipped() -> None:
    kept = check({"attachment2": PDF, "attachment1": JPEG, "attachment3": b""})
    assert [(f.field, f.media_type) for f in kept] == [
        ("attachment1", "image/jpeg"),
        ("attachment2", "application/pdf"),
    ]


def test_a_renamed_text_file_is_refused_by_content() -> None:
    with pytest.raises(FileTypeRefused) as caught:
        check({"attachment1": b"GIF89a not taken", "attachment2": JPEG})
    assert caught.value.field == "attachment1"


def test_too_large_and_too_many_are_refused_naming_the_file() -> None:
    with pytest.raises(FileTooLarge) as large:
        check({"attachment1": JPEG + b"x" * 1000})
    assert large.value.field == "attachment1"
    with pytest.raises(TooManyFiles) as many:
        check({"attachment1": JPEG, "attachment2": JPEG, "attachment3": PDF})
    assert many.value.field == "attachment3"
