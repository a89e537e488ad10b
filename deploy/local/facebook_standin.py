"""`python -m deploy.local.facebook_standin`: a local stand-in for the Graph API a
Facebook Page's Messenger uses.

It speaks the endpoint Siang calls and keeps what it was sent, for `make dev` and tests:

    POST /{version}/me/messages?access_token=...   the Send API: intake's replies (the
                                                   questions, the tracking code and PIN)
                                                   and notifications' tagged notices
    GET  /standin/images/{name}                    a photo a person "sent" (an
                                                   attachment URL points here): a small
                                                   PNG, or what PUT stored

and, to look and to play the person's side:

    GET    /standin/messages[?to=PSID]        what it received, newest last
    DELETE /standin/messages                  forget it
    PUT    /standin/unavailable/{psid}        that person blocked the Page: the Send API
                                              refuses messages to them, as Facebook does
    PUT    /standin/images/{name}             the bytes of a photo to "send"
    POST   /standin/say  {"psid", "text"|"quick_reply"|"postback"|"image"}
                                              sign one event with the app secret and post
                                              it to intake's webhook, as Facebook would

Settings: SIANG_FACEBOOK_STANDIN_PORT (8027), SIANG_FACEBOOK_STANDIN_HOST (127.0.0.1),
SIANG_INTAKE_FACEBOOK__APP_SECRET (to sign), SIANG_FACEBOOK_STANDIN_WEBHOOK (intake's
webhook, http://127.0.0.1:8001/v1/channels/facebook/webhook).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from fastapi import FastAPI, Request, Response

from deploy.local import standin
from deploy.local.line_standin import TINY_PNG

log = logging.getLogger("siang.facebook_standin")

PORT = 8027
PAGE_ID = "100000000000001"
DEV_SECRET = "dev-facebook-app-secret"  # noqa: S105 - the local stand-in's, not a real one
DEV_VERIFY_TOKEN = "dev-facebook-verify-token"  # noqa: S105
DEV_PAGE_TOKEN = "dev-facebook-page-token"  # noqa: S105


def sign(secret: str, body: bytes) -> str:
    """`X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def messaging(psid: str, kind: str, *, mid: str | None = None, **what: Any) -> dict[str, Any]:
    """One messaging event as Facebook sends it: `text`, `quick_reply` (a tapped quick
    reply: `text` and `payload`), `postback` (`payload`), `image` (`url`) or `location`
    (`lat`, `long`, `title`)."""
    base: dict[str, Any] = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": int(time.time() * 1000),
    }
    mid = mid or f"m_{uuid.uuid4().hex}"
    match kind:
        case "text":
            return {**base, "message": {"mid": mid, "text": what["text"]}}
        case "quick_reply":
            message = {
                "mid": mid,
                "text": what.get("text", what["payload"]),
                "quick_reply": {"payload": what["payload"]},
            }
            return {**base, "message": message}
        case "postback":
            return {
                **base,
                "postback": {
                    "mid": mid,
                    "title": what.get("title", ""),
                    "payload": what["payload"],
                },
            }
        case "image":
            attachment = {"type": "image", "payload": {"url": what["url"]}}
            return {**base, "message": {"mid": mid, "attachments": [attachment]}}
        case "location":
            attachment = {
                "type": "location",
                "title": what.get("title", ""),
                "payload": {"coordinates": {"lat": what["lat"], "long": what["long"]}},
            }
            return {**base, "message": {"mid": mid, "attachments": [attachment]}}
        case _:
            raise ValueError(f"unknown event kind {kind!r}")


def webhook_body(*events: dict[str, Any]) -> bytes:
    entry = {"id": PAGE_ID, "time": int(time.time() * 1000), "messaging": list(events)}
    return orjson.dumps({"object": "page", "entry": [entry]})


@dataclass
class Received:
    """What the stand-in was sent, in order."""

    records: list[dict[str, Any]] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    # People who blocked the Page (or left Facebook): the Send API refuses them.
    unavailable: set[str] = field(default_factory=set)
    # What it refused: the HTTP status and Graph's error.
    refused: list[dict[str, Any]] = field(default_factory=list)

    def of(self, to: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.records if to is None or r["to"] == to]

    def texts(self, to: str | None = None) -> list[str]:
        return [str(r["message"].get("text", "")) for r in self.of(to)]


# The tags the Send API takes for a message outside the 24-hour window.
MESSAGE_TAGS = frozenset(
    {"CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "HUMAN_AGENT"}
)


def _refusal(body: dict[str, Any], box: Received) -> dict[str, Any] | None:
    """Graph's error for a send it would refuse, or None. The words are Graph's own."""
    kind = body.get("messaging_type")
    if kind not in {"RESPONSE", "UPDATE", "MESSAGE_TAG"}:
        return {"message": "(#100) Param messaging_type is invalid", "code": 100}
    if kind == "MESSAGE_TAG" and body.get("tag") not in MESSAGE_TAGS:
        return {"message": "(#100) Param tag must be a valid message tag", "code": 100}
    if (body.get("recipient") or {}).get("id") in box.unavailable:
        return {
            "message": "(#551) This person isn't available right now.",
            "code": 551,
            "error_subcode": 1545041,
        }
    return None


def create_app(
    *,
    secret: str = DEV_SECRET,
    webhook: str = "",
    received: Received | None = None,
    page_token: str = DEV_PAGE_TOKEN,
) -> FastAPI:
    app = FastAPI(title="Facebook Graph API stand-in")
    box = received if received is not None else Received()
    app.state.received = box

    async def _body(request: Request) -> dict[str, Any]:
        loaded = orjson.loads(await request.body())
        return loaded if isinstance(loaded, dict) else {}

    @app.post("/{version}/me/messages", response_model=None)
    async def send(version: str, request: Request) -> dict[str, Any] | Response:
        if request.query_params.get("access_token") != page_token:
            # The Graph API's answer to a missing or wrong Page token.
            error = {"error": {"message": "Invalid OAuth access token.", "code": 190}}
            return Response(orjson.dumps(error), status_code=400)
        body = await _body(request)
        recipient = body.get("recipient") or {}
        refusal = _refusal(body, box)
        if refusal is not None:
            box.refused.append({"status": 400, "error": refusal})
            return Response(orjson.dumps({"error": refusal}), status_code=400)
        box.records.append(
            {
                "version": version,
                "to": recipient.get("id"),
                "messaging_type": body.get("messaging_type"),
                "tag": body.get("tag"),
                "message": body.get("message") or {},
            }
        )
        return {"recipient_id": recipient.get("id"), "message_id": f"m_{uuid.uuid4().hex}"}

    @app.get("/standin/images/{name}")
    async def image(name: str) -> Response:
        data = box.images.get(name, TINY_PNG)
        media = "image/jpeg" if data.startswith(b"\xff\xd8") else "image/png"
        return Response(data, media_type=media)

    @app.put("/standin/images/{name}")
    async def put_image(name: str, request: Request) -> dict[str, int]:
        box.images[name] = await request.body()
        return {"bytes": len(box.images[name])}

    @app.put("/standin/unavailable/{psid}")
    async def block(psid: str) -> dict[str, str]:
        box.unavailable.add(psid)
        return {"unavailable": psid}

    @app.get("/standin/messages")
    async def messages(to: str | None = None) -> dict[str, Any]:
        return {"messages": box.of(to)}

    @app.delete("/standin/messages")
    async def clear() -> dict[str, int]:
        removed = len(box.records)
        box.records.clear()
        return {"removed": removed}

    @app.post("/standin/say")
    async def say(request: Request) -> dict[str, Any]:
        """Play the person: one signed event to intake's webhook; intake's status and the
        messages that came back while it answered."""
        body = await _body(request)
        psid = str(body.get("psid") or "1000000000000001")
        if "quick_reply" in body:
            one = messaging(psid, "quick_reply", payload=str(body["quick_reply"]))
        elif "postback" in body:
            one = messaging(psid, "postback", payload=str(body["postback"]))
        elif "image" in body:
            base = str(request.base_url).rstrip("/")
            one = messaging(psid, "image", url=f"{base}/standin/images/{body['image'] or 'photo'}")
        else:
            one = messaging(psid, "text", text=str(body.get("text", "สวัสดี")))
        raw = webhook_body(one)
        before = len(box.records)
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                webhook,
                content=raw,
                headers={
                    "X-Hub-Signature-256": sign(secret, raw),
                    "Content-Type": "application/json",
                },
                timeout=30,
            )
        return {"status": answer.status_code, "replies": box.records[before:]}

    standin.add_health(app)

    return app


def main() -> int:
    env = os.environ
    standin.setup_logging()
    app = create_app(
        secret=env.get("SIANG_INTAKE_FACEBOOK__APP_SECRET", DEV_SECRET),
        page_token=env.get("SIANG_INTAKE_FACEBOOK__PAGE_TOKEN", DEV_PAGE_TOKEN),
        webhook=env.get(
            "SIANG_FACEBOOK_STANDIN_WEBHOOK", "http://127.0.0.1:8001/v1/channels/facebook/webhook"
        ),
    )
    return standin.serve(app, "facebook", PORT)


if __name__ == "__main__":
    sys.exit(main())
