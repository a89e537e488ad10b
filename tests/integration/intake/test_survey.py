"""The satisfaction survey: a signed link opens the form in the token's language, the
answer is published as `survey.answered` once, a second answer gets a polite notice, and
forged or expired links are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.contract import topics
from shared.contract.events import Language, SurveyAnswered, parse_event
from shared.contract.survey_token import SurveySettings, sign_survey_token
from shared.infra.settings import KafkaSettings, MongoSettings
from tests.integration.intake.test_intake_flow import running, settings_for
from tests.support import read_topic

SECRET = SurveySettings().secret.get_secret_value()


async def test_answer_is_published_once_and_a_second_is_declined(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    token = sign_survey_token("c-survey-1", secret=SECRET, language=Language.th)
    async with running(settings_for(kafka_settings, mongo_settings)) as client:
        form = await client.get(f"/survey/{token}")
        assert form.status_code == 200 and "แบบสอบถามความพึงพอใจ" in form.text
        answer = {"rating": "2", "solved": "no", "comment": "ยังไม่ได้รับเอกสาร"}
        first = await client.post(f"/survey/{token}", data=answer)
        assert first.status_code == 200 and "ยังไม่ได้รับการแก้ไข" in first.text
        second = await client.post(f"/survey/{token}", data={**answer, "rating": "5"})
        assert "ได้รับการประเมินแล้ว" in second.text
        again = await client.get(f"/survey/{token}")
        assert "ได้รับการประเมินแล้ว" in again.text and "<form" not in again.text
        records = await read_topic(
            kafka_settings.bootstrap_servers,
            kafka_settings.topic_prefix + topics.SURVEYS,
            1,
            settle=1.5,
        )
    assert len(records) == 1 and records[0].key == b"c-survey-1"
    data = parse_event(records[0].value).data
    assert isinstance(data, SurveyAnswered)
    assert (data.rating, data.solved, data.comment) == (2, False, "ยังไม่ได้รับเอกสาร")


async def test_missing_answers_are_named_and_nothing_is_published(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    token = sign_survey_token("c-survey-2", secret=SECRET, language=Language.en)
    async with running(settings_for(kafka_settings, mongo_settings)) as client:
        r = await client.post(f"/survey/{token}", data={"comment": "hm"})
        assert r.status_code == 422
        assert "Please choose a rating" in r.text and "Please say whether" in r.text
        ok = await client.post(f"/survey/{token}", data={"rating": "5", "solved": "yes"})
        assert "Thank you for your answer" in ok.text


async def test_forged_and_expired_links_are_refused(
    kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    forged = sign_survey_token("c-survey-3", secret="another-secret-of-32-bytes-xxxxx")
    expired = sign_survey_token(
        "c-survey-3", secret=SECRET, expires_at=datetime.now(UTC) - timedelta(days=1)
    )
    async with running(settings_for(kafka_settings, mongo_settings)) as client:
        assert (await client.get(f"/survey/{forged}")).status_code == 404
        assert (
            await client.post(f"/survey/{forged}", data={"rating": "1", "solved": "no"})
        ).status_code == 404
        gone = await client.get(f"/survey/{expired}")
        assert gone.status_code == 410 and "หมดอายุ" in gone.text
