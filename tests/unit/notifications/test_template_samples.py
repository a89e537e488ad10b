"""The previews' sample case gives every template, in both languages, a notice the rules
really produce, which renders: a new template without a sample fails here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.notifications.domain.notice import DeliveryChannel, RecipientRole, TemplateName
from services.notifications.domain.template_samples import TRACKING_CODE, sample
from services.notifications.domain.templates import render
from services.notifications.settings import NotificationsSettings
from shared.contract.events import Language

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
SETTINGS = NotificationsSettings()


@pytest.mark.parametrize("template", list(TemplateName))
@pytest.mark.parametrize("language", list(Language))
def test_every_template_has_a_sample_that_renders(template: TemplateName, language: Language):
    found = sample(
        template, language, SETTINGS.office_with_catalogue(), SETTINGS.survey_links(), NOW
    )
    assert found.notice.template is template and found.notice.language is language
    message = render(found.notice)
    assert message.subject and message.text and message.html and message.short
    if template not in {TemplateName.daily_digest, TemplateName.outcome_published}:
        assert TRACKING_CODE in message.text
    year = "2569" if language is Language.th else "2026"
    if template is TemplateName.case_received:
        assert year in message.text


def test_people_hear_on_every_channel_and_staff_by_email():
    office, links = SETTINGS.office_with_catalogue(), SETTINGS.survey_links()
    received = sample(TemplateName.case_received, Language.th, office, links, NOW)
    assert received.audience is RecipientRole.complainant
    assert DeliveryChannel.sms in received.channels and DeliveryChannel.line in received.channels
    assigned = sample(TemplateName.case_assigned, Language.th, office, links, NOW)
    assert assigned.channels == (DeliveryChannel.email,)
