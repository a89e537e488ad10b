"""`make dev` points every LINE call (intake's replies and content, notifications' pushes)
at the local stand-in, whatever the developer's shell says."""

from __future__ import annotations

from deploy.local import dev


def test_line_goes_to_the_standin() -> None:
    ports = dev.ports_from({"SIANG_LINE_STANDIN_PORT": "18026", "SIANG_INTAKE_PORT": "18001"})
    env = dev.child_env(
        {"SIANG_NOTIFICATIONS_LINE__BASE_URL": "https://api.line.me"},
        kafka="k",
        mongo="m",
        ports=ports,
    )
    standin = "http://127.0.0.1:18026"
    assert env["SIANG_INTAKE_LINE__API_BASE_URL"] == standin
    assert env["SIANG_INTAKE_LINE__DATA_BASE_URL"] == standin
    assert env["SIANG_NOTIFICATIONS_LINE__BASE_URL"] == standin
    assert env["SIANG_LINE_STANDIN_WEBHOOK"] == "http://127.0.0.1:18001/v1/channels/line/webhook"
    assert env["SIANG_INTAKE_LINE__CHANNEL_SECRET"]  # the stand-in signs with the same one
    assert ports.all()["SIANG_LINE_STANDIN_PORT"] == 18026
