"""`POST /v1/channels/line/webhook`: LINE's webhook. Anyone may call it; only a body
signed with the channel secret (`X-Line-Signature`) is read, anything else is 401 and
logged. Translates the request to `LineDesk.handle` and always answers 200 to a signed
call, as LINE expects (a refusal would only make it redeliver)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from services.intake.adapters.line_webhook import BadSignature
from services.intake.api.body import read_limited
from services.intake.api.errors import GuardedRoute
from services.intake.api.responses import json_response
from services.intake.context import IntakeContext, context_of
from shared.infra import correlation

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/channels/line", tags=["channels"], route_class=GuardedRoute)


@router.post(
    "/webhook",
    summary="LINE Messaging API webhook (signed by LINE)",
    description=(
        "Events of the office's LINE Official Account. The raw body must be signed: "
        "`X-Line-Signature` is the base64 HMAC-SHA256 of it with the channel secret. "
        "Unsigned or wrongly signed calls get 401 and are not read."
    ),
    responses={401: {"description": "No or wrong `X-Line-Signature`"}},
)
async def webhook(
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    x_line_signature: Annotated[str | None, Header()] = None,
) -> Response:
    raw = await read_limited(request, intake.settings.line.max_body_bytes)
    try:
        events = intake.line_webhook.parse(raw, x_line_signature)
    except BadSignature:
        address = request.client.host if request.client else "unknown"
        log.warning(
            "LINE webhook refused: %s signature from %s",
            "no" if not x_line_signature else "a wrong",
            address,
        )
        return json_response(
            {"error": "invalid_signature", "message": "X-Line-Signature is missing or wrong"},
            status_code=401,
        )
    await intake.line.handle(events, correlation.current())
    return json_response({})
