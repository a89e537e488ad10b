"""`make dev` points every Graph API call (intake's replies, notifications' notices) at
the local Facebook stand-in, with the Page token it expects: no demo Messenger message
leaves the machine, and none ends as a dead letter for want of a token."""

from __future__ import annotations

import pytest

from deploy.local import dev, facebook_standin
from services.notifications.settings import NotificationsSettings


def test_notices_on_messenger_go_to_the_standin(monkeypatch: pytest.MonkeyPatch) -> None:
    ports = dev.ports_from({"SIANG_FACEBOOK_STANDIN_PORT": "18027"})
    env = dev.child_env(
        {"SIANG_NOTIFICATIONS_FACEBOOK__GRAPH_BASE_URL": "https://graph.facebook.com"},
        kafka="k",
        mongo="m",
        ports=ports,
    )
    # Read back as notifications reads its settings: the names are the real ones.
    for name, value in env.items():
        if name.startswith("SIANG_NOTIFICATIONS_FACEBOOK__"):
            monkeypatch.setenv(name, value)
    facebook = NotificationsSettings().facebook
    assert facebook.graph_base_url == env["SIANG_INTAKE_FACEBOOK__GRAPH_BASE_URL"]
    assert facebook.graph_base_url == "http://127.0.0.1:18027"
    assert facebook.page_token.get_secret_value() == facebook_standin.DEV_PAGE_TOKEN


def test_a_developers_own_page_token_is_the_one_both_send() -> None:
    env = dev.child_env(
        {"SIANG_INTAKE_FACEBOOK__PAGE_TOKEN": "mine"},
        kafka="k",
        mongo="m",
        ports=dev.ports_from({}),
    )
    # The stand-in expects intake's token; notifications sends the same.
    assert env["SIANG_NOTIFICATIONS_FACEBOOK__PAGE_TOKEN"] == "mine"
