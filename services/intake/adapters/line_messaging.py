"""LINE Messaging API calls intake makes: reply (`POST {api}/v2/bot/message/reply`) and
the content of an image a person sent (`GET {data}/v2/bot/message/{id}/content`).

Both hosts are settings, so tests and `make dev` talk to `deploy/local/line_standin.py`.
The conversation's replies become text messages with quick replies (postback buttons,
camera, photo roll, location).
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from services.intake.domain.line_conversation import Action, Choice, Reply

log = logging.getLogger(__name__)

MAX_TEXT = 5000
MAX_MESSAGES = 5  # a reply carries at most five messages


class LineApiError(Exception):
    """The Messaging API refused or did not answer."""


class ImageTooLarge(Exception):
    """An image over the size limit: not kept."""


def message_of(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "text", "text": reply.text[:MAX_TEXT]}
    if reply.choices:
        message["quickReply"] = {"items": [_item(c) for c in reply.choices[:13]]}
    return message


def _item(choice: Choice) -> dict[str, Any]:
    action: dict[str, Any] = {"type": choice.action.value, "label": choice.label}
    if choice.action is Action.postback:
        action |= {"data": choice.data, "displayText": choice.label}
    return {"type": "action", "action": action}


class LineMessaging:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        api_base_url: str,
        data_base_url: str,
        channel_token: str,
        timeout: float,
    ) -> None:
        self._client = client
        self._api = api_base_url.rstrip("/")
        self._data = data_base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {channel_token}"}
        self._timeout = timeout

    async def reply(self, reply_token: str, replies: tuple[Reply, ...]) -> None:
        await self._send("reply", {"replyToken": reply_token}, replies)

    async def push(self, user_id: str, replies: tuple[Reply, ...]) -> None:
        """The same messages pushed to the person: for a receipt whose reply token
        expired (LINE keeps one for about a minute), since the PIN is shown only once."""
        await self._send("push", {"to": user_id}, replies)

    async def _send(self, kind: str, to: dict[str, str], replies: tuple[Reply, ...]) -> None:
        if not replies:
            return
        body = {**to, "messages": [message_of(r) for r in replies[:MAX_MESSAGES]]}
        try:
            answer = await self._client.post(
                f"{self._api}/v2/bot/message/{kind}",
                json=body,
                headers=self._headers,
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise LineApiError(repr(exc)) from exc
        if answer.status_code >= 300:
            raise LineApiError(f"{kind} answered {answer.status_code}")

    async def content(self, message_id: str, *, limit: int) -> bytes:
        """The bytes of a message's content, or `ImageTooLarge` past `limit`."""
        url = f"{self._data}/v2/bot/message/{message_id}/content"
        try:
            async with self._client.stream(
                "GET", url, headers=self._headers, timeout=self._timeout
            ) as answer:
                if answer.status_code >= 300:
                    raise LineApiError(f"content answered {answer.status_code}")
                chunks: list[bytes] = []
                size = 0
                async for chunk in answer.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ImageTooLarge(message_id)
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise LineApiError(repr(exc)) from exc
        return b"".join(chunks)
