"""The Messenger desk with fakes: as on LINE, a person whose confirm was cut off by a
crash still hears their tracking code and PIN when Facebook redelivers it, and never two
different codes."""

from __future__ import annotations

import pytest

from services.intake.adapters.facebook_webhook import FacebookEvent
from services.intake.domain.line_conversation import Arrived, Incoming, Reply
from services.intake.handlers.backlog import Backlog
from services.intake.handlers.facebook import FacebookDesk
from services.intake.handlers.receive import Reception
from shared.contract.catalogue import load_catalogue

from .fakes import FakePublisher, FakeStore
from .test_line_desk import CODE, STEPS, Conversations, Killed

PSID = "1000000000000001"


class Messenger:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.die_on_send = False

    async def send(self, psid: str, replies: tuple[Reply, ...]) -> None:
        if self.die_on_send:
            self.die_on_send = False
            raise Killed
        self.sent += [r.text for r in replies]

    async def content(self, url: str, *, limit: int) -> bytes:
        raise AssertionError("no photo in these conversations")


def _event(n: int, arrived: Arrived, text: str = "") -> FacebookEvent:
    return FacebookEvent(PSID, Incoming(arrived, f"mid-{n}", text=text))


@pytest.mark.parametrize("dies", ["after its save landed", "while sending"])
async def test_a_confirm_cut_off_by_a_crash_still_tells_the_one_code(dies: str) -> None:
    store, publisher = FakeStore(), FakePublisher()
    reception = Reception(
        store,
        publisher,
        Backlog(store, limit=2),
        pepper=b"pepper",
        tracking_url=lambda code: f"https://siang.example/track/{code}",
        commit_timeout=1.0,
        publish_timeout=1.0,
        retry_after=5,
    )
    conversations, messenger = Conversations(), Messenger()
    desk = FacebookDesk(
        conversations, messenger, reception, load_catalogue(), None, max_photo_bytes=1024
    )
    for n, (arrived, text) in enumerate(STEPS):
        await desk.handle([_event(n, arrived, text)])
    confirm = _event(len(STEPS), Arrived.postback, "confirm")
    conversations.die_after_save = dies == "after its save landed"
    messenger.die_on_send = dies == "while sending"
    with pytest.raises(Killed):
        await desk.handle([confirm])  # Facebook got no 200: it redelivers the same event
    await desk.handle([confirm])
    assert len(store.records) == 1, "one submission, however often the confirm came"
    [record] = store.records.values()
    assert {c for text in messenger.sent for c in CODE.findall(text)} == {record.tracking_code}
