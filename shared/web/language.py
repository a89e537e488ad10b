"""Which language a page is shown in, the same way on every service's pages."""

from __future__ import annotations

from starlette.requests import Request

# Set by a page when `?lang=` is asked for, so the next page keeps the choice.
COOKIE = "siang_lang"


def page_language(request: Request) -> str:
    """`?lang=` if it asks for English, else the language this browser chose last, else
    Thai: the office's language comes first."""
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    return "en" if asked == "en" else "th"
