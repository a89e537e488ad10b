"""An erasure reaches the mail archive: notifications, on the real Kafka and MongoDB-wire
server, mails complainants through the real mail catcher (its SMTP side and its web
side running here on free ports, as `make dev` runs them); when a complainant is erased,
the catcher is asked to forget their notices and keeps no message naming them, while
everyone else's mail stays. With the catcher's web side down the erasure is tried again
until it comes back, and the address is never written to a log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import pytest
import uvicorn

from deploy.local import mailbox
from deploy.local.mailcatcher import CatcherSettings, create_app, start_smtp
from services.notifications.settings import SmtpSettings
from shared.contract.events import CaseOpened, CasePersonalDataErased, Contact, LegalBasis
from tests.integration.notifications.conftest import (
    PEOPLE,
    Service,
    StartService,
    case_event,
    email_of,
    opened,
)
from tests.integration.notifications.receivers import free_port
from tests.support import eventually


@dataclass
class Catcher:
    """The mail catcher of `deploy/local/mailcatcher.py`, in this test's event loop."""

    settings: CatcherSettings
    smtp: asyncio.Server | None = None
    web: uvicorn.Server | None = None
    task: asyncio.Task[None] | None = None
    files: Path = field(init=False)

    def __post_init__(self) -> None:
        self.files = self.settings.directory

    @property
    def purge_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}/purge"

    async def start_web(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings),
            host="127.0.0.1",
            port=self.settings.web_port,
            log_level="error",
            lifespan="off",
            access_log=False,
        )
        self.web = uvicorn.Server(config)
        self.task = asyncio.create_task(self.web.serve())
        web = self.web

        async def started() -> bool:
            return web.started

        await eventually(started, timeout=10, interval=0.02, what="the catcher's web side")

    async def stop_web(self) -> None:
        if self.web is not None and self.task is not None:
            self.web.should_exit = True
            await self.task
            self.web = self.task = None

    def naming(self, *texts: str) -> list[str]:
        """The stored messages that name any of `texts`, raw or decoded (a Thai name is
        base64 in the file)."""
        wanted = [t.casefold() for t in texts]
        found = []
        for message in mailbox.list_messages(self.files):
            raw = (self.files / message.file).read_bytes().decode("utf-8", "replace")
            seen = f"{raw}\n{message.as_json()}".casefold()
            if any(t in seen for t in wanted):
                found.append(message.file)
        return found

    def stored(self) -> set[str]:
        return {p.name for p in self.files.glob("*.eml")}


@pytest.fixture
async def catcher(tmp_path: Path) -> AsyncIterator[Catcher]:
    settings = CatcherSettings("127.0.0.1", free_port(), free_port(), tmp_path / "mail")
    catcher = Catcher(settings)
    catcher.smtp = await start_smtp(settings)
    await catcher.start_web()
    try:
        yield catcher
    finally:
        await catcher.stop_web()
        catcher.smtp.close()
        await catcher.smtp.wait_closed()


def _complainant(name: str) -> CaseOpened:
    return opened(contact=Contact(name=name, email=f"{uuid4().hex[:8]}.Erase@Example.org"))


def _erased(case: CaseOpened, basis: LegalBasis) -> CasePersonalDataErased:
    assert case.person_id is not None
    return CasePersonalDataErased(
        case_id=case.case_id, person_id=case.person_id, erasure_id=uuid4().hex, legal_basis=basis
    )


async def _mailed(svc: Service, catcher: Catcher, *cases: CaseOpened) -> None:
    await svc.publish(*(case_event(c, c.case_id) for c in cases))

    async def all_told() -> bool:
        return all(catcher.naming(email_of(c)) for c in cases)

    await eventually(all_told, timeout=30, what="each complainant's notice in the catcher")
    await svc.settled()


async def test_an_erased_complainant_s_mail_leaves_the_catcher_and_others_stay(
    start_service: StartService, catcher: Catcher
) -> None:
    async with start_service(
        smtp=SmtpSettings(
            host="127.0.0.1", port=catcher.settings.smtp_port, from_address="saraban@siang.invalid"
        ),
        mail_archive_purge_url=catcher.purge_url,
    ) as svc:
        somsri, malee = _complainant("สมศรี ขอลบ"), _complainant("มาลี อยู่ต่อ")
        await _mailed(svc, catcher, somsri, malee)
        gone = set(catcher.naming(email_of(somsri), "สมศรี ขอลบ"))
        kept = catcher.stored() - gone
        assert gone and kept == set(catcher.naming(email_of(malee)))

        erasure = case_event(_erased(somsri, LegalBasis.data_subject_request), somsri.case_id)
        await svc.publish(erasure)

        async def forgotten() -> bool:
            return not catcher.naming(email_of(somsri), "สมศรี ขอลบ")

        await eventually(forgotten, timeout=30, what="the erased person's mail purged")
        assert catcher.stored() == kept  # the other complainant's mail stays
        assert catcher.naming(email_of(malee), "มาลี อยู่ต่อ")


async def test_while_the_catcher_is_down_the_erasure_is_tried_again_until_it_is_back(
    start_service: StartService, catcher: Catcher, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with start_service(
        smtp=SmtpSettings(
            host="127.0.0.1", port=catcher.settings.smtp_port, from_address="saraban@siang.invalid"
        ),
        mail_archive_purge_url=catcher.purge_url,
    ) as svc:
        kanya = _complainant("กัญญา หมดอายุ")
        await _mailed(svc, catcher, kanya)
        address = email_of(kanya)

        await catcher.stop_web()
        # The retention job's erasure: the same event, with its own legal basis.
        erasure = case_event(_erased(kanya, LegalBasis.retention), kanya.case_id)
        await svc.publish(erasure)
        await svc.processed(erasure)  # the ledger's scrub is committed...

        async def retried() -> bool:
            return "trying again" in caplog.text

        await eventually(retried, timeout=30, what="the purge failing and retried")
        assert catcher.naming(address)  # ...but the catcher still holds the notice

        await catcher.start_web()

        async def forgotten() -> bool:
            return not catcher.naming(address)

        await eventually(forgotten, timeout=30, what="the purge once the catcher is back")
    # Neither the retries nor the purge wrote the address (nor the name) to a log of the
    # service (the catcher's own SMTP log shows whom it caught mail for, as it should).
    logged = "\n".join(
        r.getMessage() + (r.exc_text or "")
        for r in caplog.records
        if not r.name.startswith(("mail.log", "siang.mailcatcher"))
    )
    assert "trying again" in logged
    assert address.casefold() not in logged.casefold()
    assert PEOPLE[kanya.person_id or ""].name not in logged
