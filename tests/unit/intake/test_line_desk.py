"""The LINE desk with fakes: a person whose confirm was cut off by a crash still hears their
tracking code and PIN when LINE redelivers it, and never two different codes."""

from __future__ import annotations

import re

import pytest

from services.intake.adapters.line_webhook import LineEvent
from services.intake.domain.line_conversation import Arrived, Incoming, Reply, State
from services.intake.handlers.backlog import Backlog
from services.intake.handlers.line import LineDesk
from services.intake.handlers.receive import Reception
from shared.contract.catalogue import load_catalogue

from .fakes import FakePublisher, FakeStore

CATALOGUE = load_catalogue()
USER = "U" + "7" * 32
CODE = re.compile(r"SG-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


class Killed(BaseException):
    """The process died here (a BaseException, as nothing in the desk may catch it)."""


class Conversations:
    """States in memory; `die_after_save` makes the next save land and the process die
    before it hears so, as a write sent just before a `kill -9` does."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        self.die_after_save = False

    def key(self, user_id: str) -> str:
        return f"k-{user_id}"

    async def load(self, key: str) -> State | None:
        return self.states.get(key)

    async def save(self, key: str, state: State) -> None:
        self.states[key] = state
        if self.die_after_save:
            self.die_after_save = False
            raise Killed

    async def forget(self, key: str) -> None:
        self.states.pop(key, None)


class Messaging:
    def __init__(self) -> None:
        self.replies: list[str] = []
        self.die_on_reply = False

    async def reply(self, reply_token: str, replies: tuple[Reply, ...]) -> None:
        if self.die_on_reply:
            self.die_on_reply = False
            raise Killed
        self.replies += [r.text for r in replies]

    async def push(self, user_id: str, replies: tuple[Reply, ...]) -> None:
        self.replies += [r.text for r in replies]

    async def content(self, message_id: str, *, limit: int) -> bytes:
        raise AssertionError("no photo in these conversations")


@pytest.fixture
def desk() -> tuple[LineDesk, Conversations, Messaging, FakeStore]:
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
    conversations, messaging = Conversations(), Messaging()
    line = LineDesk(conversations, messaging, reception, CATALOGUE, None, max_photo_bytes=1024)
    return line, conversations, messaging, store


def _event(n: int, arrived: Arrived, text: str = "") -> LineEvent:
    return LineEvent(USER, f"token-{n}", Incoming(arrived, f"event-{n}", text=text))


STEPS = [
    (Arrived.follow, ""),
    (Arrived.postback, "kind=complaint:service"),
    (Arrived.postback, "category=documents"),
    (Arrived.text, "ขอหนังสือรับรองแล้วไม่ได้รับ"),
    (Arrived.postback, "skip"),
    (Arrived.postback, "skip"),
    (Arrived.postback, "consent=yes"),
]
CONFIRM = _event(len(STEPS), Arrived.postback, "confirm")


async def _up_to_confirm(line: LineDesk) -> None:
    for n, (arrived, text) in enumerate(STEPS):
        await line.handle([_event(n, arrived, text)])


def _codes(messaging: Messaging) -> set[str]:
    return {code for text in messaging.replies for code in CODE.findall(text)}


@pytest.mark.parametrize("dies", ["after its save landed", "while replying"])
async def test_a_confirm_cut_off_by_a_crash_still_tells_the_one_code(
    desk: tuple[LineDesk, Conversations, Messaging, FakeStore], dies: str
) -> None:
    line, conversations, messaging, store = desk
    await _up_to_confirm(line)
    conversations.die_after_save = dies == "after its save landed"
    messaging.die_on_reply = dies == "while replying"
    with pytest.raises(Killed):
        await line.handle([CONFIRM])  # LINE got no 2xx: it redelivers the same event
    await line.handle([CONFIRM])
    assert len(store.records) == 1, "one submission, however often the confirm came"
    [record] = store.records.values()
    assert _codes(messaging) == {record.tracking_code}
    assert conversations.states[f"k-{USER}"].step == "idle"
