"""CSRF tokens: good only with their own browser's nonce and their own session."""

from __future__ import annotations

from shared.infra.csrf import accepts, form_token, new_nonce

SECRET = "x" * 40


def test_the_token_of_this_browser_and_session_is_accepted() -> None:
    nonce = new_nonce()
    assert accepts(SECRET, nonce, "session-1", form_token(SECRET, nonce, "session-1"))
    assert accepts(SECRET, nonce, "", form_token(SECRET, nonce))  # a sign-in form


def test_a_missing_or_wrong_token_is_refused() -> None:
    nonce = new_nonce()
    good = form_token(SECRET, nonce, "session-1")
    assert not accepts(SECRET, nonce, "session-1", None)
    assert not accepts(SECRET, nonce, "session-1", "")
    assert not accepts(SECRET, None, "session-1", good)  # no nonce cookie
    assert not accepts(SECRET, new_nonce(), "session-1", good)  # another browser's
    assert not accepts(SECRET, nonce, "session-2", good)  # another session's
    assert not accepts("y" * 40, nonce, "session-1", good)  # another key
    assert not accepts(SECRET, nonce, "session-1", good[:-1] + "0" if good[-1] != "0" else "1")


def test_nonces_differ() -> None:
    assert len({new_nonce() for _ in range(100)}) == 100
