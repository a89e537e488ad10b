"""CSRF tokens for the HTML forms that post with a cookie session.

A browser sends its cookies with a form another site makes it post; the token in the
form is what that site cannot know. Each browser gets a random nonce in a cookie
(`siang_csrf`, HttpOnly, SameSite=Strict); a form carries the HMAC of that nonce and of
the session it posts under (the token cookie's value, or nothing on a sign-in form), keyed
with the service's auth secret. So a token is only good with its own browser's nonce and
its own session: a planted cookie without the secret, or a token copied from another
session, is refused (403).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "siang_csrf"
FIELD = "csrf_token"


class CsrfRefused(Exception):
    """A state-changing form posted without the token of this browser and session."""


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def form_token(secret: str, nonce: str, session: str = "") -> str:
    """The token a form rendered for this browser (`nonce`) and session carries."""
    message = f"csrf|{nonce}|{session}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def accepts(secret: str, nonce: str | None, session: str, submitted: str | None) -> bool:
    """Whether a posted token is the one this browser's nonce and session give."""
    if not nonce or not submitted:
        return False
    return hmac.compare_digest(form_token(secret, nonce, session), submitted)
