"""The LINE channel: each webhook event moves its person's conversation one step; a
confirmed conversation becomes a submission through the same `Reception` as the web form
(channel `line`), and the tracking code and PIN are replied on LINE.

Order of the work for one event, and why:
1. Load the person's state (keyed by a hash of their LINE user id) and let the pure
   conversation decide (`domain/line_conversation.py`); an event seen before does nothing.
2. On confirm, receive the submission with the conversation's id as idempotency key, so a
   redelivered confirm (or a crash before step 3) replays the same receipt instead of
   making a second submission. The LINE user id goes in as the contact only with the
   person's consent, so it is written to `personal_data` and nowhere else.
3. Save the new state, then reply (a reply token is single-use and short-lived: a failed
   reply is logged, not retried). After a submission the order is the other way round:
   the receipt is replied before the conversation goes back to idle, so a process killed
   between the two (or whose save landed after it died) is redelivered a confirm that
   still stands and replays the same receipt; saved first, the redelivery would be a
   duplicate that tells the person nothing, and their code and PIN would be lost.
4. Keep the photo, if any, in GridFS with the submission: after the receipt, and only
   best-effort, since the submission is already durable.
"""

from __future__ import annotations

import logging
from typing import Protocol

from pydantic import ValidationError

from services.intake.adapters.line_messaging import ImageTooLarge, LineApiError
from services.intake.adapters.line_webhook import LineEvent
from services.intake.domain import line_conversation as talk
from services.intake.domain.line_conversation import Draft, Outcome, Reply, State
from services.intake.domain.submission import parse_submission
from services.intake.errors import Unavailable
from services.intake.handlers.receive import Receipt, Receive, Reception
from shared.contract.catalogue import Catalogue
from shared.contract.events import Channel
from shared.infra.personal_data import person_id_for

log = logging.getLogger(__name__)


class Conversations(Protocol):
    def key(self, user_id: str) -> str: ...
    async def load(self, key: str) -> State | None: ...
    async def save(self, key: str, state: State) -> None: ...
    async def forget(self, key: str) -> None: ...


class Messaging(Protocol):
    async def reply(self, reply_token: str, replies: tuple[Reply, ...]) -> None: ...
    async def push(self, user_id: str, replies: tuple[Reply, ...]) -> None: ...
    async def content(self, message_id: str, *, limit: int) -> bytes: ...


class Photos(Protocol):
    async def keep(
        self, data: bytes, *, submission_id: str, person_id: str | None, message_id: str
    ) -> str: ...


class LineDesk:
    def __init__(
        self,
        conversations: Conversations,
        messaging: Messaging,
        reception: Reception,
        catalogue: Catalogue,
        photos: Photos | None,
        *,
        max_photo_bytes: int,
    ) -> None:
        self._conversations = conversations
        self._messaging = messaging
        self._reception = reception
        self._catalogue = catalogue
        self._photos = photos
        self._max_photo_bytes = max_photo_bytes

    async def handle(self, events: list[LineEvent], correlation_id: str | None = None) -> int:
        """Apply each event in order; the number of submissions received."""
        received = 0
        for event in events:
            received += await self._one(event, correlation_id)
        return received

    async def _one(self, event: LineEvent, correlation_id: str | None) -> int:
        key = self._conversations.key(event.user_id)
        state = await self._conversations.load(key)
        outcome = talk.advance(state, event.incoming, self._catalogue)
        if outcome.duplicate:
            log.info("LINE event %s seen before; ignored", event.incoming.event_id)
            return 0
        if outcome.state is None:
            await self._conversations.forget(key)
            return 0
        receipt: Receipt | None = None
        if outcome.draft is not None:
            outcome, receipt = await self._submit(outcome, event.user_id, correlation_id)
        assert outcome.state is not None
        if receipt is None:
            await self._conversations.save(key, outcome.state)
            await self._reply(event, outcome.replies, receipt)
        else:
            await self._reply(event, outcome.replies, receipt)
            await self._conversations.save(key, outcome.state)
        if receipt is not None and outcome.draft is not None:
            await self._keep_photo(outcome.draft, receipt)
        return 0 if receipt is None or receipt.replayed else 1

    async def _reply(
        self, event: LineEvent, replies: tuple[Reply, ...], receipt: Receipt | None
    ) -> None:
        if not event.reply_token or not replies:
            return
        try:
            await self._messaging.reply(event.reply_token, replies)
        except LineApiError as exc:
            log.warning("LINE reply not sent: %s", exc)
            if receipt is not None:
                await self._push_receipt(event.user_id, replies)

    async def _push_receipt(self, user_id: str, replies: tuple[Reply, ...]) -> None:
        try:
            await self._messaging.push(user_id, replies)
        except LineApiError as exc:
            log.warning("LINE receipt not pushed either: %s", exc)

    async def _submit(
        self, outcome: Outcome, user_id: str, correlation_id: str | None
    ) -> tuple[Outcome, Receipt | None]:
        state, draft = outcome.state, outcome.draft
        assert state is not None and draft is not None
        body = dict(draft.body)
        if draft.contact_me:
            body["contact"] = {"line_user_id": user_id}
        try:
            request = parse_submission(body, self._catalogue)
            receipt = await self._reception.receive(
                Receive(
                    body=request,
                    channel=Channel.line,
                    idempotency_key=f"line-{draft.conversation_id}",
                    correlation_id=correlation_id,
                )
            )
        except Unavailable:
            log.warning("LINE submission not durable yet; the person is asked to confirm again")
            return talk.not_submitted(state), None
        except ValidationError as exc:
            # The conversation only builds valid bodies; a catalogue changed under it.
            log.warning("LINE conversation made an invalid submission: %s", exc.errors()[:3])
            return Outcome(State(language=state.language, seen=state.seen)), None
        done = talk.submitted(
            state, receipt.tracking_code, receipt.tracking_pin, receipt.tracking_url
        )
        return Outcome(done.state, done.replies, draft=draft), receipt

    async def _keep_photo(self, draft: Draft, receipt: Receipt) -> None:
        if self._photos is None or draft.photo_message_id is None or receipt.replayed:
            return
        try:
            data = await self._messaging.content(
                draft.photo_message_id, limit=self._max_photo_bytes
            )
            await self._photos.keep(
                data,
                submission_id=receipt.submission_id,
                person_id=person_id_for(receipt.submission_id) if draft.contact_me else None,
                message_id=draft.photo_message_id,
            )
        except (LineApiError, ImageTooLarge, Exception) as exc:  # noqa: BLE001 - best-effort
            log.warning("LINE photo of %s not kept: %r", receipt.submission_id, exc)
