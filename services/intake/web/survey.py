"""The satisfaction survey (announcement clause 2.5): the link in the resolved notice
carries a signed token; the page asks for a 1-5 rating, whether the issue was solved and
an optional comment, in the token's language, and publishes `survey.answered`. One answer
per case: the first counts, a second gets a polite notice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.intake.adapters.surveys import AlreadyAnswered
from services.intake.context import IntakeContext, context_of
from shared.contract.events import Language, SurveyAnswered, make_event
from shared.contract.survey_token import (
    ExpiredToken,
    SurveyClaims,
    SurveyTokenError,
    verify_survey_token,
)
from shared.infra import correlation, tracing
from shared.web import assets

router = APIRouter(prefix="/survey", include_in_schema=False)
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)
assets.use_in(_ENV)
MAX_COMMENT = 2000

TEXTS: dict[Language, dict[str, str]] = {
    Language.th: {
        "title": "แบบสอบถามความพึงพอใจ",
        "switch": "English",
        "intro": "ขอบคุณที่ใช้บริการ โปรดประเมินการให้บริการเรื่องของท่าน ใช้เวลาไม่ถึงหนึ่งนาที",
        "rating": "ท่านพึงพอใจกับการดำเนินการเรื่องของท่านเพียงใด",
        "r1": "น้อยที่สุด",
        "r5": "มากที่สุด",
        "solved": "เรื่องของท่านได้รับการแก้ไขแล้วหรือไม่",
        "yes": "ได้รับการแก้ไขแล้ว",
        "no": "ยังไม่ได้รับการแก้ไข",
        "comment": "ความคิดเห็นเพิ่มเติม (ไม่บังคับ)",
        "send": "ส่งแบบประเมิน",
        "thanks": "ขอบคุณสำหรับความคิดเห็นของท่าน",
        "thanks_no": "เราได้รับแจ้งว่าเรื่องของท่านยังไม่ได้รับการแก้ไข เจ้าหน้าที่จะพิจารณาดำเนินการต่อ",
        "already": "เรื่องนี้ได้รับการประเมินแล้ว ระบบนับเฉพาะการประเมินครั้งแรก ขอบคุณที่สละเวลา",
        "invalid": "ลิงก์แบบประเมินนี้ไม่ถูกต้อง โปรดใช้ลิงก์จากข้อความที่ได้รับ",
        "expired": "ลิงก์แบบประเมินนี้หมดอายุแล้ว",
        "need_rating": "โปรดเลือกระดับความพึงพอใจ 1 ถึง 5",
        "need_solved": "โปรดตอบว่าเรื่องได้รับการแก้ไขแล้วหรือไม่",
        "too_long": "ความคิดเห็นยาวเกิน 2,000 ตัวอักษร",
    },
    Language.en: {
        "title": "Satisfaction survey",
        "switch": "ภาษาไทย",
        "intro": "Thank you for contacting us. Please rate how your matter was handled; it takes less than a minute.",
        "rating": "How satisfied are you with how your matter was handled?",
        "r1": "not at all",
        "r5": "very",
        "solved": "Was your issue solved?",
        "yes": "Yes, it was solved",
        "no": "No, not yet",
        "comment": "Anything else you want to tell us (optional)",
        "send": "Send",
        "thanks": "Thank you for your answer.",
        "thanks_no": "We have noted that your issue is not solved; staff will look at it again.",
        "already": "This survey has already been answered; only the first answer counts. Thank you.",
        "invalid": "This survey link is not valid. Please use the link from the message you received.",
        "expired": "This survey link has expired.",
        "need_rating": "Please choose a rating from 1 to 5.",
        "need_solved": "Please say whether your issue was solved.",
        "too_long": "The comment is longer than 2,000 characters.",
    },
}


def _page(request: Request, language: Language, status: int = 200, **values: Any) -> HTMLResponse:
    other = "en" if language is Language.th else "th"
    html = _ENV.get_template("survey.html").render(
        lang=language.value,
        t=TEXTS[language],
        switch_url=f"{request.url.path}?lang={other}",
        **values,
    )
    return HTMLResponse(
        html,
        status_code=status,
        headers={"Cache-Control": "no-store", "Content-Language": language.value},
    )


def _claims(intake: IntakeContext, token: str) -> SurveyClaims:
    survey = intake.settings.survey
    return verify_survey_token(
        token,
        secret=survey.secret.get_secret_value(),
        old_secrets=[s.get_secret_value() for s in survey.old_secrets],
    )


def _language(request: Request, claims: SurveyClaims | None) -> Language:
    asked = request.query_params.get("lang")
    if asked in {"th", "en"}:
        return Language(asked)
    return claims.language if claims else Language.th


@router.get("/{token}", response_class=HTMLResponse)
async def survey_form(
    token: str, request: Request, intake: Annotated[IntakeContext, Depends(context_of)]
) -> HTMLResponse:
    try:
        claims = _claims(intake, token)
    except ExpiredToken as exc:
        return _page(request, _language(request, exc.claims), 410, notice="expired")
    except SurveyTokenError:
        return _page(request, _language(request, None), 404, notice="invalid")
    language = _language(request, claims)
    if await intake.surveys.answered(claims.case_id):
        return _page(request, language, notice="already")
    return _page(request, language, form=True, values={}, errors=[])


@router.post("/{token}", response_class=HTMLResponse)
async def survey_answer(
    token: str, request: Request, intake: Annotated[IntakeContext, Depends(context_of)]
) -> HTMLResponse:
    try:
        claims = _claims(intake, token)
    except ExpiredToken as exc:
        return _page(request, _language(request, exc.claims), 410, notice="expired")
    except SurveyTokenError:
        return _page(request, _language(request, None), 404, notice="invalid")
    language = _language(request, claims)
    body = (await request.body())[:16_384].decode("utf-8", errors="replace")
    values = dict(parse_qsl(body, keep_blank_values=True))
    errors = []
    rating = values.get("rating", "")
    if rating not in {"1", "2", "3", "4", "5"}:
        errors.append("need_rating")
    if values.get("solved") not in {"yes", "no"}:
        errors.append("need_solved")
    comment = values.get("comment", "").strip()
    if len(comment) > MAX_COMMENT:
        errors.append("too_long")
    if errors:
        return _page(request, language, 422, form=True, values=values, errors=errors)
    answer = SurveyAnswered(
        case_id=claims.case_id,
        rating=int(rating),
        solved=values["solved"] == "yes",
        comment=comment or None,
        answered_at=datetime.now(UTC),
    )
    event = make_event(
        answer,
        source="/siang/intake",
        subject=claims.case_id,
        correlation_id=correlation.current(),
        traceparent=tracing.for_event(),
    )
    try:
        await intake.surveys.save(event)
    except AlreadyAnswered:
        return _page(request, language, notice="already")
    intake.relay.wake()
    return _page(request, language, notice="thanks" if answer.solved else "thanks_no")
