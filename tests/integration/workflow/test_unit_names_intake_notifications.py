"""An admin renames a unit on workflow's units page; intake's public tracking page of a
case in that unit, its tracking API, and the letter notifications sends the next
complainant of that unit then name it so, through `siang.units.v1`, without a restart
or a call to workflow."""

from __future__ import annotations

import re
from typing import Any

import httpx
from pydantic import SecretStr

from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.notifications.app import create_app as create_notifications
from services.notifications.settings import (
    DeliverySettings,
    DigestSettings,
    NotificationsSettings,
    SmtpSettings,
    SurveySettings,
)
from services.workflow.handlers.submissions import case_id_for
from shared.contract.catalogue import load_catalogue
from shared.contract.events import Language
from tests.integration.notifications.receivers import Mail, Mailbox
from tests.integration.workflow.conftest import Workflow
from tests.integration.workflow.test_admin_pages import post_page, signed_in_console
from tests.integration.workflow.test_unit_names_elsewhere import serving
from tests.support import eventually

NEW_EN = "Office of Papers and Seals"


def body(email: str) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "complaint_type": "service",
        "category": "documents",
        "subject": "Certificate of employment is late",
        "description": "I asked for a certificate of employment three weeks ago.",
        "language": "en",
        "contact": {"name": "Malee Jaingam", "email": email},
        "consent": {"contact_me": True},
    }


async def submit(intake: httpx.AsyncClient, email: str) -> tuple[str, str, str]:
    r = await intake.post("/v1/submissions", json=body(email))
    assert r.status_code == 202, r.text
    answer = r.json()
    return answer["submission_id"], answer["tracking_code"], answer["tracking_pin"]


async def tracking_page(intake: httpx.AsyncClient, code: str, pin: str) -> str:
    """The PIN form, then the PIN posted with the form's CSRF token."""
    form = await intake.get(f"/track/{code}", params={"lang": "en"})
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token, form.text
    r = await intake.post(
        f"/track/{code}", params={"lang": "en"}, data={"pin": pin, "csrf_token": token[1]}
    )
    assert r.status_code == 200, r.text
    return r.text


async def test_a_renamed_unit_shows_on_tracking_and_in_letters(workflow: Workflow) -> None:
    kafka, mongo = workflow.kafka, workflow.ctx.settings.mongo
    group = kafka.topic_prefix  # one group per test: a shared one rebalances with others
    mailbox = Mailbox()
    mailbox.controller.start()
    intake_app = create_intake(
        IntakeSettings(kafka=kafka, mongo=mongo, consumer_group=f"intake-{group}", track_burst=1000)
    )
    notifications_app = create_notifications(
        NotificationsSettings(
            kafka=kafka,
            mongo=mongo,
            consumer_group=f"notifications-{group}",
            smtp=SmtpSettings(
                host="127.0.0.1", port=mailbox.port, from_address="saraban@siang.invalid"
            ),
            survey=SurveySettings(secret=SecretStr("survey-secret-for-integration-tests")),
            delivery=DeliverySettings(poll_seconds=0.05, housekeeping_seconds=3600),
            digest=DigestSettings(enabled=False),
        )
    )
    console = await signed_in_console(workflow, "admin")
    try:
        async with (
            serving(intake_app, "intake") as intake,
            serving(notifications_app, "notifications"),
        ):
            first = "first@example.com"
            submission_id, code, pin = await submit(intake, first)

            async def case_unit() -> str | None:
                case = await workflow.ctx.store.cases.find_one({"_id": case_id_for(submission_id)})
                return None if case is None else str(case["unit"])

            unit = await eventually(case_unit, timeout=60, what="the case opened")
            assert unit is not None
            old_en = load_catalogue().unit(unit).name_en

            async def first_letter() -> Mail | None:
                return next(iter(mailbox.to(first)), None)

            before = await eventually(first_letter, timeout=60, what="the first letter")
            assert before is not None and f"Responsible unit: {old_en}" in before.part("plain")
            page = await tracking_page(intake, code, pin)
            assert old_en in page and NEW_EN not in page

            saved = await post_page(console, "/console/admin/units", {f"en.{unit}": NEW_EN})
            assert saved.status_code == 303, saved.text

            async def renamed_on_tracking() -> str | None:
                text = await tracking_page(intake, code, pin)
                return text if NEW_EN in text else None

            page = await eventually(renamed_on_tracking, timeout=60, what="new name tracked")
            assert page is not None and old_en not in page
            api = await intake.get(f"/v1/track/{code}", params={"pin": pin})
            assert api.json()["unit_name_en"] == NEW_EN
            listed = (await intake.get("/v1/categories")).json()["categories"]
            assert {c["unit"]["name_en"] for c in listed if c["unit"]["code"] == unit} == {NEW_EN}

            # The next complainant of the unit is told its new name. (Cases and units come
            # on different topics: the letter is planned once the rename has been read.)
            units = notifications_app.state.ctx.units

            async def renamed_for_letters() -> bool:
                return (await units.office()).unit_name(unit, Language.en) == NEW_EN

            await eventually(renamed_for_letters, timeout=60, what="the rename read")
            second = "second@example.com"
            await submit(intake, second)

            async def second_letter() -> Mail | None:
                return next(iter(mailbox.to(second)), None)

            after = await eventually(second_letter, timeout=60, what="the second letter")
            assert after is not None
            text = after.part("plain")
            assert f"Responsible unit: {NEW_EN}" in text and old_en not in text
            assert NEW_EN in after.part("html")
    finally:
        mailbox.controller.stop()
