"""Reading a submission sent as a form with files (the public web form, a staff-keyed
entry): its fields and its checked files, or a typed refusal (413, 415) naming the file.

The body is read no further than the files' limit allows (`shared.infra.uploads`), and
each file's type is what its first bytes say (`shared.infra.attachments`)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from services.intake.domain.files import (
    FileRules,
    SentFile,
    TooManyFiles,
    check_files,
    file_fields,
)
from services.intake.errors import NotAFormBody, PayloadTooLarge
from shared.infra.attachments import media_type
from shared.infra.uploads import BodyTooLarge, NotAForm, read_form

# Starlette's multipart parser refuses a form with more files than the reader takes with
# this text; that is "too many files" (413), not a malformed form.
_TOO_MANY_FILES = "Too many files"


@dataclass(frozen=True, slots=True)
class SubmissionForm:
    # Each field's last value.
    fields: dict[str, str]
    files: dict[str, bytes]

    def checked_files(self, rules: FileRules) -> tuple[SentFile, ...]:
        """The files to keep; `TooManyFiles`, `FileTooLarge`, `FileTypeRefused`."""
        types = {name: media_type(data) for name, data in self.files.items()}
        return check_files(self.files, types, rules)


async def read_submission_form(request: Request, rules: FileRules) -> SubmissionForm:
    """The form's fields and files, read no further than `rules` allow (413)."""
    try:
        form = await read_form(request, max(rules.max_count, 1) * rules.max_bytes)
    except BodyTooLarge as exc:
        raise PayloadTooLarge(exc.limit) from exc
    except NotAForm as exc:
        if _TOO_MANY_FILES in str(exc):
            raise TooManyFiles(file_fields(rules.max_count + 1)[-1], rules) from exc
        raise NotAFormBody(str(exc)) from exc
    return SubmissionForm(fields=dict(form.items), files=dict(form.files))
