"""A file's type is what its bytes are, not what its name or sender says."""

from __future__ import annotations

from deploy.local.demo_documents import one_page_pdf
from shared.infra.attachments import JPEG, PDF, PNG, media_type


def test_pdf_jpeg_and_png_are_told_by_their_content() -> None:
    assert media_type(one_page_pdf("order 1/2570")) == PDF
    assert media_type(b"\xff\xd8\xff\xe0" + b"\0" * 16) == JPEG
    assert media_type(b"\x89PNG\r\n\x1a\n" + b"\0" * 16) == PNG


def test_a_text_file_calling_itself_a_pdf_is_not_one() -> None:
    assert media_type(b"just some notes, saved as order.pdf\n") is None
    # The header alone, without the body a reader needs to find its end, is no PDF.
    assert media_type(b"%PDF-1.4\nnot really\n") is None
    assert media_type(b"") is None
