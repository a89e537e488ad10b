"""The service's settings: webhook subscribers from YAML or env, the shared survey secret."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.notifications.handlers.digest import digest_day
from services.notifications.settings import NotificationsSettings, SurveySettings
from shared.contract.events import Channel
from shared.contract.survey_token import verify_survey_token


def test_webhooks_from_yaml_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "webhooks.yaml"
    path.write_text(
        "subscribers:\n"
        "- id: damrongdham\n  url: https://partner.example/hook\n  secrets: [s3cret-one]\n"
        "  events: [case.opened, case.closed]\n  channels: [line]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SIANG_NOTIFICATIONS_WEBHOOKS_PATH", str(path))
    monkeypatch.setenv(
        "SIANG_NOTIFICATIONS_WEBHOOKS",
        '[{"id": "open-data", "url": "https://od.example/in", "secrets": ["s2"]}]',
    )
    found = NotificationsSettings().all_webhooks()
    assert [w.id for w in found] == ["open-data", "damrongdham"]
    sub = found[1].subscriber()
    assert sub.wants("case.opened", Channel.line) and not sub.wants("case.opened", Channel.web)
    assert found[1].secrets[0].get_secret_value() == "s3cret-one"


def test_duplicate_subscriber_ids_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    one = '{"id": "x", "url": "https://a.example", "secrets": ["s"]}'
    monkeypatch.setenv("SIANG_NOTIFICATIONS_WEBHOOKS", f"[{one}, {one}]")
    with pytest.raises(ValueError, match="unique"):
        NotificationsSettings().all_webhooks()


def test_survey_secret_is_the_one_intake_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIANG_SURVEY_SECRET", "shared-with-intake-0123456789")
    settings = NotificationsSettings(survey_url_template="https://s.example/survey/{token}")
    url, _ = settings.survey_links().link(
        "case-9", settings.office.staff_language, datetime.now(UTC)
    )
    token = url.removeprefix("https://s.example/survey/")
    assert verify_survey_token(token, secret="shared-with-intake-0123456789").case_id == "case-9"
    monkeypatch.setenv("SIANG_SURVEY_SECRET", "short")
    with pytest.raises(ValidationError):
        SurveySettings()


def test_nested_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIANG_NOTIFICATIONS_SMTP__PORT", "587")
    monkeypatch.setenv("SIANG_NOTIFICATIONS_SMTP__STARTTLS", "true")
    monkeypatch.setenv("SIANG_NOTIFICATIONS_RETRY__BASE_SECONDS", "2")
    monkeypatch.setenv("SIANG_NOTIFICATIONS_OFFICE__SHORT_NAME_TH", "สพป.ลำพูน เขต 1")
    settings = NotificationsSettings()
    assert settings.smtp.port == 587 and settings.smtp.starttls
    assert settings.retry.policy().base == timedelta(seconds=2)
    assert settings.consumer_group == "siang-notifications"
    office = settings.office_with_catalogue()
    assert office.short_name_th == "สพป.ลำพูน เขต 1"
    assert office.units  # names from the catalogue


def test_the_digest_waits_for_its_hour_in_bangkok() -> None:
    assert digest_day(datetime(2026, 11, 26, 23, 59, tzinfo=UTC), 7) is None  # 06:59
    assert digest_day(datetime(2026, 11, 27, 0, 0, tzinfo=UTC), 7) == date(2026, 11, 27)
