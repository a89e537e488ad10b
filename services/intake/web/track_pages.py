"""The tracking page a complainant works in: `/track/{code}` asks for the PIN; the PIN is
posted (never put in a URL), and the page then shows the case (status in words, public
answer, public timeline, the next deadline in B.E.) with two forms, add information and
withdraw, each posting the PIN again in a hidden field. Every post goes through the one
tracking door (`ComplainantDesk` → `Tracker.follow`): the same lock-out after wrong PINs
and the same per-address limit as `/v1/track`. Works without JavaScript; Thai first,
English with `?lang=en`.

The forms carry a CSRF token (`shared/infra/csrf.py`): intake's pages have no session, so
the token is bound to this browser's nonce and to the tracking code, and keyed with a key
derived from the tracking pepper. Another site cannot make a visitor's browser add words
to, or withdraw, a case the visitor has opened here."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.intake.api.body import read_limited
from services.intake.api.errors import GuardedRoute
from services.intake.context import IntakeContext, context_of
from services.intake.domain.follow_up import MAX_REASON, MAX_TEXT
from services.intake.domain.lockout import minutes_left
from services.intake.domain.messages import text
from services.intake.domain.rate_limit import RateLimited
from services.intake.domain.tracking import InvalidTrackingCode
from services.intake.errors import (
    CaseClosed,
    NotWithdrawable,
    PayloadTooLarge,
    TrackingLocked,
    TrackingNotFound,
)
from services.intake.handlers.ports import StoreUnavailable
from services.intake.handlers.track import TrackingView
from services.intake.web.pages import _ENV, Lang, _language
from services.intake.web.texts import Texts
from services.intake.web.tracking import TrackingPage, tracking_page
from shared.contract.catalogue import Catalogue
from shared.contract.events import Language
from shared.infra import correlation, csrf
from shared.infra.production import secure_cookies

router = APIRouter(include_in_schema=False, route_class=GuardedRoute)

# A follow-up is a few lines of text: the form is read no further than this.
_FORM_BYTES = 32 * 1024


def csrf_secret(pepper: str) -> str:
    """The key of the tracking forms' CSRF tokens, derived from the tracking pepper."""
    return hmac.new(pepper.encode(), b"siang intake tracking forms", hashlib.sha256).hexdigest()


def csrf_session(code: str) -> str:
    """What a token is bound to besides the browser: one tracking code's forms only."""
    return "track|" + "".join(code.split()).upper()


def _csrf_secret(intake: IntakeContext) -> str:
    return csrf_secret(intake.settings.tracking.pepper)


def _page(
    request: Request,
    intake: IntakeContext,
    language: Language,
    status: int = 200,
    *,
    code: str,
    found: TrackingPage | None = None,
    notice: str | None = None,
    done: str | None = None,
    pin: str | None = None,
    values: dict[str, str] | None = None,
    retry_after: int | None = None,
) -> HTMLResponse:
    nonce = request.cookies.get(csrf.COOKIE) or csrf.new_nonce()
    other = "en" if language == Language.th else "th"
    html = _ENV.get_template("track.html").render(
        lang=language.value,
        t=Texts(language),
        # The other language's page is the PIN form: the case pages are answers to posts.
        switch_url=f"/track/{code}?lang={other}",
        code=code,
        found=found,
        notice=notice,
        done=done,
        pin=pin if found else None,
        values=values or {},
        csrf_field=csrf.FIELD,
        csrf_token=csrf.form_token(_csrf_secret(intake), nonce, csrf_session(code)),
        # A fresh key per rendering: the same form sent twice is one follow-up.
        form_key=str(uuid.uuid4()),
        max_text=MAX_TEXT,
        max_reason=MAX_REASON,
    )
    headers = {"Cache-Control": "no-store", "Content-Language": language.value}
    page = HTMLResponse(html, status_code=status, headers=headers)
    if nonce != request.cookies.get(csrf.COOKIE):
        page.set_cookie(
            csrf.COOKIE, nonce, httponly=True, samesite="strict", path="/track",
            secure=secure_cookies(),
        )  # fmt: skip
    if retry_after is not None:
        page.headers["Retry-After"] = str(retry_after)
    return page


async def _form(request: Request, intake: IntakeContext, code: str) -> dict[str, str] | None:
    """The posted form, or None when it lacks this browser's token for `code` (or is too
    large to be one of ours)."""
    try:
        raw = await read_limited(request, _FORM_BYTES)
    except PayloadTooLarge:
        return None
    form = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    nonce = request.cookies.get(csrf.COOKIE)
    if not csrf.accepts(_csrf_secret(intake), nonce, csrf_session(code), form.get(csrf.FIELD)):
        return None
    return form


async def _door(
    request: Request,
    intake: IntakeContext,
    language: Language,
    code: str,
    form: dict[str, str],
    values: dict[str, str] | None = None,
) -> TrackingView | HTMLResponse:
    """The case behind the tracking door for the posted PIN, or the page refusing it."""

    def refused(status: int, notice: str, retry_after: int | None = None) -> HTMLResponse:
        return _page(
            request, intake, language, status, code=code, notice=notice, values=values,
            retry_after=retry_after,
        )  # fmt: skip

    pin = form.get("pin", "").strip()
    if not pin:
        return refused(422, text("pin_required", language))
    try:
        await intake.track_limiter.take(request.client.host if request.client else "unknown")
        return await intake.complainant.view(code, pin)
    except RateLimited as exc:
        notice = text("rate_limited", language, retry_after=exc.retry_after)
        return refused(429, notice, exc.retry_after)
    except TrackingLocked as exc:
        minutes = minutes_left(exc.retry_after)
        notice = text(
            "tracking_locked", language, minutes=minutes, plural="" if minutes == 1 else "s"
        )
        return refused(429, notice, exc.retry_after)
    except InvalidTrackingCode:
        return refused(422, text("invalid_tracking_code", language))
    except TrackingNotFound:
        return refused(404, text("tracking_not_found", language))
    except StoreUnavailable:
        seconds = intake.settings.retry_after_seconds
        return refused(503, text("unavailable", language, retry_after=seconds), seconds)


def _csrf_refused(
    request: Request, intake: IntakeContext, language: Language, code: str
) -> HTMLResponse:
    notice = Texts(language)["csrf_refused"]
    return _page(request, intake, language, 403, code=code, notice=notice)


class _Case:
    """The case page again after a change (or a refusal of it), for one view."""

    def __init__(
        self,
        request: Request,
        intake: IntakeContext,
        catalogue: Catalogue,
        language: Language,
        code: str,
        pin: str,
        values: dict[str, str],
    ) -> None:
        self.request, self.intake, self.language = request, intake, language
        # The file's catalogue with the units' names an admin gave: today's unit name.
        self.catalogue = catalogue
        self.code, self.pin, self.values = code, pin, values

    def page(
        self,
        view: TrackingView,
        status: int,
        *,
        notice: str | None = None,
        done: str | None = None,
        retry_after: int | None = None,
    ) -> HTMLResponse:
        found = tracking_page(view, self.catalogue, self.language)
        return _page(
            self.request,
            self.intake,
            self.language,
            status,
            code=self.code,
            found=found,
            pin=self.pin,
            notice=notice,
            done=done,
            # What they wrote stays in the form when it was refused, not once it is sent.
            values=None if done else self.values,
            retry_after=retry_after,
        )

    def unavailable(self, view: TrackingView) -> HTMLResponse:
        seconds = self.intake.settings.retry_after_seconds
        notice = text("unavailable", self.language, retry_after=seconds)
        return self.page(view, 503, notice=notice, retry_after=seconds)


@router.get("/track/{code}", response_class=HTMLResponse)
async def track_page(
    code: str,
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    lang: Lang = "th",
) -> HTMLResponse:
    """The page the receipt and every notice link to: it asks for the PIN, which is
    posted. A `?pin=` is not read: a PIN in a URL stays in histories and logs."""
    return _page(request, intake, _language(lang), code=code)


@router.post("/track/{code}", response_class=HTMLResponse)
async def track_case(
    code: str,
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    lang: Lang = "th",
) -> HTMLResponse:
    """The case for the posted PIN."""
    language = _language(lang)
    form = await _form(request, intake, code)
    if form is None:
        return _csrf_refused(request, intake, language, code)
    view = await _door(request, intake, language, code, form)
    if isinstance(view, HTMLResponse):
        return view
    named = await intake.units.catalogue()
    return _Case(request, intake, named, language, code, form["pin"].strip(), {}).page(view, 200)


@router.post("/track/{code}/information", response_class=HTMLResponse)
async def track_add_information(
    code: str,
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    lang: Lang = "th",
) -> HTMLResponse:
    """The complainant's added information (`submission.follow_up`), durable before the
    page says so (202); a closed case answers 409."""
    language = _language(lang)
    t = Texts(language)
    form = await _form(request, intake, code)
    if form is None:
        return _csrf_refused(request, intake, language, code)
    words = form.get("text", "").strip()
    values = {"text": words}
    view = await _door(request, intake, language, code, form, values)
    if isinstance(view, HTMLResponse):
        return view
    named = await intake.units.catalogue()
    case = _Case(request, intake, named, language, code, form["pin"].strip(), values)
    if not words:
        return case.page(view, 422, notice=t["text_required"])
    if len(words) > MAX_TEXT:
        return case.page(view, 422, notice=t["text_too_long"].format(limit=MAX_TEXT))
    try:
        await intake.complainant.add_to(
            view,
            words,
            key=form.get("key") or str(uuid.uuid4()),
            correlation_id=correlation.current(),
        )
    except CaseClosed:
        return case.page(view, 409, notice=text("case_closed", language))
    except StoreUnavailable:
        return case.unavailable(view)
    return case.page(view, 202, done=t["added"])


@router.post("/track/{code}/withdrawal", response_class=HTMLResponse)
async def track_withdraw(
    code: str,
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    lang: Lang = "th",
) -> HTMLResponse:
    """The complainant's withdrawal (`submission.withdrawn`), only with the box ticked;
    durable before the page says so (202). A closed case, or one already answered or
    withdrawn, answers 409."""
    language = _language(lang)
    t = Texts(language)
    form = await _form(request, intake, code)
    if form is None:
        return _csrf_refused(request, intake, language, code)
    reason = form.get("reason", "").strip()[:MAX_REASON]
    values = {"reason": reason}
    view = await _door(request, intake, language, code, form, values)
    if isinstance(view, HTMLResponse):
        return view
    pin = form["pin"].strip()
    case = _Case(request, intake, await intake.units.catalogue(), language, code, pin, values)
    if form.get("confirm") != "yes":
        return case.page(view, 422, notice=t["withdraw_unconfirmed"])
    try:
        await intake.complainant.withdraw_from(
            view,
            reason or None,
            key=form.get("key") or str(uuid.uuid4()),
            correlation_id=correlation.current(),
        )
    except CaseClosed:
        return case.page(view, 409, notice=text("case_closed", language))
    except NotWithdrawable as exc:
        return case.page(view, 409, notice=text(f"not_withdrawable_{exc.state}", language))
    except StoreUnavailable:
        return case.unavailable(view)
    # Read again through the door: the page now says the case is being closed.
    return case.page(await intake.complainant.view(code, pin), 202, done=t["withdrawn_pending"])
