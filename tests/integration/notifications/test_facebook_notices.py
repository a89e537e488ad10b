"""Notices to complainants who wrote to the office's Facebook Page, delivered on the
real Kafka and MongoDB-wire server to `make dev`'s Graph API stand-in
(`deploy/local/facebook_standin.py`) serving in-process.

The complainant's contact is set up as intake leaves it: the PSID written once to the
personal-data store under `person_id_for(submission id)`, with `facebook` as source,
before `case.opened` names the person; notifications reads it from there to send."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pydantic import SecretStr

from deploy.local import facebook_standin
from services.notifications.settings import FacebookSettings
from shared.contract.events import (
    CaseOpened,
    Channel,
    Contact,
    NotificationFailed,
    NotificationSent,
)
from tests.integration.notifications.conftest import Service, StartService
from tests.integration.notifications.receivers import serving
from tests.integration.notifications.test_standins import came_by, delivered_twice, to_complainant

PAGE_TOKEN = "integration-facebook-page-token"
PSID = "7391046528173645"


@asynccontextmanager
async def running(
    start_service: StartService, *, service_token: str = PAGE_TOKEN
) -> AsyncIterator[tuple[Service, facebook_standin.Received]]:
    """The service pointed at the Graph API stand-in (which expects PAGE_TOKEN)."""
    box = facebook_standin.Received()
    app = facebook_standin.create_app(page_token=PAGE_TOKEN, received=box)
    async with serving(app) as graph:
        settings = FacebookSettings(
            graph_base_url=graph, page_token=SecretStr(service_token), timeout_seconds=2.0
        )
        async with start_service(facebook=settings) as service:
            yield service, box


async def test_a_facebook_complainant_gets_one_tagged_message_even_when_redelivered(
    start_service: StartService,
) -> None:
    async with running(start_service) as (service, graph):
        # They also gave an e-mail: the Page they wrote to answers, not the mailbox.
        contact = Contact(facebook_psid=PSID, email="somchai@example.com")
        event = await came_by(service, Channel.facebook, contact)
        await delivered_twice(service, event)
        sent = await to_complainant(service, "facebook")
        letters = await service.ctx.dead_letters.listing()

    [message] = graph.of(PSID)
    assert graph.records == [message] and graph.refused == []
    assert message["version"] == "v19.0"
    # Days after the person's last message: a tagged message, the one kind Meta takes.
    assert message["messaging_type"] == "MESSAGE_TAG" and message["tag"] == "ACCOUNT_UPDATE"
    assert isinstance(event.data, CaseOpened)
    text = message["message"]["text"]
    assert event.data.tracking_code in text and "ได้รับ" in text
    assert isinstance(sent, NotificationSent) and sent.attempts == 1
    assert message["message"]["metadata"] == sent.notification_id
    assert letters == [] and service.mailbox.mails == []


async def test_a_person_who_blocked_the_page_ends_as_a_dead_letter_without_their_psid(
    start_service: StartService,
) -> None:
    async with running(start_service) as (service, graph):
        graph.unavailable.add(PSID)
        event = await came_by(service, Channel.facebook, Contact(facebook_psid=PSID))
        await service.publish(event)
        await service.processed(event)
        await service.settled()
        failed = await to_complainant(service, "facebook")
        letters = await service.ctx.dead_letters.listing()

    # Refused once and not tried again: another attempt cannot unblock the Page.
    assert [r["status"] for r in graph.refused] == [400] and graph.records == []
    [letter] = letters
    assert letter["permanent"] is True and letter["channel"] == "facebook"
    assert letter["reason"].startswith("HTTP 400: Graph error 551")
    assert "isn't available right now" in letter["reason"]
    assert isinstance(failed, NotificationFailed) and failed.permanent and failed.attempts == 1
    assert PSID not in letter["reason"] and PSID not in failed.reason
    assert PAGE_TOKEN not in letter["reason"]


async def test_a_wrong_page_token_is_a_dead_letter_that_does_not_quote_it(
    start_service: StartService,
) -> None:
    async with running(start_service, service_token="a-token-facebook-revoked") as (
        service,
        graph,
    ):
        event = await came_by(service, Channel.facebook, Contact(facebook_psid=PSID))
        await service.publish(event)
        await service.processed(event)
        await service.settled()
        letters = await service.ctx.dead_letters.listing()

    assert graph.records == []
    [letter] = letters
    assert letter["permanent"] is True
    assert (
        "Graph error 190" in letter["reason"] and "Invalid OAuth access token" in letter["reason"]
    )
    assert "a-token-facebook-revoked" not in letter["reason"] and PSID not in letter["reason"]
