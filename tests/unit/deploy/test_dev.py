"""`make dev`'s wiring: ports, and the environment that points the services at each other."""

from __future__ import annotations

from deploy.local import dev


def test_ports_default_and_move_with_their_variables() -> None:
    ports = dev.ports_from({})
    assert ports.services == {
        "intake": 8001,
        "workflow": 8002,
        "notifications": 8003,
        "reporting": 8004,
        "participation": 8005,
    }
    assert (ports.mail_smtp, ports.mail_web) == (1025, 8025)
    moved = dev.ports_from({"SIANG_WORKFLOW_PORT": "18002", "SIANG_MAIL_SMTP_PORT": "2525"})
    assert moved.services["workflow"] == 18002
    assert moved.mail_smtp == 2525
    assert moved.all()["SIANG_MAIL_SMTP_PORT"] == 2525


def test_notifications_send_to_the_mail_catcher() -> None:
    ports = dev.ports_from({"SIANG_MAIL_SMTP_PORT": "2525", "SIANG_INTAKE_PORT": "18001"})
    env = dev.child_env(
        {"SIANG_NOTIFICATIONS_SMTP__HOST": "smtp.example.go.th"},
        kafka="127.0.0.1:9092",
        mongo="mongodb://127.0.0.1:27017/",
        ports=ports,
    )
    # Forced, whatever the developer's shell says: no demo mail leaves the machine.
    assert env["SIANG_NOTIFICATIONS_SMTP__HOST"] == "127.0.0.1"
    assert env["SIANG_NOTIFICATIONS_SMTP__PORT"] == "2525"
    assert env["SIANG_MAIL_SMTP_PORT"] == "2525"
    assert env["SIANG_INTAKE_PORT"] == "18001"
    assert env["SIANG_NOTIFICATIONS_SURVEY_URL_TEMPLATE"] == "http://127.0.0.1:18001/survey/{token}"
    assert env["SIANG_KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:9092"


def test_the_developer_may_override_the_local_defaults() -> None:
    env = dev.child_env(
        {"SIANG_INTAKE_WEB_RATE_PER_MINUTE": "10"},
        kafka="k",
        mongo="m",
        ports=dev.ports_from({}),
    )
    assert env["SIANG_INTAKE_WEB_RATE_PER_MINUTE"] == "10"
    assert env["SIANG_INTAKE_WEB_BURST"] == dev.DEV_WEB_RATE["SIANG_INTAKE_WEB_BURST"]


def test_an_erasure_reaches_the_mail_catcher_s_copies() -> None:
    ports = dev.ports_from({"SIANG_MAIL_WEB_PORT": "18025"})
    env = dev.child_env(
        {"SIANG_NOTIFICATIONS_MAIL_ARCHIVE_PURGE_URL": "https://archive.example.go.th/purge"},
        kafka="k",
        mongo="m",
        ports=ports,
    )
    # Whatever the shell says: the archive of `make dev` is the catcher started with it.
    assert env["SIANG_NOTIFICATIONS_MAIL_ARCHIVE_PURGE_URL"] == "http://127.0.0.1:18025/purge"
