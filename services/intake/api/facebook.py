"""`/v1/channels/facebook/webhook`: the Facebook Page's Messenger webhook.

GET is Facebook's subscription check: `hub.mode=subscribe` with the configured verify
token is answered with `hub.challenge`, anything else with 403. POST carries the Page's
events: only a body signed with the app secret (`X-Hub-Signature-256`) is read; anything
else is 401 and logged. A signed body that is not a Page webhook is 400, naming what is
wrong. Translates the request to `FacebookDesk.handle`; a signed, well-formed call is 200
(Facebook redelivers anything else)."""

from __future__ import annotations

import hmac
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from services.intake.adapters.facebook_webhook import BadSignature, MalformedWebhook
from services.intake.api.body import read_limited
from services.intake.api.errors import GuardedRoute, ProblemBody, refusals
from services.intake.api.responses import json_response
from services.intake.context import IntakeContext, context_of
from services.intake.errors import PayloadTooLarge
from shared.infra import correlation

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/channels/facebook", tags=["channels"], route_class=GuardedRoute)


def _problem(
    status: int, error: str, message: str, fields: list[dict[str, str]] | None = None
) -> Response:
    body: dict[str, Any] = {"error": error, "message": message}
    if fields is not None:
        body["fields"] = fields
    return json_response(body, status_code=status)


@router.get(
    "/webhook",
    summary="Facebook's subscription check of the Messenger webhook",
    description=(
        "Facebook calls it once when the webhook is subscribed: with `hub.mode=subscribe` "
        "and `hub.verify_token` equal to the configured verify token, the answer is "
        "`hub.challenge` as plain text; anything else is 403."
    ),
    response_class=Response,
    responses={
        200: {
            "description": "The challenge, echoed",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        403: {"model": ProblemBody, "description": "Not subscribing, or a wrong verify token"},
        **refusals(),
    },
)
async def verify(
    intake: Annotated[IntakeContext, Depends(context_of)],
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> Response:
    expected = intake.settings.facebook.verify_token.get_secret_value()
    if (
        mode == "subscribe"
        and expected
        and token is not None
        and hmac.compare_digest(token.encode(), expected.encode())
        and challenge is not None
    ):
        return Response(challenge, media_type="text/plain")
    log.warning("Facebook webhook verification refused (mode %r)", (mode or "")[:20])
    return _problem(
        403,
        "verification_refused",
        "hub.mode must be subscribe and hub.verify_token the configured verify token",
    )


@router.post(
    "/webhook",
    summary="Facebook Messenger webhook (signed by Facebook)",
    description=(
        "Events of the office's Facebook Page. The raw body must be signed: "
        "`X-Hub-Signature-256` is `sha256=` and the hex HMAC-SHA256 of it with the app "
        "secret. Unsigned or wrongly signed calls get 401 and are not read; a signed body "
        'that is not a Page webhook (`object` "page", `entry[].messaging[]` with a '
        "`sender.id`) gets 400 naming the field."
    ),
    responses={
        200: {
            "description": "Received",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        400: {
            "model": ProblemBody,
            "description": "Signed, but not a Page webhook (the field is named)",
        },
        401: {"model": ProblemBody, "description": "No or wrong `X-Hub-Signature-256`"},
        **refusals(PayloadTooLarge),
    },
)
async def webhook(
    request: Request,
    intake: Annotated[IntakeContext, Depends(context_of)],
    x_hub_signature_256: Annotated[str | None, Header()] = None,
) -> Response:
    raw = await read_limited(request, intake.settings.facebook.max_body_bytes)
    try:
        events = intake.facebook_webhook.parse(raw, x_hub_signature_256)
    except BadSignature:
        address = request.client.host if request.client else "unknown"
        log.warning(
            "Facebook webhook refused: %s signature from %s",
            "no" if not x_hub_signature_256 else "a wrong",
            address,
        )
        return _problem(401, "invalid_signature", "X-Hub-Signature-256 is missing or wrong")
    except MalformedWebhook as exc:
        log.warning("Facebook webhook malformed: %s", exc)
        return _problem(
            400,
            "invalid_webhook",
            f"not a Page webhook: {exc.field} {exc.problem}",
            [{"field": exc.field, "code": "invalid", "message": exc.problem}],
        )
    await intake.facebook.handle(events, correlation.current())
    return json_response({})
