"""`python -m deploy.local.line_standin`: a local stand-in for LINE's Messaging API.

It speaks the endpoints Siang calls, on one port (point both the API and the content
host at it), and keeps what it was sent, for `make dev` and tests:

    POST /v2/bot/message/reply            intake's replies (tracking code, questions)
    POST /v2/bot/message/push             notifications' pushes (a repeated
                                          X-Line-Retry-Key answers 409, as LINE does)
    GET  /v2/bot/message/{id}/content     an image a person "sent": a small PNG, or
                                          what PUT /standin/content/{id} stored

and, to look and to play the person's side:

    GET    /standin/messages[?kind=reply|push&to=U...]   what it received, newest last
    DELETE /standin/messages                             forget it
    POST   /standin/say   {"user_id", "text"|"postback"|"follow"|"unfollow"|"image"|
                           "location": {...}}            sign one event with the channel
                                                         secret and post it to intake's
                                                         webhook, as LINE would

Settings: SIANG_LINE_STANDIN_PORT (8026), SIANG_LINE_STANDIN_HOST (127.0.0.1),
SIANG_INTAKE_LINE__CHANNEL_SECRET (to sign), SIANG_LINE_STANDIN_WEBHOOK (intake's webhook,
http://127.0.0.1:8001/v1/channels/line/webhook).
"""

from __future__ import annotations

import base64
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

log = logging.getLogger("siang.line_standin")

PORT = 8026
DEV_SECRET = "dev-line-channel-secret"  # noqa: S105 - the local stand-in's, not a real one
DEV_TOKEN = "dev-line-channel-token"  # noqa: S105
# A 1x1 PNG: what "the person sent" when a test did not store other content.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def sign(secret: str, body: bytes) -> str:
    """`X-Line-Signature`: base64 of HMAC-SHA256 of the raw body with the channel secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def event(
    user_id: str,
    kind: str,
    *,
    event_id: str | None = None,
    reply_token: str | None = None,
    **what: Any,
) -> dict[str, Any]:
    """One webhook event as LINE sends it: `follow`, `unfollow`, `text`, `postback`,
    `image` or `location` (with `latitude`, `longitude`, `title`, `address`). A reply
    token starting with `expired` is refused by the stand-in's reply endpoint."""
    base: dict[str, Any] = {
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "mode": "active",
        "webhookEventId": event_id or uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
    }
    token = reply_token or uuid.uuid4().hex
    msg_id = str(uuid.uuid4().int)[:18]
    match kind:
        case "follow":
            return {**base, "type": "follow", "replyToken": token, "follow": {"isUnblocked": False}}
        case "unfollow":
            return {**base, "type": "unfollow"}
        case "postback":
            return {
                **base,
                "type": "postback",
                "replyToken": token,
                "postback": {"data": what["data"]},
            }
        case "text":
            message = {"type": "text", "id": msg_id, "text": what["text"], "quoteToken": token}
        case "image":
            message = {
                "type": "image",
                "id": what.get("message_id") or msg_id,
                "contentProvider": {"type": "line"},
                "quoteToken": token,
            }
        case "location":
            message = {
                "type": "location",
                "id": msg_id,
                "title": what.get("title"),
                "address": what.get("address"),
                "latitude": what["latitude"],
                "longitude": what["longitude"],
            }
        case _:
            raise ValueError(f"unknown event kind {kind!r}")
    return {**base, "type": "message", "replyToken": token, "message": message}


def webhook_body(*events: dict[str, Any], destination: str = "Uofficeaccount") -> bytes:
    return orjson.dumps({"destination": destination, "events": list(events)})


@dataclass
class Received:
    """What the stand-in was sent, in order."""

    records: list[dict[str, Any]] = field(default_factory=list)
    retry_keys: set[str] = field(default_factory=set)
    contents: dict[str, bytes] = field(default_factory=dict)

    def of(self, kind: str | None = None, to: str | None = None) -> list[dict[str, Any]]:
        return [
            r
            for r in self.records
            if (kind is None or r["kind"] == kind) and (to is None or r.get("to") == to)
        ]


def create_app(
    *, secret: str = DEV_SECRET, webhook: str = "", received: Received | None = None
) -> FastAPI:
    app = FastAPI(title="LINE Messaging API stand-in")
    box = received if received is not None else Received()
    app.state.received = box

    async def _body(request: Request) -> dict[str, Any]:
        loaded = orjson.loads(await request.body())
        return loaded if isinstance(loaded, dict) else {}

    @app.post("/v2/bot/message/reply", response_model=None)
    async def reply(request: Request) -> dict[str, Any] | Response:
        body = await _body(request)
        if str(body.get("replyToken", "")).startswith("expired"):
            # LINE's answer to a reply token used too late (about a minute) or twice.
            return Response(b'{"message":"Invalid reply token"}', status_code=400)
        box.records.append(
            {
                "kind": "reply",
                "reply_token": body.get("replyToken"),
                "messages": body.get("messages", []),
                "authorization": request.headers.get("authorization"),
            }
        )
        return {"sentMessages": [{"id": uuid.uuid4().hex} for _ in body.get("messages", [])]}

    @app.post("/v2/bot/message/push")
    async def push(request: Request) -> Response:
        key = request.headers.get("x-line-retry-key")
        if key and key in box.retry_keys:
            return Response(b'{"message":"The retry key is already accepted"}', status_code=409)
        if key:
            box.retry_keys.add(key)
        body = await _body(request)
        box.records.append(
            {
                "kind": "push",
                "to": body.get("to"),
                "messages": body.get("messages", []),
                "retry_key": key,
                "authorization": request.headers.get("authorization"),
            }
        )
        return Response(b'{"sentMessages":[]}', media_type="application/json")

    @app.get("/v2/bot/message/{message_id}/content")
    async def content(message_id: str) -> Response:
        data = box.contents.get(message_id, TINY_PNG)
        media = "image/jpeg" if data.startswith(b"\xff\xd8") else "image/png"
        return Response(data, media_type=media)

    @app.put("/standin/content/{message_id}")
    async def put_content(message_id: str, request: Request) -> dict[str, int]:
        box.contents[message_id] = await request.body()
        return {"bytes": len(box.contents[message_id])}

    @app.get("/standin/messages")
    async def messages(kind: str | None = None, to: str | None = None) -> dict[str, Any]:
        return {"messages": box.of(kind, to)}

    @app.delete("/standin/messages")
    async def clear() -> dict[str, int]:
        removed = len(box.records)
        box.records.clear()
        return {"removed": removed}

    @app.post("/standin/say")
    async def say(request: Request) -> dict[str, Any]:
        """Play the person: one signed event to intake's webhook; intake's status and the
        replies that came back while it answered."""
        body = await _body(request)
        user_id = str(body.get("user_id") or "U" + "0" * 32)
        if "text" in body:
            one = event(user_id, "text", text=str(body["text"]))
        elif "postback" in body:
            one = event(user_id, "postback", data=str(body["postback"]))
        elif "location" in body:
            one = event(user_id, "location", **body["location"])
        elif "image" in body:
            one = event(user_id, "image")
        elif "unfollow" in body:
            one = event(user_id, "unfollow")
        else:
            one = event(user_id, "follow")
        raw = webhook_body(one)
        before = len(box.records)
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                webhook,
                content=raw,
                headers={"X-Line-Signature": sign(secret, raw), "Content-Type": "application/json"},
                timeout=30,
            )
        return {"status": answer.status_code, "replies": box.records[before:]}

    standin.add_health(app)

    return app


def main() -> int:
    env = os.environ
    standin.setup_logging()
    app = create_app(
        secret=env.get("SIANG_INTAKE_LINE__CHANNEL_SECRET", DEV_SECRET),
        webhook=env.get(
            "SIANG_LINE_STANDIN_WEBHOOK", "http://127.0.0.1:8001/v1/channels/line/webhook"
        ),
    )
    return standin.serve(app, "line", PORT)


if __name__ == "__main__":
    sys.exit(main())
