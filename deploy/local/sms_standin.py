"""`python -m deploy.local.sms_standin`: a local stand-in for the SMS gateway.

It speaks the generic JSON gateway notifications sends to
(`services/notifications/adapters/channels/sms.py`) and keeps every SMS, for `make dev`
and tests:

    POST /v1/sms   {"to": "+66...", "text", "sender", "reference"}
                   Authorization: Bearer <key>   checked when a key is configured: 401
                   Idempotency-Key: <id>         a repeat is answered with the first
                                                 answer and not recorded again
                   a number not in E.164, an empty or too long text, a bad sender: 400
                   with {"error": {"code", "message", "field"}}, as gateways answer

and, to look and to play the gateway's bad days:

    GET    /                          the SMS received, newest first (Thai as sent, the
                                      segments each costs)
    GET    /standin/messages[?to=+66...]  the same as JSON, in order received, and the
                                      requests refused
    DELETE /standin/messages          forget them (the idempotency keys stay answered)
    POST   /standin/failures {"statuses": [503, 503]}   answer the next sends so

Settings: SIANG_SMS_STANDIN_PORT (8028), SIANG_SMS_STANDIN_HOST (127.0.0.1),
SIANG_NOTIFICATIONS_SMS__API_KEY (the key to expect; empty: any caller is let in).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, select_autoescape

from deploy.local import standin
from deploy.local.mail_pages import local_time
from services.notifications.domain.sms_segments import segments

log = logging.getLogger("siang.sms_standin")

PORT = 8028
PATH = "/v1/sms"
DEV_KEY = "dev-sms-gateway-key"
# E.164: a plus, a country code and at most 15 digits in all.
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
# An alphanumeric sender id is at most 11 characters (GSM 03.40); a numeric one is a number.
_SENDER = re.compile(r"^(?:[A-Za-z0-9 ]{1,11}|\+?\d{1,15})$")
# Gateways refuse a message longer than a few concatenated parts; ten here.
MAX_SEGMENTS = 10
# Idempotency keys answered, remembered for the stand-in's lifetime up to this many.
MAX_KEYS = 100_000


class Refusal(Exception):
    """A request the gateway turns down: its status and the JSON error it answers."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return {"error": error}


def validate(body: object) -> dict[str, Any]:
    """The message a request body asks to send, or the Refusal a gateway would answer."""
    if not isinstance(body, dict):
        raise Refusal(400, "invalid_body", "the body must be a JSON object")
    to = body.get("to")
    if not isinstance(to, str) or not _E164.match(to):
        raise Refusal(
            400, "invalid_number", "'to' must be a phone number in E.164 (+66812345678)", "to"
        )
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Refusal(400, "empty_text", "'text' must not be empty", "text")
    counted = segments(text)
    if counted.count > MAX_SEGMENTS:
        raise Refusal(
            400,
            "text_too_long",
            f"'text' takes {counted.count} SMS; at most {MAX_SEGMENTS} are sent as one",
            "text",
        )
    sender = body.get("sender")
    if sender is not None and (not isinstance(sender, str) or not _SENDER.match(sender)):
        raise Refusal(
            400, "invalid_sender", "'sender' must be 1-11 letters or digits, or a number", "sender"
        )
    reference = body.get("reference")
    if reference is not None and not isinstance(reference, str):
        raise Refusal(400, "invalid_reference", "'reference' must be a string", "reference")
    return {
        "to": to,
        "text": text,
        "sender": sender,
        "reference": reference,
        "encoding": counted.encoding,
        "characters": counted.units,
        "segments": counted.count,
    }


@dataclass
class Received:
    """What the stand-in was sent, in order."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    # Requests answered with an error: the status, the error code, when.
    refused: list[dict[str, Any]] = field(default_factory=list)
    # The first answer to each Idempotency-Key of an accepted message.
    answers: OrderedDict[str, dict[str, Any]] = field(default_factory=OrderedDict)
    # Statuses to answer the next sends with, before looking at them (an outage).
    failures: list[int] = field(default_factory=list)

    def to(self, number: str | None = None) -> list[dict[str, Any]]:
        return [m for m in self.messages if number is None or m["to"] == number]

    def remember(self, key: str, answer: dict[str, Any]) -> None:
        self.answers[key] = answer
        while len(self.answers) > MAX_KEYS:
            self.answers.popitem(last=False)


_PAGE = """<!doctype html>
<html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SMS ({{ messages|length }}) · Siang SMS gateway stand-in</title>
<style>
 body { font-family: "Sarabun", "Noto Sans Thai", "Tahoma", sans-serif; margin: 1.5rem;
        color: #1d2733; max-width: 72rem; }
 h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; } a { color: #0b5cad; }
 table { border-collapse: collapse; width: 100%; }
 th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde3ea;
          vertical-align: top; }
 tr:hover td { background: #f4f7fa; }
 .muted { color: #5d6b7a; font-size: .9em; }
 .text { white-space: pre-wrap; max-width: 34rem; }
</style></head>
<body>
<h1>SMS ที่ส่งออก · SMS sent (gateway stand-in)</h1>
<p class="muted">{{ messages|length }} SMS ได้รับที่ <code>POST {{ path }}</code>
({{ "ตรวจกุญแจ API · API key checked" if key_checked else "ไม่ตรวจกุญแจ · no API key checked" }}).
ใหม่สุดก่อน · Newest first.
<a href="/standin/messages">JSON</a> · <a href="/">รีเฟรช · refresh</a></p>
{% if messages %}
<table>
<thead><tr><th>เวลา · received</th><th>ถึง · to</th><th>ข้อความ · text</th>
<th>ส่วน · segments</th><th>ผู้ส่ง · sender</th><th>อ้างอิง · reference</th></tr></thead>
<tbody>
{% for m in messages %}
<tr>
 <td class="muted">{{ m.received_at|local }}</td>
 <td>{{ m.to }}</td>
 <td class="text" lang="th">{{ m.text }}</td>
 <td>{{ m.segments }} <span class="muted">({{ m.encoding }}, {{ m.characters }} chars)</span></td>
 <td class="muted">{{ m.sender or "" }}</td>
 <td class="muted"><code>{{ m.reference or "" }}</code></td>
</tr>
{% endfor %}
</tbody></table>
{% else %}
<p>ยังไม่มี SMS · No SMS yet.</p>
{% endif %}
{% if refused %}
<h2>คำขอที่ปฏิเสธ · Requests refused</h2>
<table>
<thead><tr><th>เวลา · received</th><th>สถานะ · status</th><th>เหตุ · reason</th></tr></thead>
<tbody>
{% for r in refused %}
<tr><td class="muted">{{ r.received_at|local }}</td><td>{{ r.status }}</td>
<td>{{ r.code }}: {{ r.message }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}
</body></html>
"""


def _page_environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["local"] = lambda at: local_time(datetime.fromisoformat(at))
    return env


_TEMPLATE = _page_environment().from_string(_PAGE)


def page(box: Received, *, key_checked: bool) -> str:
    """The SMS received, newest first; the requests refused, newest first."""
    return _TEMPLATE.render(
        messages=box.messages[::-1],
        refused=box.refused[::-1],
        path=PATH,
        key_checked=key_checked,
    )


def _json(status: int, body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def create_app(*, api_key: str = DEV_KEY, received: Received | None = None) -> FastAPI:
    """The gateway; `api_key` empty lets any caller in."""
    app = FastAPI(title="SMS gateway stand-in")
    box = received if received is not None else Received()
    app.state.received = box

    def refuse(refusal: Refusal) -> Response:
        box.refused.append(
            {
                "status": refusal.status,
                "code": refusal.code,
                "message": refusal.message,
                "received_at": datetime.now(UTC).isoformat(),
            }
        )
        log.info("refused %s: %s", refusal.status, refusal.message)
        response = _json(refusal.status, refusal.body())
        if refusal.status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.post(PATH)
    async def send(request: Request) -> Response:
        if box.failures:
            status = box.failures.pop(0)
            return refuse(Refusal(status, "unavailable", "the gateway is not taking messages"))
        if api_key and request.headers.get("authorization") != f"Bearer {api_key}":
            return refuse(Refusal(401, "unauthorized", "missing or wrong API key"))
        key = request.headers.get("idempotency-key")
        if key and key in box.answers:
            # Already accepted: the same answer, and no second SMS to the person.
            return _json(200, box.answers[key])
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return refuse(Refusal(400, "invalid_json", "the body is not JSON"))
        try:
            message = validate(body)
        except Refusal as refusal:
            return refuse(refusal)
        if key and key in box.answers:  # the same key arrived while this body was read
            return _json(200, box.answers[key])
        message_id = uuid.uuid4().hex
        box.messages.append(
            {
                "id": message_id,
                **message,
                "idempotency_key": key,
                "received_at": datetime.now(UTC).isoformat(),
            }
        )
        answer = {
            "id": message_id,
            "status": "accepted",
            "to": message["to"],
            "segments": message["segments"],
            "reference": message["reference"],
        }
        if key:
            box.remember(key, answer)
        # The reference, not the number: a phone number is personal data, kept out of logs.
        log.info("SMS %s accepted, %d segment(s)", message["reference"], message["segments"])
        return _json(200, answer)

    @app.get("/", response_class=HTMLResponse)
    async def inbox() -> HTMLResponse:
        return HTMLResponse(page(box, key_checked=bool(api_key)))

    @app.get("/standin/messages")
    async def messages(to: str | None = None) -> dict[str, Any]:
        return {"messages": box.to(to), "refused": box.refused}

    @app.delete("/standin/messages")
    async def clear() -> dict[str, int]:
        removed = len(box.messages)
        box.messages.clear()
        box.refused.clear()
        return {"removed": removed}

    @app.post("/standin/failures")
    async def fail(request: Request) -> Response:
        try:
            statuses = orjson.loads(await request.body()).get("statuses")
        except (orjson.JSONDecodeError, AttributeError):
            statuses = None
        if not isinstance(statuses, list) or not all(
            isinstance(s, int) and 400 <= s <= 599 for s in statuses
        ):
            error = Refusal(400, "invalid_statuses", "'statuses' must list HTTP errors", "statuses")
            return _json(400, error.body())
        box.failures.extend(statuses)
        return _json(200, {"pending": box.failures})

    standin.add_health(app)

    return app


def main() -> int:
    standin.setup_logging()
    app = create_app(api_key=os.environ.get("SIANG_NOTIFICATIONS_SMS__API_KEY", ""))
    return standin.serve(app, "sms", PORT)


if __name__ == "__main__":
    sys.exit(main())
