"""The public web form and tracking page: server-rendered, Thai by default (`?lang=en`),
working without JavaScript. The form posts to the same validation and the same receiving
handler as the API, and the tracking page follows a case through the same handler as
`/v1/track`; only the rendering differs."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError

from services.intake.api.errors import (
    GuardedRoute,
    consultation_problem,
    file_problem,
    not_open_values,
)
from services.intake.api.forms import read_submission_form
from services.intake.context import IntakeContext, context_of
from services.intake.domain import idempotency
from services.intake.domain.consultations import (
    ConsultationNotOpen,
    InvalidOpinion,
    UnknownConsultation,
)
from services.intake.domain.files import FileRefused, FileTypeRefused, TooManyFiles, file_fields
from services.intake.domain.form_body import nest
from services.intake.domain.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey
from services.intake.domain.messages import field_problems, text
from services.intake.domain.rate_limit import RateLimited
from services.intake.domain.submission import parse_submission
from services.intake.errors import (
    NotAFormBody,
    PayloadTooLarge,
    Unavailable,
)
from services.intake.handlers.ports import StoreUnavailable
from services.intake.handlers.receive import Receive
from services.intake.web.texts import Texts
from shared.contract.events import Channel, Kind, Language
from shared.infra import correlation
from shared.thai.dates import BANGKOK
from shared.web import assets

router = APIRouter(include_in_schema=False, route_class=GuardedRoute)

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
assets.use_in(_ENV)

Lang = Annotated[str, Query(pattern="^(th|en)$")]


def _language(lang: str | None) -> Language:
    return Language.en if lang == "en" else Language.th


def _render(
    request: Request, template: str, language: Language, status: int = 200, **values: Any
) -> HTMLResponse:
    other = "en" if language == Language.th else "th"
    html = _ENV.get_template(template).render(
        lang=language.value,
        t=Texts(language),
        switch_url=f"{request.url.path}?lang={other}",
        **values,
    )
    headers = {"Cache-Control": "no-store", "Content-Language": language.value}
    return HTMLResponse(html, status_code=status, headers=headers)


def _form(
    request: Request,
    intake: IntakeContext,
    language: Language,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    values = values or {}
    return _render(
        request,
        "form.html",
        language,
        status,
        kinds=[k.value for k in Kind],
        categories=intake.catalogue.categories,
        values=values,
        errors=errors or {},
        notice=notice,
        today=datetime.now(BANGKOK).date().isoformat(),
        file_fields=file_fields(intake.file_rules.max_count),
        max_file_mb=f"{intake.file_rules.max_bytes / (1024 * 1024):g}",
        # Reused on a resubmission of the same form, so a double click sends it once.
        idempotency_key=values.get("idempotency_key") or str(uuid.uuid4()),
    )


@router.get("/", response_class=HTMLResponse)
@router.get("/submit", response_class=HTMLResponse)
async def form_page(
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    lang: Lang = "th",
    consultation_id: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    # A consultation's page may link here with its id, so the opinion is counted there.
    values = {"consultation_id": consultation_id, "kind": "feedback"} if consultation_id else None
    return _form(request, intake, _language(lang), values=values)


@router.post("/submit", response_class=HTMLResponse)
async def submit_form(
    request: Request, intake: Annotated[IntakeContext, Depends(context_of)], lang: Lang = "th"
) -> HTMLResponse:
    language = _language(lang)
    count = intake.metrics.submissions
    try:
        # The form carries photos and documents: read as multipart, files checked by
        # content (a plain urlencoded post, from an older page, is read too).
        form = await read_submission_form(request, intake.file_rules)
    except PayloadTooLarge as exc:
        notice = text("payload_too_large", language, limit=exc.limit_bytes // 1024)
        return _form(request, intake, language, notice=notice, status=413)
    except NotAFormBody:
        return _form(request, intake, language, notice=text("not_a_form", language), status=415)
    except TooManyFiles as exc:
        return _file_refused(request, intake, language, exc, {})
    flat = form.fields
    try:
        files = form.checked_files(intake.file_rules)
    except FileRefused as exc:
        return _file_refused(request, intake, language, exc, flat)
    try:
        await intake.web_limiter.take(request.client.host if request.client else "unknown")
        body = parse_submission(nest(flat), intake.catalogue)
        key = idempotency.check_key(flat.get("idempotency_key") or str(uuid.uuid4()))
        receipt = await intake.reception.receive(
            Receive(
                body=body,
                channel=Channel.web,
                idempotency_key=key,
                correlation_id=correlation.current(),
                files=files,
            )
        )
    except ValidationError as exc:
        count.labels("web", flat.get("kind", "unknown")[:20], "rejected").inc()
        errors = {p.field: p.message for p in field_problems(exc.errors(), language)}
        return _form(request, intake, language, values=flat, errors=errors, status=422)
    except RateLimited as exc:
        count.labels("web", "unknown", "rate_limited").inc()
        notice = text("rate_limited", language, retry_after=exc.retry_after)
        response = _form(request, intake, language, values=flat, notice=notice, status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except (IdempotencyKeyReused, InvalidIdempotencyKey):
        # The same form sent again after an edit: treat it as a new submission.
        flat.pop("idempotency_key", None)
        notice = text("idempotency_key_reused", language)
        return _form(request, intake, language, values=flat, notice=notice, status=422)
    except (UnknownConsultation, InvalidOpinion) as exc:
        count.labels("web", flat.get("kind", "unknown")[:20], "rejected").inc()
        problem = consultation_problem(exc, language)
        return _form(
            request,
            intake,
            language,
            values=flat,
            errors={problem.field: problem.message},
            status=422,
        )
    except ConsultationNotOpen as exc:
        count.labels("web", flat.get("kind", "unknown")[:20], "rejected").inc()
        notice = text("consultation_not_open", language, **not_open_values(exc))
        return _form(request, intake, language, values=flat, notice=notice, status=409)
    except StoreUnavailable:
        seconds = intake.settings.retry_after_seconds
        notice = text("unavailable", language, retry_after=seconds)
        response = _form(request, intake, language, values=flat, notice=notice, status=503)
        response.headers["Retry-After"] = str(seconds)
        return response
    except Unavailable as exc:
        count.labels("web", flat.get("kind", "unknown")[:20], "unavailable").inc()
        notice = text("unavailable", language, retry_after=exc.retry_after)
        response = _form(request, intake, language, values=flat, notice=notice, status=503)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    outcome = "duplicate" if receipt.replayed else "accepted"
    count.labels("web", body.kind.value, outcome).inc()
    if not receipt.replayed:
        intake.metrics.time_to_durable.labels(receipt.durable_via).observe(
            receipt.seconds_to_durable
        )
    return _render(request, "receipt.html", language, 200, receipt=receipt)


def _file_refused(
    request: Request,
    intake: IntakeContext,
    language: Language,
    exc: FileRefused,
    values: dict[str, str],
) -> HTMLResponse:
    """The form again with what the person wrote (a browser never refills a file input,
    so the files are chosen again), the file named, 413 or 415."""
    intake.metrics.submissions.labels("web", "unknown", "rejected").inc()
    code, worded = file_problem(exc)
    message = text(code, language, **worded)
    status = 415 if isinstance(exc, FileTypeRefused) else 413
    values = {k: v for k, v in values.items() if k != "idempotency_key"}
    return _form(
        request,
        intake,
        language,
        values=values,
        errors={exc.field: message},
        status=status,
    )


@router.get("/place.js", include_in_schema=False)
async def place_script() -> Response:
    """The form's one script (the pages' policy takes no inline script): a "use my
    location" button that fills the point's hidden fields. Without it the address field
    alone says where."""
    return Response(
        _PLACE_JS,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


_PLACE_JS = (Path(__file__).parent / "static" / "place.js").read_bytes()
