"""Messenger notices through the Send API, against an in-memory poster: what goes out
(a tagged text to the PSID, the notification id as metadata, the token in the query),
and how Graph's answers are classified, with neither the PSID nor the token kept in a
reason. The real stand-in on the real Kafka and MongoDB-wire server is in
tests/integration/notifications/test_facebook_notices.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import aiohttp
import orjson
import pytest
from pydantic import SecretStr

from services.notifications.adapters.channels.channel import Outgoing
from services.notifications.adapters.channels.facebook import FacebookChannel
from services.notifications.adapters.channels.http_post import Reply
from services.notifications.domain.backoff import PermanentFailure, TemporaryFailure
from services.notifications.domain.notice import DeliveryChannel
from services.notifications.domain.templates import Renderer
from services.notifications.settings import FacebookSettings
from tests.unit.notifications.test_channels import Handler, Sent, answer, client, notice

PSID = "6543210987654321"
TOKEN = "page-token-1234567890"


def facebook(handler: Handler, seen: list[Sent], token: str = TOKEN) -> FacebookChannel:
    settings = FacebookSettings(graph_base_url="https://graph.test/", page_token=SecretStr(token))
    return FacebookChannel(settings, Renderer(), client(handler, seen))


def graph(status: int, code: int, message: str, **more: object) -> Handler:
    body = orjson.dumps({"error": {"message": message, "code": code, **more}}).decode()
    return answer(status, body)


async def test_a_notice_is_a_tagged_text_to_the_psid() -> None:
    seen: list[Sent] = []
    n = notice(DeliveryChannel.facebook, PSID)
    await facebook(answer(200, '{"recipient_id":"1","message_id":"m_1"}'), seen).send(
        Outgoing(n, n.recipient)
    )
    [req] = seen
    url = urlsplit(req.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://graph.test/v19.0/me/messages"
    assert parse_qs(url.query) == {"access_token": [TOKEN]}
    body = orjson.loads(req.content)
    assert body["recipient"] == {"id": PSID}
    # Outside the 24 hours after the person's last message only a tagged message goes.
    assert body["messaging_type"] == "MESSAGE_TAG" and body["tag"] == "ACCOUNT_UPDATE"
    assert "SG-7K2P-9QXM" in body["message"]["text"]
    assert len(body["message"]["text"]) <= 2000
    assert body["message"]["metadata"] == n.notification_id


async def test_without_a_page_token_it_is_a_dead_letter_saying_so() -> None:
    n = notice(DeliveryChannel.facebook, PSID)
    with pytest.raises(PermanentFailure, match="no Facebook Page token"):
        await facebook(answer(200), [], token="").send(Outgoing(n, n.recipient))


@pytest.mark.parametrize(
    ("handler", "kind", "words"),
    [
        (graph(400, 551, "(#551) This person isn't available right now."), PermanentFailure,
         "Graph error 551: (#551) This person isn't available right now."),
        (graph(400, 10, "(#10) outside the allowed window", error_subcode=2018278),
         PermanentFailure, "Graph error 10/2018278"),
        (graph(400, 190, "Invalid OAuth access token."), PermanentFailure, "Graph error 190"),
        # Throttled: Graph says so with a 400 and a code.
        (graph(400, 613, "Calls to this api have exceeded the rate limit."), TemporaryFailure,
         "Graph error 613"),
        (graph(400, 100, "try again", is_transient=True), TemporaryFailure, "Graph error 100"),
        (graph(500, 2, "Service temporarily unavailable"), TemporaryFailure, "HTTP 500"),
        (answer(403, "<html>forbidden</html>"), PermanentFailure, "HTTP 403"),
    ],
)  # fmt: skip
async def test_graph_answers_are_classified_without_the_psid_or_token(
    handler: Handler, kind: type[Exception], words: str
) -> None:
    n = notice(DeliveryChannel.facebook, PSID)
    with pytest.raises(kind) as caught:
        await facebook(handler, []).send(Outgoing(n, n.recipient))
    reason = str(caught.value)
    assert words in reason
    assert PSID not in reason and TOKEN not in reason


async def test_a_graph_message_naming_the_person_or_token_is_scrubbed() -> None:
    n = notice(DeliveryChannel.facebook, PSID)
    handler = graph(400, 100, f"(#100) No matching user found for {PSID} with {TOKEN}")
    with pytest.raises(PermanentFailure) as caught:
        await facebook(handler, []).send(Outgoing(n, n.recipient))
    assert PSID not in str(caught.value) and TOKEN not in str(caught.value)
    assert "No matching user found" in str(caught.value)


async def test_a_network_error_is_temporary_and_keeps_no_token() -> None:
    def refuse(request: Sent) -> Reply:
        raise aiohttp.InvalidURL(request.url)

    n = notice(DeliveryChannel.facebook, PSID)
    with pytest.raises(TemporaryFailure) as caught:
        await facebook(refuse, []).send(Outgoing(n, n.recipient))
    assert TOKEN not in str(caught.value)
