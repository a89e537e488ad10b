"""`make dev` sends every SMS notice to the local gateway stand-in, with the key it
expects, whatever the developer's shell says: no demo SMS leaves the machine, and none
ends as a dead letter for want of a gateway."""

from __future__ import annotations

import pytest

from deploy.local import dev, sms_standin
from services.notifications.settings import NotificationsSettings


def test_sms_goes_to_the_standin_with_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    ports = dev.ports_from({"SIANG_SMS_STANDIN_PORT": "18028"})
    env = dev.child_env(
        {"SIANG_NOTIFICATIONS_SMS__URL": "https://sms.example.com/send"},
        kafka="k",
        mongo="m",
        ports=ports,
    )
    assert env["SIANG_SMS_STANDIN_PORT"] == "18028"
    assert ports.all()["SIANG_SMS_STANDIN_PORT"] == 18028
    assert dev.ports_from({}).sms_standin == sms_standin.PORT == 8028
    # Read back as notifications reads its settings: the names are the real ones.
    for name, value in env.items():
        if name.startswith("SIANG_NOTIFICATIONS_SMS__"):
            monkeypatch.setenv(name, value)
    sms = NotificationsSettings().sms
    assert sms.url == "http://127.0.0.1:18028/v1/sms"
    assert sms.api_key.get_secret_value() == sms_standin.DEV_KEY


def test_a_developer_may_choose_the_key_the_standin_then_expects() -> None:
    env = dev.child_env(
        {"SIANG_NOTIFICATIONS_SMS__API_KEY": "mine"}, kafka="k", mongo="m", ports=dev.ports_from({})
    )
    # One environment for every child: the stand-in reads the same variable.
    assert env["SIANG_NOTIFICATIONS_SMS__API_KEY"] == "mine"
