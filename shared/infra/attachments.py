"""What a stored file really is, told by its first bytes, never by the name or the
Content-Type its sender claims: a renamed text file is no PDF, a script is no photo.

Intake keeps LINE photos (JPEG, PNG) and participation keeps committee papers (PDF,
JPEG, PNG); each decides which of these it accepts."""

from __future__ import annotations

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

IMAGES = frozenset({JPEG, PNG})
DOCUMENTS = frozenset({PDF, JPEG, PNG})

# Each type's signature at the start of the file. A PDF may carry a few bytes (a BOM,
# a mail client's header) before `%PDF-`; readers accept it within the first 1024.
_SIGNATURES = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
_PDF = b"%PDF-"
_PDF_WINDOW = 1024

EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}


def media_type(data: bytes) -> str | None:
    """The media type the bytes are (PDF, JPEG or PNG), or None for anything else."""
    for signature, media in _SIGNATURES:
        if data.startswith(signature):
            return media
    if _PDF in data[:_PDF_WINDOW] and b"%%EOF" in data[-_PDF_WINDOW:]:
        return PDF
    return None
