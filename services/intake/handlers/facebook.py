"""The Facebook Page (Messenger) channel: the same guided conversation as LINE's
(`domain/line_conversation.py`, its words naming Messenger), and a confirmed conversation
becomes a submission through the one `Reception` (channel `facebook`); the tracking code
and PIN are sent back through the Send API.

Order of the work for one event, and why (as for LINE, `handlers/line.py`):
1. Load the person's state (keyed by a keyed hash of their PSID) and let the pure
   conversation decide; an event seen before (same message id) does nothing.
2. On confirm, receive the submission with the conversation's id as idempotency key, so
   a redelivered confirm replays the receipt instead of making a second submission. The
   PSID is the contact only with the person's consent, so it is written to
   `personal_data` and nowhere else.
3. Save the new state, then send the replies (a failed send is logged: Facebook expects
   a quick 200 and redelivers otherwise, which would only repeat the question). After a
   submission the other way round, so a crash between the two cannot lose the receipt.
4. Keep the photo, if any, in GridFS with the submission, best-effort, after the receipt.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

from pydantic import ValidationError

from services.intake.adapters.facebook_messenger import (
    ForeignImageHost,
    GraphApiError,
    ImageTooLarge,
)
from services.intake.adapters.facebook_webhook import FacebookEvent
from services.intake.domain import line_conversation as talk
from services.intake.domain.line_conversation import Outcome, Reply, State
from services.intake.domain.submission import parse_submission
from services.intake.errors import Unavailable
from services.intake.handlers.line import Conversations, Photos
from services.intake.handlers.receive import Receipt, Receive, Reception
from shared.contract.catalogue import Catalogue
from shared.contract.events import Channel, Contact
from shared.infra.personal_data import person_id_for

log = logging.getLogger(__name__)

CHAT = "Messenger"


class Messenger(Protocol):
    async def send(self, psid: str, replies: tuple[Reply, ...]) -> None: ...
    async def content(self, url: str, *, limit: int) -> bytes: ...


class FacebookDesk:
    def __init__(
        self,
        conversations: Conversations,
        messenger: Messenger,
        reception: Reception,
        catalogue: Catalogue,
        photos: Photos | None,
        *,
        max_photo_bytes: int,
    ) -> None:
        self._conversations = conversations
        self._messenger = messenger
        self._reception = reception
        self._catalogue = catalogue
        self._photos = photos
        self._max_photo_bytes = max_photo_bytes

    async def handle(self, events: list[FacebookEvent], correlation_id: str | None = None) -> int:
        """Apply each event in order; the number of submissions received."""
        received = 0
        for event in events:
            received += await self._one(event, correlation_id)
        return received

    async def _one(self, event: FacebookEvent, correlation_id: str | None) -> int:
        key = self._conversations.key(event.psid)
        state = await self._conversations.load(key) or State(chat=CHAT)
        incoming = event.incoming
        if event.photo_url is not None:
            # The photo is fetched by its URL once the submission is durable.
            incoming = replace(incoming, message_id=event.photo_url)
        outcome = talk.advance(state, incoming, self._catalogue)
        if outcome.duplicate:
            log.info("Messenger event %s seen before; ignored", incoming.event_id)
            return 0
        if outcome.state is None:
            await self._conversations.forget(key)
            return 0
        receipt: Receipt | None = None
        if outcome.draft is not None:
            outcome, receipt = await self._submit(outcome, event.psid, correlation_id)
        assert outcome.state is not None
        if receipt is None:
            await self._conversations.save(key, outcome.state)
            await self._send(event.psid, outcome.replies)
        else:
            # The receipt first (as for LINE): killed between the two, Facebook redelivers
            # a confirm that still stands and it replays the same code and PIN; saved
            # first, the redelivery would be a duplicate that tells the person nothing.
            await self._send(event.psid, outcome.replies)
            await self._conversations.save(key, outcome.state)
        if receipt is not None and outcome.draft is not None:
            await self._keep_photo(outcome.draft.photo_message_id, outcome, receipt)
        return 0 if receipt is None or receipt.replayed else 1

    async def _submit(
        self, outcome: Outcome, psid: str, correlation_id: str | None
    ) -> tuple[Outcome, Receipt | None]:
        state, draft = outcome.state, outcome.draft
        assert state is not None and draft is not None
        try:
            request = parse_submission(draft.body, self._catalogue)
            receipt = await self._reception.receive(
                Receive(
                    body=request,
                    channel=Channel.facebook,
                    idempotency_key=f"facebook-{draft.conversation_id}"[:200],
                    correlation_id=correlation_id,
                    contact=Contact(facebook_psid=psid) if draft.contact_me else None,
                )
            )
        except Unavailable:
            log.warning("Messenger submission not durable yet; the person is asked again")
            return talk.not_submitted(state), None
        except ValidationError as exc:
            # The conversation only builds valid bodies; a catalogue changed under it.
            log.warning("Messenger conversation made an invalid submission: %s", exc.errors()[:3])
            return Outcome(State(language=state.language, seen=state.seen, chat=CHAT)), None
        done = talk.submitted(
            state, receipt.tracking_code, receipt.tracking_pin, receipt.tracking_url
        )
        return Outcome(done.state, done.replies, draft=draft), receipt

    async def _send(self, psid: str, replies: tuple[Reply, ...]) -> None:
        if not replies:
            return
        try:
            await self._messenger.send(psid, replies)
        except GraphApiError as exc:
            log.warning("Messenger reply not sent: %s", exc)

    async def _keep_photo(self, url: str | None, outcome: Outcome, receipt: Receipt) -> None:
        draft = outcome.draft
        if self._photos is None or url is None or draft is None or receipt.replayed:
            return
        try:
            data = await self._messenger.content(url, limit=self._max_photo_bytes)
            await self._photos.keep(
                data,
                submission_id=receipt.submission_id,
                person_id=person_id_for(receipt.submission_id) if draft.contact_me else None,
                message_id=draft.conversation_id,
            )
        except (GraphApiError, ImageTooLarge, ForeignImageHost, Exception) as exc:  # noqa: BLE001
            log.warning("Messenger photo of %s not kept: %r", receipt.submission_id, exc)
