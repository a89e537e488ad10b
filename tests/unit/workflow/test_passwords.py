"""The password rules: each broken rule is named on its own, in Thai and English."""

from __future__ import annotations

import pytest
import yaml

from services.workflow.__main__ import main
from services.workflow.domain.passwords import (
    MIN_LENGTH,
    PasswordRule,
    WeakPassword,
    check_password,
    password_problems,
)
from services.workflow.settings import CONFIG


def rules(password: str, current: str | None = None) -> list[PasswordRule]:
    is_current = (lambda p: p == current) if current is not None else None
    return [p.rule for p in password_problems(password, "triage.a", "สมศรี ศรีสุข", is_current)]


def test_a_long_uncommon_password_breaks_no_rule() -> None:
    assert rules("ฟ้าใสริมโขง-2569") == []
    assert rules("siang-demo-2569") == []  # the demo directory's password


def test_a_password_shorter_than_the_minimum_is_refused() -> None:
    assert rules("x7#kq9v") == [PasswordRule.too_short]
    assert rules("x7#kq9vLm2"[:MIN_LENGTH]) == []


@pytest.mark.parametrize("password", ["triage.a-secret!", "my-TRIAGE.A-home"])
def test_the_username_inside_is_refused_whatever_its_case(password: str) -> None:
    assert rules(password) == [PasswordRule.contains_username]


@pytest.mark.parametrize("password", ["สมศรีชอบทะเล99", "บ้านศรีสุขริมน้ำ", "สมศรีศรีสุข"])
def test_the_first_name_or_surname_inside_is_refused(password: str) -> None:
    assert rules(password) == [PasswordRule.contains_name]


def test_a_title_or_a_short_part_of_a_name_does_not_count() -> None:
    problems = password_problems("นายแดงไปตลาดเช้า", "x.y", "นาย ก ขจรศักดิ์")
    assert problems == []


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "Password2569!",
        "qwertyuiop",
        "สวัสดีครับ2569",
        "P@ssw0rd12345",
        "zzzzzzzzzzzz",
        "12345678901",
    ],
)
def test_common_passwords_and_their_padded_forms_are_refused(password: str) -> None:
    assert PasswordRule.common in rules(password)


def test_the_current_password_is_refused() -> None:
    assert rules("ฟ้าใสริมโขง-2569", current="ฟ้าใสริมโขง-2569") == [PasswordRule.same_as_current]
    assert rules("ฟ้าใสริมโขง-2570", current="ฟ้าใสริมโขง-2569") == []


def test_every_broken_rule_is_reported_with_its_own_words() -> None:
    problems = password_problems("triage.a", "triage.a", "triage", lambda p: True)
    assert [p.rule for p in problems] == [
        PasswordRule.too_short,
        PasswordRule.contains_username,
        PasswordRule.contains_name,
        PasswordRule.same_as_current,
    ]
    thai = {p.text("th") for p in problems}
    english = {p.text("en") for p in problems}
    assert len(thai) == len(english) == 4
    assert "อย่างน้อย 10 ตัวอักษร" in problems[0].text("th")
    assert "at least 10 characters" in problems[0].text("en")


def test_check_password_raises_with_every_problem() -> None:
    with pytest.raises(WeakPassword) as caught:
        check_password("password", "triage.a", "สมศรี ศรีสุข")
    assert [p["rule"] for p in caught.value.details["problems"]] == ["too_short", "common"]
    assert "at least 10 characters" in caught.value.message


def test_the_demo_password_keeps_the_rules_for_every_demo_account() -> None:
    """The demo directory is loaded without the rules (a seed sets no password through
    the API), so this is where a weak demo password would be caught."""
    demo = yaml.safe_load((CONFIG / "staff.yaml").read_text(encoding="utf-8"))
    password = str(demo["demo_password"])
    broken = {s["id"]: password_problems(password, s["id"], s["name"]) for s in demo["staff"]}
    assert not {who: problems for who, problems in broken.items() if problems}


def test_the_command_line_refuses_a_weak_password_before_saving(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def no_save(*args: object) -> None:
        raise AssertionError("a weak password was saved")

    monkeypatch.setattr("services.workflow.__main__.create_staff", no_save)
    monkeypatch.setenv("SIANG_NEW_PASSWORD", "somsri-25")
    assert main(["staff", "create", "--id", "s.k", "--name", "Somsri K."]) == 2
    said = capsys.readouterr().err
    assert "at least 10 characters" in said and "first name or surname" in said
