"""The Graph API calls intake makes for the Page: the Send API
(`POST {graph}/{version}/me/messages?access_token=...`) and the bytes of an image a person
sent (the attachment's URL, on Facebook's content hosts).

The Graph base URL is a setting, so tests and `make dev` talk to
`deploy/local/facebook_standin.py`. Each of the conversation's replies is one message:
its text and, as quick replies, the choices that carry a payload (LINE's camera and
location buttons have no Messenger counterpart: a person just sends the photo).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from services.intake.domain.line_conversation import Action, Reply

MAX_TEXT = 2000  # the Send API's limit for a text message
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20


class GraphApiError(Exception):
    """The Graph API refused or did not answer."""


class ImageTooLarge(Exception):
    """An image over the size limit: not kept."""


class ForeignImageHost(Exception):
    """An attachment URL on a host that is not one of Facebook's content hosts."""


def message_of(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"text": reply.text[:MAX_TEXT]}
    quick = [
        {"content_type": "text", "title": c.label[:MAX_TITLE], "payload": c.data}
        for c in reply.choices
        if c.action is Action.postback and c.data
    ][:MAX_QUICK_REPLIES]
    if quick:
        message["quick_replies"] = quick
    return message


class FacebookMessenger:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        graph_base_url: str,
        api_version: str,
        page_token: str,
        timeout: float,
        image_hosts: tuple[str, ...],
    ) -> None:
        self._client = client
        self._url = f"{graph_base_url.rstrip('/')}/{api_version}/me/messages"
        self._token = page_token
        self._timeout = timeout
        self._image_hosts = image_hosts

    async def send(self, psid: str, replies: tuple[Reply, ...]) -> None:
        """Each reply as one message to the person, in order (a reply to their message)."""
        for reply in replies:
            body = {"recipient": {"id": psid}, "messaging_type": "RESPONSE"}
            body["message"] = message_of(reply)  # type: ignore[assignment]
            try:
                answer = await self._client.post(
                    self._url,
                    params={"access_token": self._token},
                    json=body,
                    timeout=self._timeout,
                )
            except httpx.HTTPError as exc:
                raise GraphApiError(repr(exc)) from exc
            if answer.status_code >= 300:
                raise GraphApiError(f"send answered {answer.status_code}")

    async def content(self, url: str, *, limit: int) -> bytes:
        """The bytes at an attachment's URL, or `ImageTooLarge` past `limit`. Only
        Facebook's content hosts are fetched: the URL comes from a signed webhook, but
        a server-side fetch of any address would be an open door into the network."""
        host = (urlsplit(url).hostname or "").lower()
        if not any(host == h or host.endswith("." + h) for h in self._image_hosts):
            raise ForeignImageHost(host)
        try:
            async with self._client.stream("GET", url, timeout=self._timeout) as answer:
                if answer.status_code >= 300:
                    raise GraphApiError(f"content answered {answer.status_code}")
                chunks: list[bytes] = []
                size = 0
                async for chunk in answer.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ImageTooLarge(url)
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise GraphApiError(repr(exc)) from exc
        return b"".join(chunks)
