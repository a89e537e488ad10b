"""One sign-in for the staff pages of every service.

Staff sign in once, at the console (workflow's `/console/login`), which keeps the token
in the `siang_token` cookie (HttpOnly, SameSite=Strict, path `/`). A browser sends a
cookie to every port of the host that set it, so the dashboard, intake's and
notifications' admin pages and participation's staff pages read the same cookie, and
the console's sign-out (which deletes it) ends it for all of them. In production every
service is behind one host anyway.

A page that finds nobody signed in sends the person to the console's sign-in
(`AuthSettings.sign_in_url`) with `?next=` back to itself; the console follows `next`
only to its own pages or to the configured pages of the other services
(`AuthSettings.page_origins`), never to another site.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import URL

from shared.infra.auth import AuthSettings, InvalidCredentials, Principal
from shared.infra.http import PAGE_POLICY
from shared.infra.sessions import SessionCheck

#: The console's session cookie (set by workflow's sign-in, read by every service's pages).
COOKIE = "siang_token"
#: Longer than any page's address with its query; a longer `next` is refused outright.
_MAX_NEXT = 2000


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of an absolute URL, lower-cased ("" for a relative one)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def back_link(settings: AuthSettings, url: URL) -> str:
    """How the sign-in should name the page `url` to send the person back to: by its path
    when the sign-in is on the same host (a relative `sign_in_url`), else in full."""
    if origin_of(settings.sign_in_url):
        return str(url)
    return url.path + (f"?{url.query}" if url.query else "")


def sign_in_link(settings: AuthSettings, request: Request, back: URL | None = None) -> str:
    """The console's sign-in page, asked to come back to `back` (this page) afterwards."""
    return f"{settings.sign_in_url}?{urlencode({'next': back_link(settings, back or request.url)})}"


def to_sign_in(
    settings: AuthSettings, request: Request, back: URL | None = None
) -> RedirectResponse:
    """303 to the console's sign-in, coming back to `back` (this page)."""
    return RedirectResponse(sign_in_link(settings, request, back), status_code=303)


def console_link(settings: AuthSettings) -> str:
    """The console's home page, beside its sign-in page (`.../console/login`)."""
    return settings.sign_in_url.removesuffix("/login")


def sign_in_form_policy(settings: AuthSettings) -> str:
    """The Content-Security-Policy of the sign-in page. Its form's `form-action` must allow
    the services' page origins besides its own: a browser holds a form's redirect to the
    `next` page to it, and would otherwise stop at the sign-in after a right password."""
    origins = " ".join(sorted({o.rstrip("/") for o in settings.page_origins}))
    if not origins:
        return PAGE_POLICY
    return PAGE_POLICY.replace("form-action 'self'", f"form-action 'self' {origins}")


def safe_next(settings: AuthSettings, asked: str | None, own_origin: str = "") -> str | None:
    """`asked` if the sign-in may send someone there, else None: a path on this host
    (`/...`, never `//host` or a backslash, which browsers read as another host), or an
    address on `own_origin` or one of the configured `page_origins`."""
    if not asked or len(asked) > _MAX_NEXT or "\\" in asked:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in asked):
        return None
    parts = urlsplit(asked)
    if not parts.scheme and not parts.netloc:
        return asked if asked.startswith("/") and not asked.startswith("//") else None
    if parts.scheme not in {"http", "https"} or "@" in parts.netloc:
        return None
    allowed = {o.rstrip("/").lower() for o in settings.page_origins}
    if own_origin:
        allowed.add(own_origin.rstrip("/").lower())
    return asked if origin_of(asked) in allowed else None


async def signed_in(request: Request, sessions: SessionCheck) -> Principal | None:
    """Who the console's cookie says is signed in, if their session still holds."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return await sessions.verify(token)
    except InvalidCredentials:
        return None
