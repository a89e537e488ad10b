"""What a new staff password must be, wherever one is set (the account page, an admin's
change through the API or the admin pages): at least `MIN_LENGTH` characters, not the
username or the person's name inside it, not a common password (with digits or symbols
added at either end, too), and not the password the account already has.

Pure: whether a password is the current one needs the stored hash, so the caller passes
a function that checks (`is_current`); each broken rule is its own `PasswordProblem`,
with words in Thai and English, so a page can list every one at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from services.workflow.domain.common_passwords import COMMON_PASSWORDS
from services.workflow.domain.errors import DomainError

MIN_LENGTH = 10
#: Parts of a name shorter than this are too common inside words to refuse (e.g. "a").
_NAME_PART = 3
#: Titles are not part of what makes a name guessable.
_TITLES = frozenset({"นาย", "นาง", "นางสาว", "ดร.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr"})
# Digits (Arabic and Thai), spaces and ASCII symbols: a Thai vowel mark is no symbol.
_EDGE = r"[0-9\u0e50-\u0e59\s!-/:-@\[-`{-~]"
_EDGES = re.compile(rf"^{_EDGE}+|{_EDGE}+$")
_RUNS = "01234567890123456789 98765432109876543210"


class PasswordRule(StrEnum):
    too_short = "too_short"
    contains_username = "contains_username"
    contains_name = "contains_name"
    common = "common"
    same_as_current = "same_as_current"


_WORDS: dict[PasswordRule, tuple[str, str]] = {
    PasswordRule.too_short: (
        f"รหัสผ่านต้องยาวอย่างน้อย {MIN_LENGTH} ตัวอักษร",
        f"The password must be at least {MIN_LENGTH} characters long.",
    ),
    PasswordRule.contains_username: (
        "รหัสผ่านต้องไม่มีชื่อผู้ใช้อยู่ในนั้น",
        "The password must not contain the username.",
    ),
    PasswordRule.contains_name: (
        "รหัสผ่านต้องไม่มีชื่อหรือนามสกุลของเจ้าของบัญชีอยู่ในนั้น",
        "The password must not contain the person's first name or surname.",
    ),
    PasswordRule.common: (
        "รหัสผ่านนี้เป็นรหัสที่ใช้กันทั่วไปและเดาได้ง่าย กรุณาเลือกรหัสอื่น",
        "This is a commonly used password that is easy to guess; choose another.",
    ),
    PasswordRule.same_as_current: (
        "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน",
        "The new password must differ from the current one.",
    ),
}


@dataclass(frozen=True, slots=True)
class PasswordProblem:
    """One rule a password breaks, and what to tell the person about it."""

    rule: PasswordRule

    def text(self, lang: str) -> str:
        """The words for a page or an answer, in Thai unless `lang` is "en"."""
        th, en = _WORDS[self.rule]
        return en if lang == "en" else th


def password_problems(
    password: str,
    username: str,
    name: str,
    is_current: Callable[[str], bool] | None = None,
) -> list[PasswordProblem]:
    """Every rule `password` breaks for the account `username` of the person `name`
    (none: the password may be set). `is_current` tells whether it is the account's
    present password; without it (a new account) that rule is not checked."""
    folded = password.casefold()
    problems: list[PasswordRule] = []
    if len(password) < MIN_LENGTH:
        problems.append(PasswordRule.too_short)
    if username.strip() and username.strip().casefold() in folded:
        problems.append(PasswordRule.contains_username)
    if any(part in folded for part in _name_parts(name)):
        problems.append(PasswordRule.contains_name)
    if is_common(password):
        problems.append(PasswordRule.common)
    if password and is_current is not None and is_current(password):
        problems.append(PasswordRule.same_as_current)
    return [PasswordProblem(rule) for rule in problems]


def is_common(password: str) -> bool:
    """On the list, as typed or with the digits and symbols at its ends taken off
    ("Password2569!" is "password"), one character over and over, or a run of digits."""
    folded = password.casefold()
    core = _EDGES.sub("", folded)
    if folded in COMMON_PASSWORDS or (core and core in COMMON_PASSWORDS):
        return True
    if len(folded) > 1 and len(set(folded)) == 1:
        return True
    return folded.isdigit() and folded in _RUNS


def _name_parts(name: str) -> Iterable[str]:
    words = [w for w in name.casefold().split() if w not in _TITLES]
    parts = [w for w in words if len(w) >= _NAME_PART]
    if len(words) > 1:
        parts.append("".join(words))  # the name typed without its space
    return parts


class WeakPassword(DomainError):
    """A password that breaks one or more of the rules; `problems` says which."""

    code = "weak_password"

    def __init__(self, problems: list[PasswordProblem]) -> None:
        super().__init__(
            "password: " + " ".join(p.text("en") for p in problems),
            field="password",
            problems=[{"rule": p.rule.value, "message": p.text("en")} for p in problems],
        )
        self.problems = problems


def check_password(
    password: str,
    username: str,
    name: str,
    is_current: Callable[[str], bool] | None = None,
) -> None:
    """`WeakPassword` listing every rule the password breaks, if it breaks any."""
    problems = password_problems(password, username, name, is_current)
    if problems:
        raise WeakPassword(problems)
